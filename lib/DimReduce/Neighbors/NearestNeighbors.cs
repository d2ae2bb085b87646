using static TorchSharp.torch;

namespace DimReduce.Neighbors;

/// <summary>
/// Exact nearest-neighbour searches by brute force: every query is compared with every data row, one
/// block of queries at a time, so memory stays bounded (about 32 MB of distances per block) however
/// many rows there are. Used by k-nearest-neighbour classification, DBSCAN, trustworthiness and the
/// neighbour-based metrics.
/// </summary>
/// <remarks>
/// Each block of distances comes from one matrix product on libtorch in float64
/// (||a||^2 + ||b||^2 - 2 a.b for Euclidean, as scikit-learn computes it), followed by libtorch's
/// <c>topk</c>. The candidates it returns are then re-measured exactly in C# and sorted by
/// (distance, index); when rounding could have hidden a tie at the k-th place, that row is searched
/// again exactly over all data rows. The result is therefore exact, with ties broken by the lower
/// index. The block product runs on libtorch at matrix-multiply speed; a per-pair TensorPrimitives loop
/// was not benchmarked against it (the silhouette, which needs every distance but no ordering, uses a
/// fused SIMD kernel instead).
/// </remarks>
/// <example>
/// <code>
/// var knn = NearestNeighbors.Exact(digits.Features, k: 5);
/// int nearest = knn.Indices[0, 0];   // closest other row to row 0
/// </code>
/// </example>
public static class NearestNeighbors
{
    /// <summary>
    /// The <paramref name="k"/> nearest rows of <paramref name="data"/> to each row of
    /// <paramref name="queries"/>; when <paramref name="queries"/> is null, to each row of
    /// <paramref name="data"/> itself, excluding that row.
    /// </summary>
    /// <param name="data">The rows searched (n x d, finite).</param>
    /// <param name="k">Neighbours per query, 1 to n (n - 1 when <paramref name="queries"/> is null).</param>
    /// <param name="queries">Query rows (m x d), or null to query the data against itself.</param>
    /// <param name="metric">The distance; Euclidean by default.</param>
    /// <param name="minkowskiP">The exponent p of <see cref="NeighborMetric.Minkowski"/>, greater than 0 (default 2); ignored by the other metrics.</param>
    public static NeighborResult Exact(DataMatrix data, int k, DataMatrix? queries = null, NeighborMetric metric = NeighborMetric.Euclidean, double minkowskiP = 2.0)
    {
        CheckMetric(metric, minkowskiP);
        Check.Data(data, nameof(data));
        bool self = queries is null;
        int available = self ? data.Rows - 1 : data.Rows;
        if (k < 1 || k > available)
            throw new ArgumentOutOfRangeException(nameof(k), k,
                self
                    ? $"k is {k}, but data has {data.Rows} rows, so each row has {available} other rows. k must be between 1 and {available}: lower k or pass more rows."
                    : $"k is {k}, but data has {data.Rows} rows. k must be between 1 and {data.Rows}: lower k or pass more rows.");
        if (!self) CheckQueries(queries!, data);
        var q = queries ?? data;
        return Search(data, q, k, self, metric, minkowskiP);
    }

