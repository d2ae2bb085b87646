using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Decomposition;
using DimReduce.Neighbors;
using DimReduce.Persistence;

namespace DimReduce.Manifold;

/// <summary>
/// UMAP (Uniform Manifold Approximation and Projection): a non-linear embedding that keeps each point's nearest
/// neighbours close, by matching a fuzzy neighbour graph of the data with one of the embedding.
/// </summary>
/// <remarks>
/// McInnes, Healy and Melville (2018), "UMAP: Uniform Manifold Approximation and Projection for Dimension
/// Reduction", arXiv:1802.03426. <see cref="Fit(DataMatrix, IProgress{UmapProgress}?, CancellationToken)"/> runs the
/// paper's steps, each an internal function a test can call alone, faithful to umap-learn 0.5.3:
/// <list type="number">
/// <item>k nearest neighbours (<c>UmapNeighbors</c>; each point its own first neighbour, as umap-learn lists them): exact
/// below 4,096 samples, random projection trees and NN-descent (<see cref="NnDescent"/>) from there on, as umap-learn
/// (see <see cref="NeighborSearch"/>);</item>
/// <item>smooth kNN distances rho_i, sigma_i (section 3.1, <c>SmoothKnn</c>);</item>
/// <item>membership strengths and their fuzzy union into the symmetric <see cref="Graph"/> (section 3.1, <c>FuzzySimplicialSet</c>);</item>
/// <item>a and b of the curve 1 / (1 + a d^(2b)) fitted to <see cref="MinDist"/> and <see cref="Spread"/> (appendix C, <c>UmapCurve</c>);</item>
/// <item>edges sampled less than once in <see cref="Epochs"/> dropped; the initial layout (spectral by default, <c>SpectralInit</c>)
/// scaled so its largest coordinate is 10, plus N(0, 1e-4) noise, then each column rescaled to [0, 10];</item>
/// <item>SGD on the fuzzy cross entropy with negative sampling (section 3.2, <c>UmapLayout</c>).</item>
/// </list>
/// With a <see cref="Seed"/> the embedding is bit-identical from run to run on the same machine, whatever the thread
/// count: the neighbour search and the layout (parallel by default, see <see cref="ParallelLayout"/>) are both
/// deterministic. umap-learn's random numbers (numpy's generator) are not reproduced, so coordinates differ from
/// umap-learn's; quality (trustworthiness, neighbour accuracy) matches it.
/// </remarks>
/// <example>
/// <code>
/// var umap = new Umap { Neighbors = 15, MinDist = 0.1, Seed = 42 };
/// DataMatrix embedding = umap.FitTransform(digits.Features);
/// DataMatrix placed = umap.Transform(newRows);
/// </code>
/// </example>
[ModelType("Umap")]
public sealed class Umap : IReducer, IStateful
{
    /// <summary>Default values of the options (umap-learn 0.5.3's).</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="Umap.Neighbors"/>: 15.</summary>
        public const int Neighbors = 15;

        /// <summary>Default <see cref="Umap.MinDist"/>: 0.1.</summary>
        public const double MinDist = 0.1;

        /// <summary>Default <see cref="Umap.Spread"/>: 1.</summary>
        public const double Spread = 1.0;

        /// <summary>Default <see cref="Umap.Components"/>: 2.</summary>
        public const int Components = 2;

        /// <summary>Default <see cref="Umap.Metric"/>: Euclidean.</summary>
        public const NeighborMetric Metric = NeighborMetric.Euclidean;

        /// <summary>Default <see cref="Umap.MinkowskiP"/>: 2.</summary>
        public const double MinkowskiP = 2.0;

        /// <summary>Default <see cref="Umap.NeighborSearch"/>: automatic (exact below <see cref="ApproximateFrom"/> samples).</summary>
        public const UmapNeighborSearch NeighborSearch = UmapNeighborSearch.Auto;

        /// <summary>The sample count from which <see cref="UmapNeighborSearch.Auto"/> searches approximately: 4,096 (umap-learn's).</summary>
        public const int ApproximateFrom = 4096;

        /// <summary>Default <see cref="Umap.TargetWeight"/>: 0.5.</summary>
        public const double TargetWeight = 0.5;

