using System.Globalization;
using DimReduce.Classification;
using DimReduce.Neighbors;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce;

/// <summary>
/// Scores for clusterings and embeddings: silhouette, Davies-Bouldin, inertia, adjusted Rand index,
/// normalised mutual information, trustworthiness and continuity, k-nearest-neighbour accuracy, and
/// reconstruction errors. Each follows scikit-learn's definition (named in its remarks) and validates
/// its input before any work. Pairwise work runs in blocks, so memory stays bounded for large data.
/// </summary>
/// <example>
/// <code>
/// double s = Metrics.Silhouette(x, kmeans.Labels);
/// double t = Metrics.Trustworthiness(x, embedding, neighbors: 5);
/// </code>
/// </example>
public static class Metrics
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ silhouette

    /// <summary>The mean silhouette coefficient over all samples, in [-1, 1]; higher is better separated.</summary>
    /// <param name="x">The data (n x d, finite), Euclidean distance.</param>
    /// <param name="labels">One cluster label per row; between 2 and n - 1 distinct labels.</param>
    /// <remarks>See <see cref="SilhouetteSamples"/> for the definition and noise labels.</remarks>
    public static double Silhouette(DataMatrix x, IReadOnlyList<int> labels)
    {
        var s = SilhouetteSamples(x, labels);
        double sum = 0;
        foreach (double v in s) sum += v;
        return sum / s.Length;
    }

    /// <summary>The silhouette coefficient of each sample.</summary>
    /// <param name="x">The data (n x d, finite), Euclidean distance.</param>
    /// <param name="labels">One cluster label per row; between 2 and n - 1 distinct labels.</param>
    /// <remarks>
    /// Rousseeuw (1987), "Silhouettes: a graphical aid to the interpretation and validation of cluster
    /// analysis": s(i) = (b(i) - a(i)) / max(a(i), b(i)), where a(i) is the mean distance from i to the
    /// other members of its cluster and b(i) the smallest mean distance from i to the members of another
    /// cluster. A sample alone in its cluster gets 0, as in scikit-learn's <c>silhouette_samples</c>.
    /// Every label value, including DBSCAN's noise label -1, counts as an ordinary cluster (as in
    /// scikit-learn); to score only the clustered points, select the rows whose label is not -1 first.
    /// The distances are computed exactly and summed per cluster on the fly by a SIMD kernel (rows
    /// grouped by cluster, distances never stored), so extra memory is O(n d), never n x n.
    /// Worked example: points 0, 1 (cluster A) and 4 (cluster B) on a line. For the point at 0,
    /// a = 1 and b = 4, so s = (4 - 1) / 4 = 0.75; for 1, a = 1, b = 3, s = 2/3; the point at 4 is alone, s = 0.
    /// </remarks>
    public static double[] SilhouetteSamples(DataMatrix x, IReadOnlyList<int> labels)
    {
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        var codes = LabelCodes.From(labels);
        CheckLabelCount(codes.Count, x.Rows, nameof(labels));
        int n = x.Rows, k = codes.Count;
        var sums = ClusterDistanceSums.Compute(x, codes);
        var s = new double[n];
        for (int i = 0; i < n; i++)
        {
            int own = codes.Codes[i];
            if (codes.Counts[own] == 1) { s[i] = 0; continue; }
            double a = sums[i * k + own] / (codes.Counts[own] - 1);
            double b = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
                if (c != own) b = Math.Min(b, sums[i * k + c] / codes.Counts[c]);
            double den = Math.Max(a, b);
            s[i] = den > 0 ? (b - a) / den : 0;
        }
        return s;
    }

    private static void CheckLabelCount(int count, int rows, string paramName)
    {
        if (count < 2 || count > rows - 1)
            throw new ArgumentException(
                $"{paramName} has {count} distinct label(s) for {rows} samples. The score needs between 2 and n_samples - 1 = {rows - 1} distinct labels (inclusive): pass a clustering with at least two clusters that does not give every sample its own label.",
                paramName);
    }

    // ------------------------------------------------------------------ inertia, Davies-Bouldin

    /// <summary>
    /// The within-cluster sum of squared distances: sum_i ||x_i - c_{label(i)}||^2, the quantity k-means minimises.
    /// </summary>
    /// <param name="x">The data (n x d, finite).</param>
    /// <param name="labels">One label per row. With <paramref name="centroids"/>, each label is a row index into it.</param>
    /// <param name="centroids">The cluster centres (k x d), or null to use the mean of each label's rows.</param>
    public static double Inertia(DataMatrix x, IReadOnlyList<int> labels, DataMatrix? centroids = null)
    {
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        int d = x.Columns;
        int[] rowOf;
        DataMatrix c;
        if (centroids is null)
        {
            var codes = LabelCodes.From(labels);
            c = Means(x, codes);
            rowOf = codes.Codes;
        }
        else
        {
            if (centroids.Columns != d)
                throw new ArgumentException(
                    $"centroids has {centroids.Columns} features, but x has {d}. Pass one centre per cluster with the same {d} columns as x.",
                    nameof(centroids));
            Check.Data(centroids, nameof(centroids));
            for (int i = 0; i < labels.Count; i++)
                if ((uint)labels[i] >= (uint)centroids.Rows)
                    throw new ArgumentException(
                        $"labels[{i}] is {labels[i]}, but centroids has {centroids.Rows} rows. With centroids, each label must be a row index from 0 to {centroids.Rows - 1}.",
                        nameof(labels));
            c = centroids;
            rowOf = labels.ToArray();
        }
        double sum = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var r = x.Row(i);
            var m = c.Row(rowOf[i]);
            for (int j = 0; j < d; j++) { double diff = r[j] - m[j]; sum += diff * diff; }
        }
        return sum;
    }

    private static DataMatrix Means(DataMatrix x, LabelCodes codes)
    {
        var means = new DataMatrix(codes.Count, x.Columns);
        for (int i = 0; i < x.Rows; i++)
        {
            var r = x.Row(i);
            var m = means.Row(codes.Codes[i]);
            for (int j = 0; j < r.Length; j++) m[j] += r[j];
        }
        for (int c = 0; c < codes.Count; c++)
        {
            var m = means.Row(c);
            for (int j = 0; j < m.Length; j++) m[j] /= codes.Counts[c];
        }
        return means;
    }

    /// <summary>The Davies-Bouldin index: lower means more compact, better separated clusters (0 is the minimum).</summary>
    /// <param name="x">The data (n x d, finite).</param>
    /// <param name="labels">One label per row; between 2 and n - 1 distinct labels.</param>
    /// <remarks>
    /// Davies and Bouldin (1979), "A cluster separation measure": with s_i the mean distance of cluster i's
    /// members to its centroid and d_ij the distance between centroids, DB = mean_i max_{j != i} (s_i + s_j) / d_ij,
    /// as scikit-learn's <c>davies_bouldin_score</c> (which returns 0 when all s_i or all d_ij are near 0).
    /// </remarks>
    public static double DaviesBouldin(DataMatrix x, IReadOnlyList<int> labels)
    {
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        var codes = LabelCodes.From(labels);
        CheckLabelCount(codes.Count, x.Rows, nameof(labels));
        int k = codes.Count;
        var centroids = Means(x, codes);
        var intra = new double[k];
        for (int i = 0; i < x.Rows; i++)
            intra[codes.Codes[i]] += DistanceBlocks.Exact(x.Row(i), centroids.Row(codes.Codes[i]), NeighborMetric.Euclidean);
        for (int c = 0; c < k; c++) intra[c] /= codes.Counts[c];
        var between = new double[k, k];
        bool allBetweenZero = true;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                between[a, b] = a == b ? 0 : DistanceBlocks.Exact(centroids.Row(a), centroids.Row(b), NeighborMetric.Euclidean);
                if (Math.Abs(between[a, b]) > 1e-8) allBetweenZero = false;
            }
        if (intra.All(v => Math.Abs(v) <= 1e-8) || allBetweenZero) return 0.0;
        double total = 0;
        for (int a = 0; a < k; a++)
        {
            double worst = double.NegativeInfinity;
            for (int b = 0; b < k; b++)
            {
                double dist = between[a, b] == 0 ? double.PositiveInfinity : between[a, b];
                worst = Math.Max(worst, (intra[a] + intra[b]) / dist);
            }
            total += worst;
        }
        return total / k;
    }

    // ------------------------------------------------------------------ label agreement

    /// <summary>The adjusted Rand index between two labellings: 1 for identical partitions, about 0 for chance agreement.</summary>
    /// <param name="truth">The reference labels.</param>
    /// <param name="predicted">The labels to score; same length. Label values need not match, only the grouping.</param>
    /// <remarks>
    /// Hubert and Arabie (1985), "Comparing partitions": ARI = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))
    /// over pairs of samples, as scikit-learn's <c>adjusted_rand_score</c>; 1 when no pair disagrees.
    /// </remarks>
    public static double AdjustedRandIndex(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var (t, p) = CheckPair(truth, predicted);
        var table = Contingency(t, p);
        long n = truth.Count;
        Int128 sumSquares = 0, rowsDot = 0, colsDot = 0;
        foreach (var ((a, b), count) in table)
        {
            sumSquares += (Int128)count * count;
            rowsDot += (Int128)count * p.Counts[b];
            colsDot += (Int128)count * t.Counts[a];
        }
        Int128 tp = sumSquares - n;
        Int128 fp = rowsDot - sumSquares;
        Int128 fn = colsDot - sumSquares;
        Int128 tn = (Int128)n * n - fp - fn - sumSquares;
        if (fn == 0 && fp == 0) return 1.0;
        double num = 2.0 * (double)(tp * tn - fn * fp);
        double den = (double)((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
        return num / den;
    }

    /// <summary>Normalised mutual information between two labellings, in [0, 1] (arithmetic-mean normalisation).</summary>
    /// <param name="truth">The reference labels.</param>
    /// <param name="predicted">The labels to score; same length.</param>
    /// <remarks>
    /// NMI = I(T; P) / ((H(T) + H(P)) / 2) with natural logarithms, as scikit-learn's
    /// <c>normalized_mutual_info_score</c> with <c>average_method="arithmetic"</c> (Vinh, Epps and Bailey 2010);
    /// 1 when both labellings have a single cluster, 0 when the mutual information is 0.
    /// </remarks>
    public static double NormalizedMutualInformation(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var (t, p) = CheckPair(truth, predicted);
        if (t.Count == 1 && p.Count == 1) return 1.0;
        double mi = MutualInformation(t, p, truth.Count);
        if (mi == 0) return 0.0;
        double ht = Entropy(t.Counts), hp = Entropy(p.Counts);
        return mi / ((ht + hp) / 2);
    }

    private static double MutualInformation(LabelCodes t, LabelCodes p, int n)
    {
        if (t.Count == 1 || p.Count == 1) return 0.0;
        var table = Contingency(t, p);
        double logN = Math.Log(n);
        double sum = 0;
        // Visit the cells in row-major order, as scipy's sparse find does.
        foreach (var ((a, b), count) in table.OrderBy(e => e.Key.Item1).ThenBy(e => e.Key.Item2))
        {
            double pij = count / (double)n;
            double logOuter = -Math.Log((double)((long)t.Counts[a] * p.Counts[b])) + logN + logN;
            double term = pij * (Math.Log(count) - logN) + pij * logOuter;
            if (Math.Abs(term) >= MachineEpsilon) sum += term; // numpy's eps: tiny terms count as 0
        }
        return Math.Max(sum, 0.0);
    }

    private static double Entropy(int[] counts)
    {
        var nonzero = counts.Where(c => c > 0).ToArray();
        if (nonzero.Length == 1) return 0.0;
        double total = nonzero.Sum(c => (double)c);
        double h = 0;
        foreach (int c in nonzero) h -= c / total * (Math.Log(c) - Math.Log(total));
        return h;
    }

    private static Dictionary<(int, int), long> Contingency(LabelCodes t, LabelCodes p)
    {
        var table = new Dictionary<(int, int), long>();
        for (int i = 0; i < t.Codes.Length; i++)
        {
            var key = (t.Codes[i], p.Codes[i]);
            table[key] = table.GetValueOrDefault(key) + 1;
        }
        return table;
    }

    private static (LabelCodes, LabelCodes) CheckPair(IReadOnlyList<int>? truth, IReadOnlyList<int>? predicted)
    {
        if (truth is null) throw new ArgumentNullException(nameof(truth), "truth is null. Pass one reference label per sample.");
        if (predicted is null) throw new ArgumentNullException(nameof(predicted), "predicted is null. Pass one predicted label per sample.");
        if (truth.Count == 0)
            throw new ArgumentException("truth is empty. Pass at least one label in each labelling.", nameof(truth));
        if (predicted.Count != truth.Count)
            throw new ArgumentException(
                $"predicted has {predicted.Count} labels, but truth has {truth.Count}. Pass one predicted label for each reference label, in the same order.",
                nameof(predicted));
        return (LabelCodes.From(truth), LabelCodes.From(predicted));
    }

    // ------------------------------------------------------------------ neighbourhood preservation

    /// <summary>
    /// Trustworthiness of an embedding, in [0, 1]: how far the embedding's neighbours of each point are
    /// from being its neighbours in the original space (1: every embedding neighbour is an original neighbour).
    /// </summary>
    /// <param name="x">The original data (n x d, finite), Euclidean distance.</param>
    /// <param name="embedding">The embedded rows (n x e, finite), Euclidean distance.</param>
    /// <param name="neighbors">k, the neighbourhood size: 1 to below n / 2. Default 5.</param>
    /// <remarks>
    /// Venna and Kaski (2001), "Neighborhood preservation in nonlinear projection methods": with U_k(i) the
    /// k nearest neighbours of i in the embedding that are not among its k nearest in the original space and
    /// r(i, j) the rank of j among i's neighbours in the original space,
    /// T(k) = 1 - 2 / (n k (2n - 3k - 1)) sum_i sum_{j in U_k(i)} (r(i, j) - k),
    /// exactly as <c>sklearn.manifold.trustworthiness</c>. Ranks are computed one block of rows at a time
    /// (memory b x n); equal original distances are ranked by index (scikit-learn's order there is numpy's
    /// unstable sort, so only data with exact ties, such as raw integer pixels, can differ from it).
    /// </remarks>
    public static double Trustworthiness(DataMatrix x, DataMatrix embedding, int neighbors = 5)
    {
        CheckEmbeddingPair(x, embedding, neighbors);
        return RankScore(rankSpace: x, neighborSpace: embedding, neighbors);
    }

    /// <summary>
    /// Continuity of an embedding, in [0, 1]: the mirror of <see cref="Trustworthiness"/>, penalising
    /// original-space neighbours that the embedding pushes away.
    /// </summary>
    /// <param name="x">The original data (n x d, finite).</param>
    /// <param name="embedding">The embedded rows (n x e, finite).</param>
    /// <param name="neighbors">k: 1 to below n / 2. Default 5.</param>
    /// <remarks>
    /// Venna and Kaski (2001): C(k) = 1 - 2 / (n k (2n - 3k - 1)) sum_i sum_{j in V_k(i)} (r'(i, j) - k), with V_k(i)
    /// the original-space k nearest neighbours of i that are not among its embedding neighbours and r' ranks
    /// in the embedding. Equal to scikit-learn's <c>trustworthiness(embedding, x, k)</c>.
    /// </remarks>
    public static double Continuity(DataMatrix x, DataMatrix embedding, int neighbors = 5)
    {
        CheckEmbeddingPair(x, embedding, neighbors);
        return RankScore(rankSpace: embedding, neighborSpace: x, neighbors);
    }

    private static void CheckEmbeddingPair(DataMatrix x, DataMatrix embedding, int neighbors)
    {
        Check.Data(x, nameof(x));
        Check.Data(embedding, nameof(embedding));
        if (embedding.Rows != x.Rows)
            throw new ArgumentException(
                $"embedding has {embedding.Rows} rows, but x has {x.Rows}. Pass one embedded row per row of x, in the same order.",
                nameof(embedding));
        if (neighbors < 1 || neighbors >= x.Rows / 2.0)
            throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors,
                $"neighbors is {neighbors}, but it must be at least 1 and less than n_samples / 2 = {F(x.Rows / 2.0)}. Lower neighbors or pass more rows.");
    }

    private static double RankScore(DataMatrix rankSpace, DataMatrix neighborSpace, int k)
    {
        int n = rankSpace.Rows;
        var knn = NearestNeighbors.Search(neighborSpace, neighborSpace, k, self: true, NeighborMetric.Euclidean).Indices;
        TorchRuntime.EnsureLoaded();
        using var xt = DistanceBlocks.ToTensor(rankSpace);
        using var xtT = xt.t().contiguous();
        using var norms = xt.pow(2).sum(1);
        int block = DistanceBlocks.BlockRows(n, n);
        var penalty = new long[n];
        var rowBuffer = new double[(long)block * n];
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            using (var scope = NewDisposeScope())
            {
                var q = xt.narrow(0, start, count);
                var d = torch.addmm(norms.unsqueeze(0), q, xtT, beta: 1.0f, alpha: -2.0f);
                d.add_(norms.narrow(0, start, count).unsqueeze(1));
                d.clamp_min_(0.0).sqrt_();
                d.diagonal(start).fill_(double.PositiveInfinity);
                d.data<double>().CopyTo(rowBuffer.AsSpan(0, count * n));
            }
            int s0 = start;
            Parallel.For(0, count, r =>
            {
                var row = new ReadOnlySpan<double>(rowBuffer, r * n, n);
                long p = 0;
                for (int c = 0; c < k; c++)
                {
                    int j = knn[s0 + r, c];
                    double dj = row[j];
                    // rank = 1 + #{closer} + #{equally close with a lower index}
                    long rank = 1;
                    for (int l = 0; l < n; l++)
                    {
                        double v = row[l];
                        if (v < dj || (v == dj && l < j)) rank++;
                    }
                    if (rank > k) p += rank - k;
                }
                penalty[s0 + r] = p;
            });
        }
        long t = 0;
        foreach (long v in penalty) t += v;
        return 1.0 - t * (2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0)));
    }

    // ------------------------------------------------------------------ k-nearest-neighbour accuracy

    /// <summary>
    /// Accuracy of a k-nearest-neighbour classifier (uniform votes, ties to the lowest label) trained on
    /// <paramref name="trainX"/> and scored on <paramref name="testX"/>: how well an embedding keeps classes apart.
    /// </summary>
    /// <param name="trainX">Training rows (finite).</param>
    /// <param name="trainY">One label per training row.</param>
    /// <param name="testX">Test rows, same feature count.</param>
    /// <param name="testY">One label per test row.</param>
    /// <param name="neighbors">k: 1 to the number of training rows. Default 5.</param>
    public static double KnnAccuracy(DataMatrix trainX, IReadOnlyList<int> trainY, DataMatrix testX, IReadOnlyList<int> testY, int neighbors = 5)
    {
        Check.Data(testX, nameof(testX));
        Check.Labels(testY, testX.Rows, nameof(testY), nameof(testX));
        var model = new KNeighborsClassifier { Neighbors = neighbors };
        model.Fit(trainX, trainY);
        return model.Score(testX, testY);
    }

    /// <summary>
    /// Leave-one-out k-nearest-neighbour accuracy: each row is classified by the majority label of its k
    /// nearest other rows (uniform votes, ties to the lowest label), and the fraction classified correctly is returned.
    /// </summary>
    /// <param name="x">The rows (n x d, finite), Euclidean distance.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="neighbors">k: 1 to n - 1. Default 5.</param>
    /// <remarks>Leave-one-out rather than k-fold: it is deterministic and needs no seed.</remarks>
    public static double KnnAccuracy(DataMatrix x, IReadOnlyList<int> labels, int neighbors = 5)
    {
        Check.Data(x, nameof(x), minRows: 2);
        Check.Labels(labels, x.Rows, nameof(labels));
        if (neighbors < 1 || neighbors > x.Rows - 1)
            throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors,
                $"neighbors is {neighbors}, but x has {x.Rows} rows, so each row has {x.Rows - 1} others. neighbors must be between 1 and {x.Rows - 1}: lower neighbors or pass more rows.");
        var codes = LabelCodes.From(labels);
        var knn = NearestNeighbors.Search(x, x, neighbors, self: true, NeighborMetric.Euclidean).Indices;
        int correct = 0;
        var votes = new int[codes.Count];
        for (int i = 0; i < x.Rows; i++)
        {
            Array.Clear(votes);
            for (int c = 0; c < neighbors; c++) votes[codes.Codes[knn[i, c]]]++;
            int best = 0;
            for (int c = 1; c < votes.Length; c++) if (votes[c] > votes[best]) best = c;
            if (best == codes.Codes[i]) correct++;
        }
        return correct / (double)x.Rows;
    }

    // ------------------------------------------------------------------ reconstruction

    /// <summary>Mean squared reconstruction error over all entries: mean_ij (x_ij - r_ij)^2.</summary>
    /// <param name="x">The original data (finite).</param>
    /// <param name="reconstruction">Its reconstruction, same shape.</param>
    public static double ReconstructionMse(DataMatrix x, DataMatrix reconstruction)
    {
        CheckSameShape(x, reconstruction, minRows: 1);
        double sum = 0;
        var a = x.AsSpan();
        var b = reconstruction.AsSpan();
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; sum += d * d; }
        return sum / a.Length;
    }

    /// <summary>
    /// Explained variance score, averaged uniformly over columns: 1 - Var(x - r) / Var(x) per column
    /// (1 is a perfect reconstruction), as scikit-learn's <c>explained_variance_score</c>.
    /// </summary>
    /// <param name="x">The original data (at least 2 rows, finite).</param>
    /// <param name="reconstruction">Its reconstruction, same shape.</param>
    /// <remarks>A constant column scores 1 when reconstructed without error and 0 otherwise, as scikit-learn with force_finite.</remarks>
    public static double ExplainedVariance(DataMatrix x, DataMatrix reconstruction) =>
        ColumnScores(x, reconstruction, centreResidual: true);

    /// <summary>
    /// The coefficient of determination R^2, averaged uniformly over columns: 1 - SS_res / SS_tot per column,
    /// as scikit-learn's <c>r2_score</c>. Unlike <see cref="ExplainedVariance"/> it also penalises a bias.
    /// </summary>
    /// <param name="x">The original data (at least 2 rows, finite).</param>
    /// <param name="reconstruction">Its reconstruction, same shape.</param>
    public static double RSquared(DataMatrix x, DataMatrix reconstruction) =>
        ColumnScores(x, reconstruction, centreResidual: false);

    private static double ColumnScores(DataMatrix x, DataMatrix r, bool centreResidual)
    {
        CheckSameShape(x, r, minRows: 2);
        int n = x.Rows, d = x.Columns;
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double meanX = 0, meanRes = 0;
            for (int i = 0; i < n; i++) { meanX += x[i, j]; meanRes += x[i, j] - r[i, j]; }
            meanX /= n;
            meanRes = centreResidual ? meanRes / n : 0;
            double num = 0, den = 0;
            for (int i = 0; i < n; i++)
            {
                double e = x[i, j] - r[i, j] - meanRes;
                double c = x[i, j] - meanX;
                num += e * e;
                den += c * c;
            }
            total += den != 0 ? (num != 0 ? 1 - num / den : 1.0) : (num != 0 ? 0.0 : 1.0);
        }
        return total / d;
    }

    private static void CheckSameShape(DataMatrix x, DataMatrix reconstruction, int minRows)
    {
        Check.Data(x, nameof(x), minRows);
        if (reconstruction is null) throw new ArgumentNullException(nameof(reconstruction), "reconstruction is null. Pass the reconstructed rows, same shape as x.");
        if (reconstruction.Shape != x.Shape)
            throw new ArgumentException(
                $"reconstruction is {reconstruction.Rows} x {reconstruction.Columns}, but x is {x.Rows} x {x.Columns}. Pass the reconstruction of exactly these rows (for example pca.InverseTransform(pca.Transform(x))).",
                nameof(reconstruction));
        Check.Finite(reconstruction, nameof(reconstruction));
    }
}
