using System.Text.Json.Nodes;
using DimReduce.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Decomposition;

/// <summary>
/// Linear discriminant analysis: a supervised projection onto at most (classes - 1) directions that separate
/// the class means as much as possible relative to the spread within classes; also a linear classifier.
/// </summary>
/// <remarks>
/// Fisher (1936), "The use of multiple measurements in taxonomic problems"; Rao (1948). The directions maximise
/// w^T S_B w / w^T S_W w (Hastie, Tibshirani and Friedman, <i>The Elements of Statistical Learning</i>, 2nd ed.,
/// section 4.3.3, eq. 4.15-4.16). Computed as scikit-learn's 'svd' solver, without forming S_W: (1) SVD of the
/// within-class centred data, divided per feature by its standard deviation and by sqrt(n - classes), gives the
/// whitening map S_W^{-1/2} (singular values below 1e-4 are dropped); (2) SVD of the whitened class means,
/// weighted by sqrt(n prior_c / (classes - 1)), gives the discriminant directions. The explained variance ratio is
/// the share of each squared singular value of step 2. Each direction is oriented so that its largest-magnitude
/// coefficient is positive (scikit-learn leaves the LAPACK sign). Prediction picks the class with the largest
/// linear discriminant (ESL eq. 4.10), with the class frequencies as priors.
/// </remarks>
/// <example>
/// <code>
/// var wine = BundledSets.Wine();
/// var lda = new LinearDiscriminantAnalysis { Components = 2 }.Fit(wine.Features, wine.Labels);
/// DataMatrix projected = lda.Transform(wine.Features);
/// </code>
/// </example>
[ModelType("LinearDiscriminantAnalysis")]
public sealed class LinearDiscriminantAnalysis : IClassifier, ISupervisedReducer, IStateful
{
    /// <summary>Default values of the options.</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="LinearDiscriminantAnalysis.Components"/>: null, meaning min(classes - 1, features).</summary>
        public static readonly int? Components = null;

