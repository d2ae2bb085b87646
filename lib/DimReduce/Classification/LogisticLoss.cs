using System.Numerics.Tensors;

namespace DimReduce.Classification;

/// <summary>
/// The objective <see cref="LogisticRegression"/> minimises, with its analytic gradient, for one
/// parameter vector. Scaled as scikit-learn 1.2 scales it for L-BFGS:
/// <c>f(w) = sum_i loss_i + ||W||^2 / (2 C)</c>, which is <c>(0.5 ||W||^2 + C sum_i loss_i) / C</c>,
/// so both have the same minimiser. Intercepts are not penalised.
/// </summary>
/// <remarks>
/// Parameters are laid out block by block: block k holds the <c>p</c> weights of row k of W, then
/// (when fitting an intercept) its intercept. Rows of the data are processed in fixed chunks whose
/// partial sums are added in chunk order, so the result does not depend on the thread count.
/// </remarks>
internal static class LogisticLoss
{
    private const int ChunkRows = 256;

    /// <summary>
    /// Multinomial (softmax) cross-entropy: <c>loss_i = logsumexp_k(z_ik) - z_{i,y_i}</c> with
    /// <c>z_ik = w_k . x_i + b_k</c>; gradient <c>sum_i (p_ik - [y_i = k]) x_i + w_k / C</c>.
    /// </summary>
    /// <param name="x">Data, n x p.</param>
    /// <param name="y">Class index (0..K-1) of each row.</param>
    /// <param name="classes">K.</param>
    /// <param name="w">Parameters, K blocks of p (+1) values.</param>
    /// <param name="c">Inverse regularisation strength.</param>
    /// <param name="fitIntercept">Whether each block ends with an intercept.</param>
    /// <param name="gradient">Receives the gradient (same layout as <paramref name="w"/>).</param>
    public static double Multinomial(DataMatrix x, int[] y, int classes, ReadOnlySpan<double> w, double c, bool fitIntercept, Span<double> gradient)
    {
        int p = x.Columns, block = p + (fitIntercept ? 1 : 0);
        var wArray = w.ToArray();
        double loss = Chunked(x.Rows, w.Length, gradient, (start, end, g) =>
        {
            var data = x.Data;
            var z = new double[classes];
            double partial = 0;
            for (int i = start; i < end; i++)
            {
                var row = data.AsSpan(i * p, p);
                double max = double.NegativeInfinity;
                for (int k = 0; k < classes; k++)
                {
                    double zk = TensorPrimitives.Dot(row, wArray.AsSpan(k * block, p));
                    if (fitIntercept) zk += wArray[k * block + p];
                    z[k] = zk;
                    if (zk > max) max = zk;
                }
                // log-sum-exp shifted by the largest logit, so exp never overflows.
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += Math.Exp(z[k] - max);
                double logSumExp = max + Math.Log(sum);
                partial += logSumExp - z[y[i]];
                for (int k = 0; k < classes; k++)
                {
                    double residual = Math.Exp(z[k] - logSumExp) - (y[i] == k ? 1.0 : 0.0);
                    var gk = g.AsSpan(k * block, p);
                    TensorPrimitives.MultiplyAdd(row, residual, gk, gk);
                    if (fitIntercept) g[k * block + p] += residual;
                }
            }
            return partial;
        });
        return loss + Penalty(w, gradient, classes, p, block, c);
    }

    /// <summary>
    /// Binary logistic loss with targets 0/1: <c>loss_i = log(1 + exp(z_i)) - y_i z_i</c>,
    /// gradient <c>sum_i (sigmoid(z_i) - y_i) x_i + w / C</c>.
    /// </summary>
    public static double Binary(DataMatrix x, bool[] positive, ReadOnlySpan<double> w, double c, bool fitIntercept, Span<double> gradient)
    {
        int p = x.Columns;
        var wArray = w.ToArray();
        double loss = Chunked(x.Rows, w.Length, gradient, (start, end, g) =>
        {
            var data = x.Data;
            double partial = 0;
            for (int i = start; i < end; i++)
            {
                var row = data.AsSpan(i * p, p);
                double z = TensorPrimitives.Dot(row, wArray.AsSpan(0, p)) + (fitIntercept ? wArray[p] : 0.0);
                double yi = positive[i] ? 1.0 : 0.0;
                partial += Log1PExp(z) - yi * z;
                double residual = Sigmoid(z) - yi;
                var gw = g.AsSpan(0, p);
                TensorPrimitives.MultiplyAdd(row, residual, gw, gw);
                if (fitIntercept) g[p] += residual;
            }
            return partial;
        });
        return loss + Penalty(w, gradient, 1, p, p + (fitIntercept ? 1 : 0), c);
    }

    /// <summary>Numerically stable <c>log(1 + exp(z))</c>.</summary>
    public static double Log1PExp(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    /// <summary>Numerically stable logistic function.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0) return 1.0 / (1.0 + Math.Exp(-z));
        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    private static double Penalty(ReadOnlySpan<double> w, Span<double> gradient, int rows, int p, int block, double c)
    {
        double squares = 0;
        for (int k = 0; k < rows; k++)
        {
            var wk = w.Slice(k * block, p);
            squares += TensorPrimitives.Dot(wk, wk);
            for (int j = 0; j < p; j++) gradient[k * block + j] += wk[j] / c;
        }
        return squares / (2 * c);
    }

    /// <summary>Runs <paramref name="body"/> on fixed row chunks (in parallel when there are several) and adds results in chunk order.</summary>
    private static double Chunked(int rows, int length, Span<double> gradient, Func<int, int, double[], double> body)
    {
        int chunks = (rows + ChunkRows - 1) / ChunkRows;
        var losses = new double[chunks];
        var grads = new double[chunks][];
        if (chunks == 1)
        {
            grads[0] = new double[length];
            losses[0] = body(0, rows, grads[0]);
        }
        else
        {
            Parallel.For(0, chunks, chunk =>
            {
                grads[chunk] = new double[length];
                losses[chunk] = body(chunk * ChunkRows, Math.Min(rows, (chunk + 1) * ChunkRows), grads[chunk]);
            });
        }
        gradient.Clear();
        double loss = 0;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            loss += losses[chunk];
            TensorPrimitives.Add(gradient, grads[chunk], gradient);
        }
        return loss;
    }
}
