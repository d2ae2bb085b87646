using System.Globalization;
using DimReduce.Decomposition;
using DimReduce.Neighbors;

namespace DimReduce.Manifold;

/// <summary>
/// t-SNE (t-distributed Stochastic Neighbor Embedding): places similar points close together by matching, in the
/// Kullback-Leibler sense, the neighbour probabilities of the data (Gaussian, one width per point set by the
/// perplexity) with those of the embedding (Student t). Good at revealing clusters; distances between clusters and
/// cluster sizes carry little meaning.
/// </summary>
/// <remarks>
/// van der Maaten and Hinton (2008), "Visualizing Data using t-SNE", JMLR 9:2579-2605; van der Maaten (2014),
/// "Accelerating t-SNE using Tree-Based Algorithms", JMLR 15:3221-3245. Faithful to scikit-learn 1.2.1's
/// <c>TSNE</c> with its 1.2 defaults (<c>init="pca"</c>, <c>learning_rate="auto"</c>).
/// <see cref="Fit(DataMatrix, IProgress{TsneProgress}?, CancellationToken)"/> runs:
/// <list type="number">
/// <item>Barnes-Hut: the k = min(N - 1, floor(3 x Perplexity + 1)) nearest neighbours (exact search), exact: all pairs;</item>
/// <item>a binary search per point for the precision beta_i = 1 / (2 sigma_i^2) whose conditional distribution
/// p_{j|i} has perplexity 2^H = <see cref="Perplexity"/> (2008, equations 1 and 4), then the joint
/// p_ij = (p_{j|i} + p_{i|j}) / sum (2008, section 3.1; <c>TsneAffinities</c>);</item>
/// <item>the starting layout: PCA scaled so that the first column has standard deviation 1e-4, or N(0, 1e-4^2);</item>
/// <item><see cref="ExaggerationIterations"/> iterations with P multiplied by <see cref="EarlyExaggeration"/> and
/// momentum 0.5, then momentum 0.8 up to <see cref="Iterations"/> (2008, section 3.4; <c>TsneDescent</c>: gains,
/// <see cref="MinGradNorm"/>, <see cref="IterationsWithoutProgress"/>). The gradient is 2008's equation 5; the
/// Barnes-Hut version (2014, section 4) splits it into attractive forces over the sparse P and repulsive forces
/// through a quadtree (octree in 3-D) with angle <see cref="Angle"/> (<c>SpaceTree</c>, <c>TsneGradient</c>). In 2-D
/// the tree is walked once per group of 8 points adjacent on a Morton curve, a cell being summarised only when the
/// angle criterion holds for the group's nearest corner (Barnes 1990): each point's approximation is at least as
/// fine as scikit-learn's per-point walk, for less work. The tree is rebuilt each iteration on one thread while
/// the attractive forces run on the others.</item>
/// </list>
/// The learning rate "auto" is max(N / <see cref="EarlyExaggeration"/> / 4, 50) (Belkina et al. 2019, as
/// scikit-learn 1.2). Positions are float64 throughout (scikit-learn's Barnes-Hut works in float32).
/// <para>Determinism: the only random step is the random start (and the seed of the PCA start); both derive from
/// <see cref="Seed"/>. The gradient runs in parallel over points, but every point's force and its share of the
/// normaliser Z are written to their own slots and summed afterwards in index order, so with a seed the embedding is
/// bit-identical from run to run on the same machine whatever the thread count. scikit-learn's random numbers are
/// not reproduced: coordinates differ from scikit-learn's, quality (trustworthiness, KL divergence) matches.</para>
/// </remarks>
/// <example>
/// <code>
/// var tsne = new Tsne { Perplexity = 30, Seed = 42 };
/// DataMatrix embedding = tsne.FitTransform(digits.Features);
/// double kl = tsne.KlDivergence;
/// </code>
/// </example>
public sealed class Tsne : IReducer
{
    /// <summary>Default values of the options (scikit-learn 1.2.1's).</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="Tsne.Components"/>: 2.</summary>
        public const int Components = 2;

