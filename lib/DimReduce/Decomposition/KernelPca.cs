using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Decomposition;

/// <summary>
/// Kernel PCA: PCA in the feature space of a kernel, which can unfold non-linear structure (circles, spirals)
/// that linear PCA cannot.
/// </summary>
/// <remarks>
/// Schölkopf, Smola and Müller (1998), "Nonlinear component analysis as a kernel eigenvalue problem", Neural
/// Computation 10(5). With the n x n kernel matrix K_ij = k(x_i, x_j), centring in feature space is the double
/// centring K~ = K - 1_n K - K 1_n + 1_n K 1_n (their eq. 49, 1_n the matrix of 1/n); the eigenvectors alpha_k of
/// K~ with eigenvalues lambda_k give the training scores alpha_k sqrt(lambda_k) (eq. 12 normalised so that
/// lambda_k (alpha_k . alpha_k) = 1 in their notation). A new point x is centred the same way against the training
/// kernel (eq. 50) and projected as K~(x, X) alpha_k / sqrt(lambda_k). This matches scikit-learn's <c>KernelPCA</c>
/// with the dense eigensolver, whose eigenvector signs follow <c>svd_flip</c> (the largest-magnitude entry of each
/// alpha_k positive). The training rows are kept, as any kernel method must, to transform new points.
/// </remarks>
/// <example>
/// <code>
/// var kpca = new KernelPca { Kernel = KernelType.Rbf, Gamma = 0.1, Components = 2 };
/// DataMatrix embedding = kpca.FitTransform(x);
/// </code>
/// </example>
[ModelType("KernelPca")]
public sealed class KernelPca : IReducer, IStateful
{
    /// <summary>Default values of the options.</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="KernelPca.Components"/>: 2.</summary>
        public const int Components = 2;

        /// <summary>Default <see cref="KernelPca.Kernel"/>: <see cref="KernelType.Rbf"/>.</summary>
        public const KernelType Kernel = KernelType.Rbf;

        /// <summary>Default <see cref="KernelPca.Gamma"/>: null, meaning 1 / features.</summary>
        public static readonly double? Gamma = null;

        /// <summary>Default <see cref="KernelPca.Degree"/>: 3.</summary>
        public const int Degree = 3;