        /// <summary>Default <see cref="Umap.Epochs"/>: null, meaning 500 up to 10,000 samples, else 200.</summary>
        public static readonly int? Epochs = null;

        /// <summary>Default <see cref="Umap.LearningRate"/>: 1.</summary>
        public const double LearningRate = 1.0;

        /// <summary>Default <see cref="Umap.Init"/>: spectral.</summary>
        public const UmapInit Init = UmapInit.Spectral;

        /// <summary>Default <see cref="Umap.LocalConnectivity"/>: 1.</summary>
        public const double LocalConnectivity = 1.0;

        /// <summary>Default <see cref="Umap.SetOpMixRatio"/>: 1 (pure fuzzy union).</summary>
        public const double SetOpMixRatio = 1.0;

        /// <summary>Default <see cref="Umap.NegativeSampleRate"/>: 5.</summary>
        public const int NegativeSampleRate = 5;

        /// <summary>Default <see cref="Umap.ParallelLayout"/>: true (parallel and deterministic).</summary>
        public const bool ParallelLayout = true;

        /// <summary>Default <see cref="Umap.RepulsionStrength"/>: 1.</summary>
        public const double RepulsionStrength = 1.0;

        /// <summary>Epochs when <see cref="Umap.Epochs"/> is null and the data has at most <see cref="SmallData"/> samples.</summary>
        public const int EpochsSmall = 500;

        /// <summary>Epochs when <see cref="Umap.Epochs"/> is null and the data has more than <see cref="SmallData"/> samples.</summary>
        public const int EpochsLarge = 200;

