using System.Globalization;

namespace DimReduce.Manifold;

/// <summary>
/// Multidimensional scaling: places points so that their Euclidean distances match given dissimilarities (by
/// default the distances between the input rows). Metric MDS by SMACOF minimises the raw stress; classical MDS
/// takes the top eigenvectors of the double-centred squared distances (for Euclidean input it equals PCA).
/// </summary>
/// <remarks>
/// Classical: Torgerson (1952), "Multidimensional scaling: I. Theory and method", Psychometrika 17:401-419.
/// Metric (SMACOF): de Leeuw (1977), "Applications of convex analysis to multidimensional scaling"; Borg and
/// Groenen (2005), "Modern Multidimensional Scaling", chapter 8. <see cref="MdsMethod.Smacof"/> follows
/// scikit-learn 1.2.1's <c>MDS(metric=True)</c>: <see cref="Starts"/> runs from uniform random starts, each up to
/// <see cref="MaxIterations"/> Guttman transforms, stopping when the stress per unit of configuration norm improves
/// by less than <see cref="Tolerance"/>; the run of least stress is kept (the first on ties).
/// Determinism: start s draws from a stream derived from <see cref="Seed"/> and s, and every sum runs in a fixed
/// order, so with a seed the result is identical from run to run on the same machine. scikit-learn's random numbers
/// are not reproduced, so coordinates differ; the stress reached is comparable. Memory and time are O(n^2) per
/// iteration: for a few thousand rows.
/// </remarks>
/// <example>
/// <code>
/// var mds = new Mds { Components = 2, Seed = 0 };
/// DataMatrix layout = mds.FitTransform(wine.Features);
/// double stress = mds.Stress;
/// </code>
/// </example>
public sealed class Mds : IReducer
{
    /// <summary>Default values of the options (scikit-learn 1.2.1's).</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="Mds.Components"/>: 2.</summary>
        public const int Components = 2;

        /// <summary>Default <see cref="Mds.Method"/>: SMACOF (metric MDS).</summary>
        public const MdsMethod Method = MdsMethod.Smacof;

        /// <summary>Default <see cref="Mds.Starts"/>: 4.</summary>
        public const int Starts = 4;

        /// <summary>Default <see cref="Mds.MaxIterations"/>: 300.</summary>
        public const int MaxIterations = 300;

        /// <summary>Default <see cref="Mds.Tolerance"/>: 1e-3.</summary>
        public const double Tolerance = 1e-3;