        /// <summary>Default <see cref="KernelPca.Coef0"/>: 1.</summary>
        public const double Coef0 = 1;
    }

    private bool _fitted;
    private DataMatrix _train = null!, _alphas = null!;
    private double[] _eigenvalues = [], _kernelColumnMeans = [];
    private double _kernelMean, _gammaUsed;

    /// <summary>Number of components, 1 to the number of training samples; default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>The kernel; default <see cref="KernelType.Rbf"/>.</summary>
    public KernelType Kernel { get; init; } = Defaults.Kernel;

    /// <summary>Kernel width/scale for Rbf, Polynomial and Sigmoid, greater than 0; null (default) uses 1 / features.</summary>
    public double? Gamma { get; init; } = Defaults.Gamma;

    /// <summary>Degree of the polynomial kernel, at least 1; default 3.</summary>
    public int Degree { get; init; } = Defaults.Degree;

    /// <summary>Constant term of the polynomial and sigmoid kernels; default 1.</summary>
    public double Coef0 { get; init; } = Defaults.Coef0;

    /// <summary>The gamma used (resolved from null).</summary>
    public double GammaUsed { get { Check.Fitted(_fitted, nameof(KernelPca), nameof(GammaUsed)); return _gammaUsed; } }

    /// <summary>Eigenvalues lambda_k of the centred kernel matrix, descending (negative ones set to 0).</summary>
    public double[] Eigenvalues { get { Check.Fitted(_fitted, nameof(KernelPca), nameof(Eigenvalues)); return (double[])_eigenvalues.Clone(); } }

    /// <summary>Unit eigenvectors alpha_k of the centred kernel matrix, one column per component (samples x components).</summary>
    public DataMatrix Eigenvectors { get { Check.Fitted(_fitted, nameof(KernelPca), nameof(Eigenvectors)); return _alphas.Clone(); } }

    /// <summary>Number of components.</summary>
    public int ComponentCount { get { Check.Fitted(_fitted, nameof(KernelPca), nameof(ComponentCount)); return _alphas.Columns; } }

    /// <summary>Number of features.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(KernelPca), nameof(FeatureCount)); return _train.Columns; } }

    /// <summary>Number of training samples.</summary>
    public int SampleCount { get { Check.Fitted(_fitted, nameof(KernelPca), nameof(SampleCount)); return _train.Rows; } }

    /// <summary>Computes and centres the kernel matrix of <paramref name="x"/> and keeps its top eigenvectors.</summary>
    public KernelPca Fit(DataMatrix x)
    {
        FitCore(x);
        return this;
    }

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Fits and returns the training scores alpha_k sqrt(lambda_k) (samples x components).</summary>
    public DataMatrix FitTransform(DataMatrix x)
    {
        FitCore(x);
        var z = _alphas.Clone();
        Dense.ScaleColumns(z.Data, z.Rows, z.Columns, _eigenvalues.Select(Math.Sqrt).ToArray());
        return z;
    }

    /// <summary>Projects new rows: the centred test kernel K~(x, X) times alpha_k / sqrt(lambda_k).</summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(KernelPca), nameof(Transform));
        Check.Features(x, _train.Columns, nameof(x), nameof(KernelPca));
        var k = KernelMatrix(x, _train);
        int m = x.Rows, n = _train.Rows;
        var kd = k.Data;
        for (int i = 0; i < m; i++)
        {
            double rowMean = 0;
            for (int j = 0; j < n; j++) rowMean += kd[i * n + j];
            rowMean /= n;
            for (int j = 0; j < n; j++) kd[i * n + j] = kd[i * n + j] - _kernelColumnMeans[j] - rowMean + _kernelMean;
        }
        var scaled = _alphas.Clone();
        Dense.ScaleColumns(scaled.Data, n, scaled.Columns, _eigenvalues.Select(l => l > 0 ? 1 / Math.Sqrt(l) : 0).ToArray());
        var zero = new double[n];
        return Dense.Project(k, zero, null, scaled.Transpose(), null);
    }

    /// <summary>Writes the fitted model, training rows included (see <see cref="ModelFile"/>).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(KernelPca), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static KernelPca Load(string path) => ModelFile.Load<KernelPca>(path);

    private void FitCore(DataMatrix x)
    {
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
        if (!Enum.IsDefined(Kernel))
            throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, $"Kernel is {(int)Kernel}, which is not a KernelType. Use Linear, Rbf, Polynomial, Sigmoid or Cosine.");
        if (Gamma is { } g && !(g > 0 && double.IsFinite(g)))
            throw new ArgumentOutOfRangeException(nameof(Gamma), g, $"Gamma is {g.ToString(CultureInfo.InvariantCulture)}, but it must be a finite number greater than 0 (or null for 1 / features). Use, for example, Gamma = 0.1.");
        if (Degree < 1)
            throw new ArgumentOutOfRangeException(nameof(Degree), Degree, $"Degree is {Degree}, but it must be at least 1. Use the default 3.");
        if (!double.IsFinite(Coef0))
            throw new ArgumentOutOfRangeException(nameof(Coef0), Coef0, "Coef0 must be a finite number. Use the default 1.");
        Check.Data(x, nameof(x), minRows: 2);
        int n = x.Rows;
        if (Components > n)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but the data has {n} samples. Kernel PCA has at most one component per sample: lower Components or pass more rows.");

        _gammaUsed = Gamma ?? 1.0 / x.Columns;
        var train = x.Clone();
        var k = KernelMatrix(train, train);
        var kd = k.Data;
        // Double centring (Schölkopf et al. 1998, eq. 49), as scikit-learn's KernelCenterer.
        var colMeans = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) colMeans[j] += kd[i * n + j];
        for (int j = 0; j < n; j++) colMeans[j] /= n;
        double all = colMeans.Sum() / n;
        for (int i = 0; i < n; i++)
        {
            double rowMean = 0;
            for (int j = 0; j < n; j++) rowMean += kd[i * n + j];
            rowMean /= n;
            for (int j = 0; j < n; j++) kd[i * n + j] = kd[i * n + j] - colMeans[j] - rowMean + all;
        }

        TorchRuntime.EnsureLoaded();
        double[] values, vectors;
        using (var scope = torch.NewDisposeScope())
        {
            var (w, v) = torch.linalg.eigh(Dense.Tensor(k));
            var order = torch.arange(n - 1, n - 1 - Components, -1, ScalarType.Int64);
            values = Dense.Values(w.index_select(0, order));
            vectors = Dense.Values(v.index_select(1, order));
        }
        for (int c = 0; c < values.Length; c++) if (values[c] < 0) values[c] = 0;
        Dense.ScaleColumns(vectors, n, Components, Dense.ColumnSigns(vectors, n, Components));

        _train = train;
        _alphas = new DataMatrix(n, Components, vectors);
        _eigenvalues = values;
        _kernelColumnMeans = colMeans;
        _kernelMean = all;
        _fitted = true;
    }

    /// <summary>The kernel matrix k(a_i, b_j) (a.Rows x b.Rows), computed from the Gram matrix on libtorch.</summary>
    internal DataMatrix KernelMatrix(DataMatrix a, DataMatrix b)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var ta = Dense.Tensor(a);
        var tb = Dense.Tensor(b);
        Tensor k;
        switch (Kernel)
        {
            case KernelType.Linear:
                k = ta.matmul(tb.t());
                break;
            case KernelType.Rbf:
            {
                // ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2, clipped at 0 (as scikit-learn's euclidean_distances).
                var d = ta.square().sum(1, keepdim: true).add(tb.square().sum(1).unsqueeze(0)).sub(ta.matmul(tb.t()).mul(2.0)).clamp_min(0.0);
                k = d.mul(-_gammaUsed).exp();
                break;
            }
            case KernelType.Polynomial:
                k = ta.matmul(tb.t()).mul(_gammaUsed).add(Coef0).pow(Degree);
                break;
            case KernelType.Sigmoid:
                k = ta.matmul(tb.t()).mul(_gammaUsed).add(Coef0).tanh();
                break;
            default:
            {
                var na = ta.norm(1, keepdim: true, p: 2);
                var nb = tb.norm(1, keepdim: true, p: 2);
                na = torch.where(na.eq(0), torch.ones_like(na), na);
                nb = torch.where(nb.eq(0), torch.ones_like(nb), nb);
                k = ta.div(na).matmul(tb.div(nb).t());
                break;
            }
        }
        return Dense.Matrix(k);
    }

    JsonObject IStateful.GetState() => new()
    {
        ["components"] = Components,
        ["kernel"] = Kernel.ToString(),
        ["gamma"] = Gamma,
        ["degree"] = Degree,
        ["coef0"] = Coef0,
        ["gammaUsed"] = _gammaUsed,
        ["train"] = State.Matrix(_train),
        ["alphas"] = State.Matrix(_alphas),
        ["eigenvalues"] = State.Array(_eigenvalues),
        ["kernelColumnMeans"] = State.Array(_kernelColumnMeans),
        ["kernelMean"] = _kernelMean,
    };

    internal static KernelPca FromState(JsonObject state) => new()
    {
        Components = State.Int(state["components"], "components"),
        Kernel = State.Enum<KernelType>(state["kernel"], "kernel"),
        Gamma = (double?)state["gamma"],
        Degree = State.Int(state["degree"], "degree"),
        Coef0 = State.Double(state["coef0"], "coef0"),
        _gammaUsed = State.Double(state["gammaUsed"], "gammaUsed"),
        _train = State.Matrix(state["train"], "train"),
        _alphas = State.Matrix(state["alphas"], "alphas"),
        _eigenvalues = State.Doubles(state["eigenvalues"], "eigenvalues"),
        _kernelColumnMeans = State.Doubles(state["kernelColumnMeans"], "kernelColumnMeans"),
        _kernelMean = State.Double(state["kernelMean"], "kernelMean"),
        _fitted = true,
    };
}
