using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Decomposition;

/// <summary>
/// Principal component analysis: finds the orthogonal directions (principal axes) along which the data
/// varies most, and projects the data onto the first <see cref="Components"/> of them.
/// </summary>
/// <remarks>
/// <para>
/// With X_c the centred n x p data, the covariance matrix is S = X_c^T X_c / (n - 1) and its eigenvectors
/// v_1, v_2, ... (ordered by eigenvalue lambda_1 &gt;= lambda_2 &gt;= ...) are the principal axes
/// (Pearson 1901; Hotelling 1933, eq. 1-8; Jolliffe, <i>Principal Component Analysis</i>, 2nd ed., 2002,
/// section 1.1, eq. 1.1.1). Equivalently, with the thin SVD X_c = U Sigma V^T, the axes are the rows of V^T
/// and lambda_k = sigma_k^2 / (n - 1). The scores of a row x are z = (x - mean) V_k.
/// </para>
/// <para>
/// Solvers (<see cref="PcaSolver"/>): <c>Covariance</c> forms X_c^T X_c on libtorch and calls the symmetric
/// eigensolver (<c>eigh</c>); the product is accumulated over row chunks of the data, centred one chunk at a time
/// in a small buffer, and only its lower triangle is computed (column-block products, about half the work of a
/// full product, as BLAS's <c>syrk</c>), so no centred n x p copy of the data is made. <c>Svd</c> runs LAPACK's
/// thin SVD of X_c. <c>Randomized</c> follows Halko, Martinsson and Tropp (2011), "Finding structure with
/// randomness", SIAM Review 53(2), Algorithm 4.4 (randomized subspace iteration, with QR re-orthonormalisation
/// at each step). Up to <see cref="Defaults.CovarianceFeatureLimit"/> features it runs that iteration on the
/// p x p Gram matrix C = X_c^T X_c = V Sigma^2 V^T, formed once as above: q power iterations on X_c reach the
/// subspace span(C^(q+1) Omega) of right singular vectors, and on C each step costs a p x p x l product instead
/// of two n x p x l ones; the Rayleigh-Ritz step then diagonalises the l x l matrix Q^T C Q (section 5.1 in
/// eigenvalue form). Forming C squares the condition number, which, as for the covariance solver, limits only
/// the relative accuracy of eigenvalues far below the largest one (absolute error about machine epsilon times
/// lambda_1), not that of the leading components PCA keeps. Above the feature limit, where C would be large,
/// it iterates on the tall n x p matrix X_c itself and finishes with Algorithm 5.1 (direct SVD of the small
/// matrix Q^T X_c).
/// </para>
/// <para>
/// Integer data (8-bit images such as Digits or Fashion-MNIST loaded as 0..255): when every value is an integer and
/// the magnitudes are small, both Gram-matrix solvers form X_c^T X_c exactly in float32, about twice as fast as in
/// float64. Each column is shifted by an integer c_j (the midpoint of its range), so |x_ij - c_j| &lt;= M (128 for
/// 0..255), and S = (X - c)^T (X - c) is accumulated over chunks of r rows with r M^2 &lt; 2^24: every product and
/// every partial sum of a chunk's float32 matrix product is then an integer below 2^24, which float32 holds exactly,
/// whatever order BLAS adds in. The chunks are added in float64, exactly, because the totals stay below 2^53. With
/// the exact column sums T of X - c, n X_c^T X_c = n S - T T^T (centring removes any shift), an integer whose terms
/// stay below 2^52 when n^2 M^2 &lt; 2^52, so the result has a single rounding, the division by n: it is at least as
/// accurate as the float64 route, not an approximation. Data with any non-integer value, or outside these bounds
/// (M^2 &gt;= 2^18, that is chunks under 64 rows, or too many rows), take the float64 route.
/// </para>
/// <para>
/// Sign convention: as scikit-learn's <c>svd_flip</c> (u-based, as in its 'full' and 'randomized' solvers),
/// each axis is oriented so that the score column (the column of U) with the largest magnitude entry is
/// positive. Every solver applies the same rule, so <see cref="PrincipalAxes"/> equal scikit-learn's
/// <c>components_</c> including their signs.
/// </para>
/// <para>
/// <see cref="PcaMatrix.Correlation"/> divides every centred feature by its population standard deviation
/// before the decomposition (constant features are left unscaled), which equals scikit-learn's
/// <c>StandardScaler</c> followed by <c>PCA</c>. <see cref="Whiten"/> divides every score by
/// sqrt(lambda_k) so that each component has unit variance. <see cref="NoiseVariance"/> is the probabilistic
/// PCA estimate of Tipping and Bishop (1999), eq. 15: the mean of the discarded eigenvalues.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var digits = BundledSets.Digits();
/// var pca = new Pca { Components = 0.95 }.Fit(digits.Features);
/// Console.WriteLine($"{pca.ComponentCount} components keep 95% of the variance");
/// DataMatrix scores = pca.Transform(digits.Features);
/// </code>
/// </example>
[ModelType("Pca")]
public sealed class Pca : IReducer, IInvertibleTransformer, IStateful
{
    /// <summary>Default values of the options.</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="Pca.Components"/>: 2.</summary>
        public const double Components = 2;

