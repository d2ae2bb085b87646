using System.Text.Json.Nodes;
using DimReduce.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Decomposition;

/// <summary>
/// PCA learned from mini-batches, so data larger than memory (or arriving in pieces) can be reduced:
/// call <see cref="PartialFit"/> per batch, or <see cref="Fit"/> to walk a matrix in batches of <see cref="BatchSize"/> rows.
/// </summary>
/// <remarks>
/// Ross, Lim, Lin and Yang (2008), "Incremental learning for robust visual tracking", IJCV 77, section 3.1
/// (sequential Karhunen-Loeve with a mean update, eq. 1-3): after each batch B (centred on its own mean) the
/// model keeps the top k rows of V^T from the thin SVD of the stacked matrix
/// [diag(sigma) V_k^T ; B - mean_B ; sqrt(m n / (m + n)) (mean_old - mean_B)], where m samples were seen before
/// and n are in the batch. Means and variances are merged with Chan, Golub and LeVeque's update. Follows
/// scikit-learn's <c>IncrementalPCA</c>, including its orientation (<c>svd_flip</c>, v-based: the largest-magnitude
/// entry of each axis is positive) and its batching (a last batch shorter than <see cref="Components"/> joins the previous one).
/// </remarks>
/// <example>
/// <code>
/// var ipca = new IncrementalPca { Components = 10, BatchSize = 200 }.Fit(BundledSets.Digits().Features);
/// </code>
/// </example>
[ModelType("IncrementalPca")]
public sealed class IncrementalPca : IReducer, IInvertibleTransformer, IStateful
{
    /// <summary>Default values of the options.</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="IncrementalPca.Components"/>: 2.</summary>
        public const int Components = 2;

        /// <summary>Default <see cref="IncrementalPca.BatchSize"/>: null, meaning 5 x features (as scikit-learn).</summary>
        public static readonly int? BatchSize = null;