    /// <summary>
    /// The <paramref name="k"/> nearest other rows of each row of <paramref name="data"/>, approximately: random
    /// projection trees and NN-descent (<see cref="NnDescent"/> with its defaults). Much faster than
    /// <see cref="Exact"/> on large data (tens of thousands of rows), with a recall of about 0.95 or more; each row is
    /// ordered by (distance, index) and its distances are exact. The same <paramref name="seed"/> gives the same result.
    /// </summary>
    /// <param name="data">The rows (n x d, finite).</param>
    /// <param name="k">Neighbours per row, not counting the row itself: 1 to n - 1.</param>
    /// <param name="metric">The distance; Euclidean by default.</param>
    /// <param name="seed">Seed of the trees and the sampling; null draws one.</param>
    /// <param name="minkowskiP">The exponent p of <see cref="NeighborMetric.Minkowski"/>, greater than 0 (default 2).</param>
    public static NeighborResult Approximate(DataMatrix data, int k, NeighborMetric metric = NeighborMetric.Euclidean, int? seed = null, double minkowskiP = 2.0)
    {
        CheckMetric(metric, minkowskiP);
        Check.Data(data, nameof(data), minRows: 2);
        if (k < 1 || k >= data.Rows)
            throw new ArgumentOutOfRangeException(nameof(k), k,
                $"k is {k}, but data has {data.Rows} rows, so each row has {data.Rows - 1} other rows. k must be between 1 and {data.Rows - 1}: lower k or pass more rows.");
        return new NnDescent { Neighbors = k, Metric = metric, MinkowskiP = minkowskiP, Seed = seed }.Fit(data).Graph;
    }