        /// <summary>Default <see cref="Pca.Solver"/>: <see cref="PcaSolver.Auto"/>.</summary>
        public const PcaSolver Solver = PcaSolver.Auto;

        /// <summary>Default <see cref="Pca.Matrix"/>: <see cref="PcaMatrix.Covariance"/>.</summary>
        public const PcaMatrix Matrix = PcaMatrix.Covariance;

        /// <summary>Default <see cref="Pca.Whiten"/>: false.</summary>
        public const bool Whiten = false;

        /// <summary>Default <see cref="Pca.Oversamples"/>: 10 (as scikit-learn).</summary>
        public const int Oversamples = 10;

        /// <summary>Default <see cref="Pca.PowerIterations"/>: null, meaning 7 when Components &lt; 0.1 min(n, p), else 4 (as scikit-learn's 'auto').</summary>
        public static readonly int? PowerIterations = null;

        /// <summary><see cref="PcaSolver.Auto"/> uses the covariance solver up to this many features: 1000.</summary>
        public const int CovarianceFeatureLimit = 1000;

        /// <summary><see cref="PcaSolver.Auto"/> uses the randomized solver (above the feature limit) when Components is below this fraction of min(n, p): 0.8.</summary>
        public const double RandomizedFraction = 0.8;
    }

    private bool _fitted;
    private DataMatrix _axes = null!;
    private double[] _variance = [], _ratio = [], _singular = [], _mean = [];
    private double[]? _scale;
    private double _noise;
    private int _samples, _seedUsed;
    private PcaSolver _solverUsed;

    /// <summary>
    /// How many components to keep. A whole number k &gt;= 1 keeps k components (at most min(samples,
    /// features)); a fraction f in (0, 1) keeps the fewest components whose explained variance ratios sum to more
    /// than f (as scikit-learn's <c>n_components=0.95</c>). Default <see cref="Defaults.Components"/> (2).
    /// </summary>
    public double Components { get; init; } = Defaults.Components;

    /// <summary>The solver; default <see cref="PcaSolver.Auto"/> (rule in <see cref="PcaSolver.Auto"/>).</summary>
    public PcaSolver Solver { get; init; } = Defaults.Solver;

    /// <summary>Covariance (default) or correlation PCA; see <see cref="PcaMatrix"/>.</summary>
    public PcaMatrix Matrix { get; init; } = Defaults.Matrix;

    /// <summary>When true, scores are divided by sqrt(explained variance) so each component has unit variance. Default false.</summary>
    public bool Whiten { get; init; } = Defaults.Whiten;

    /// <summary>Power (subspace) iterations of the randomized solver, 0 or more; null (default) picks 7 when Components &lt; 0.1 min(n, p), else 4.</summary>
    public int? PowerIterations { get; init; } = Defaults.PowerIterations;

    /// <summary>Extra random directions of the randomized solver, 0 or more; default 10.</summary>
    public int Oversamples { get; init; } = Defaults.Oversamples;

    /// <summary>Seed of the randomized solver's random directions; null draws one (see <see cref="SeedUsed"/>). The other solvers are deterministic.</summary>
    public int? Seed { get; init; }

    /// <summary>The seed the last Fit used (<see cref="Seed"/>, or the one drawn).</summary>
    public int SeedUsed { get { Check.Fitted(_fitted, nameof(Pca), nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>The solver the last Fit ran (what <see cref="PcaSolver.Auto"/> chose).</summary>
    public PcaSolver SolverUsed { get { Check.Fitted(_fitted, nameof(Pca), nameof(SolverUsed)); return _solverUsed; } }

    /// <summary>Test hook: whether Fit may take the exact integer route for the Gram matrix (default true).</summary>
    internal bool AllowIntegerGram { get; set; } = true;

    /// <summary>Test hook: whether the last Fit formed the Gram matrix by the exact integer route.</summary>
    internal bool IntegerGramUsed { get; private set; }

    /// <summary>The principal axes, one row per component (components x features), ordered by explained variance; scikit-learn's <c>components_</c>.</summary>
    public DataMatrix PrincipalAxes { get { Check.Fitted(_fitted, nameof(Pca), nameof(PrincipalAxes)); return _axes.Clone(); } }

    /// <summary>Variance of the data along each axis: the eigenvalues lambda_k of the covariance matrix (divisor n - 1).</summary>
    public double[] ExplainedVariance { get { Check.Fitted(_fitted, nameof(Pca), nameof(ExplainedVariance)); return (double[])_variance.Clone(); } }

    /// <summary>Each component's share of the total variance; sums to 1 when every component is kept.</summary>
    public double[] ExplainedVarianceRatio { get { Check.Fitted(_fitted, nameof(Pca), nameof(ExplainedVarianceRatio)); return (double[])_ratio.Clone(); } }

    /// <summary>Singular values sigma_k of the centred (and, for correlation PCA, scaled) data: sqrt(lambda_k (n - 1)).</summary>
    public double[] SingularValues { get { Check.Fitted(_fitted, nameof(Pca), nameof(SingularValues)); return (double[])_singular.Clone(); } }

    /// <summary>The per-feature mean removed before projecting.</summary>
    public double[] Mean { get { Check.Fitted(_fitted, nameof(Pca), nameof(Mean)); return (double[])_mean.Clone(); } }

    /// <summary>The per-feature divisor: the population standard deviation for correlation PCA (1 for constant features), all ones for covariance PCA.</summary>
    public double[] Scale { get { Check.Fitted(_fitted, nameof(Pca), nameof(Scale)); return _scale is null ? Enumerable.Repeat(1.0, _mean.Length).ToArray() : (double[])_scale.Clone(); } }

    /// <summary>Probabilistic PCA noise variance: the mean of the discarded eigenvalues (0 when all are kept).</summary>
    public double NoiseVariance { get { Check.Fitted(_fitted, nameof(Pca), nameof(NoiseVariance)); return _noise; } }

    /// <summary>The number of components kept (resolved from a fractional <see cref="Components"/>).</summary>
    public int ComponentCount { get { Check.Fitted(_fitted, nameof(Pca), nameof(ComponentCount)); return _axes.Rows; } }

    /// <summary>The number of features seen at Fit.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(Pca), nameof(FeatureCount)); return _axes.Columns; } }

    /// <summary>The number of samples seen at Fit.</summary>
    public int SampleCount { get { Check.Fitted(_fitted, nameof(Pca), nameof(SampleCount)); return _samples; } }

    /// <summary>
    /// Loadings, one row per component (components x features): each axis times sqrt(lambda_k). For correlation
    /// PCA they are the correlations between the features and the components.
    /// </summary>
    public DataMatrix Loadings
    {
        get
        {
            Check.Fitted(_fitted, nameof(Pca), nameof(Loadings));
            var l = _axes.Clone();
            Dense.ScaleRows(l.Data, l.Columns, _variance.Select(Math.Sqrt).ToArray());
            return l;
        }
    }

    /// <summary>Learns the principal axes of <paramref name="x"/> (rows are samples) and returns this instance.</summary>
    /// <exception cref="ArgumentException">x is null, empty, has fewer than 2 rows or a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or Components exceeds the features or samples.</exception>
    public Pca Fit(DataMatrix x)
    {
        FitCore(x, keepScores: false);
        return this;
    }

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Fits and returns the scores of the training rows (n x components).</summary>
    public DataMatrix FitTransform(DataMatrix x)
    {
        var scores = FitCore(x, keepScores: true)!;
        if (Whiten) Dense.ScaleColumns(scores.Data, scores.Rows, scores.Columns, WhitenDivisor().Select(d => 1 / d).ToArray());
        return scores;
    }

    /// <summary>Projects rows onto the principal axes: ((x - mean) / scale) V_k, divided by sqrt(lambda_k) when whitening.</summary>
    /// <exception cref="ArgumentException">The feature count differs from Fit, or x holds a non-finite value.</exception>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(Pca), nameof(Transform));
        Check.Features(x, _axes.Columns, nameof(x), nameof(Pca));
        return Dense.Project(x, _mean, _scale, _axes, Whiten ? WhitenDivisor() : null);
    }

    /// <summary>Maps scores back to the input space: z V_k^T (times sqrt(lambda_k) when whitening), rescaled, plus the mean.</summary>
    /// <exception cref="ArgumentException">z does not have <see cref="ComponentCount"/> columns, or holds a non-finite value.</exception>
    public DataMatrix InverseTransform(DataMatrix z)
    {
        Check.Fitted(_fitted, nameof(Pca), nameof(InverseTransform));
        Dense.CheckComponents(z, _axes.Rows, nameof(z), nameof(Pca));
        return Dense.Unproject(z, _mean, _scale, _axes, Whiten ? WhitenDivisor() : null);
    }

    /// <summary>
    /// Mean squared reconstruction error over every element: mean over i, j of (x_ij - xhat_ij)^2 where
    /// xhat = InverseTransform(Transform(x)), in the units of x. It is 0 (to rounding) when every component is kept.
    /// </summary>
    public double ReconstructionError(DataMatrix x) => SampleReconstructionErrors(x).Average();

    /// <summary>Per-sample reconstruction error: for each row, the mean over features of (x_ij - xhat_ij)^2.</summary>
    public double[] SampleReconstructionErrors(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(Pca), nameof(ReconstructionError));
        Check.Features(x, _axes.Columns, nameof(x), nameof(Pca));
        var back = InverseTransform(Transform(x));
        var errors = new double[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var a = x.Row(i);
            var b = back.Row(i);
            double s = 0;
            for (int j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
            errors[i] = s / a.Length;
        }
        return errors;
    }

    /// <summary>Writes the fitted model to <paramref name="path"/> (see <see cref="ModelFile"/>).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(Pca), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; it transforms exactly as the saved one did.</summary>
    public static Pca Load(string path) => ModelFile.Load<Pca>(path);

    private double[] WhitenDivisor() => _variance.Select(v => v > 0 ? Math.Sqrt(v) : 1.0).ToArray();

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>The option rules (checked before any work).</summary>
    private bool CheckOptions()
    {
        double c = Components;
        bool isFraction = c > 0 && c < 1;
        bool isCount = c >= 1 && c <= int.MaxValue && c == Math.Floor(c);
        if (!isFraction && !isCount)
            throw new ArgumentOutOfRangeException(nameof(Components), c,
                $"Components is {F(c)}, but it must be a whole number of components (1, 2, 3, ...) or a fraction strictly between 0 and 1 of the variance to keep. Use, for example, Components = 2 or Components = 0.95.");
        if (!Enum.IsDefined(Solver))
            throw new ArgumentOutOfRangeException(nameof(Solver), Solver, $"Solver is {(int)Solver}, which is not a PcaSolver. Use PcaSolver.Auto, Covariance, Svd or Randomized.");
        if (!Enum.IsDefined(Matrix))
            throw new ArgumentOutOfRangeException(nameof(Matrix), Matrix, $"Matrix is {(int)Matrix}, which is not a PcaMatrix. Use PcaMatrix.Covariance or PcaMatrix.Correlation.");
        if (Oversamples < 0)
            throw new ArgumentOutOfRangeException(nameof(Oversamples), Oversamples, $"Oversamples is {Oversamples}, but it must be 0 or more. Use the default 10.");
        if (PowerIterations is < 0)
            throw new ArgumentOutOfRangeException(nameof(PowerIterations), PowerIterations, $"PowerIterations is {PowerIterations}, but it must be 0 or more (or null for the automatic choice). Use null or a value such as 4.");
        if (Solver == PcaSolver.Randomized && isFraction)
            throw new ArgumentException(
                $"Components is {F(c)}, a fraction of variance, but Solver is Randomized, which computes only a fixed number of components. Pass a whole number of components, or use Solver Covariance, Svd or Auto.",
                nameof(Components));
        return isFraction;
    }

    /// <summary>
    /// The rule of <see cref="PcaSolver.Auto"/>: <see cref="PcaSolver.Covariance"/> up to
    /// <see cref="Defaults.CovarianceFeatureLimit"/> features; above that <see cref="PcaSolver.Randomized"/> when
    /// <paramref name="components"/> is a count below <see cref="Defaults.RandomizedFraction"/> of min(samples, features);
    /// otherwise <see cref="PcaSolver.Svd"/>.
    /// </summary>
    /// <param name="samples">Rows of the data.</param>
    /// <param name="features">Columns of the data.</param>
    /// <param name="components">The <see cref="Components"/> option (a count or a fraction).</param>
    public static PcaSolver ChooseSolver(int samples, int features, double components)
    {
        if (features <= Defaults.CovarianceFeatureLimit) return PcaSolver.Covariance;
        if (components >= 1 && components < Defaults.RandomizedFraction * Math.Min(samples, features)) return PcaSolver.Randomized;
        return PcaSolver.Svd;
    }

    private DataMatrix? FitCore(DataMatrix x, bool keepScores)
    {
        bool isFraction = CheckOptions();
        Check.Shape(x, nameof(x), minRows: 2);
        int n = x.Rows, p = x.Columns;
        var solver = Solver == PcaSolver.Auto ? ChooseSolver(n, p, Components) : Solver;
        int seed = Seeds.Resolve(Seed);
        bool gramSolver = solver == PcaSolver.Covariance || (solver == PcaSolver.Randomized && p <= Defaults.CovarianceFeatureLimit);
        var columns = Dense.Scan(x, integers: gramSolver && AllowIntegerGram);
        // Integers of finite magnitude are finite: only other data needs the separate test.
        if (columns.Integers is not { MaxAbs: < double.PositiveInfinity }) Check.Finite(x, nameof(x));
        if (!isFraction)
        {
            if (Components > p)
                throw new ArgumentOutOfRangeException(nameof(Components), Components,
                    $"Components is {F(Components)}, but the data has {p} features. Components must be at most min(samples, features) = {Math.Min(n, p)}: lower Components.");
            if (Components > n)
                throw new ArgumentOutOfRangeException(nameof(Components), Components,
                    $"Components is {F(Components)}, but the data has {n} samples. Components must be at most min(samples, features) = {Math.Min(n, p)}: lower Components or pass more rows.");
        }

        var mean = columns.Mean;
        double[]? scale = null;
        if (Matrix == PcaMatrix.Correlation)
        {
            scale = Dense.ColumnStd(x, mean);
            for (int j = 0; j < p; j++) if (scale[j] == 0) scale[j] = 1;
        }

        TorchRuntime.EnsureLoaded();
        PcaSolution s;
        if (solver == PcaSolver.Covariance)
        {
            s = PcaSolvers.Covariance(x, mean, scale, columns.Integers, Components, keepScores);
        }
        else if (gramSolver)
        {
            s = PcaSolvers.RandomizedGram(x, mean, scale, columns.Integers, (int)Components, Oversamples, PowerIterations, seed, keepScores);
        }
        else
        {
            using var scope = torch.NewDisposeScope();
            var xc = Dense.Centered(x, mean, scale);
            s = solver == PcaSolver.Svd
                ? PcaSolvers.Svd(xc, Components)
                : PcaSolvers.Randomized(xc, (int)Components, Oversamples, PowerIterations, seed, TotalVariance(x, mean, scale));
        }

        _axes = s.Axes;
        _variance = s.Variance;
        _ratio = s.Ratio;
        _singular = s.Singular;
        _noise = s.Noise;
        _mean = mean;
        _scale = scale;
        _samples = n;
        _seedUsed = seed;
        _solverUsed = solver;
        IntegerGramUsed = s.IntegerGram;
        _fitted = true;
        return keepScores ? s.Scores : null;
    }

    /// <summary>Sum of the column variances (divisor n - 1) of the centred, scaled data.</summary>
    private static double TotalVariance(DataMatrix x, double[] mean, double[]? scale)
    {
        var std = Dense.ColumnStd(x, mean);
        double total = 0;
        for (int j = 0; j < std.Length; j++)
        {
            double v = std[j] * std[j] * x.Rows / (x.Rows - 1);
            total += scale is null ? v : v / (scale[j] * scale[j]);
        }
        return total;
    }

    JsonObject IStateful.GetState() => new()
    {
        ["components"] = Components,
        ["solver"] = Solver.ToString(),
        ["matrix"] = Matrix.ToString(),
        ["whiten"] = Whiten,
        ["powerIterations"] = PowerIterations,
        ["oversamples"] = Oversamples,
        ["seed"] = Seed,
        ["seedUsed"] = _seedUsed,
        ["solverUsed"] = _solverUsed.ToString(),
        ["samples"] = _samples,
        ["axes"] = State.Matrix(_axes),
        ["explainedVariance"] = State.Array(_variance),
        ["explainedVarianceRatio"] = State.Array(_ratio),
        ["singularValues"] = State.Array(_singular),
        ["mean"] = State.Array(_mean),
        ["scale"] = _scale is null ? null : State.Array(_scale),
        ["noiseVariance"] = _noise,
    };

    internal static Pca FromState(JsonObject state) => new()
    {
        Components = State.Double(state["components"], "components"),
        Solver = State.Enum<PcaSolver>(state["solver"], "solver"),
        Matrix = State.Enum<PcaMatrix>(state["matrix"], "matrix"),
        Whiten = (bool?)state["whiten"] ?? false,
        PowerIterations = (int?)state["powerIterations"],
        Oversamples = State.Int(state["oversamples"], "oversamples"),
        Seed = (int?)state["seed"],
        _seedUsed = State.Int(state["seedUsed"], "seedUsed"),
        _solverUsed = State.Enum<PcaSolver>(state["solverUsed"], "solverUsed"),
        _samples = State.Int(state["samples"], "samples"),
        _axes = State.Matrix(state["axes"], "axes"),
        _variance = State.Doubles(state["explainedVariance"], "explainedVariance"),
        _ratio = State.Doubles(state["explainedVarianceRatio"], "explainedVarianceRatio"),
        _singular = State.Doubles(state["singularValues"], "singularValues"),
        _mean = State.Doubles(state["mean"], "mean"),
        _scale = state["scale"] is null ? null : State.Doubles(state["scale"], "scale"),
        _noise = State.Double(state["noiseVariance"], "noiseVariance"),
        _fitted = true,
    };
}
