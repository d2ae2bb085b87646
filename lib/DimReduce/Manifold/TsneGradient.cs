namespace DimReduce.Manifold;

/// <summary>
/// The gradient of t-SNE's cost C = KL(P || Q) = sum_ij p_ij log(p_ij / q_ij) with respect to the embedding
/// (van der Maaten and Hinton 2008, equation 5; van der Maaten 2014, equations 4-5 for the Barnes-Hut split):
/// dC/dy_i = (2 (dof + 1) / dof) sum_j (p_ij - q_ij) w_ij (y_i - y_j), with w_ij = 1 / (1 + |y_i - y_j|^2 / dof),
/// q_ij = t_ij / Z, t_ij = w_ij^((dof + 1) / 2) and Z = sum_{k != l} t_kl. For dof = 1 (2-D) this is the paper's
/// 4 sum_j (p_ij - q_ij)(1 + |y_i - y_j|^2)^-1 (y_i - y_j).
/// </summary>
/// <remarks>
/// Every parallel loop writes per point (or per row) and the sums over points are taken afterwards in index
/// order, so the result is bit-identical whatever the number of threads.
/// For dof != 1 scikit-learn 1.2 multiplies (p_ij - q_ij) by t_ij instead of w_ij; this class uses the exact
/// derivative, so 3-D embeddings differ from scikit-learn's (2-D ones do not).
/// </remarks>
internal static class TsneGradient
{
    private const double Float32Tiny = 1.1754943508222875e-38;

    /// <summary>Reusable buffers of the Barnes-Hut gradient (no allocation per iteration once created).</summary>
    internal sealed class Workspace(int n, int dim)
    {
        public readonly SpaceTree Tree = new(Math.Min(dim, 3));
        public readonly double[] Positive = new double[n * dim];
        public readonly double[] Negative = new double[n * dim];
        public readonly double[] RowZ = new double[n];
        public readonly double[] RowKl = new double[n];
    }

    private static int Chunks(int n) => Math.Max(1, Math.Min(n, 8 * Environment.ProcessorCount));

