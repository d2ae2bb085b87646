using System.Globalization;

namespace DimReduce.Neighbors;

/// <summary>
/// Approximate k-nearest-neighbour graph by random projection trees and nearest-neighbour descent (NN-descent),
/// as pynndescent (which umap-learn uses above 4,096 samples) builds it; then queries for new rows through that
/// graph. Orders of magnitude fewer distance evaluations than the exact search on large data, with a recall of
/// about 0.95 to 0.99 at the default settings.
/// </summary>
/// <remarks>
/// <para>Dong, Charikar and Li (2011), "Efficient k-nearest neighbor graph construction for generic similarity
/// measures", WWW '11: a neighbour of a neighbour is likely a neighbour. Starting from a graph whose lists come from
/// the leaves of <see cref="Trees"/> random projection trees (Dasgupta and Freund 2008), each iteration compares, for
/// every point, the pairs among its candidates (its neighbours and the points that list it, "new" ones not yet
/// joined and "old" ones, at most <see cref="MaxCandidates"/> each, chosen at random) and keeps any pair closer than a
/// current neighbour (the local join, algorithm 2 of the paper with sampling and the new/old flags of section 2.4).
/// It stops after <see cref="Iterations"/> iterations or when an iteration changes fewer than
/// <see cref="Delta"/> x k x n list entries.</para>
/// <para>Determinism: with a <see cref="Seed"/> the graph is identical on every run, whatever the thread count. The
/// trees draw from one random stream each (seed and tree number); candidate sampling uses a hash of (seed, iteration,
/// pair) rather than a shared generator; each block of points computes its local joins in parallel into per-chunk
/// update lists, which are then applied in a fixed order, each list of a point being a max-heap ordered by (distance,
/// index) whose content does not depend on the order of its insertions. Distances are compared in single precision;
/// the final lists are re-measured in double precision, so <see cref="Graph"/> holds exact distances.</para>
/// <para><see cref="Query"/> follows pynndescent's search: start from the leaf of a search tree that the query
/// falls into, then best-first through the graph (each list plus the reverse edges), expanding candidates closer
/// than (1 + epsilon) times the current k-th distance.</para>
/// </remarks>
/// <example>
/// <code>
/// var index = new NnDescent { Neighbors = 15, Seed = 42 }.Fit(fashion);
/// NeighborResult graph = index.Graph;                    // 15 nearest other rows of each row
/// NeighborResult near = index.Query(newRows, k: 10);     // 10 nearest fitted rows of each new row
/// </code>
/// </example>
public sealed class NnDescent
{
    /// <summary>Default values of the options (pynndescent's as umap-learn 0.5.3 calls it).</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="NnDescent.Neighbors"/>: 15.</summary>
        public const int Neighbors = 15;

        /// <summary>Default <see cref="NnDescent.Metric"/>: Euclidean.</summary>
        public const NeighborMetric Metric = NeighborMetric.Euclidean;

        /// <summary>Default <see cref="NnDescent.MinkowskiP"/>: 2.</summary>
        public const double MinkowskiP = 2.0;

        /// <summary>Default <see cref="NnDescent.MaxCandidates"/>: 60 (umap-learn's choice).</summary>
        public const int MaxCandidates = 60;

        /// <summary>Default <see cref="NnDescent.Delta"/>: 0.001.</summary>
        public const double Delta = 0.001;

        /// <summary>Default <see cref="NnDescent.QueryEpsilon"/>: 0.1.</summary>
        public const double QueryEpsilon = 0.1;

        /// <summary>Trees when <see cref="NnDescent.Trees"/> is null: min(64, 5 + round(sqrt(n) / 20)), umap-learn's rule.</summary>
        public static int TreesFor(int samples) => Math.Min(64, 5 + (int)Math.Round(Math.Sqrt(samples) / 20.0, MidpointRounding.ToEven));

        /// <summary>Iterations when <see cref="NnDescent.Iterations"/> is null: max(5, round(log2 n)), umap-learn's rule.</summary>
        public static int IterationsFor(int samples) => Math.Max(5, (int)Math.Round(Math.Log2(samples), MidpointRounding.ToEven));

