using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Decomposition;

/// <summary>
/// Factor analysis: a linear Gaussian latent-variable model x = W z + mean + noise, z ~ N(0, I), with a separate
/// noise variance per feature (PCA's probabilistic cousin, which assumes one shared noise variance).
/// </summary>
/// <remarks>
/// Maximum likelihood by the SVD-based iteration of Barber, <i>Bayesian Reasoning and Machine Learning</i> (2012),
/// algorithm 21.1, as in scikit-learn's <c>FactorAnalysis</c> with <c>svd_method='lapack'</c>: with Psi the diagonal
/// noise variances, each step takes the exact top-k eigenpairs (s_k^2, v_k) of Psi^{-1/2} S Psi^{-1/2} (S the
/// covariance with divisor n, here from one libtorch product X_c^T X_c and a symmetric eigensolver instead of an SVD
/// of the n x p data per step), sets W = Psi^{1/2} V_k diag(sqrt(max(s^2 - 1, 0))) and Psi = max(diag(S) - diag(W W^T), 1e-12).
/// The log-likelihood (Barber eq. 21.2.19) is recorded each step; the iteration stops when it rises by less than
/// <see cref="Tolerance"/>. Each row of <see cref="Loadings"/> is oriented so its largest-magnitude entry is positive
/// (scikit-learn leaves the LAPACK sign). Transform gives the posterior means
/// E[z | x] = (I + W Psi^{-1} W^T)^{-1} W Psi^{-1} (x - mean) (Bishop, <i>Pattern Recognition and Machine Learning</i>, eq. 12.66).
/// </remarks>
/// <example>
/// <code>
/// var fa = new FactorAnalysis { Components = 3 }.Fit(x);
/// double[] noise = fa.NoiseVariance;
/// </code>
/// </example>
[ModelType("FactorAnalysis")]
public sealed class FactorAnalysis : IReducer, IStateful
{
    /// <summary>Default values of the options.</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="FactorAnalysis.Components"/>: 2.</summary>
        public const int Components = 2;

        /// <summary>Default <see cref="FactorAnalysis.MaxIterations"/>: 1000.</summary>
        public const int MaxIterations = 1000;