        /// <summary>Default <see cref="Tsne.Perplexity"/>: 30.</summary>
        public const double Perplexity = 30.0;

        /// <summary>Default <see cref="Tsne.EarlyExaggeration"/>: 12.</summary>
        public const double EarlyExaggeration = 12.0;

        /// <summary>Default <see cref="Tsne.LearningRate"/>: null, meaning "auto", max(N / EarlyExaggeration / 4, 50).</summary>
        public static readonly double? LearningRate = null;

        /// <summary>Default <see cref="Tsne.Iterations"/>: 1000.</summary>
        public const int Iterations = 1000;

        /// <summary>Default <see cref="Tsne.ExaggerationIterations"/>: 250.</summary>
        public const int ExaggerationIterations = 250;

        /// <summary>Default <see cref="Tsne.IterationsWithoutProgress"/>: 300.</summary>
        public const int IterationsWithoutProgress = 300;

        /// <summary>Default <see cref="Tsne.MinGradNorm"/>: 1e-7.</summary>
        public const double MinGradNorm = 1e-7;

        /// <summary>Default <see cref="Tsne.Method"/>: Barnes-Hut.</summary>
        public const TsneMethod Method = TsneMethod.BarnesHut;

        /// <summary>Default <see cref="Tsne.Angle"/>: 0.5.</summary>
        public const double Angle = 0.5;

        /// <summary>Default <see cref="Tsne.Init"/>: PCA.</summary>
        public const TsneInit Init = TsneInit.Pca;

        /// <summary>Momentum of the early-exaggeration phase: 0.5.</summary>
        public const double EarlyMomentum = 0.5;