        /// <summary>Leaf size when <see cref="NnDescent.LeafSize"/> is null: max(10, k), pynndescent's rule.</summary>
        public static int LeafSizeFor(int neighbors) => Math.Max(10, neighbors);
    }

    private bool _fitted;
    private DataMatrix _data = null!;
    private FloatRows _rows = null!;
    private NeighborResult _graph = null!;
    private int _seedUsed, _iterationsRun;
    private long _distanceCount;
    private SearchIndex? _search;

    /// <summary>Neighbours per row, not counting the row itself: 1 to samples - 1; default 15.</summary>
    public int Neighbors { get; init; } = Defaults.Neighbors;

    /// <summary>The distance; default Euclidean.</summary>
    public NeighborMetric Metric { get; init; } = Defaults.Metric;

    /// <summary>Exponent p of <see cref="NeighborMetric.Minkowski"/>, greater than 0; default 2. Ignored by the other metrics.</summary>
    public double MinkowskiP { get; init; } = Defaults.MinkowskiP;

    /// <summary>Random projection trees that seed the graph, at least 1; null (default) uses min(64, 5 + round(sqrt(n) / 20)).</summary>
    public int? Trees { get; init; }

    /// <summary>Most points in a tree leaf, at least 2; null (default) uses max(10, <see cref="Neighbors"/>).</summary>
    public int? LeafSize { get; init; }

    /// <summary>Most new (and most old) candidates joined per point per iteration, at least 1; default 60.</summary>
    public int MaxCandidates { get; init; } = Defaults.MaxCandidates;

    /// <summary>Most NN-descent iterations, 0 or more; null (default) uses max(5, round(log2 n)).</summary>
    public int? Iterations { get; init; }

    /// <summary>Early stop: an iteration that changes at most Delta x k x n list entries is the last; 0 to 1, default 0.001.</summary>
    public double Delta { get; init; } = Defaults.Delta;

    /// <summary>How far beyond the current k-th distance <see cref="Query"/> keeps exploring, as a fraction (0 or more); default 0.1. Larger is slower and more accurate.</summary>
    public double QueryEpsilon { get; init; } = Defaults.QueryEpsilon;

    /// <summary>Seed of the trees and the candidate sampling; null (default) draws one, see <see cref="SeedUsed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>Each fitted row's <see cref="Neighbors"/> nearest other rows found, by (distance, index), with exact distances.</summary>
    public NeighborResult Graph { get { Check.Fitted(_fitted, nameof(NnDescent), nameof(Graph)); return _graph; } }

    /// <summary>The seed used: <see cref="Seed"/>, or the one drawn when it was null.</summary>
    public int SeedUsed { get { Check.Fitted(_fitted, nameof(NnDescent), nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>NN-descent iterations run (fewer than the limit when the early stop met <see cref="Delta"/>).</summary>
    public int IterationsRun { get { Check.Fitted(_fitted, nameof(NnDescent), nameof(IterationsRun)); return _iterationsRun; } }

    /// <summary>Distances evaluated while building the graph (trees' leaves and local joins), a measure of the work done.</summary>
    public long DistanceCount { get { Check.Fitted(_fitted, nameof(NnDescent), nameof(DistanceCount)); return _distanceCount; } }

    /// <summary>Builds the graph of <paramref name="data"/>; returns this instance.</summary>
    /// <param name="data">The rows (n x d, finite, more than <see cref="Neighbors"/> rows).</param>
    public NnDescent Fit(DataMatrix data)
    {
        CheckOptions();
        Check.Data(data, nameof(data), minRows: 2);
        if (Neighbors >= data.Rows)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors,
                $"Neighbors is {Neighbors}, but the data has {data.Rows} samples. Neighbors must be smaller than the sample count: lower Neighbors or pass more rows.");
        int seed = Seeds.Resolve(Seed);
        var rows = FloatRows.From(data, Metric, MinkowskiP);
        int n = data.Rows;
        var build = Descent.Build(rows, Neighbors, Trees ?? Defaults.TreesFor(n), LeafSize ?? Defaults.LeafSizeFor(Neighbors),
            MaxCandidates, Iterations ?? Defaults.IterationsFor(n), Delta, seed);
        _graph = Descent.Exact(build.Indices, build.Distances, n, Neighbors, data, Metric, MinkowskiP);
        _data = data;
        _rows = rows;
        _seedUsed = seed;
        _iterationsRun = build.Iterations;
        _distanceCount = build.DistanceCount;
        _search = null;
        _fitted = true;
        return this;
    }

    /// <summary>
    /// The <paramref name="k"/> nearest fitted rows of each row of <paramref name="queries"/> (approximate), by
    /// (distance, index), with exact distances. Deterministic for a given <see cref="SeedUsed"/>.
    /// </summary>
    /// <param name="queries">Rows with the fitted feature count (finite).</param>
    /// <param name="k">Neighbours per query, 1 to the fitted row count.</param>
    public NeighborResult Query(DataMatrix queries, int k)
    {
        Check.Fitted(_fitted, nameof(NnDescent), nameof(Query));
        Check.Features(queries, _data.Columns, nameof(queries), nameof(NnDescent));
        if (k < 1 || k > _data.Rows)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k is {k}, but the index holds {_data.Rows} rows. k must be between 1 and {_data.Rows}: lower k.");
        _search ??= SearchIndex.FromKnn(_rows, _data, _graph.Indices, LeafSize ?? Defaults.LeafSizeFor(Neighbors), _seedUsed);
        return _search.Query(queries, k, QueryEpsilon);
    }

    private void CheckOptions()
    {
        if (Neighbors < 1)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors, $"Neighbors is {Neighbors}, but it must be at least 1. Use, for example, Neighbors = 15.");
        NearestNeighbors.CheckMetric(Metric, MinkowskiP, nameof(Metric), nameof(MinkowskiP));
        if (Trees is { } t && t < 1)
            throw new ArgumentOutOfRangeException(nameof(Trees), t, $"Trees is {t}, but it must be at least 1 (or null for automatic). Use, for example, Trees = 8.");
        if (LeafSize is { } l && l < 2)
            throw new ArgumentOutOfRangeException(nameof(LeafSize), l, $"LeafSize is {l}, but it must be at least 2 (or null for max(10, Neighbors)). Use, for example, LeafSize = 30.");
        if (MaxCandidates < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxCandidates), MaxCandidates, $"MaxCandidates is {MaxCandidates}, but it must be at least 1. Use the default 60.");
        if (Iterations is { } it && it < 0)
            throw new ArgumentOutOfRangeException(nameof(Iterations), it, $"Iterations is {it}, but it must be 0 or more (or null for automatic). Use, for example, Iterations = 10.");
        if (!(Delta >= 0 && Delta <= 1))
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, $"Delta is {Delta.ToString(CultureInfo.InvariantCulture)}, but it must be between 0 and 1. Use the default 0.001.");
        if (!(QueryEpsilon >= 0) || !double.IsFinite(QueryEpsilon))
            throw new ArgumentOutOfRangeException(nameof(QueryEpsilon), QueryEpsilon, $"QueryEpsilon is {QueryEpsilon.ToString(CultureInfo.InvariantCulture)}, but it must be a finite number of 0 or more. Use the default 0.1.");
    }
}