        /// <summary>Default <see cref="IncrementalPca.Whiten"/>: false.</summary>
        public const bool Whiten = false;
    }

    private bool _fitted;
    private DataMatrix _axes = null!;
    private double[] _singular = [], _variance = [], _ratio = [], _mean = [], _featureVariance = [];
    private double _noise;
    private long _seen;

    /// <summary>Number of components, 1 to min(features, rows of the first batch); default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>Rows per batch in <see cref="Fit"/>, at least <see cref="Components"/>; null (default) uses 5 x features.</summary>
    public int? BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>When true, scores are divided by sqrt(explained variance). Default false.</summary>
    public bool Whiten { get; init; } = Defaults.Whiten;

    /// <summary>The principal axes, components x features.</summary>
    public DataMatrix PrincipalAxes { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(PrincipalAxes)); return _axes.Clone(); } }

    /// <summary>Variance along each axis (divisor: samples seen - 1).</summary>
    public double[] ExplainedVariance { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(ExplainedVariance)); return (double[])_variance.Clone(); } }

    /// <summary>Each component's share of the total variance.</summary>
    public double[] ExplainedVarianceRatio { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(ExplainedVarianceRatio)); return (double[])_ratio.Clone(); } }

    /// <summary>Singular values of the centred data seen so far.</summary>
    public double[] SingularValues { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(SingularValues)); return (double[])_singular.Clone(); } }

    /// <summary>Running per-feature mean.</summary>
    public double[] Mean { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(Mean)); return (double[])_mean.Clone(); } }

    /// <summary>Running per-feature (population) variance.</summary>
    public double[] FeatureVariance { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(FeatureVariance)); return (double[])_featureVariance.Clone(); } }

    /// <summary>Probabilistic PCA noise variance estimated from the last batch's discarded singular values (as scikit-learn).</summary>
    public double NoiseVariance { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(NoiseVariance)); return _noise; } }

    /// <summary>Number of components kept.</summary>
    public int ComponentCount { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(ComponentCount)); return _axes.Rows; } }

    /// <summary>Number of features.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(FeatureCount)); return _axes.Columns; } }

    /// <summary>Samples seen by all <see cref="PartialFit"/> calls since the last <see cref="Fit"/>.</summary>
    public long SampleCount { get { Check.Fitted(_fitted, nameof(IncrementalPca), nameof(SampleCount)); return _seen; } }

    /// <summary>Forgets any previous state and learns from <paramref name="x"/> in batches of <see cref="BatchSize"/> rows.</summary>
    public IncrementalPca Fit(DataMatrix x)
    {
        CheckOptions();
        Check.Data(x, nameof(x), minRows: 2);
        int batch = BatchSize ?? 5 * x.Columns;
        CheckComponents(x, nameof(x), Math.Min(batch, x.Rows));
        _fitted = false;
        _seen = 0;
        // scikit-learn's gen_batches(n, batch, min_batch_size=Components): a short tail joins the last batch.
        int n = x.Rows, start = 0;
        var slices = new List<(int Start, int End)>();
        for (int b = 0; b < n / batch; b++)
        {
            int end = start + batch;
            if (end + Components > n) continue;
            slices.Add((start, end));
            start = end;
        }
        if (start < n) slices.Add((start, n));
        foreach (var (s, e) in slices)
            PartialFitCore(new DataMatrix(e - s, x.Columns, x.Data.AsSpan(s * x.Columns, (e - s) * x.Columns).ToArray()));
        return this;
    }

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Updates the model with one batch of rows (at least <see cref="Components"/> rows for the first batch).</summary>
    public IncrementalPca PartialFit(DataMatrix batch)
    {
        CheckOptions();
        if (_fitted)
        {
            Check.Features(batch, _axes.Columns, nameof(batch), nameof(IncrementalPca));
        }
        else
        {
            Check.Data(batch, nameof(batch));
            CheckComponents(batch, nameof(batch), batch.Rows);
        }
        PartialFitCore(batch);
        return this;
    }

    /// <summary>Fits, then projects the same data.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);

    /// <summary>Projects rows onto the axes ((x - mean) V_k, divided by sqrt(variance) when whitening).</summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(IncrementalPca), nameof(Transform));
        Check.Features(x, _axes.Columns, nameof(x), nameof(IncrementalPca));
        return Dense.Project(x, _mean, null, _axes, Whiten ? _variance.Select(v => v > 0 ? Math.Sqrt(v) : 1).ToArray() : null);
    }

    /// <summary>Maps scores back to the input space.</summary>
    public DataMatrix InverseTransform(DataMatrix z)
    {
        Check.Fitted(_fitted, nameof(IncrementalPca), nameof(InverseTransform));
        Dense.CheckComponents(z, _axes.Rows, nameof(z), nameof(IncrementalPca));
        return Dense.Unproject(z, _mean, null, _axes, Whiten ? _variance.Select(v => v > 0 ? Math.Sqrt(v) : 1).ToArray() : null);
    }

    /// <summary>Writes the fitted model (see <see cref="ModelFile"/>).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(IncrementalPca), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static IncrementalPca Load(string path) => ModelFile.Load<IncrementalPca>(path);

    private void CheckOptions()
    {
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
        if (BatchSize is { } b && b < Components)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), b, $"BatchSize is {b}, but it must be at least Components ({Components}). Raise BatchSize, or leave it null for 5 x features.");
    }

    private void CheckComponents(DataMatrix x, string paramName, int firstBatchRows)
    {
        if (Components > x.Columns)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but {paramName} has {x.Columns} features. Lower Components to at most {x.Columns}.");
        if (Components > firstBatchRows)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but the first batch has {firstBatchRows} rows. Lower Components, or pass a batch with at least {Components} rows.");
    }

    private void PartialFitCore(DataMatrix batch)
    {
        int n = batch.Rows, p = batch.Columns, k = Components;
        // Chan-Golub-LeVeque merge of means and variances (scikit-learn's _incremental_mean_and_var).
        var batchSum = new double[p];
        for (int i = 0; i < n; i++) { var r = batch.Row(i); for (int j = 0; j < p; j++) batchSum[j] += r[j]; }
        var batchMean = batchSum.Select(v => v / n).ToArray();
        var batchUnnorm = new double[p];
        var correction = new double[p];
        for (int i = 0; i < n; i++)
        {
            var r = batch.Row(i);
            for (int j = 0; j < p; j++) { double d = r[j] - batchMean[j]; correction[j] += d; batchUnnorm[j] += d * d; }
        }
        for (int j = 0; j < p; j++) batchUnnorm[j] -= correction[j] * correction[j] / n;
        long m = _fitted ? _seen : 0;
        long total = m + n;
        var newMean = new double[p];
        var newVar = new double[p];
        for (int j = 0; j < p; j++)
        {
            double lastSum = m == 0 ? 0 : _mean[j] * m;
            newMean[j] = (lastSum + batchSum[j]) / total;
            double unnorm = m == 0
                ? batchUnnorm[j]
                : _featureVariance[j] * m + batchUnnorm[j] + (m / (double)n) / total * Math.Pow(lastSum / (m / (double)n) - batchSum[j], 2);
            newVar[j] = unnorm / total;
        }

        // The stacked matrix of Ross et al. (2008).
        int rows = m == 0 ? n : _axes.Rows + n + 1;
        var stacked = new double[rows * p];
        int at = 0;
        if (m > 0)
        {
            for (int c = 0; c < _axes.Rows; c++, at++)
                for (int j = 0; j < p; j++) stacked[at * p + j] = _singular[c] * _axes[c, j];
        }
        var center = m == 0 ? newMean : batchMean;
        for (int i = 0; i < n; i++, at++)
        {
            var r = batch.Row(i);
            for (int j = 0; j < p; j++) stacked[at * p + j] = r[j] - center[j];
        }
        if (m > 0)
        {
            double f = Math.Sqrt(m / (double)total * n);
            for (int j = 0; j < p; j++) stacked[at * p + j] = f * (_mean[j] - batchMean[j]);
        }

        TorchRuntime.EnsureLoaded();
        double[] sigma, vt;
        using (var scope = torch.NewDisposeScope())
        {
            var (_, s, vh) = torch.linalg.svd(torch.tensor(stacked, new long[] { rows, p }, ScalarType.Float64), fullMatrices: false);
            sigma = Dense.Values(s);
            vt = Dense.Values(vh);
        }
        int r2 = sigma.Length;
        var signs = Dense.RowSigns(vt, r2, p);
        Dense.ScaleRows(vt, p, signs);
        var explained = sigma.Select(v => v * v / (total - 1)).ToArray();
        double totalVar = newVar.Sum() * total;
        _axes = new DataMatrix(k, p, vt.AsSpan(0, k * p).ToArray());
        _singular = sigma.Take(k).ToArray();
        _variance = explained.Take(k).ToArray();
        _ratio = sigma.Take(k).Select(v => v * v / totalVar).ToArray();
        _noise = k != n && k != p ? explained.Skip(k).DefaultIfEmpty(0).Average() : 0;
        _mean = newMean;
        _featureVariance = newVar;
        _seen = total;
        _fitted = true;
    }

    JsonObject IStateful.GetState() => new()
    {
        ["components"] = Components,
        ["batchSize"] = BatchSize,
        ["whiten"] = Whiten,
        ["seen"] = _seen,
        ["axes"] = State.Matrix(_axes),
        ["singularValues"] = State.Array(_singular),
        ["explainedVariance"] = State.Array(_variance),
        ["explainedVarianceRatio"] = State.Array(_ratio),
        ["mean"] = State.Array(_mean),
        ["featureVariance"] = State.Array(_featureVariance),
        ["noiseVariance"] = _noise,
    };

    internal static IncrementalPca FromState(JsonObject state) => new()
    {
        Components = State.Int(state["components"], "components"),
        BatchSize = (int?)state["batchSize"],
        Whiten = (bool?)state["whiten"] ?? false,
        _seen = (long?)state["seen"] ?? throw new InvalidDataException("The model state lacks \"seen\"."),
        _axes = State.Matrix(state["axes"], "axes"),
        _singular = State.Doubles(state["singularValues"], "singularValues"),
        _variance = State.Doubles(state["explainedVariance"], "explainedVariance"),
        _ratio = State.Doubles(state["explainedVarianceRatio"], "explainedVarianceRatio"),
        _mean = State.Doubles(state["mean"], "mean"),
        _featureVariance = State.Doubles(state["featureVariance"], "featureVariance"),
        _noise = State.Double(state["noiseVariance"], "noiseVariance"),
        _fitted = true,
    };
}
