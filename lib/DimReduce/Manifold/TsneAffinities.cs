using DimReduce.Neighbors;

namespace DimReduce.Manifold;

/// <summary>The input similarities p_ij of t-SNE, row-compressed (both (i, j) and (j, i) stored).</summary>
/// <param name="N">Number of points.</param>
/// <param name="RowStart">Row i's entries are <c>[RowStart[i], RowStart[i + 1])</c>.</param>
/// <param name="Columns">Column (neighbour) of each entry, ascending within a row.</param>
/// <param name="Values">p_ij of each entry; the whole matrix sums to 1.</param>
internal sealed record SparseAffinities(int N, int[] RowStart, int[] Columns, double[] Values);

/// <summary>
/// Step 1 of t-SNE: conditional probabilities p_{j|i} with a Gaussian of precision beta_i = 1 / (2 sigma_i^2) per
/// point, found by binary search so that the entropy matches log(perplexity), then the symmetric joint
/// p_ij = (p_{j|i} + p_{i|j}) / sum (van der Maaten and Hinton 2008, section 2 and equation 1; van der Maaten 2014,
/// section 4.1 for the sparse version over the 3 x perplexity nearest neighbours). Faithful to scikit-learn 1.2.1's
/// <c>_binary_search_perplexity</c>, <c>_joint_probabilities</c> and <c>_joint_probabilities_nn</c>: squared distances
/// rounded to float32, 100 steps at most, tolerance 1e-5 on the entropy.
/// </summary>
internal static class TsneAffinities
{
    private const int Steps = 100;
    private const double EntropyTolerance = 1e-5;
    private const double TinySum = 1e-8;
    internal const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Conditional p_{j|i} over each row of <paramref name="squaredDistances"/> (n rows x k columns, row-major).
    /// With <paramref name="skipDiagonal"/> the rows are full (k = n) and entry (i, i) is left at 0.
    /// Returns the probabilities and the precision beta_i of each row.
    /// </summary>
    public static (double[] P, double[] Betas) Conditional(float[] squaredDistances, int n, int k, double perplexity, bool skipDiagonal)
    {
        var p = new double[n * k];
        var betas = new double[n];
        double desiredEntropy = Math.Log((float)perplexity);
        Parallel.For(0, n, i =>
        {
            var row = p.AsSpan(i * k, k);
            var d = squaredDistances.AsSpan(i * k, k);
            double beta = 1.0, betaMin = double.NegativeInfinity, betaMax = double.PositiveInfinity;
            for (int step = 0; step < Steps; step++)
            {
                double sum = 0;
                for (int j = 0; j < k; j++)
                {
                    if (skipDiagonal && j == i) continue;
                    row[j] = Math.Exp(-d[j] * beta);
                    sum += row[j];
                }
                if (sum == 0.0) sum = TinySum;
                double sumDP = 0;
                for (int j = 0; j < k; j++)
                {
                    row[j] /= sum;
                    sumDP += d[j] * row[j];
                }
                // H(P_i) = log(sum) + beta * E[d]: the entropy in nats (equation 4 of the 2008 paper, natural log).
                double entropy = Math.Log(sum) + beta * sumDP;
                double diff = entropy - desiredEntropy;
                if (Math.Abs(diff) <= EntropyTolerance) break;
                if (diff > 0)
                {
                    betaMin = beta;
                    beta = double.IsPositiveInfinity(betaMax) ? beta * 2.0 : (beta + betaMax) / 2.0;
                }
                else
                {
                    betaMax = beta;
                    beta = double.IsNegativeInfinity(betaMin) ? beta / 2.0 : (beta + betaMin) / 2.0;
                }
            }
            betas[i] = beta;
        });
        return (p, betas);
    }

    /// <summary>
    /// The sparse joint P over the k nearest neighbours (<paramref name="knn"/>:
    /// Euclidean, self excluded): p_{j|i} by <see cref="Conditional"/> on the squared distances, then P + P^T
    /// normalised to sum 1.
    /// </summary>
    public static (SparseAffinities P, double[] Betas) FromNeighbors(NeighborResult knn, double perplexity)
    {
        int n = knn.Queries, k = knn.Neighbors;
        var sq = new float[n * k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
            {
                double dist = knn.Distances[i, j];
                sq[i * k + j] = (float)(dist * dist);
            }
        var (cond, betas) = Conditional(sq, n, k, perplexity, skipDiagonal: false);
        return (Symmetrize(n, k, knn.Indices, cond), betas);
    }

    /// <summary>P + P^T of the conditional k-NN probabilities, normalised to sum 1, rows sorted by column.</summary>
    public static SparseAffinities Symmetrize(int n, int k, int[,] indices, double[] cond)
    {
        // Count entries per row of P + P^T (duplicates merged later).
        var count = new int[n + 1];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
            {
                count[i + 1]++;
                count[indices[i, j] + 1]++;
            }
        for (int i = 0; i < n; i++) count[i + 1] += count[i];
        var fill = (int[])count.Clone();
        var cols = new int[count[n]];
        var vals = new double[count[n]];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
            {
                int c = indices[i, j];
                double v = cond[i * k + j];
                cols[fill[i]] = c; vals[fill[i]++] = v;
                cols[fill[c]] = i; vals[fill[c]++] = v;
            }
        // Sort each row by column and merge (i, j) with (j, i).
        var rowStart = new int[n + 1];
        int write = 0;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            int s = count[i], e = count[i + 1];
            Array.Sort(cols, vals, s, e - s);
            rowStart[i] = write;
            for (int t = s; t < e; t++)
            {
                if (write > rowStart[i] && cols[write - 1] == cols[t]) vals[write - 1] += vals[t];
                else { cols[write] = cols[t]; vals[write] = vals[t]; write++; }
            }
        }
        rowStart[n] = write;
        for (int t = 0; t < write; t++) total += vals[t];
        total = Math.Max(total, MachineEpsilon);
        var outCols = cols.AsSpan(0, write).ToArray();
        var outVals = new double[write];
        for (int t = 0; t < write; t++) outVals[t] = vals[t] / total;
        return new SparseAffinities(n, rowStart, outCols, outVals);
    }

    /// <summary>
    /// The dense joint P over all pairs (exact t-SNE): squared Euclidean distances, <see cref="Conditional"/> over
    /// the whole row, P + P^T normalised to sum 1 and floored at machine epsilon off the diagonal (the diagonal is 0).
    /// </summary>
    public static (double[] P, double[] Betas) Exact(DataMatrix x, double perplexity)
    {
        int n = x.Rows;
        var sq = new float[n * n];
        Parallel.For(0, n, i =>
        {
            var a = x.Row(i);
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double d2 = 0;
                var b = x.Row(j);
                for (int c = 0; c < a.Length; c++) { double t = a[c] - b[c]; d2 += t * t; }
                sq[i * n + j] = (float)d2;
            }
        });
        var (cond, betas) = Conditional(sq, n, n, perplexity, skipDiagonal: true);
        var p = new double[n * n];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double v = cond[i * n + j] + cond[j * n + i];
                p[i * n + j] = v;
                total += v;
            }
        total = Math.Max(total, MachineEpsilon);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) p[i * n + j] = Math.Max(p[i * n + j] / total, MachineEpsilon);
        return (p, betas);
    }
}