        /// <summary>Singular values at or below this (relative, in step 2) are treated as zero: 1e-4 (scikit-learn's tol).</summary>
        public const double Tolerance = 1e-4;
    }

    private bool _fitted;
    private int[] _classes = [];
    private DataMatrix _scalings = null!, _means = null!, _coef = null!;
    private double[] _xbar = [], _priors = [], _intercept = [], _ratio = [];
    private int _kept;

    /// <summary>Number of directions, 1 to min(classes - 1, features); null (default) keeps them all.</summary>
    public int? Components { get; init; } = Defaults.Components;

    /// <summary>Rank tolerance of the two SVDs; default 1e-4.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>The class labels, sorted.</summary>
    public int[] Classes { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(Classes)); return (int[])_classes.Clone(); } }

    /// <summary>Class means, classes x features.</summary>
    public DataMatrix Means { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(Means)); return _means.Clone(); } }

    /// <summary>Class priors (the class frequencies).</summary>
    public double[] Priors { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(Priors)); return (double[])_priors.Clone(); } }

    /// <summary>Share of the between-class variance explained by each kept direction.</summary>
    public double[] ExplainedVarianceRatio { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(ExplainedVarianceRatio)); return (double[])_ratio.Clone(); } }

    /// <summary>The projection matrix, features x directions (scikit-learn's <c>scalings_</c>); Transform is (x - overall mean) times it.</summary>
    public DataMatrix Scalings { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(Scalings)); return _scalings.Clone(); } }

    /// <summary>Number of directions Transform returns.</summary>
    public int ComponentCount { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(ComponentCount)); return _kept; } }

    /// <summary>Number of features.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(FeatureCount)); return _scalings.Rows; } }

    /// <summary>Learns the discriminant directions from <paramref name="x"/> and one integer label per row.</summary>
    public LinearDiscriminantAnalysis Fit(DataMatrix x, IReadOnlyList<int> labels)
    {
        if (Components is < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1 (or null for classes - 1). Use, for example, Components = 2.");
        if (!(Tolerance >= 0 && double.IsFinite(Tolerance)))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "Tolerance must be a finite number, 0 or more. Use the default 1e-4.");
        Check.Data(x, nameof(x), minRows: 2);
        Check.Labels(labels, x.Rows, nameof(labels));
        int n = x.Rows, p = x.Columns;
        var classes = labels.Distinct().Order().ToArray();
        int c = classes.Length;
        if (c < 2)
            throw new ArgumentException($"labels has {c} distinct class, but linear discriminant analysis needs at least 2. Pass labels of two or more classes.", nameof(labels));
        if (n <= c)
            throw new ArgumentException($"x has {n} rows for {c} classes; LDA needs more rows than classes. Pass more samples.", nameof(x));
        int max = Math.Min(c - 1, p);
        if (Components is { } k && k > max)
            throw new ArgumentOutOfRangeException(nameof(Components), k,
                $"Components is {k}, but LDA has at most min(classes - 1, features) = min({c - 1}, {p}) = {max} directions. Lower Components to {max} or less.");
        int kept = Components ?? max;

        var index = classes.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        var counts = new int[c];
        var means = new double[c * p];
        for (int i = 0; i < n; i++)
        {
            int g = index[labels[i]];
            counts[g]++;
            var r = x.Row(i);
            for (int j = 0; j < p; j++) means[g * p + j] += r[j];
        }
        for (int g = 0; g < c; g++) for (int j = 0; j < p; j++) means[g * p + j] /= counts[g];
        var priors = counts.Select(v => v / (double)n).ToArray();
        var xbar = new double[p];
        for (int g = 0; g < c; g++) for (int j = 0; j < p; j++) xbar[j] += priors[g] * means[g * p + j];

        // Step 1: within-class centred data, scaled per feature (std) and by sqrt(1 / (n - c)).
        var within = new double[n * p];
        var std = new double[p];
        for (int i = 0; i < n; i++)
        {
            int g = index[labels[i]];
            var r = x.Row(i);
            for (int j = 0; j < p; j++) within[i * p + j] = r[j] - means[g * p + j];
        }
        var colMean = new double[p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) colMean[j] += within[i * p + j];
        for (int j = 0; j < p; j++) colMean[j] /= n;
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) { double d = within[i * p + j] - colMean[j]; std[j] += d * d; }
        for (int j = 0; j < p; j++) { std[j] = Math.Sqrt(std[j] / n); if (std[j] == 0) std[j] = 1; }
        double fac = Math.Sqrt(1.0 / (n - c));
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) within[i * p + j] = fac * within[i * p + j] / std[j];

        TorchRuntime.EnsureLoaded();
        double[] scalings, ratio;
        int rank2;
        using (var scope = torch.NewDisposeScope())
        {
            var (_, s1, vt1) = torch.linalg.svd(torch.tensor(within, new long[] { n, p }, ScalarType.Float64), fullMatrices: false);
            var sv1 = Dense.Values(s1);
            int rank = sv1.Count(v => v > Tolerance);
            // scalings = (Vt[:rank] / std)^T / S[:rank]: p x rank.
            var sc = vt1.narrow(0, 0, rank).div(Dense.Tensor(std)).t().div(s1.narrow(0, 0, rank));
            // Step 2: weighted, whitened class means.
            double fac2 = 1.0 / (c - 1);
            var centred = new double[c * p];
            for (int g = 0; g < c; g++)
            {
                double w = Math.Sqrt(n * priors[g] * fac2);
                for (int j = 0; j < p; j++) centred[g * p + j] = w * (means[g * p + j] - xbar[j]);
            }
            var b = torch.tensor(centred, new long[] { c, p }, ScalarType.Float64).matmul(sc);
            var (_, s2, vt2) = torch.linalg.svd(b, fullMatrices: false);
            var sv2 = Dense.Values(s2);
            double sumSq = sv2.Sum(v => v * v);
            ratio = sv2.Select(v => v * v / sumSq).Take(max).ToArray();
            rank2 = sv2.Count(v => v > Tolerance * sv2[0]);
            scalings = Dense.Values(sc.matmul(vt2.t().narrow(1, 0, rank2)));
        }
        // Orientation: the largest-magnitude coefficient of each direction positive.
        Dense.ScaleColumns(scalings, p, rank2, Dense.ColumnSigns(scalings, p, rank2));

        // Classifier: coef = (means - xbar) S S^T, intercept = -0.5 |(means - xbar) S|^2 + log prior - xbar . coef.
        var coef = new double[c * p];
        var intercept = new double[c];
        for (int g = 0; g < c; g++)
        {
            var proj = new double[rank2];
            for (int r = 0; r < rank2; r++)
                for (int j = 0; j < p; j++) proj[r] += (means[g * p + j] - xbar[j]) * scalings[j * rank2 + r];
            intercept[g] = -0.5 * proj.Sum(v => v * v) + Math.Log(priors[g]);
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int r = 0; r < rank2; r++) s += proj[r] * scalings[j * rank2 + r];
                coef[g * p + j] = s;
            }
            for (int j = 0; j < p; j++) intercept[g] -= xbar[j] * coef[g * p + j];
        }

        _classes = classes;
        _means = new DataMatrix(c, p, means);
        _priors = priors;
        _xbar = xbar;
        _scalings = new DataMatrix(p, rank2, scalings);
        _ratio = ratio;
        _kept = Math.Min(kept, rank2);
        _coef = new DataMatrix(c, p, coef);
        _intercept = intercept;
        _fitted = true;
        return this;
    }

    IClassifier IClassifier.Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels);

    ISupervisedReducer ISupervisedReducer.Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels);

    /// <summary>Fits, then projects the same data.</summary>
    public DataMatrix FitTransform(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels).Transform(x);

    /// <summary>Projects rows onto the discriminant directions: (x - overall mean) times <see cref="Scalings"/>.</summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(Transform));
        Check.Features(x, _scalings.Rows, nameof(x), nameof(LinearDiscriminantAnalysis));
        var axes = new DataMatrix(_kept, _scalings.Rows);
        for (int r = 0; r < _kept; r++) for (int j = 0; j < _scalings.Rows; j++) axes[r, j] = _scalings[j, r];
        return Dense.Project(x, _xbar, null, axes, null);
    }

    /// <summary>The linear discriminant of each class for each row (rows x classes); the largest wins.</summary>
    public DataMatrix DecisionFunction(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(DecisionFunction));
        Check.Features(x, _scalings.Rows, nameof(x), nameof(LinearDiscriminantAnalysis));
        var scores = Dense.Project(x, new double[x.Columns], null, _coef, null);
        for (int i = 0; i < scores.Rows; i++) for (int g = 0; g < _classes.Length; g++) scores[i, g] += _intercept[g];
        return scores;
    }

    /// <summary>The predicted class label of each row.</summary>
    public int[] Predict(DataMatrix x)
    {
        var d = DecisionFunction(x);
        var result = new int[d.Rows];
        for (int i = 0; i < d.Rows; i++)
        {
            int best = 0;
            for (int g = 1; g < d.Columns; g++) if (d[i, g] > d[i, best]) best = g;
            result[i] = _classes[best];
        }
        return result;
    }

    /// <summary>Writes the fitted model (see <see cref="ModelFile"/>).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(LinearDiscriminantAnalysis), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static LinearDiscriminantAnalysis Load(string path) => ModelFile.Load<LinearDiscriminantAnalysis>(path);

    JsonObject IStateful.GetState() => new()
    {
        ["components"] = Components,
        ["tolerance"] = Tolerance,
        ["classes"] = State.Array(_classes),
        ["means"] = State.Matrix(_means),
        ["priors"] = State.Array(_priors),
        ["xbar"] = State.Array(_xbar),
        ["scalings"] = State.Matrix(_scalings),
        ["explainedVarianceRatio"] = State.Array(_ratio),
        ["kept"] = _kept,
        ["coef"] = State.Matrix(_coef),
        ["intercept"] = State.Array(_intercept),
    };

    internal static LinearDiscriminantAnalysis FromState(JsonObject state) => new()
    {
        Components = (int?)state["components"],
        Tolerance = State.Double(state["tolerance"], "tolerance"),
        _classes = State.Ints(state["classes"], "classes"),
        _means = State.Matrix(state["means"], "means"),
        _priors = State.Doubles(state["priors"], "priors"),
        _xbar = State.Doubles(state["xbar"], "xbar"),
        _scalings = State.Matrix(state["scalings"], "scalings"),
        _ratio = State.Doubles(state["explainedVarianceRatio"], "explainedVarianceRatio"),
        _kept = State.Int(state["kept"], "kept"),
        _coef = State.Matrix(state["coef"], "coef"),
        _intercept = State.Doubles(state["intercept"], "intercept"),
        _fitted = true,
    };
}