        /// <summary>The sample count up to which the larger epoch count is used: 10,000.</summary>
        public const int SmallData = 10_000;
    }

    private bool _fitted;
    private DataMatrix _train = null!;
    private float[] _embedding = [];
    private FuzzyGraph _graph = null!;
    private double _a, _b;
    private int _seedUsed, _epochsUsed;
    private List<string> _warnings = [];
    private List<UmapSnapshot> _snapshots = [];
    private bool _approximate;
    private SearchIndex? _index;

    /// <summary>Neighbourhood size k (the point itself included, as umap-learn counts it): 2 to samples - 1; default 15. Larger values favour global structure.</summary>
    public int Neighbors { get; init; } = Defaults.Neighbors;

    /// <summary>Smallest distance between embedded points, 0 to <see cref="Spread"/>; default 0.1. Smaller values give tighter clusters.</summary>
    public double MinDist { get; init; } = Defaults.MinDist;

    /// <summary>Scale of the embedded points, greater than 0; default 1. With <see cref="MinDist"/> it fixes a and b.</summary>
    public double Spread { get; init; } = Defaults.Spread;

    /// <summary>Embedding dimension, 1 to samples - 1; default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>Distance in the input space: Euclidean (default), Cosine, Manhattan, Chebyshev, Minkowski (with <see cref="MinkowskiP"/>) or Correlation.</summary>
    public NeighborMetric Metric { get; init; } = Defaults.Metric;

    /// <summary>Exponent p of the Minkowski metric, greater than 0; default 2. Ignored by the other metrics.</summary>
    public double MinkowskiP { get; init; } = Defaults.MinkowskiP;

    /// <summary>
    /// Exact or approximate nearest neighbours; default <see cref="UmapNeighborSearch.Auto"/>: exact below 4,096 samples,
    /// approximate (random projection trees and NN-descent, recall about 0.95 to 0.99) from there on, as umap-learn.
    /// </summary>
    public UmapNeighborSearch NeighborSearch { get; init; } = Defaults.NeighborSearch;

    /// <summary>Layout epochs, at least 1; null (default) uses 500 up to 10,000 samples and 200 above.</summary>
    public int? Epochs { get; init; } = Defaults.Epochs;

    /// <summary>Initial SGD learning rate, greater than 0; default 1. It falls linearly to 0 over the epochs.</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>Initial layout; default <see cref="UmapInit.Spectral"/>.</summary>
    public UmapInit Init { get; init; } = Defaults.Init;

    /// <summary>Seed of every random choice (noise of the initial layout, negative samples); null (default) draws one, see <see cref="SeedUsed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>Nearest neighbours assumed connected (the rho offset), 0 or more; default 1.</summary>
    public double LocalConnectivity { get; init; } = Defaults.LocalConnectivity;

    /// <summary>Blend of fuzzy union (1, default) and fuzzy intersection (0) when symmetrising the graph, 0 to 1.</summary>
    public double SetOpMixRatio { get; init; } = Defaults.SetOpMixRatio;

    /// <summary>Negative samples per positive sample in the layout, 0 or more; default 5.</summary>
    public int NegativeSampleRate { get; init; } = Defaults.NegativeSampleRate;

    /// <summary>Weight gamma of the repulsive term, 0 or more; default 1.</summary>
    public double RepulsionStrength { get; init; } = Defaults.RepulsionStrength;

    /// <summary>
    /// Supervised UMAP only (<see cref="Fit(DataMatrix, IReadOnlyList{int})"/>): how much the labels weigh against the
    /// data's own structure, 0 to 1; default 0.5. Edges between different labels are scaled by exp(-2.5 / (1 - TargetWeight)),
    /// so 0 still separates the classes a little and 1 cuts the edges between them.
    /// </summary>
    public double TargetWeight { get; init; } = Defaults.TargetWeight;

    /// <summary>
    /// Whether the layout's SGD updates the points on all cores (default true) or in umap-learn's sequential order.
    /// Both are reproducible: a <see cref="Seed"/> gives the same embedding on every run, whatever the thread count.
    /// In parallel, each epoch runs in four rounds in which every point moves only itself, reading the others'
    /// positions from the start of the round (see the remarks). It is about 1.5 to 1.8 times faster on two cores,
    /// with trustworthiness within about 0.001 of the sequential order's on Fashion-MNIST. umap-learn's own
    /// <c>parallel=True</c> (Hogwild, threads racing on shared coordinates) is not reproducible, which is why
    /// umap-learn runs sequentially when given a <c>random_state</c>; here no such trade is needed. Applies to
    /// <see cref="Transform"/> too.
    /// </summary>
    /// <remarks>
    /// The fuzzy graph is symmetric, so in parallel an edge (j, k) moves only j, and its reverse (k, j) moves k in k's
    /// own turn; each sampled edge takes two attraction steps, as umap-learn moves each point once along (j, k) and once
    /// along (k, j). Each point draws its negative samples from its own random stream.
    /// </remarks>
    public bool ParallelLayout { get; init; } = Defaults.ParallelLayout;

    /// <summary>Keep a copy of the layout every this many epochs (and the initial one) in <see cref="Snapshots"/>; null (default) keeps none.</summary>
    public int? KeepEvery { get; init; }

    /// <summary>The fitted embedding (samples x <see cref="Components"/>).</summary>
    public DataMatrix Embedding { get { Check.Fitted(_fitted, nameof(Umap), nameof(Embedding)); return ToMatrix(_embedding, _train.Rows, Components); } }

    /// <summary>The symmetric fuzzy graph (membership strengths) the layout was fitted to, before pruning.</summary>
    public FuzzyGraph Graph { get { Check.Fitted(_fitted, nameof(Umap), nameof(Graph)); return _graph; } }

    /// <summary>Recoverable oddities met during the fit (a disconnected graph, an unconverged eigensolver), each with a remedy.</summary>
    public IReadOnlyList<string> Warnings { get { Check.Fitted(_fitted, nameof(Umap), nameof(Warnings)); return _warnings.AsReadOnly(); } }

    /// <summary>The layouts kept every <see cref="KeepEvery"/> epochs (empty when it is null).</summary>
    public IReadOnlyList<UmapSnapshot> Snapshots { get { Check.Fitted(_fitted, nameof(Umap), nameof(Snapshots)); return _snapshots.AsReadOnly(); } }

    /// <summary>The seed used: <see cref="Seed"/>, or the one drawn when it was null.</summary>
    public int SeedUsed { get { Check.Fitted(_fitted, nameof(Umap), nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>The neighbour search the fit used: <see cref="UmapNeighborSearch.Exact"/> or <see cref="UmapNeighborSearch.Approximate"/> (resolved from <see cref="NeighborSearch"/>); <see cref="Transform"/> searches the same way.</summary>
    public UmapNeighborSearch NeighborSearchUsed { get { Check.Fitted(_fitted, nameof(Umap), nameof(NeighborSearchUsed)); return _approximate ? UmapNeighborSearch.Approximate : UmapNeighborSearch.Exact; } }

    /// <summary>The epochs run (resolved from <see cref="Epochs"/>).</summary>
    public int EpochsUsed { get { Check.Fitted(_fitted, nameof(Umap), nameof(EpochsUsed)); return _epochsUsed; } }

    /// <summary>Curve parameter a of 1 / (1 + a d^(2b)), fitted to <see cref="MinDist"/> and <see cref="Spread"/>.</summary>
    public double A { get { Check.Fitted(_fitted, nameof(Umap), nameof(A)); return _a; } }

    /// <summary>Curve parameter b of 1 / (1 + a d^(2b)).</summary>
    public double B { get { Check.Fitted(_fitted, nameof(Umap), nameof(B)); return _b; } }

    /// <summary>Number of features seen at fit.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(Umap), nameof(FeatureCount)); return _train.Columns; } }

    /// <summary>Fits the embedding of <paramref name="x"/>; returns this instance.</summary>
    public Umap Fit(DataMatrix x) => Fit(x, null, CancellationToken.None);

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>
    /// Supervised UMAP: fits the embedding of <paramref name="x"/> with one class label per row (a negative label
    /// means unknown), as umap-learn's <c>fit(X, y)</c> with a categorical target: the fuzzy graph is intersected with
    /// the labels' (edges across classes weakened by <see cref="TargetWeight"/>) before the layout. Returns this instance.
    /// </summary>
    /// <remarks>McInnes, Healy and Melville (2018), section 6 ("supervised and semi-supervised dimension reduction"); umap-learn 0.5.3's
    /// <c>discrete_metric_simplicial_set_intersection</c> and <c>reset_local_connectivity</c>.</remarks>
    public Umap Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels, null, CancellationToken.None);

    /// <summary>Supervised fit (see <see cref="Fit(DataMatrix, IReadOnlyList{int})"/>) with progress and cancellation.</summary>
    public Umap Fit(DataMatrix x, IReadOnlyList<int> labels, IProgress<UmapProgress>? progress, CancellationToken cancellation = default)
        => Fit(x, progress, cancellation, labels, supervised: true);

    /// <summary>Supervised fit, then <see cref="Embedding"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels).Embedding;

    /// <summary>Fits, reporting each stage and each layout epoch to <paramref name="progress"/>, honouring <paramref name="cancellation"/> between epochs.</summary>
    /// <param name="x">Rows to embed (samples x features, finite; more samples than <see cref="Neighbors"/> and <see cref="Components"/>).</param>
    /// <param name="progress">Receives a <see cref="UmapProgress"/> per stage and per epoch; may be null.</param>
    /// <param name="cancellation">Cancels the fit (an <see cref="OperationCanceledException"/>); the estimator stays as it was.</param>
    public Umap Fit(DataMatrix x, IProgress<UmapProgress>? progress, CancellationToken cancellation = default) =>
        Fit(x, progress, cancellation, null, supervised: false);

    private Umap Fit(DataMatrix x, IProgress<UmapProgress>? progress, CancellationToken cancellation, IReadOnlyList<int>? labels, bool supervised)
    {
        CheckOptions();
        Check.Data(x, nameof(x), minRows: 2);
        if (supervised) Check.Labels(labels, x.Rows, nameof(labels));
        CheckAgainstSamples(x.Rows);
        int n = x.Rows, dim = Components;
        int seed = Seeds.Resolve(Seed);
        var random = Seeds.Create(seed);
        var warnings = new List<string>();
        var train = x.Clone();

        // 1. k nearest neighbours (each point its own first neighbour).
        progress?.Report(new UmapProgress(UmapStage.Neighbors, 0, 0));
        bool approximate = NeighborSearch == UmapNeighborSearch.Approximate || (NeighborSearch == UmapNeighborSearch.Auto && n >= Defaults.ApproximateFrom);
        var (indices, distances) = UmapNeighbors.OfTraining(train, Neighbors, Metric, MinkowskiP, approximate, Seeds.Mix(seed, 11));
        cancellation.ThrowIfCancellationRequested();

        // 2-3. Smooth kNN distances, membership strengths, fuzzy union.
        progress?.Report(new UmapProgress(UmapStage.Graph, 0, 0));
        var graph = BuildGraph(indices, distances, n);
        if (labels is not null)
            graph = FuzzySimplicialSet.IntersectWithLabels(graph, labels, TargetWeight < 1.0 ? 2.5 / (1.0 - TargetWeight) : 1e12);
        var (a, b) = UmapCurve.FitAB(Spread, MinDist);

        // 4. Prune edges sampled less than once, then the initial layout.
        int defaultEpochs = n <= Defaults.SmallData ? Defaults.EpochsSmall : Defaults.EpochsLarge;
        int epochs = Epochs ?? defaultEpochs;
        var (heads, tails, weights) = UmapLayout.PruneEdges(graph, epochs > 10 ? epochs : defaultEpochs);
        progress?.Report(new UmapProgress(UmapStage.Initialization, 0, epochs));
        var embedding = InitialLayout(train, n, heads, tails, weights, random, warnings);
        foreach (var w in warnings) progress?.Report(new UmapProgress(UmapStage.Initialization, 0, epochs, w));
        cancellation.ThrowIfCancellationRequested();

        // 5. SGD on the fuzzy cross entropy.
        var epochsPerSample = UmapLayout.EpochsPerSample(weights, epochs);
        var snapshots = new List<UmapSnapshot>();
        if (KeepEvery is not null) snapshots.Add(new UmapSnapshot(0, ToMatrix(embedding, n, dim)));
        UmapLayout.Optimize(embedding, embedding, dim, heads, tails, n, epochsPerSample, a, b, RepulsionStrength, LearningRate,
            NegativeSampleRate, epochs, moveOther: true, random,
            done =>
            {
                if (KeepEvery is { } every && done % every == 0) snapshots.Add(new UmapSnapshot(done, ToMatrix(embedding, n, dim)));
                progress?.Report(new UmapProgress(UmapStage.Layout, done, epochs));
            },
            cancellation, parallel: ParallelLayout);

        _train = train;
        _embedding = embedding;
        _graph = graph;
        _a = a;
        _b = b;
        _seedUsed = seed;
        _epochsUsed = epochs;
        _warnings = warnings;
        _snapshots = snapshots;
        _approximate = approximate;
        _index = null;
        _fitted = true;
        return this;
    }

    /// <summary>Fits and returns <see cref="Embedding"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Embedding;

    /// <summary>
    /// Places new rows in the fitted embedding as umap-learn's <c>transform</c> does: their k nearest training rows
    /// (searched as the fit searched: exactly, or, after an approximate fit, from a random projection tree's leaf
    /// through the fitted fuzzy graph, as umap-learn queries pynndescent's search graph),
    /// membership strengths (local connectivity LocalConnectivity - 1, no symmetrisation), a start at the
    /// weighted mean of those neighbours' positions, then a short SGD (Epochs / 3 epochs, or 100 for null; learning
    /// rate LearningRate / 4) that moves only the new points. The training data itself returns <see cref="Embedding"/>.
    /// </summary>
    /// <remarks>Deterministic: its random stream is derived from <see cref="SeedUsed"/>, so a saved and loaded model gives the same result.</remarks>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(Umap), nameof(Transform));
        Check.Features(x, _train.Columns, nameof(x), nameof(Umap));
        int n = _train.Rows, m = x.Rows, dim = Components;
        if (m == n && x.Data.AsSpan().SequenceEqual(_train.Data)) return Embedding;

        if (_approximate) _index ??= UmapNeighbors.Index(_train, _graph, Neighbors, Metric, MinkowskiP, Seeds.Mix(_seedUsed, 12));
        var (indices, distances) = UmapNeighbors.OfQueries(_train, x, Neighbors, Metric, MinkowskiP, _approximate ? _index : null);
        var (sigmas, rhos) = SmoothKnn.Compute(distances, Neighbors, Math.Max(0.0, LocalConnectivity - 1.0));
        var (rows, cols, vals) = FuzzySimplicialSet.MembershipStrengths(indices, distances, sigmas, rhos, bipartite: true);
        var graph = FuzzyGraph.FromTriplets(m, n, rows, cols, vals.Select(v => (double)v).ToArray());

        // Start: the weighted mean of the neighbours' positions; a neighbour of weight 1 is taken as is (umap-learn's init_graph_transform).
        var head = new float[m * dim];
        for (int i = 0; i < m; i++)
        {
            int s = graph.RowStartArray[i], e = graph.RowStartArray[i + 1];
            if (s == e)
            {
                for (int d = 0; d < dim; d++) head[i * dim + d] = _embedding[indices[i, 0] * dim + d];
                continue;
            }
            double sum = 0;
            for (int p = s; p < e; p++) sum += graph.WeightArray[p];
            for (int p = s; p < e; p++)
            {
                int j = graph.ColumnArray[p];
                if (graph.WeightArray[p] == 1.0)
                {
                    for (int d = 0; d < dim; d++) head[i * dim + d] = _embedding[j * dim + d];
                    break;
                }
                for (int d = 0; d < dim; d++) head[i * dim + d] += (float)(graph.WeightArray[p] / sum * _embedding[j * dim + d]);
            }
        }

        int epochs = Epochs is { } e0 ? Math.Max(1, e0 / 3) : m <= Defaults.SmallData ? 100 : 30;
        var (heads, tails, weights) = UmapLayout.PruneEdges(graph, epochs);
        var epochsPerSample = UmapLayout.EpochsPerSample(weights, epochs);
        var tail = (float[])_embedding.Clone();
        UmapLayout.Optimize(head, tail, dim, heads, tails, n, epochsPerSample, _a, _b, RepulsionStrength, LearningRate / 4.0,
            NegativeSampleRate, epochs, moveOther: false, Seeds.Create(_seedUsed, 1), parallel: ParallelLayout);
        return ToMatrix(head, m, dim);
    }

    /// <summary>Writes the fitted model: options, training rows, embedding, graph, a and b (see <see cref="ModelFile"/>).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(Umap), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; its <see cref="Transform"/> gives the same result as the saved one's.</summary>
    public static Umap Load(string path) => ModelFile.Load<Umap>(path);

    private FuzzyGraph BuildGraph(int[,] indices, float[,] distances, int n)
    {
        var (sigmas, rhos) = SmoothKnn.Compute(distances, Neighbors, LocalConnectivity);
        var (rows, cols, vals) = FuzzySimplicialSet.MembershipStrengths(indices, distances, sigmas, rhos);
        return FuzzySimplicialSet.Symmetrize(n, rows, cols, vals, SetOpMixRatio);
    }

    private float[] InitialLayout(DataMatrix x, int n, int[] heads, int[] tails, double[] weights, Random random, List<string> warnings)
    {
        int dim = Components;
        var init = new double[n * dim];
        bool scaleAndNoise = true;
        switch (Init)
        {
            case UmapInit.Spectral:
            {
                var pruned = FuzzyGraph.FromTriplets(n, n, heads, tails, weights);
                init = SpectralInit.Layout(pruned, x, Metric, dim, random, warnings, MinkowskiP);
                break;
            }
            case UmapInit.Pca when dim <= x.Columns:
            {
                var scores = new Pca { Components = dim, Seed = 0 }.FitTransform(x);
                Array.Copy(scores.Data, init, init.Length);
                break;
            }
            case UmapInit.Pca:
                warnings.Add($"Init is Pca, but the data has {x.Columns} features, fewer than Components = {dim}; the layout started from random positions instead. Use Init = UmapInit.Spectral or fewer Components.");
                goto default;
            default:
                for (int t = 0; t < init.Length; t++) init[t] = random.NextDouble() * 20.0 - 10.0;
                scaleAndNoise = false;
                break;
        }
        var embedding = new float[n * dim];
        if (scaleAndNoise)
        {
            // umap-learn: expansion = 10 / max|init|, plus N(0, 1e-4) noise to break ties.
            double max = 0;
            foreach (double v in init) max = Math.Max(max, Math.Abs(v));
            double expansion = max > 0 ? 10.0 / max : 1.0;
            for (int t = 0; t < init.Length; t++) embedding[t] = (float)(init[t] * expansion) + (float)(random.NextGaussian() * 1e-4);
        }
        else
        {
            for (int t = 0; t < init.Length; t++) embedding[t] = (float)init[t];
        }
        // umap-learn rescales every column to [0, 10] before the layout.
        for (int d = 0; d < dim; d++)
        {
            float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
            for (int i = 0; i < n; i++) { lo = Math.Min(lo, embedding[i * dim + d]); hi = Math.Max(hi, embedding[i * dim + d]); }
            float span = hi - lo;
            for (int i = 0; i < n; i++) embedding[i * dim + d] = span > 0 ? 10f * (embedding[i * dim + d] - lo) / span : 0f;
        }
        return embedding;
    }

    private static DataMatrix ToMatrix(float[] values, int rows, int columns)
    {
        var data = new double[values.Length];
        for (int t = 0; t < values.Length; t++) data[t] = values[t];
        return new DataMatrix(rows, columns, data);
    }

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private void CheckOptions()
    {
        if (Neighbors < 2)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors, $"Neighbors is {Neighbors}, but it must be at least 2 (the point itself counts as one). Use, for example, Neighbors = 15.");
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
        Check.Positive(Spread, nameof(Spread), "Use the default 1.");
        if (!(MinDist >= 0 && MinDist <= Spread))
            throw new ArgumentOutOfRangeException(nameof(MinDist), MinDist, $"MinDist is {F(MinDist)}, but it must be between 0 and Spread ({F(Spread)}). Lower MinDist or raise Spread.");
        NearestNeighbors.CheckMetric(Metric, MinkowskiP, nameof(Metric), nameof(MinkowskiP));
        if (!Enum.IsDefined(NeighborSearch))
            throw new ArgumentOutOfRangeException(nameof(NeighborSearch), NeighborSearch, $"NeighborSearch is {(int)NeighborSearch}, which is not a UmapNeighborSearch. Use Auto, Exact or Approximate.");
        if (!Enum.IsDefined(Init))
            throw new ArgumentOutOfRangeException(nameof(Init), Init, $"Init is {(int)Init}, which is not a UmapInit. Use Spectral, Random or Pca.");
        if (Epochs is { } e && e < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), e, $"Epochs is {e}, but it must be at least 1 (or null for automatic). Use, for example, Epochs = 200.");
        Check.Positive(LearningRate, nameof(LearningRate), "Use the default 1.");
        if (!(LocalConnectivity >= 0) || !double.IsFinite(LocalConnectivity))
            throw new ArgumentOutOfRangeException(nameof(LocalConnectivity), LocalConnectivity, $"LocalConnectivity is {F(LocalConnectivity)}, but it must be a finite number of 0 or more. Use the default 1.");
        Check.Range(SetOpMixRatio, 0.0, 1.0, nameof(SetOpMixRatio), "Use 1 for the fuzzy union (default) or 0 for the intersection.");
        if (NegativeSampleRate < 0)
            throw new ArgumentOutOfRangeException(nameof(NegativeSampleRate), NegativeSampleRate, $"NegativeSampleRate is {NegativeSampleRate}, but it must be 0 or more. Use the default 5.");
        if (!(RepulsionStrength >= 0) || !double.IsFinite(RepulsionStrength))
            throw new ArgumentOutOfRangeException(nameof(RepulsionStrength), RepulsionStrength, $"RepulsionStrength is {F(RepulsionStrength)}, but it must be a finite number of 0 or more. Use the default 1.");
        Check.Range(TargetWeight, 0.0, 1.0, nameof(TargetWeight), "Use the default 0.5 (1 cuts the edges between classes).");
        if (KeepEvery is { } k && k < 1)
            throw new ArgumentOutOfRangeException(nameof(KeepEvery), k, $"KeepEvery is {k}, but it must be at least 1 (or null to keep no snapshots). Use, for example, KeepEvery = 10.");
    }

    private void CheckAgainstSamples(int samples)
    {
        if (Neighbors >= samples)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors,
                $"Neighbors is {Neighbors}, but the data has {samples} samples. Neighbors must be smaller than the sample count: lower Neighbors or pass more rows.");
        if (Components >= samples)
            throw new ArgumentOutOfRangeException(nameof(Components), Components,
                $"Components is {Components}, but the data has {samples} samples. Components must be smaller than the sample count: lower Components or pass more rows.");
    }

    JsonObject IStateful.GetState() => new()
    {
        ["neighbors"] = Neighbors,
        ["minDist"] = MinDist,
        ["spread"] = Spread,
        ["components"] = Components,
        ["metric"] = Metric.ToString(),
        ["minkowskiP"] = MinkowskiP,
        ["neighborSearch"] = NeighborSearch.ToString(),
        ["approximate"] = _approximate,
        ["epochs"] = Epochs,
        ["learningRate"] = LearningRate,
        ["init"] = Init.ToString(),
        ["seed"] = Seed,
        ["localConnectivity"] = LocalConnectivity,
        ["setOpMixRatio"] = SetOpMixRatio,
        ["negativeSampleRate"] = NegativeSampleRate,
        ["repulsionStrength"] = RepulsionStrength,
        ["parallelLayout"] = ParallelLayout,
        ["targetWeight"] = TargetWeight,
        ["seedUsed"] = _seedUsed,
        ["epochsUsed"] = _epochsUsed,
        ["a"] = _a,
        ["b"] = _b,
        ["train"] = State.Matrix(_train),
        ["embedding"] = State.Array(_embedding.Select(v => (double)v)),
        ["graphRowStart"] = State.Array(_graph.RowStartArray),
        ["graphColumns"] = State.Array(_graph.ColumnArray),
        ["graphWeights"] = State.Array(_graph.WeightArray),
        ["warnings"] = State.Array(_warnings),
    };

    internal static Umap FromState(JsonObject state)
    {
        var train = State.Matrix(state["train"], "train");
        var umap = new Umap
        {
            Neighbors = State.Int(state["neighbors"], "neighbors"),
            MinDist = State.Double(state["minDist"], "minDist"),
            Spread = State.Double(state["spread"], "spread"),
            Components = State.Int(state["components"], "components"),
            Metric = State.Enum<NeighborMetric>(state["metric"], "metric"),
            MinkowskiP = state["minkowskiP"] is { } p ? State.Double(p, "minkowskiP") : Defaults.MinkowskiP,
            NeighborSearch = state["neighborSearch"] is { } ns ? State.Enum<UmapNeighborSearch>(ns, "neighborSearch") : UmapNeighborSearch.Exact,
            Epochs = (int?)state["epochs"],
            LearningRate = State.Double(state["learningRate"], "learningRate"),
            Init = State.Enum<UmapInit>(state["init"], "init"),
            Seed = (int?)state["seed"],
            LocalConnectivity = State.Double(state["localConnectivity"], "localConnectivity"),
            SetOpMixRatio = State.Double(state["setOpMixRatio"], "setOpMixRatio"),
            NegativeSampleRate = State.Int(state["negativeSampleRate"], "negativeSampleRate"),
            RepulsionStrength = State.Double(state["repulsionStrength"], "repulsionStrength"),
            ParallelLayout = state["parallelLayout"] is { } pl && (bool)pl,
            TargetWeight = state["targetWeight"] is { } tw ? State.Double(tw, "targetWeight") : Defaults.TargetWeight,
        };
        umap._train = train;
        umap._approximate = state["approximate"] is { } approx && (bool)approx;
        umap._seedUsed = State.Int(state["seedUsed"], "seedUsed");
        umap._epochsUsed = State.Int(state["epochsUsed"], "epochsUsed");
        umap._a = State.Double(state["a"], "a");
        umap._b = State.Double(state["b"], "b");
        umap._embedding = State.Doubles(state["embedding"], "embedding").Select(v => (float)v).ToArray();
        umap._graph = new FuzzyGraph(train.Rows, train.Rows, State.Ints(state["graphRowStart"], "graphRowStart"),
            State.Ints(state["graphColumns"], "graphColumns"), State.Doubles(state["graphWeights"], "graphWeights"));
        umap._warnings = State.Strings(state["warnings"], "warnings").ToList();
        umap._fitted = true;
        return umap;
    }
}
