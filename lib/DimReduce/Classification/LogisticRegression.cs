using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Classification;

/// <summary>
/// Logistic regression with an L2 penalty, fitted by L-BFGS: the linear classifier the course uses to
/// ask "how well can a simple model separate the classes in this embedding?". Matches scikit-learn
/// 1.2's <c>LogisticRegression(penalty='l2', C=1.0, fit_intercept=True, solver='lbfgs')</c>.
/// </summary>
/// <remarks>
/// <para>
/// With K classes and the default <see cref="LogisticMultiClass.Auto"/>, three or more classes get the
/// multinomial (softmax) model <c>P(y = k | x) = exp(w_k . x + b_k) / sum_j exp(w_j . x + b_j)</c>, fitted by
/// minimising <c>0.5 ||W||^2 + C sum_i -log P(y_i | x_i)</c> (Bishop, <i>Pattern Recognition and Machine
/// Learning</i>, 2006, eq. 4.104 and 4.108, plus the L2 penalty). Intercepts are not penalised.
/// Two classes get a single logistic function <c>P(y = 1 | x) = sigmoid(w . x + b)</c> (Bishop eq. 4.87 and 4.90),
/// as scikit-learn's default <c>multi_class='auto'</c> does: <see cref="Coefficients"/> then has one row. The
/// decisions are the same as a two-class softmax, whose weight rows are <c>+w/2</c> and <c>-w/2</c> at the optimum,
/// except that the penalty acts on a different scale. Choose <see cref="LogisticMultiClass.Multinomial"/> to fit the
/// softmax with two classes anyway (two rows; scikit-learn keeps only the second row in that case).
/// </para>
/// <para>
/// The minimiser is MathNet.Numerics' <c>LimitedMemoryBfgsMinimizer</c> (Nocedal, 1980; Liu and Nocedal, 1989)
/// with the analytic gradient, on the objective divided by C as scikit-learn scales it
/// (<c>sum_i loss_i + ||W||^2 / (2C)</c>; same minimiser). It starts at zero and stops when every gradient
/// component is below <see cref="Tolerance"/>, scipy's <c>gtol</c> test, or after <see cref="MaxIterations"/>
/// iterations, in which case <see cref="Warnings"/> says so (nothing is printed).
/// </para>
/// <para>Standardise the features first (a StandardScaler in a Pipeline): unscaled features slow the solver and
/// make the penalty act unevenly.</para>
/// <example>
/// <code>
/// var model = new LogisticRegression { C = 1.0 }.Fit(trainEmbedding, trainLabels);
/// double accuracy = model.Score(testEmbedding, testLabels);
/// </code>
/// </example>
/// </remarks>
[ModelType("LogisticRegression")]
public sealed class LogisticRegression : IProbabilisticClassifier, IStateful
{
    /// <summary>The default value of every option.</summary>
    public static class Defaults
    {
        /// <summary>Inverse regularisation strength: 1.0 (scikit-learn's default).</summary>
        public const double C = 1.0;

        /// <summary>Iteration limit: 100 (scikit-learn's default).</summary>
        public const int MaxIterations = 100;

        /// <summary>Gradient tolerance: 1e-4 (scikit-learn's default <c>tol</c>).</summary>
        public const double Tolerance = 1e-4;

        /// <summary>Fit an intercept per class: true.</summary>
        public const bool FitIntercept = true;

        /// <summary>Multi-class scheme: <see cref="LogisticMultiClass.Auto"/>.</summary>
        public const LogisticMultiClass MultiClass = LogisticMultiClass.Auto;
    }

    private int[]? _classes;
    private DataMatrix? _coefficients;
    private double[]? _intercepts;
    private LogisticMultiClass _multiClassUsed;
    private int _iterations;
    private bool _converged;
    private List<string> _warnings = [];

    /// <summary>
    /// Inverse of the regularisation strength (default 1.0; any finite value &gt; 0). Smaller values
    /// shrink the weights more; large values approach the unpenalised fit.
    /// </summary>
    public double C { get; init; } = Defaults.C;

    /// <summary>Most L-BFGS iterations per fitted model (default 100; at least 1).</summary>
    public int MaxIterations { get; init; } = Defaults.MaxIterations;

    /// <summary>
    /// Stop when every component of the gradient of <c>sum_i loss_i + ||W||^2 / (2C)</c> is below this
    /// (default 1e-4, as scikit-learn; any finite value &gt; 0).
    /// </summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Whether to learn an unpenalised intercept per class (default true).</summary>
    public bool FitIntercept { get; init; } = Defaults.FitIntercept;