        /// <summary>Momentum of the main phase: 0.8.</summary>
        public const double FinalMomentum = 0.8;
    }

    private bool _fitted;
    private double[] _embedding = [];
    private int _rows, _features, _seedUsed, _iterationsRun;
    private double _kl, _learningRateUsed;
    private ulong _trainHash;
    private List<TsneProgress> _history = [];
    private List<string> _warnings = [];

    /// <summary>Embedding dimension: 1 or more, below the sample count; at most 3 for <see cref="TsneMethod.BarnesHut"/>. Default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>
    /// The effective number of neighbours each point's Gaussian covers, greater than 0 and smaller than the sample
    /// count; default 30. Typical values are 5 to 50; larger data tolerate larger values.
    /// </summary>
    public double Perplexity { get; init; } = Defaults.Perplexity;

    /// <summary>Factor on P during the first <see cref="ExaggerationIterations"/> iterations, 1 or more; default 12. It pulls clusters apart early.</summary>
    public double EarlyExaggeration { get; init; } = Defaults.EarlyExaggeration;

    /// <summary>Step size of the descent, greater than 0; null (default) is "auto": max(N / EarlyExaggeration / 4, 50).</summary>
    public double? LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>Total iterations (scikit-learn's <c>n_iter</c>), at least 1; default 1000.</summary>
    public int Iterations { get; init; } = Defaults.Iterations;

    /// <summary>Iterations of the early-exaggeration phase, 0 or more (capped at <see cref="Iterations"/>); default 250.</summary>
    public int ExaggerationIterations { get; init; } = Defaults.ExaggerationIterations;

    /// <summary>Stop when the error has not improved for this many iterations (checked every 50), at least 1; default 300.</summary>
    public int IterationsWithoutProgress { get; init; } = Defaults.IterationsWithoutProgress;

    /// <summary>Stop when the gradient norm falls to this value, 0 or more; default 1e-7.</summary>
    public double MinGradNorm { get; init; } = Defaults.MinGradNorm;

    /// <summary>Barnes-Hut (default) or exact.</summary>
    public TsneMethod Method { get; init; } = Defaults.Method;

    /// <summary>Barnes-Hut angle theta, 0 to 1; default 0.5. A cell counts as one point when its side over its distance is below theta; 0 is exact but slow.</summary>
    public double Angle { get; init; } = Defaults.Angle;

    /// <summary>Starting layout; default <see cref="TsneInit.Pca"/>.</summary>
    public TsneInit Init { get; init; } = Defaults.Init;

    /// <summary>Seed of the random start (and of the PCA start); null (default) draws one, see <see cref="SeedUsed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>The fitted embedding (samples x <see cref="Components"/>).</summary>
    public DataMatrix Embedding { get { Check.Fitted(_fitted, nameof(Tsne), nameof(Embedding)); return new DataMatrix(_rows, Components, (double[])_embedding.Clone()); } }

    /// <summary>KL(P || Q) at the end of the fit (scikit-learn's <c>kl_divergence_</c>).</summary>
    public double KlDivergence { get { Check.Fitted(_fitted, nameof(Tsne), nameof(KlDivergence)); return _kl; } }

    /// <summary>Iterations run (fewer than <see cref="Iterations"/> when a stopping rule fired).</summary>
    public int IterationsRun { get { Check.Fitted(_fitted, nameof(Tsne), nameof(IterationsRun)); return _iterationsRun; } }

    /// <summary>The learning rate used (resolved from <see cref="LearningRate"/>).</summary>
    public double LearningRateUsed { get { Check.Fitted(_fitted, nameof(Tsne), nameof(LearningRateUsed)); return _learningRateUsed; } }

    /// <summary>The seed used: <see cref="Seed"/>, or the one drawn when it was null.</summary>
    public int SeedUsed { get { Check.Fitted(_fitted, nameof(Tsne), nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>The KL divergence and gradient norm every 50 iterations (and at the end of each phase).</summary>
    public IReadOnlyList<TsneProgress> History { get { Check.Fitted(_fitted, nameof(Tsne), nameof(History)); return _history.AsReadOnly(); } }

    /// <summary>Recoverable oddities met during the fit, each with a remedy.</summary>
    public IReadOnlyList<string> Warnings { get { Check.Fitted(_fitted, nameof(Tsne), nameof(Warnings)); return _warnings.AsReadOnly(); } }

    /// <summary>Number of features seen at fit.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(Tsne), nameof(FeatureCount)); return _features; } }

    /// <summary>Fits the embedding of <paramref name="x"/>; returns this instance.</summary>
    public Tsne Fit(DataMatrix x) => Fit(x, null, CancellationToken.None);

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Fits, reporting each stage and each iteration to <paramref name="progress"/>, honouring <paramref name="cancellation"/> between iterations.</summary>
    /// <param name="x">Rows to embed (samples x features, finite; more samples than <see cref="Perplexity"/> and <see cref="Components"/>).</param>
    /// <param name="progress">Receives a <see cref="TsneProgress"/> per stage and per iteration; may be null.</param>
    /// <param name="cancellation">Cancels the fit (an <see cref="OperationCanceledException"/>); the estimator stays as it was.</param>
    public Tsne Fit(DataMatrix x, IProgress<TsneProgress>? progress, CancellationToken cancellation = default)
    {
        CheckOptions();
        Check.Data(x, nameof(x), minRows: 2);
        CheckAgainstSamples(x.Rows);
        int n = x.Rows, dim = Components;
        int seed = Seeds.Resolve(Seed);
        var warnings = new List<string>();
        int iterations = Iterations;

        // 1-2. Neighbours and the joint probabilities P.
        progress?.Report(new TsneProgress(TsneStage.Neighbors, 0, iterations));
        SparseAffinities? sparse = null;
        double[]? dense = null;
        if (Method == TsneMethod.BarnesHut)
        {
            int k = Math.Min(n - 1, (int)(3.0 * Perplexity + 1.0));
            var knn = NearestNeighbors.Exact(x, k);
            cancellation.ThrowIfCancellationRequested();
            progress?.Report(new TsneProgress(TsneStage.Affinities, 0, iterations));
            sparse = TsneAffinities.FromNeighbors(knn, Perplexity).P;
        }
        else
        {
            progress?.Report(new TsneProgress(TsneStage.Affinities, 0, iterations));
            dense = TsneAffinities.Exact(x, Perplexity).P;
        }
        cancellation.ThrowIfCancellationRequested();

        // 3. The starting layout.
        progress?.Report(new TsneProgress(TsneStage.Initialization, 0, iterations));
        var y = InitialLayout(x, seed, warnings);
        foreach (var w in warnings) progress?.Report(new TsneProgress(TsneStage.Initialization, 0, iterations, Warning: w));

        // 4. Gradient descent: early exaggeration, then the main phase.
        double dof = Math.Max(dim - 1, 1);
        double learningRate = LearningRate ?? Math.Max(n / EarlyExaggeration / 4.0, 50.0);
        var gradient = new double[n * dim];
        var workspace = sparse is not null ? new TsneGradient.Workspace(n, dim) : null;
        var rowBuffer = new double[n];
        double exaggeration = EarlyExaggeration;
        TsneDescent.Objective objective = (pos, grad, computeError) => sparse is not null
            ? TsneGradient.BarnesHut(pos, n, dim, sparse, exaggeration, dof, Angle, grad, workspace!, computeError)
            : TsneGradient.Exact(pos, n, dim, dense!, exaggeration, dof, grad, rowBuffer, computeError);
        var history = new List<TsneProgress>();
        var stage = TsneStage.EarlyExaggeration;
        void Report(int done, double? kl, double? norm)
        {
            var report = new TsneProgress(stage, done, iterations, kl, norm);
            if (kl is not null) history.Add(report);
            progress?.Report(report);
        }

        int early = Math.Min(ExaggerationIterations, iterations);
        var update = new double[n * dim];
        var gains = new double[n * dim];
        Array.Fill(gains, 1.0);
        double error = double.NaN;
        int it = 0;
        if (early > 0)
            (error, it) = TsneDescent.Run(objective, y, gradient, update, gains, 0, early, Defaults.EarlyMomentum, learningRate,
                MinGradNorm, early, Report, cancellation);
        else
            it = -1;
        exaggeration = 1.0;
        stage = TsneStage.Optimization;
        if (it < early || iterations > early)
        {
            Array.Clear(update);
            Array.Fill(gains, 1.0);
            (error, it) = TsneDescent.Run(objective, y, gradient, update, gains, it + 1, iterations, Defaults.FinalMomentum, learningRate,
                MinGradNorm, IterationsWithoutProgress, Report, cancellation);
        }
        if (double.IsNaN(error)) error = objective(y, gradient, true);

        _embedding = y;
        _rows = n;
        _features = x.Columns;
        _trainHash = Hash(x);
        _seedUsed = seed;
        _iterationsRun = it + 1;
        _kl = error;
        _learningRateUsed = learningRate;
        _history = history;
        _warnings = warnings;
        _fitted = true;
        return this;
    }

    /// <summary>Fits and returns <see cref="Embedding"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Embedding;

    /// <summary>
    /// t-SNE learns positions, not a map: it returns <see cref="Embedding"/> for the training rows themselves and
    /// throws <see cref="NotSupportedException"/> for any other rows (fit on all rows together, or use
    /// <see cref="Umap"/> or <see cref="Isomap"/>, which can place new rows).
    /// </summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(Tsne), nameof(Transform));
        Check.Features(x, _features, nameof(x), nameof(Tsne));
        if (x.Rows == _rows && Hash(x) == _trainHash) return Embedding;
        throw new NotSupportedException(
            $"Tsne cannot place new rows: t-SNE optimises the positions of the rows it was fitted on ({_rows} rows) and learns no map. Fit on the old and new rows together, or use Umap or Isomap, which have Transform.");
    }

    private double[] InitialLayout(DataMatrix x, int seed, List<string> warnings)
    {
        int n = x.Rows, dim = Components;
        var y = new double[n * dim];
        if (Init == TsneInit.Pca && dim <= x.Columns)
        {
            var scores = new Pca { Components = dim, Seed = seed }.FitTransform(x);
            Array.Copy(scores.Data, y, y.Length);
            // scikit-learn 1.2: divide by the standard deviation of the first column, times 1e-4.
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++) mean += y[i * dim];
            mean /= n;
            for (int i = 0; i < n; i++) { double d = y[i * dim] - mean; var += d * d; }
            double std = Math.Sqrt(var / n);
            double scale = std > 0 ? 1e-4 / std : 1.0;
            for (int t = 0; t < y.Length; t++) y[t] *= scale;
            return y;
        }
        if (Init == TsneInit.Pca)
            warnings.Add($"Init is Pca, but the data has {x.Columns} features, fewer than Components = {dim}; the layout started from random positions instead. Use Init = TsneInit.Random or fewer Components.");
        var random = Seeds.Create(seed);
        for (int t = 0; t < y.Length; t++) y[t] = 1e-4 * random.NextGaussian();
        return y;
    }

    private static ulong Hash(DataMatrix x)
    {
        // FNV-1a over the bits of every value: identifies the training rows without keeping a copy of them.
        ulong h = 14695981039346656037UL;
        foreach (double v in x.AsSpan())
        {
            h ^= (ulong)BitConverter.DoubleToInt64Bits(v);
            h *= 1099511628211UL;
        }
        return h ^ (ulong)x.Columns;
    }

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private void CheckOptions()
    {
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
        if (Method == TsneMethod.BarnesHut && Components > 3)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but Method = BarnesHut supports at most 3 (its tree is a quadtree or an octree). Use Components = 2 or 3, or Method = TsneMethod.Exact.");
        Check.Positive(Perplexity, nameof(Perplexity), "Use, for example, Perplexity = 30 (typical values are 5 to 50).");
        if (!(EarlyExaggeration >= 1) || !double.IsFinite(EarlyExaggeration))
            throw new ArgumentOutOfRangeException(nameof(EarlyExaggeration), EarlyExaggeration, $"EarlyExaggeration is {F(EarlyExaggeration)}, but it must be a finite number of 1 or more. Use the default 12.");
        if (LearningRate is { } lr) Check.Positive(lr, nameof(LearningRate), "Use null for \"auto\" (max(N / EarlyExaggeration / 4, 50)) or, for example, 200.");
        if (Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"Iterations is {Iterations}, but it must be at least 1. Use, for example, the default 1000.");
        if (ExaggerationIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(ExaggerationIterations), ExaggerationIterations, $"ExaggerationIterations is {ExaggerationIterations}, but it must be 0 or more. Use the default 250.");
        if (IterationsWithoutProgress < 1)
            throw new ArgumentOutOfRangeException(nameof(IterationsWithoutProgress), IterationsWithoutProgress, $"IterationsWithoutProgress is {IterationsWithoutProgress}, but it must be at least 1. Use the default 300.");
        if (!(MinGradNorm >= 0) || !double.IsFinite(MinGradNorm))
            throw new ArgumentOutOfRangeException(nameof(MinGradNorm), MinGradNorm, $"MinGradNorm is {F(MinGradNorm)}, but it must be a finite number of 0 or more. Use the default 1e-7.");
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, $"Method is {(int)Method}, which is not a TsneMethod. Use BarnesHut or Exact.");
        Check.Range(Angle, 0.0, 1.0, nameof(Angle), "Use the default 0.5 (0 is exact and slow; larger is faster and coarser).");
        if (!Enum.IsDefined(Init))
            throw new ArgumentOutOfRangeException(nameof(Init), Init, $"Init is {(int)Init}, which is not a TsneInit. Use Pca or Random.");
    }

    private void CheckAgainstSamples(int samples)
    {
        if (Perplexity >= samples)
            throw new ArgumentOutOfRangeException(nameof(Perplexity), Perplexity,
                $"Perplexity is {F(Perplexity)}, but the data has {samples} samples. Perplexity must be smaller than the sample count (each point's Gaussian covers about Perplexity neighbours, searched among the 3 x Perplexity nearest): lower Perplexity, for example to {F(Math.Max(1, Math.Floor((samples - 1) / 3.0)))}, or pass more rows.");
        if (Components >= samples)
            throw new ArgumentOutOfRangeException(nameof(Components), Components,
                $"Components is {Components}, but the data has {samples} samples. Components must be smaller than the sample count: lower Components or pass more rows.");
    }
}