    /// <summary>
    /// The exact gradient over all pairs of a dense P (n x n, zero diagonal) multiplied by
    /// <paramref name="exaggeration"/>. Writes <paramref name="grad"/> and returns the KL divergence (as
    /// scikit-learn's <c>_kl_divergence</c>: p and q floored at machine epsilon), or NaN when
    /// <paramref name="computeError"/> is false.
    /// </summary>
    public static double Exact(double[] y, int n, int dim, double[] p, double exaggeration, double dof, double[] grad, double[] rowBuffer, bool computeError)
    {
        double exponent = (dof + 1) / 2, c = 2 * (dof + 1) / dof;
        int chunks = Chunks(n);
        // Pass 1: Z = sum of t over ordered pairs (per row, then summed in index order).
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks);
            for (int i = start; i < end; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double w = dof / (dof + SquaredDistance(y, i, j, dim));
                    s += dof == 1.0 ? w : Math.Pow(w, exponent);
                }
                rowBuffer[i] = s;
            }
        });
        double z = 0;
        for (int i = 0; i < n; i++) z += rowBuffer[i];
        // Pass 2: the gradient and the KL terms of each row.
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks);
            Span<double> g = stackalloc double[dim];
            for (int i = start; i < end; i++)
            {
                g.Clear();
                double kl = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double w = dof / (dof + SquaredDistance(y, i, j, dim));
                    double q = (dof == 1.0 ? w : Math.Pow(w, exponent)) / z;
                    double pij = exaggeration * p[i * n + j];
                    double m = (pij - q) * w;
                    for (int d = 0; d < dim; d++) g[d] += m * (y[i * dim + d] - y[j * dim + d]);
                    if (computeError)
                        kl += pij * Math.Log(Math.Max(pij, TsneAffinities.MachineEpsilon) / Math.Max(q, TsneAffinities.MachineEpsilon));
                }
                for (int d = 0; d < dim; d++) grad[i * dim + d] = c * g[d];
                rowBuffer[i] = kl;
            }
        });
        if (!computeError) return double.NaN;
        double total = 0;
        for (int i = 0; i < n; i++) total += rowBuffer[i];
        return total;
    }

    private static double SquaredDistance(double[] y, int i, int j, int dim)
    {
        if (dim == 2)
        {
            double a = y[2 * i] - y[2 * j], b = y[2 * i + 1] - y[2 * j + 1];
            return a * a + b * b;
        }
        double d2 = 0;
        for (int d = 0; d < dim; d++) { double t = y[i * dim + d] - y[j * dim + d]; d2 += t * t; }
        return d2;
    }

    /// <summary>
    /// The Barnes-Hut gradient (van der Maaten 2014, section 4): attractive forces over the sparse P (times
    /// <paramref name="exaggeration"/>), repulsive forces and Z through the <see cref="SpaceTree"/> with angle
    /// <paramref name="theta"/>. Writes <paramref name="grad"/> and returns the KL divergence over the stored
    /// entries of P (as scikit-learn's <c>_kl_divergence_bh</c>: terms floored at float32's smallest normal), or NaN
    /// when <paramref name="computeError"/> is false.
    /// </summary>
    public static double BarnesHut(double[] y, int n, int dim, SparseAffinities p, double exaggeration, double dof, double theta,
        double[] grad, Workspace work, bool computeError)
    {
        double c = 2 * (dof + 1) / dof, exponent = (dof + 1) / 2;
        var tree = work.Tree;
        var positive = work.Positive;
        var negative = work.Negative;
        var rowZ = work.RowZ;
        var rowStart = p.RowStart;
        var cols = p.Columns;
        var vals = p.Values;
        int chunks = Chunks(n);

        // The tree is built on one thread while the attractive forces (which need no tree and no Z) run on the others.
        Parallel.Invoke(
            () => tree.Build(y, n),
            () => Parallel.For(0, chunks, chunk =>
            {
                int start = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks);
                if (dim == 2 && dof == 1.0) Attraction2D(y, rowStart, cols, vals, exaggeration, positive, start, end);
                else Attraction(y, dim, dof, rowStart, cols, vals, exaggeration, positive, start, end);
            }));

        if (dim == 2 && dof == 1.0)
        {
            // Groups of consecutive points in Morton order, fixed whatever the thread count; chunks of whole groups.
            int groups = (n + SpaceTree.GroupSize - 1) / SpaceTree.GroupSize;
            int groupChunks = Math.Min(groups, chunks);
            Parallel.For(0, groupChunks, chunk =>
            {
                int g0 = (int)((long)groups * chunk / groupChunks), g1 = (int)((long)groups * (chunk + 1) / groupChunks);
                for (int g = g0; g < g1; g++)
                {
                    int s = g * SpaceTree.GroupSize;
                    tree.RepulsionGroup2D(y, s, Math.Min(SpaceTree.GroupSize, n - s), theta, negative, rowZ);
                }
            });
        }
        else Parallel.For(0, chunks, chunk =>
        {
            // Points in Morton order: neighbours in the chunk walk nearly the same cells.
            var order = tree.Order;
            int start = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks);
            for (int s = start; s < end; s++)
            {
                int i = order[s];
                rowZ[i] = tree.Repulsion(i, y, theta, dof, negative.AsSpan(i * dim, dim));
            }
        });
        double z = 0;
        for (int i = 0; i < n; i++) z += rowZ[i];
        for (int t = 0; t < n * dim; t++) grad[t] = c * (positive[t] - negative[t] / z);
        if (!computeError) return double.NaN;

        // KL over the stored entries of P (every 50 iterations only).
        var rowKl = work.RowKl;
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks);
            for (int i = start; i < end; i++)
            {
                double kl = 0;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++)
                {
                    double w = dof / (dof + SquaredDistance(y, i, cols[e], dim));
                    double q = (dof == 1.0 ? w : Math.Pow(w, exponent)) / z, pij = exaggeration * vals[e];
                    kl += pij * Math.Log(Math.Max(pij, Float32Tiny) / Math.Max(q, Float32Tiny));
                }
                rowKl[i] = kl;
            }
        });
        double total = 0;
        for (int i = 0; i < n; i++) total += rowKl[i];
        return total;
    }

    /// <summary>Attractive forces sum_j p_ij w_ij (y_i - y_j) of rows [start, end) into <paramref name="positive"/>.</summary>
    private static void Attraction(double[] y, int dim, double dof, int[] rowStart, int[] cols, double[] vals, double exaggeration,
        double[] positive, int start, int end)
    {
        Span<double> f = stackalloc double[dim];
        for (int i = start; i < end; i++)
        {
            f.Clear();
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++)
            {
                int j = cols[e];
                double m = exaggeration * vals[e] * dof / (dof + SquaredDistance(y, i, j, dim));
                for (int d = 0; d < dim; d++) f[d] += m * (y[i * dim + d] - y[j * dim + d]);
            }
            for (int d = 0; d < dim; d++) positive[i * dim + d] = f[d];
        }
    }

    /// <summary><see cref="Attraction"/> written out for 2-D (dof = 1), the common case.</summary>
    private static void Attraction2D(double[] y, int[] rowStart, int[] cols, double[] vals, double exaggeration, double[] positive, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            double y0 = y[2 * i], y1 = y[2 * i + 1], f0 = 0, f1 = 0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
            {
                int j = cols[k];
                double d0 = y0 - y[2 * j], d1 = y1 - y[2 * j + 1];
                double m = exaggeration * vals[k] / (1.0 + d0 * d0 + d1 * d1);
                f0 += m * d0;
                f1 += m * d1;
            }
            positive[2 * i] = f0;
            positive[2 * i + 1] = f1;
        }
    }
}