    /// <summary>How several classes are handled (default <see cref="LogisticMultiClass.Auto"/>).</summary>
    public LogisticMultiClass MultiClass { get; init; } = Defaults.MultiClass;

    /// <summary>The distinct labels seen at fit, ascending; column k of <see cref="PredictProba"/> is class <c>Classes[k]</c>.</summary>
    public IReadOnlyList<int> Classes => Fitted(_classes, nameof(Classes));

    /// <summary>
    /// The weights, one row per class by features (<see cref="LogisticMultiClass.Multinomial"/>, or one-vs-rest
    /// with three or more classes), or a single row for two classes under <see cref="LogisticMultiClass.Auto"/> or
    /// <see cref="LogisticMultiClass.OneVsRest"/> (the weights of the second class against the first).
    /// A copy: changing it does not change the model.
    /// </summary>
    public DataMatrix Coefficients => Fitted(_coefficients, nameof(Coefficients)).Clone();

    /// <summary>The intercept of each row of <see cref="Coefficients"/> (zeros when <see cref="FitIntercept"/> is false).</summary>
    public IReadOnlyList<double> Intercepts => Fitted(_intercepts, nameof(Intercepts)).ToArray();

    /// <summary>The scheme actually used: <see cref="LogisticMultiClass.Multinomial"/> or <see cref="LogisticMultiClass.OneVsRest"/>.</summary>
    public LogisticMultiClass MultiClassUsed
    {
        get { Check.Fitted(_classes is not null, nameof(LogisticRegression), nameof(MultiClassUsed)); return _multiClassUsed; }
    }

    /// <summary>L-BFGS iterations used (the largest over the one-vs-rest models).</summary>
    public int Iterations
    {
        get { Check.Fitted(_classes is not null, nameof(LogisticRegression), nameof(Iterations)); return _iterations; }
    }

    /// <summary>Whether every model met <see cref="Tolerance"/> within <see cref="MaxIterations"/>.</summary>
    public bool Converged
    {
        get { Check.Fitted(_classes is not null, nameof(LogisticRegression), nameof(Converged)); return _converged; }
    }

    /// <summary>Problems met while fitting (for example no convergence), each with a remedy; empty when all went well.</summary>
    public IReadOnlyList<string> Warnings => _warnings.AsReadOnly();

    /// <summary>Number of features seen at fit.</summary>
    public int FeatureCount => Fitted(_coefficients, nameof(FeatureCount)).Columns;

    /// <summary>Learns the weights from <paramref name="x"/> (one row per sample) and one label per row.</summary>
    /// <param name="x">Training data without NaN or infinity.</param>
    /// <param name="labels">Non-negative integer labels, at least two distinct values.</param>
    /// <returns>This instance, fitted.</returns>
    public LogisticRegression Fit(DataMatrix x, IReadOnlyList<int> labels)
    {
        Check.Positive(C, nameof(C), "Use for example C = 1.0 (smaller values regularise more).");
        Check.Range(MaxIterations, 1, int.MaxValue, nameof(MaxIterations), "Use for example MaxIterations = 100.");
        Check.Positive(Tolerance, nameof(Tolerance), "Use for example Tolerance = 1e-4.");
        if (!Enum.IsDefined(MultiClass))
            throw new ArgumentOutOfRangeException(nameof(MultiClass), MultiClass, $"MultiClass is {MultiClass}, which is not a LogisticMultiClass value. Use Auto, Multinomial or OneVsRest.");
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        var classes = DistinctClasses(labels);

        var index = new Dictionary<int, int>();
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        var y = labels.Select(l => index[l]).ToArray();
        var scheme = MultiClass == LogisticMultiClass.Auto
            ? (classes.Length > 2 ? LogisticMultiClass.Multinomial : LogisticMultiClass.OneVsRest)
            : MultiClass;

        var warnings = new List<string>();
        int p = x.Columns, block = p + (FitIntercept ? 1 : 0);
        DataMatrix coefficients;
        double[] intercepts;
        int iterations = 0;
        bool converged = true;
        if (scheme == LogisticMultiClass.Multinomial)
        {
            int k = classes.Length;
            var result = LbfgsSolver.Minimize(
                (w, g) => LogisticLoss.Multinomial(x, y, k, w, C, FitIntercept, g),
                new double[k * block], Tolerance, MaxIterations);
            Report(result, "the multinomial model", warnings);
            (coefficients, intercepts) = Unpack(result.Point, k, p, FitIntercept);
            iterations = result.Iterations;
            converged = result.Converged;
        }
        else
        {
            // Two classes: one model for the second class. More: one model per class against the rest.
            int models = classes.Length == 2 ? 1 : classes.Length;
            var all = new double[models * block];
            for (int m = 0; m < models; m++)
            {
                int positiveClass = classes.Length == 2 ? 1 : m;
                var positive = y.Select(v => v == positiveClass).ToArray();
                var result = LbfgsSolver.Minimize(
                    (w, g) => LogisticLoss.Binary(x, positive, w, C, FitIntercept, g),
                    new double[block], Tolerance, MaxIterations);
                Report(result, string.Create(CultureInfo.InvariantCulture, $"the model for class {classes[positiveClass]}"), warnings);
                result.Point.CopyTo(all, m * block);
                iterations = Math.Max(iterations, result.Iterations);
                converged &= result.Converged;
            }
            (coefficients, intercepts) = Unpack(all, models, p, FitIntercept);
        }

        _classes = classes;
        _coefficients = coefficients;
        _intercepts = intercepts;
        _multiClassUsed = scheme;
        _iterations = iterations;
        _converged = converged;
        _warnings = warnings;
        return this;
    }

