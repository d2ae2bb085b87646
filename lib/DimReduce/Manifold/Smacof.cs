namespace DimReduce.Manifold;

/// <summary>
/// SMACOF (Scaling by MAjorizing a COmplicated Function; de Leeuw 1977, "Applications of convex analysis to
/// multidimensional scaling", in Recent Developments in Statistics, 133-146): minimises the raw stress
/// sigma(X) = 1/2 sum_{i,j} (d_ij(X) - delta_ij)^2 by the Guttman transform X' = (1/n) B(X) X, with
/// b_ij = -delta_ij / d_ij(X) off the diagonal and b_ii = -sum_{j != i} b_ij, which never increases the stress.
/// Faithful to scikit-learn 1.2.1's <c>_smacof_single</c> (metric, unweighted): uniform [0, 1) start, zero distances
/// replaced by 1e-5, stop when the stress per unit of configuration norm improves by less than eps.
/// </summary>
internal static class Smacof
{
    /// <summary>
    /// One run from a random start drawn from <paramref name="random"/>; returns the configuration, its stress and the iterations run.
    /// <paramref name="iterationDone"/> (when given) receives each finished iteration's count and stress; <paramref name="cancellation"/>
    /// is checked before every iteration.
    /// </summary>
    public static (double[] X, double Stress, int Iterations) Run(double[] delta, int n, int dim, int maxIterations, double eps, Random random,
        Action<int, double>? iterationDone = null, CancellationToken cancellation = default)
    {
        var x = new double[n * dim];
        for (int t = 0; t < x.Length; t++) x[t] = random.NextDouble();
        var next = new double[n * dim];
        var rowStress = new double[n];
        double oldStress = double.NaN, stress = 0;
        int it;
        for (it = 0; it < maxIterations; it++)
        {
            cancellation.ThrowIfCancellationRequested();
            var current = x;
            Parallel.For(0, n, i =>
            {
                double s = 0;
                Span<double> acc = stackalloc double[dim];
                acc.Clear();
                for (int j = 0; j < n; j++)
                {
                    double d2 = 0;
                    for (int c = 0; c < dim; c++) { double t = current[i * dim + c] - current[j * dim + c]; d2 += t * t; }
                    double d = Math.Sqrt(d2);
                    double e = d - delta[i * n + j];
                    s += e * e;
                    if (d == 0) d = 1e-5;
                    double ratio = delta[i * n + j] / d;
                    for (int c = 0; c < dim; c++) acc[c] += ratio * (current[i * dim + c] - current[j * dim + c]);
                }
                rowStress[i] = s;
                for (int c = 0; c < dim; c++) next[i * dim + c] = acc[c] / n;
            });
            stress = 0;
            for (int i = 0; i < n; i++) stress += rowStress[i];
            stress /= 2;
            iterationDone?.Invoke(it + 1, stress);
            (x, next) = (next, x);
            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                double r = 0;
                for (int c = 0; c < dim; c++) r += x[i * dim + c] * x[i * dim + c];
                norm += Math.Sqrt(r);
            }
            if (!double.IsNaN(oldStress) && oldStress - stress / norm < eps) { it++; break; }
            oldStress = stress / norm;
            if (it == maxIterations - 1) { it++; break; }
        }
        return (x, stress, it);
    }

    /// <summary>The raw stress of configuration <paramref name="x"/> against <paramref name="delta"/>.</summary>
    public static double Stress(double[] delta, int n, double[] x, int dim)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double d2 = 0;
                for (int c = 0; c < dim; c++) { double t = x[i * dim + c] - x[j * dim + c]; d2 += t * t; }
                double e = Math.Sqrt(d2) - delta[i * n + j];
                s += e * e;
            }
        return s / 2;
    }
}
