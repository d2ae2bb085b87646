namespace DimReduce.Manifold;

/// <summary>
/// UMAP's smooth k-nearest-neighbour distances: per point a local connectivity offset rho_i and a bandwidth sigma_i.
/// </summary>
/// <remarks>
/// McInnes, Healy and Melville (2018), section 3.1 (Definition 8 and eq. 3 of arXiv:1802.03426 v3): rho_i is the distance
/// to the nearest neighbour and sigma_i solves sum_{j=1..k} exp(-max(0, d(x_i, x_ij) - rho_i) / sigma_i) = log2(k).
/// The chapter's equation leaves out the details below; the code follows umap-learn 0.5.3's <c>smooth_knn_dist</c>
/// line for line so that its graphs (and so its embeddings) can be compared with umap-learn's:
/// <list type="bullet">
/// <item>rho_i is the LocalConnectivity-th smallest <em>non-zero</em> distance, interpolated linearly for a fractional
/// LocalConnectivity (zero distances, the point itself and exact duplicates, are skipped); with fewer non-zero
/// distances than that, the largest one.</item>
/// <item>The sum runs over neighbour columns 1..k-1: column 0 is the point itself (umap-learn's kNN lists include it),
/// so the point is not counted as its own neighbour, while the target stays log2(k) times the bandwidth.</item>
/// <item>A bisection on sigma from 1 (doubling while no upper bound is known) for at most 64 steps, stopping when the
/// sum is within 1e-5 of the target.</item>
/// <item>sigma_i is floored at 1e-3 times the mean of the point's distances (or of all distances when rho_i is 0), so
/// that a point whose neighbours are all at nearly the same distance does not get a vanishing bandwidth.</item>
/// <item>Distances, rho and sigma are single precision, as in umap-learn; the bisection itself runs in double.</item>
/// </list>
/// </remarks>
public static class SmoothKnn
{
    /// <summary>umap-learn's <c>SMOOTH_K_TOLERANCE</c>.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>umap-learn's <c>MIN_K_DIST_SCALE</c>.</summary>
    public const double MinKDistScale = 1e-3;

    /// <summary>
    /// sigma_i and rho_i for each row of <paramref name="distances"/> (n x k, each row ascending, column 0 the point itself).
    /// </summary>
    /// <param name="distances">Sorted kNN distances per point.</param>
    /// <param name="k">The neighbour count the target log2(k) is taken for (umap-learn passes n_neighbors).</param>
    /// <param name="localConnectivity">Nearest neighbours assumed connected; 1 by default.</param>
    /// <param name="bandwidth">Scales the target; 1 by default.</param>
    /// <param name="iterations">Bisection steps at most; 64 by default.</param>
    public static (float[] Sigmas, float[] Rhos) Compute(float[,] distances, double k, double localConnectivity = 1.0, double bandwidth = 1.0, int iterations = 64)
    {
        int n = distances.GetLength(0), cols = distances.GetLength(1);
        double target = Math.Log2(k) * bandwidth;
        var rho = new float[n];
        var sigma = new float[n];
        double meanAll = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < cols; j++) meanAll += distances[i, j];
        meanAll /= (double)n * cols;
        // Rows are independent: blocks of them run in parallel, each with its own scratch row.
        Parallel.For(0, (n + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            var nonZero = new float[cols];
            for (int i = block * RowsPerBlock, end = Math.Min(n, i + RowsPerBlock); i < end; i++)
                Row(distances, i, cols, target, localConnectivity, iterations, meanAll, nonZero, rho, sigma);
        });
        return (sigma, rho);
    }

    private const int RowsPerBlock = 1024;

    private static void Row(float[,] distances, int i, int cols, double target, double localConnectivity, int iterations, double meanAll,
        float[] nonZero, float[] rho, float[] sigma)
    {
        double lo = 0.0, hi = double.PositiveInfinity, mid = 1.0;
        int count = 0;
        for (int j = 0; j < cols; j++) if (distances[i, j] > 0f) nonZero[count++] = distances[i, j];
        if (count >= localConnectivity)
        {
            int index = (int)Math.Floor(localConnectivity);
            double interpolation = localConnectivity - index;
            if (index > 0)
            {
                rho[i] = nonZero[index - 1];
                if (interpolation > Tolerance)
                    rho[i] += (float)(interpolation * (nonZero[index] - nonZero[index - 1]));
            }
            else
            {
                rho[i] = (float)(interpolation * nonZero[0]);
            }
        }
        else if (count > 0)
        {
            float max = 0f;
            for (int c = 0; c < count; c++) max = Math.Max(max, nonZero[c]);
            rho[i] = max;
        }

        for (int it = 0; it < iterations; it++)
        {
            double psum = 0.0;
            for (int j = 1; j < cols; j++)
            {
                float d = distances[i, j] - rho[i];
                psum += d > 0 ? Math.Exp(-(d / mid)) : 1.0;
            }
            if (Math.Abs(psum - target) < Tolerance) break;
            if (psum > target)
            {
                hi = mid;
                mid = (lo + hi) / 2.0;
            }
            else
            {
                lo = mid;
                mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2.0;
            }
        }

        sigma[i] = (float)mid;
        if (rho[i] > 0f)
        {
            double meanRow = 0;
            for (int j = 0; j < cols; j++) meanRow += distances[i, j];
            meanRow /= cols;
            if (sigma[i] < MinKDistScale * meanRow) sigma[i] = (float)(MinKDistScale * meanRow);
        }
        else if (sigma[i] < MinKDistScale * meanAll)
        {
            sigma[i] = (float)(MinKDistScale * meanAll);
        }
    }
}