    /// <summary>
    /// For each query row, the indices (ascending) of all rows of <paramref name="data"/> within
    /// distance <paramref name="radius"/> (inclusive). When <paramref name="queries"/> is null the data
    /// is queried against itself and each row's own index is left out.
    /// </summary>
    /// <param name="data">The rows searched (n x d, finite).</param>
    /// <param name="radius">The largest distance counted as a neighbour; finite and 0 or more.</param>
    /// <param name="queries">Query rows, or null to query the data against itself.</param>
    /// <param name="metric">The distance; Euclidean by default.</param>
    /// <param name="minkowskiP">The exponent p of <see cref="NeighborMetric.Minkowski"/>, greater than 0 (default 2); ignored by the other metrics.</param>
    /// <remarks>Blocked as <see cref="Exact"/>: candidates from the libtorch block, confirmed by an exact distance.</remarks>
    public static int[][] Radius(DataMatrix data, double radius, DataMatrix? queries = null, NeighborMetric metric = NeighborMetric.Euclidean, double minkowskiP = 2.0)
    {
        CheckMetric(metric, minkowskiP);
        Check.Data(data, nameof(data));
        if (!(radius >= 0) || !double.IsFinite(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius,
                $"radius is {radius.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but it must be a finite number of 0 or more. Pass the largest distance that counts as a neighbour.");
        bool self = queries is null;
        if (!self) CheckQueries(queries!, data);
        var q = queries ?? data;
        var result = new int[q.Rows][];
        using var reference = new DistanceBlocks.Reference(data, metric, minkowskiP);
        double threshold = DistanceBlocks.Comparable(radius, metric);
        int block = DistanceBlocks.BlockRows(data.Rows, q.Rows);
        for (int start = 0; start < q.Rows; start += block)
        {
            int count = Math.Min(block, q.Rows - start);
            using var scope = NewDisposeScope();
            var qt = reference.Prepare(q, start, count);
            var d = reference.Block(qt);
            // Generous candidate mask; every candidate is confirmed exactly below.
            double slack = DistanceBlocks.RoundingBound(MaxScale(q, start, count, metric, minkowskiP), reference.Scale, data.Columns);
            var pairs = d.le(threshold + slack).nonzero();
            long[] flat = pairs.data<long>().ToArray();
            var lists = new List<int>[count];
            for (int r = 0; r < count; r++) lists[r] = new List<int>();
            for (int p = 0; p < flat.Length; p += 2)
            {
                int r = (int)flat[p], j = (int)flat[p + 1], i = start + r;
                if (self && j == i) continue;
                if (DistanceBlocks.Exact(q.Row(i), data.Row(j), metric, minkowskiP) <= radius) lists[r].Add(j);
            }
            for (int r = 0; r < count; r++) result[start + r] = lists[r].ToArray(); // nonzero is row-major, so ascending
        }
        return result;
    }

    internal static NeighborResult Search(DataMatrix data, DataMatrix q, int k, bool self, NeighborMetric metric, double p = 2.0)
    {
        int n = data.Rows, m = q.Rows;
        var indices = new int[m, k];
        var distances = new double[m, k];
        int take = Math.Min(n, k + (self ? 1 : 0) + Math.Max(8, k / 2));
        using var reference = new DistanceBlocks.Reference(data, metric, p);
        int block = DistanceBlocks.BlockRows(n, m);
        for (int start = 0; start < m; start += block)
        {
            int count = Math.Min(block, m - start);
            long[] cand;
            double[] approx;
            using (var scope = NewDisposeScope())
            {
                var qt = reference.Prepare(q, start, count);
                var d = reference.Block(qt);
                if (self) d.diagonal(start).fill_(double.PositiveInfinity);
                var (values, idx) = d.topk(take, dim: 1, largest: false, sorted: true);
                cand = idx.data<long>().ToArray();
                approx = values.data<double>().ToArray();
            }
            Parallel.For(0, count, r =>
            {
                int i = start + r;
                var row = q.Row(i);
                var list = new List<(double D, int J)>(take);
                for (int c = 0; c < take; c++)
                {
                    int j = (int)cand[r * take + c];
                    if (self && j == i) continue;
                    list.Add((DistanceBlocks.Exact(row, data.Row(j), metric, p), j));
                }
                list.Sort();
                bool complete = take >= n;
                if (!complete)
                {
                    // Rows outside the candidate list are at least approx[last] - bound away in comparable form;
                    // they cannot beat (or tie) the k-th candidate unless that gap is within rounding.
                    double bound = DistanceBlocks.RoundingBound(DistanceBlocks.ScaleOf(row, metric, p), reference.Scale, data.Columns);
                    double kth = DistanceBlocks.Comparable(list[k - 1].D, metric);
                    if (approx[r * take + take - 1] - bound <= kth + bound)
                    {
                        list.Clear();
                        for (int j = 0; j < n; j++)
                            if (!(self && j == i)) list.Add((DistanceBlocks.Exact(row, data.Row(j), metric, p), j));
                        list.Sort();
                    }
                }
                for (int c = 0; c < k; c++)
                {
                    indices[i, c] = list[c].J;
                    distances[i, c] = list[c].D;
                }
            });
        }
        return new NeighborResult(indices, distances);
    }

    private static double MaxScale(DataMatrix q, int start, int count, NeighborMetric metric, double p)
    {
        double max = 0;
        for (int i = start; i < start + count; i++) max = Math.Max(max, DistanceBlocks.ScaleOf(q.Row(i), metric, p));
        return max;
    }

    /// <summary>The metric is a defined value and, for Minkowski, p is finite and positive.</summary>
    internal static void CheckMetric(NeighborMetric metric, double minkowskiP, string metricName = "metric", string pName = "minkowskiP")
    {
        if (!Enum.IsDefined(metric))
            throw new ArgumentOutOfRangeException(metricName, metric, $"{metricName} is {(int)metric}, which is not a NeighborMetric. Use Euclidean, Cosine, Manhattan, Chebyshev, Minkowski or Correlation.");
        if (metric == NeighborMetric.Minkowski && !(minkowskiP > 0 && double.IsFinite(minkowskiP)))
            throw new ArgumentOutOfRangeException(pName, minkowskiP,
                $"{pName} is {minkowskiP.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but the Minkowski exponent must be a finite number greater than 0. Use 2 for Euclidean, 1 for Manhattan, or Chebyshev for the limit p = infinity.");
    }

    private static void CheckQueries(DataMatrix queries, DataMatrix data)
    {
        if (queries.Columns != data.Columns)
            throw new ArgumentException(
                $"queries has {queries.Columns} features, but data has {data.Columns}. Pass query rows with the same {data.Columns} columns, in the same order, as data.",
                nameof(queries));
        Check.Data(queries, nameof(queries));
    }
}