        /// <summary>Default <see cref="Mds.Dissimilarity"/>: Euclidean distances of the rows.</summary>
        public const MdsDissimilarity Dissimilarity = MdsDissimilarity.Euclidean;
    }

    private bool _fitted;
    private double[] _embedding = [];
    private double[] _eigenvalues = [];
    private int _rows, _columns, _seedUsed, _iterationsRun;
    private double _stress;
    private ulong _trainHash;

    /// <summary>Embedding dimension, 1 to samples - 1; default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>SMACOF (default) or classical.</summary>
    public MdsMethod Method { get; init; } = Defaults.Method;

    /// <summary>SMACOF: random starts (scikit-learn's <c>n_init</c>), at least 1; default 4.</summary>
    public int Starts { get; init; } = Defaults.Starts;

    /// <summary>SMACOF: Guttman transforms per start at most, at least 1; default 300.</summary>
    public int MaxIterations { get; init; } = Defaults.MaxIterations;

    /// <summary>SMACOF: stop when stress / norm improves by less than this (scikit-learn's <c>eps</c>), greater than 0; default 1e-3.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>What Fit receives: feature rows (default) or a precomputed dissimilarity matrix.</summary>
    public MdsDissimilarity Dissimilarity { get; init; } = Defaults.Dissimilarity;

    /// <summary>Seed of the SMACOF starts; null (default) draws one, see <see cref="SeedUsed"/>. Classical MDS uses none.</summary>
    public int? Seed { get; init; }

    /// <summary>The fitted configuration (samples x <see cref="Components"/>).</summary>
    public DataMatrix Embedding { get { Check.Fitted(_fitted, nameof(Mds), nameof(Embedding)); return new DataMatrix(_rows, Components, (double[])_embedding.Clone()); } }

    /// <summary>
    /// Raw stress 1/2 sum_{i,j} (d_ij - delta_ij)^2 (scikit-learn's <c>stress_</c> with <c>normalized_stress=False</c>;
    /// for SMACOF, as scikit-learn, the stress of the configuration before the last transform).
    /// </summary>
    public double Stress { get { Check.Fitted(_fitted, nameof(Mds), nameof(Stress)); return _stress; } }

    /// <summary>Classical: the eigenvalues of the kept components, descending; SMACOF: empty.</summary>
    public IReadOnlyList<double> Eigenvalues { get { Check.Fitted(_fitted, nameof(Mds), nameof(Eigenvalues)); return _eigenvalues.AsReadOnly(); } }

    /// <summary>SMACOF: Guttman transforms run by the kept start; classical: 0.</summary>
    public int IterationsRun { get { Check.Fitted(_fitted, nameof(Mds), nameof(IterationsRun)); return _iterationsRun; } }

    /// <summary>The seed used: <see cref="Seed"/>, or the one drawn when it was null.</summary>
    public int SeedUsed { get { Check.Fitted(_fitted, nameof(Mds), nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>Fits the configuration of <paramref name="x"/> (rows of features, or a dissimilarity matrix with <see cref="MdsDissimilarity.Precomputed"/>); returns this instance.</summary>
    public Mds Fit(DataMatrix x) => Fit(x, null, CancellationToken.None);

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Fits, honouring <paramref name="cancellation"/> before every SMACOF iteration.</summary>
    public Mds Fit(DataMatrix x, CancellationToken cancellation) => Fit(x, null, cancellation);

    /// <summary>Fits, reporting every SMACOF iteration to <paramref name="progress"/> and honouring <paramref name="cancellation"/> before each.</summary>
    public Mds Fit(DataMatrix x, IProgress<MdsProgress>? progress, CancellationToken cancellation = default)
    {
        CheckOptions();
        Check.Data(x, nameof(x), minRows: 2);
        int n = x.Rows, dim = Components;
        double[] delta;
        if (Dissimilarity == MdsDissimilarity.Precomputed)
        {
            CheckDissimilarities(x);
            delta = x.AsSpan().ToArray();
        }
        else delta = ClassicalScaling.Distances(x);
        if (Components >= n)
            throw new ArgumentOutOfRangeException(nameof(Components), Components,
                $"Components is {Components}, but the data has {n} samples. Components must be smaller than the sample count: lower Components or pass more rows.");
        int seed = Seeds.Resolve(Seed);

        double[] best;
        double bestStress;
        int iterations = 0;
        double[] eigenvalues = [];
        if (Method == MdsMethod.Classical)
        {
            var result = ClassicalScaling.Fit(delta, n, dim);
            best = result.Embedding;
            eigenvalues = result.Eigenvalues;
            bestStress = Smacof.Stress(delta, n, best, dim);
        }
        else
        {
            best = [];
            bestStress = double.PositiveInfinity;
            for (int s = 0; s < Starts; s++)
            {
                cancellation.ThrowIfCancellationRequested();
                int start = s + 1;
                Action<int, double>? report = progress is null ? null : (it, st) => progress.Report(new MdsProgress(start, Starts, it, st));
                var (conf, stress, its) = Smacof.Run(delta, n, dim, MaxIterations, Tolerance, Seeds.Create(seed, start), report, cancellation);
                if (stress < bestStress || best.Length == 0) { best = conf; bestStress = stress; iterations = its; }
            }
        }

        _embedding = best;
        _eigenvalues = eigenvalues;
        _stress = bestStress;
        _iterationsRun = iterations;
        _seedUsed = seed;
        _rows = n;
        _columns = x.Columns;
        _trainHash = Hash(x);
        _fitted = true;
        return this;
    }

    /// <summary>Fits and returns <see cref="Embedding"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Embedding;

    /// <summary>
    /// MDS places the rows it was fitted on and learns no map: returns <see cref="Embedding"/> for that same matrix
    /// and throws <see cref="NotSupportedException"/> otherwise (fit on all rows together, or use <see cref="Isomap"/>).
    /// </summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(Mds), nameof(Transform));
        Check.Features(x, _columns, nameof(x), nameof(Mds));
        if (x.Rows == _rows && Hash(x) == _trainHash) return Embedding;
        throw new NotSupportedException(
            $"Mds cannot place new rows: it optimises the positions of the {_rows} rows it was fitted on and learns no map. Fit on the old and new rows together, or use Isomap, which has Transform.");
    }

    private static ulong Hash(DataMatrix x)
    {
        ulong h = 14695981039346656037UL;
        foreach (double v in x.AsSpan()) { h ^= (ulong)BitConverter.DoubleToInt64Bits(v); h *= 1099511628211UL; }
        return h ^ (ulong)x.Columns;
    }

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private void CheckOptions()
    {
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, $"Method is {(int)Method}, which is not an MdsMethod. Use Smacof or Classical.");
        if (!Enum.IsDefined(Dissimilarity))
            throw new ArgumentOutOfRangeException(nameof(Dissimilarity), Dissimilarity, $"Dissimilarity is {(int)Dissimilarity}, which is not an MdsDissimilarity. Use Euclidean or Precomputed.");
        if (Starts < 1)
            throw new ArgumentOutOfRangeException(nameof(Starts), Starts, $"Starts is {Starts}, but it must be at least 1. Use the default 4.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, $"MaxIterations is {MaxIterations}, but it must be at least 1. Use the default 300.");
        Check.Positive(Tolerance, nameof(Tolerance), "Use the default 1e-3.");
    }

    private static void CheckDissimilarities(DataMatrix d)
    {
        int n = d.Rows;
        if (d.Columns != n)
            throw new ArgumentException($"x is {d.Rows} x {d.Columns}, but with Dissimilarity = Precomputed it must be a square matrix of dissimilarities. Pass an n x n matrix, or use Dissimilarity = Euclidean for rows of features.", "x");
        for (int i = 0; i < n; i++)
        {
            if (d[i, i] != 0)
                throw new ArgumentException($"x[{i}, {i}] is {F(d[i, i])}, but a dissimilarity matrix has a zero diagonal. Set the diagonal to 0.", "x");
            for (int j = i + 1; j < n; j++)
            {
                if (d[i, j] < 0)
                    throw new ArgumentException($"x[{i}, {j}] is {F(d[i, j])}, but dissimilarities must be 0 or more. Pass distances.", "x");
                if (d[i, j] != d[j, i])
                    throw new ArgumentException($"x[{i}, {j}] is {F(d[i, j])} but x[{j}, {i}] is {F(d[j, i])}; a dissimilarity matrix must be symmetric. Average it with its transpose.", "x");
            }
        }
    }
}
