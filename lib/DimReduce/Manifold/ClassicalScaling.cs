using DimReduce.Decomposition;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Manifold;

/// <summary>
/// Classical (Torgerson) multidimensional scaling (Torgerson 1952, "Multidimensional scaling: I. Theory and
/// method", Psychometrika 17:401-419): from distances D, the double-centred matrix B = -1/2 J D^2 J with
/// J = I - 11^T / n, its top eigenpairs (lambda_c, v_c) on libtorch (<c>eigh</c>, float64), and the coordinates
/// v_c sqrt(lambda_c). Each eigenvector is flipped so its largest-magnitude entry is positive; negative eigenvalues
/// (a non-Euclidean D) are clamped to 0. Isomap uses it on geodesic distances (Tenenbaum et al. 2000, step 3).
/// </summary>
internal static class ClassicalScaling
{
    /// <summary>The result: coordinates (n x components), eigenvalues (descending), eigenvectors, and the centring terms of -1/2 D^2.</summary>
    internal sealed record Result(double[] Embedding, double[] Eigenvalues, double[] Eigenvectors, double[] ColumnMeans, double GrandMean);

    /// <summary>Classical scaling of the n x n distance matrix <paramref name="distances"/> (row-major, symmetric).</summary>
    public static Result Fit(double[] distances, int n, int components)
    {
        // K = -1/2 D^2, then B = K - column means - row means + grand mean (K is symmetric).
        var k = new double[n * n];
        var colMeans = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double d = distances[i * n + j];
                double v = -0.5 * d * d;
                k[i * n + j] = v;
                colMeans[j] += v;
            }
        double grand = 0;
        for (int j = 0; j < n; j++) { colMeans[j] /= n; grand += colMeans[j]; }
        grand /= n;
        Parallel.For(0, n, i =>
        {
            for (int j = 0; j < n; j++) k[i * n + j] = k[i * n + j] - colMeans[j] - colMeans[i] + grand;
        });

        TorchRuntime.EnsureLoaded();
        double[] values, vectors;
        using (var scope = torch.NewDisposeScope())
        {
            var b = torch.tensor(k, [n, n], ScalarType.Float64);
            var (w, v) = torch.linalg.eigh(b);
            var order = torch.arange(n - 1, n - 1 - components, -1, ScalarType.Int64);
            values = Dense.Values(w.index_select(0, order));
            vectors = Dense.Values(v.index_select(1, order).contiguous());
        }
        for (int c = 0; c < components; c++) if (!(values[c] > 0)) values[c] = 0;
        Dense.ScaleColumns(vectors, n, components, Dense.ColumnSigns(vectors, n, components));
        var embedding = new double[n * components];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < components; c++) embedding[i * components + c] = vectors[i * components + c] * Math.Sqrt(values[c]);
        return new Result(embedding, values, vectors, colMeans, grand);
    }

    /// <summary>Euclidean distances between the rows of <paramref name="x"/> (n x n, row-major, exact zero diagonal).</summary>
    public static double[] Distances(DataMatrix x)
    {
        int n = x.Rows;
        var d = new double[n * n];
        Parallel.For(0, n, i =>
        {
            var a = x.Row(i);
            for (int j = i + 1; j < n; j++)
            {
                var b = x.Row(j);
                double s = 0;
                for (int c = 0; c < a.Length; c++) { double t = a[c] - b[c]; s += t * t; }
                d[i * n + j] = Math.Sqrt(s);
            }
        });
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) d[i * n + j] = d[j * n + i];
        return d;
    }
}