    IClassifier IClassifier.Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels);

    /// <summary>
    /// The linear scores <c>x . w_k + b_k</c>: one column per row of <see cref="Coefficients"/> (one column for a
    /// two-class model: positive means the second class).
    /// </summary>
    public DataMatrix DecisionFunction(DataMatrix x)
    {
        var w = Fitted(_coefficients, nameof(DecisionFunction));
        Check.Features(x, w.Columns, nameof(x), nameof(LogisticRegression));
        int n = x.Rows, p = w.Columns, rows = w.Rows;
        var scores = new double[n * rows];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int k = 0; k < rows; k++)
                scores[i * rows + k] = System.Numerics.Tensors.TensorPrimitives.Dot(row, w.Data.AsSpan(k * p, p)) + _intercepts![k];
        }
        return new DataMatrix(n, rows, scores);
    }

    /// <summary>
    /// The probability of each class (columns in <see cref="Classes"/> order) for each row; rows sum to 1.
    /// Softmax for the multinomial model; sigmoid for a two-class model; normalised sigmoids for one-vs-rest.
    /// </summary>
    public DataMatrix PredictProba(DataMatrix x)
    {
        Fitted(_classes, nameof(PredictProba));
        var scores = DecisionFunction(x);
        int n = x.Rows, k = _classes!.Length;
        var proba = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            var s = scores.Row(i);
            var pr = proba.AsSpan(i * k, k);
            if (_multiClassUsed == LogisticMultiClass.Multinomial)
            {
                double max = double.NegativeInfinity;
                foreach (double v in s) max = Math.Max(max, v);
                double sum = 0;
                for (int c = 0; c < k; c++) { pr[c] = Math.Exp(s[c] - max); sum += pr[c]; }
                for (int c = 0; c < k; c++) pr[c] /= sum;
            }
            else if (k == 2)
            {
                double p1 = LogisticLoss.Sigmoid(s[0]);
                pr[0] = 1 - p1;
                pr[1] = p1;
            }
            else
            {
                double sum = 0;
                for (int c = 0; c < k; c++) { pr[c] = LogisticLoss.Sigmoid(s[c]); sum += pr[c]; }
                for (int c = 0; c < k; c++) pr[c] /= sum;
            }
        }
        return new DataMatrix(n, k, proba);
    }

    /// <summary>The predicted label of each row: the class with the highest score (ties go to the smaller label).</summary>
    public int[] Predict(DataMatrix x)
    {
        Fitted(_classes, nameof(Predict));
        var scores = DecisionFunction(x);
        var result = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var s = scores.Row(i);
            int best;
            if (s.Length == 1) best = s[0] > 0 ? 1 : 0;
            else
            {
                best = 0;
                for (int c = 1; c < s.Length; c++) if (s[c] > s[best]) best = c;
            }
            result[i] = _classes![best];
        }
        return result;
    }

    /// <summary>The accuracy of <see cref="Predict"/> on <paramref name="x"/>: the fraction of rows whose label is right.</summary>
    public double Score(DataMatrix x, IReadOnlyList<int> labels)
    {
        Fitted(_classes, nameof(Score));
        Check.Features(x, _coefficients!.Columns, nameof(x), nameof(LogisticRegression));
        Check.Labels(labels, x.Rows, nameof(labels));
        return ClassificationMetrics.Accuracy(labels, Predict(x));
    }

    /// <summary>Writes the fitted model to <paramref name="path"/> (see <see cref="ModelFile"/>).</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads a model written by <see cref="Save"/>; it predicts exactly as the saved one did.</summary>
    public static LogisticRegression Load(string path) => ModelFile.Load<LogisticRegression>(path);

    /// <inheritdoc />
    public override string ToString() => _classes is null
        ? string.Create(CultureInfo.InvariantCulture, $"LogisticRegression(C={C}, not fitted)")
        : string.Create(CultureInfo.InvariantCulture,
            $"LogisticRegression(C={C}, {_classes.Length} classes, {_coefficients!.Columns} features, {_multiClassUsed}, {_iterations} iterations{(_converged ? "" : ", not converged")})");

    JsonObject IStateful.GetState()
    {
        Fitted(_classes, nameof(Save));
        return new JsonObject
        {
            ["c"] = C,
            ["maxIterations"] = MaxIterations,
            ["tolerance"] = Tolerance,
            ["fitIntercept"] = FitIntercept,
            ["multiClass"] = MultiClass.ToString(),
            ["multiClassUsed"] = _multiClassUsed.ToString(),
            ["classes"] = State.Array(_classes!),
            ["coefficients"] = State.Matrix(_coefficients!),
            ["intercepts"] = State.Array(_intercepts!),
            ["iterations"] = _iterations,
            ["converged"] = _converged,
            ["warnings"] = State.Array(_warnings),
        };
    }

    internal static LogisticRegression FromState(JsonObject state)
    {
        var model = new LogisticRegression
        {
            C = State.Double(state["c"], "c"),
            MaxIterations = State.Int(state["maxIterations"], "maxIterations"),
            Tolerance = State.Double(state["tolerance"], "tolerance"),
            FitIntercept = state["fitIntercept"]?.GetValue<bool>() ?? throw new InvalidDataException("The model state lacks \"fitIntercept\"."),
            MultiClass = State.Enum<LogisticMultiClass>(state["multiClass"], "multiClass"),
        };
        var classes = State.Ints(state["classes"], "classes");
        var coefficients = State.Matrix(state["coefficients"], "coefficients");
        var intercepts = State.Doubles(state["intercepts"], "intercepts");
        var used = State.Enum<LogisticMultiClass>(state["multiClassUsed"], "multiClassUsed");
        int expectedRows = used == LogisticMultiClass.Multinomial || classes.Length > 2 ? classes.Length : 1;
        if (classes.Length < 2 || coefficients.Rows != expectedRows || intercepts.Length != expectedRows)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The model state is inconsistent: {classes.Length} classes, {coefficients.Rows} coefficient rows, {intercepts.Length} intercepts (expected {expectedRows})."));
        model._classes = classes;
        model._coefficients = coefficients;
        model._intercepts = intercepts;
        model._multiClassUsed = used;
        model._iterations = State.Int(state["iterations"], "iterations");
        model._converged = state["converged"]?.GetValue<bool>() ?? true;
        model._warnings = [.. State.Strings(state["warnings"], "warnings")];
        return model;
    }

    private static int[] DistinctClasses(IReadOnlyList<int> labels)
    {
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0)
                throw new ArgumentException(
                    $"labels[{i}] is {labels[i]}, but labels must be non-negative integers (class numbers). Map your classes to 0, 1, 2, ... first.",
                    nameof(labels));
        var classes = labels.Distinct().Order().ToArray();
        if (classes.Length < 2)
            throw new ArgumentException(
                $"labels contains only one class ({classes[0]}), but LogisticRegression needs at least two. Pass samples of two or more classes.",
                nameof(labels));
        return classes;
    }

    private static (DataMatrix Coefficients, double[] Intercepts) Unpack(double[] w, int rows, int p, bool fitIntercept)
    {
        int block = p + (fitIntercept ? 1 : 0);
        var coefficients = new DataMatrix(rows, p);
        var intercepts = new double[rows];
        for (int k = 0; k < rows; k++)
        {
            w.AsSpan(k * block, p).CopyTo(coefficients.Row(k));
            if (fitIntercept) intercepts[k] = w[k * block + p];
        }
        return (coefficients, intercepts);
    }

    private void Report(LbfgsResult result, string which, List<string> warnings)
    {
        if (result.Converged) return;
        string why = result.Problem == "iteration limit"
            ? string.Create(CultureInfo.InvariantCulture, $"stopped at MaxIterations = {MaxIterations}")
            : result.Problem == "no further progress"
                ? "stopped because the parameters no longer changed"
                : "stopped because the line search could not improve further";
        warnings.Add(string.Create(CultureInfo.InvariantCulture,
            $"L-BFGS did not converge for {which}: it {why} with largest gradient component {result.MaxGradient:G3} (Tolerance {Tolerance:G3}). Raise MaxIterations, standardise the features (StandardScaler), or lower C."));
    }

    private T Fitted<T>(T? value, string member) where T : class
    {
        Check.Fitted(value is not null, nameof(LogisticRegression), member);
        return value!;
    }
}