        /// <summary>Default <see cref="FactorAnalysis.Tolerance"/>: 1e-2 (on the log-likelihood).</summary>
        public const double Tolerance = 1e-2;
    }

    private const double Small = 1e-12;
    private bool _fitted, _converged;
    private DataMatrix _loadings = null!;
    private double[] _noise = [], _mean = [], _logLikelihood = [];
    private List<string> _warnings = [];

    /// <summary>Number of latent factors, 1 to features; default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>Most iterations, at least 1; default 1000.</summary>
    public int MaxIterations { get; init; } = Defaults.MaxIterations;

    /// <summary>Stop when the log-likelihood rises by less than this, greater than 0; default 1e-2.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>The factor loadings W, one row per factor (components x features); scikit-learn's <c>components_</c>.</summary>
    public DataMatrix Loadings { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Loadings)); return _loadings.Clone(); } }

    /// <summary>The noise variance of each feature (Psi).</summary>
    public double[] NoiseVariance { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(NoiseVariance)); return (double[])_noise.Clone(); } }

    /// <summary>The per-feature mean.</summary>
    public double[] Mean { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Mean)); return (double[])_mean.Clone(); } }

    /// <summary>The log-likelihood of the training data after each iteration.</summary>
    public double[] LogLikelihood { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(LogLikelihood)); return (double[])_logLikelihood.Clone(); } }

    /// <summary>Iterations run.</summary>
    public int Iterations { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Iterations)); return _logLikelihood.Length; } }

    /// <summary>Whether the log-likelihood settled before <see cref="MaxIterations"/>.</summary>
    public bool Converged { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Converged)); return _converged; } }

    /// <summary>Recoverable problems of the last Fit (for example no convergence), with a remedy.</summary>
    public IReadOnlyList<string> Warnings { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Warnings)); return _warnings; } }

    /// <summary>Number of factors.</summary>
    public int ComponentCount { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(ComponentCount)); return _loadings.Rows; } }

    /// <summary>Number of features.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(FeatureCount)); return _loadings.Columns; } }

    /// <summary>Fits the model to <paramref name="x"/> by the iteration described in the remarks.</summary>
    public FactorAnalysis Fit(DataMatrix x)
    {
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, $"MaxIterations is {MaxIterations}, but it must be at least 1. Use the default 1000.");
        if (!(Tolerance > 0 && double.IsFinite(Tolerance)))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"Tolerance is {Tolerance.ToString(CultureInfo.InvariantCulture)}, but it must be a finite number greater than 0. Use the default 1e-2.");
        Check.Data(x, nameof(x), minRows: 2);
        int n = x.Rows, p = x.Columns, k = Components;
        if (k > p)
            throw new ArgumentOutOfRangeException(nameof(Components), k, $"Components is {k}, but the data has {p} features. Lower Components to at most {p}.");

        var mean = Dense.ColumnMeans(x);
        TorchRuntime.EnsureLoaded();
        double[] s;
        using (var scope = torch.NewDisposeScope())
        {
            var xc = Dense.Centered(x, mean, null);
            s = Dense.Values(xc.t().matmul(xc).div_(n));
        }
        var variance = new double[p];
        for (int j = 0; j < p; j++) variance[j] = s[j * p + j];

        var psi = Enumerable.Repeat(1.0, p).ToArray();
        double llConst = p * Math.Log(2 * Math.PI) + k;
        double oldLl = double.NegativeInfinity;
        var history = new List<double>();
        var w = new double[k * p];
        bool converged = false;
        var m = new double[p * p];
        for (int it = 0; it < MaxIterations; it++)
        {
            var sqrtPsi = psi.Select(v => Math.Sqrt(v) + Small).ToArray();
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) m[i * p + j] = s[i * p + j] / (sqrtPsi[i] * sqrtPsi[j]);
            double trace = 0;
            for (int i = 0; i < p; i++) trace += m[i * p + i];
            double[] values, vectors;
            using (var scope = torch.NewDisposeScope())
            {
                var (ev, evec) = torch.linalg.eigh(torch.tensor(m, new long[] { p, p }, ScalarType.Float64));
                var order = torch.arange(p - 1, p - 1 - k, -1, ScalarType.Int64);
                values = Dense.Values(ev.index_select(0, order));
                vectors = Dense.Values(evec.index_select(1, order).t()); // k x p
            }
            double unexplained = trace - values.Sum();
            for (int c = 0; c < k; c++)
            {
                double f = Math.Sqrt(Math.Max(values[c] - 1, 0));
                for (int j = 0; j < p; j++) w[c * p + j] = f * vectors[c * p + j] * sqrtPsi[j];
            }
            double ll = llConst + values.Sum(Math.Log) + unexplained + psi.Sum(Math.Log);
            ll *= -n / 2.0;
            history.Add(ll);
            if (ll - oldLl < Tolerance) { converged = true; break; }
            oldLl = ll;
            for (int j = 0; j < p; j++)
            {
                double sq = 0;
                for (int c = 0; c < k; c++) sq += w[c * p + j] * w[c * p + j];
                psi[j] = Math.Max(variance[j] - sq, Small);
            }
        }
        Dense.ScaleRows(w, p, Dense.RowSigns(w, k, p));

        _warnings = converged ? [] :
            [$"FactorAnalysis did not converge in {MaxIterations} iterations (last log-likelihood change {history[^1] - history[^2]:G3}, Tolerance {Tolerance:G3}). Raise MaxIterations or Tolerance, or standardise the features."];
        _converged = converged;
        _loadings = new DataMatrix(k, p, w);
        _noise = psi;
        _mean = mean;
        _logLikelihood = history.ToArray();
        _fitted = true;
        return this;
    }

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Fits, then returns the posterior means of the training rows.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);

    /// <summary>The posterior mean of the factors for each row (rows x components).</summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Transform));
        Check.Features(x, _loadings.Columns, nameof(x), nameof(FactorAnalysis));
        int k = _loadings.Rows, p = _loadings.Columns;
        // Projection matrix P = (I + W Psi^-1 W^T)^-1 W Psi^-1 (k x p); scores = (x - mean) P^T.
        var wPsi = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(k, p);
        for (int c = 0; c < k; c++) for (int j = 0; j < p; j++) wPsi[c, j] = _loadings[c, j] / _noise[j];
        var wm = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfArray(_loadings.ToArray());
        var cov = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.CreateIdentity(k) + wPsi * wm.Transpose();
        var proj = cov.Inverse() * wPsi; // symmetric cov: (wPsi^T cov^-1)^T = cov^-1 wPsi
        var axes = new DataMatrix(k, p);
        for (int c = 0; c < k; c++) for (int j = 0; j < p; j++) axes[c, j] = proj[c, j];
        return Dense.Project(x, _mean, null, axes, null);
    }

    /// <summary>Writes the fitted model (see <see cref="ModelFile"/>).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(FactorAnalysis), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static FactorAnalysis Load(string path) => ModelFile.Load<FactorAnalysis>(path);

    JsonObject IStateful.GetState() => new()
    {
        ["components"] = Components,
        ["maxIterations"] = MaxIterations,
        ["tolerance"] = Tolerance,
        ["converged"] = _converged,
        ["loadings"] = State.Matrix(_loadings),
        ["noiseVariance"] = State.Array(_noise),
        ["mean"] = State.Array(_mean),
        ["logLikelihood"] = State.Array(_logLikelihood),
        ["warnings"] = State.Array(_warnings),
    };

    internal static FactorAnalysis FromState(JsonObject state) => new()
    {
        Components = State.Int(state["components"], "components"),
        MaxIterations = State.Int(state["maxIterations"], "maxIterations"),
        Tolerance = State.Double(state["tolerance"], "tolerance"),
        _converged = (bool?)state["converged"] ?? true,
        _loadings = State.Matrix(state["loadings"], "loadings"),
        _noise = State.Doubles(state["noiseVariance"], "noiseVariance"),
        _mean = State.Doubles(state["mean"], "mean"),
        _logLikelihood = State.Doubles(state["logLikelihood"], "logLikelihood"),
        _warnings = State.Strings(state["warnings"], "warnings").ToList(),
        _fitted = true,
    };
}
