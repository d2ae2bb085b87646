using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Pipelines;

/// <summary>
/// A chain of steps fitted and applied in order, for example scaler, then reducer, then classifier, so that
/// every step is fitted on training data only and the same chain is applied to new data.
/// </summary>
/// <remarks>
/// <para>
/// Steps: every step is an <see cref="ITransformer"/> (an <see cref="IReducer"/> such as a scaler or PCA, an
/// <see cref="ISupervisedReducer"/> such as LDA, or an already fitted transformer that is only applied), except
/// that the last step may be an <see cref="IClassifier"/>. <see cref="Fit"/> fits each step on the output of the
/// previous one (reducers through <c>FitTransform</c>, supervised reducers and the classifier with the labels;
/// plain transformers are applied as they are). This follows scikit-learn's <c>Pipeline</c> (Pedregosa et al.,
/// JMLR 12, 2011; Buitinck et al., 2013, "API design for machine learning software").
/// </para>
/// <para>
/// <see cref="Transform"/> applies every transforming step; when the last step is a classifier that cannot
/// transform, it returns the features that classifier sees. <see cref="Predict"/>, <see cref="PredictProba"/>
/// and <see cref="Score"/> need a classifier as the last step. A pipeline is itself a reducer and a classifier,
/// so it can be a step of another pipeline. <see cref="Save"/> writes all steps into one model file.
/// </para>
/// <example>
/// <code>
/// var model = new Pipeline(new StandardScaler(), new Pca { Components = 2 }, new LogisticRegression())
///     .Fit(train.Features, train.Labels);
/// double accuracy = model.Score(test.Features, test.Labels);
/// </code>
/// </example>
/// </remarks>
[ModelType("Pipeline")]
public sealed class Pipeline : IReducer, IProbabilisticClassifier, IInvertibleTransformer, IStateful
{
    private readonly object[] _steps;

    /// <summary>Creates a pipeline from its steps, first to last (at least one).</summary>
    /// <param name="steps">Transformers, optionally followed by one classifier.</param>
    public Pipeline(params object[] steps) : this((IEnumerable<object>)steps)
    {
    }

    /// <summary>Creates a pipeline from its steps, first to last (at least one).</summary>
    /// <param name="steps">Transformers, optionally followed by one classifier.</param>
    public Pipeline(IEnumerable<object> steps)
    {
        if (steps is null) throw new ArgumentNullException(nameof(steps), "steps is null. Pass the steps in order, for example a scaler, a reducer and a classifier.");
        _steps = steps.ToArray();
        if (_steps.Length == 0)
            throw new ArgumentException("steps is empty. Pass at least one step, for example new Pipeline(new StandardScaler(), new LogisticRegression()).", nameof(steps));
        for (int i = 0; i < _steps.Length; i++)
        {
            var step = _steps[i];
            if (step is null)
                throw new ArgumentException($"Step {i} is null. Pass a transformer or classifier object for every step.", nameof(steps));
            bool last = i == _steps.Length - 1;
            if (step is not ITransformer && !(last && step is IClassifier))
                throw new ArgumentException(
                    step is IClassifier
                        ? $"Step {i} ({step.GetType().Name}) is a classifier, but only the last step may be one. Move it to the end, or remove the steps after it."
                        : $"Step {i} ({step.GetType().Name}) is neither a transformer (ITransformer, IReducer, ISupervisedReducer) nor a classifier (IClassifier). Pass estimators from DimReduce or your own types implementing those interfaces.",
                    nameof(steps));
        }
    }

    /// <summary>The steps, first to last.</summary>
    public IReadOnlyList<object> Steps => _steps.AsReadOnly();

    /// <summary>The final classifier, or null when the last step is not one.</summary>
    public IClassifier? Classifier => _steps[^1] as IClassifier;

    /// <summary>
    /// Fits every step in order on the output of the previous one and returns this pipeline.
    /// </summary>
    /// <param name="x">Training data, one row per sample.</param>
    /// <param name="labels">One label per row; required when a step is supervised or a classifier.</param>
    public Pipeline Fit(DataMatrix x, IReadOnlyList<int>? labels = null)
    {
        FitSteps(x, labels, transformLast: false);
        return this;
    }

    /// <summary>Fits the pipeline, then returns <see cref="Transform"/> of the same data (computed during the fit).</summary>
    /// <param name="x">Training data, one row per sample.</param>
    /// <param name="labels">One label per row; required when a step is supervised or a classifier.</param>
    public DataMatrix FitTransform(DataMatrix x, IReadOnlyList<int>? labels = null) => FitSteps(x, labels, transformLast: true);

    /// <summary>Applies every transforming step in order (see the remarks for a final classifier).</summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Data(x, nameof(x));
        var z = x;
        foreach (var step in _steps)
            if (step is ITransformer t) z = t.Transform(z);
        return z;
    }

    /// <summary>
    /// Undoes the transforming steps in reverse order (each must be an <see cref="IInvertibleTransformer"/>,
    /// such as a scaler or PCA), mapping reduced rows back to the input space.
    /// </summary>
    public DataMatrix InverseTransform(DataMatrix z)
    {
        Check.Data(z, nameof(z));
        for (int i = _steps.Length - 1; i >= 0; i--)
        {
            if (_steps[i] is not ITransformer) continue;
            if (_steps[i] is not IInvertibleTransformer inverse)
                throw new InvalidOperationException(
                    $"Step {i} ({_steps[i].GetType().Name}) cannot be inverted (it is not an IInvertibleTransformer). InverseTransform needs every transforming step to be invertible, such as a scaler or PCA.");
            z = inverse.InverseTransform(z);
        }
        return z;
    }

    /// <summary>Transforms <paramref name="x"/> and returns the final classifier's prediction for each row.</summary>
    public int[] Predict(DataMatrix x) => RequireClassifier(nameof(Predict)).Predict(ClassifierInput(x));

    /// <summary>Transforms <paramref name="x"/> and returns the final classifier's class probabilities.</summary>
    public DataMatrix PredictProba(DataMatrix x)
    {
        var classifier = RequireClassifier(nameof(PredictProba));
        if (classifier is not IProbabilisticClassifier probabilistic)
            throw new InvalidOperationException(
                $"The final step ({classifier.GetType().Name}) gives no probabilities (it is not an IProbabilisticClassifier). Use Predict, or end the pipeline with LogisticRegression.");
        return probabilistic.PredictProba(ClassifierInput(x));
    }

    /// <summary>The accuracy of <see cref="Predict"/> on <paramref name="x"/> against <paramref name="labels"/>.</summary>
    public double Score(DataMatrix x, IReadOnlyList<int> labels)
    {
        RequireClassifier(nameof(Score));
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        return Classification.ClassificationMetrics.Accuracy(labels, Predict(x));
    }

    /// <summary>Writes all steps to one model file; every step must be saveable (DimReduce's estimators are).</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads a pipeline written by <see cref="Save"/>; it transforms and predicts exactly as the saved one did.</summary>
    public static Pipeline Load(string path) => ModelFile.Load<Pipeline>(path);

    /// <inheritdoc />
    public override string ToString() => "Pipeline(" + string.Join(" -> ", _steps.Select(s => s.GetType().Name)) + ")";

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    DataMatrix IReducer.FitTransform(DataMatrix x) => FitTransform(x);

    IClassifier IClassifier.Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels);

    JsonObject IStateful.GetState()
    {
        var steps = new JsonArray();
        for (int i = 0; i < _steps.Length; i++)
        {
            if (_steps[i] is not IStateful saveable)
                throw new InvalidOperationException(
                    $"Step {i} ({_steps[i].GetType().Name}) cannot be saved: it does not provide its state as DimReduce's estimators do. Save needs every step to be saveable; fit and keep such a step in code instead.");
            steps.Add(ModelFile.ToJson(saveable));
        }
        return new JsonObject { ["steps"] = steps };
    }

    internal static Pipeline FromState(JsonObject state)
    {
        var steps = state["steps"] as JsonArray ?? throw new InvalidDataException("The model state lacks \"steps\".");
        return new Pipeline(steps.Select((s, i) => (object)ModelFile.FromJson(
            s as JsonObject ?? throw new InvalidDataException($"Step {i} of the pipeline is not a JSON object."))));
    }

    private DataMatrix FitSteps(DataMatrix x, IReadOnlyList<int>? labels, bool transformLast)
    {
        Check.Data(x, nameof(x));
        if (labels is not null) Check.Labels(labels, x.Rows, nameof(labels));
        var z = x;
        for (int i = 0; i < _steps.Length; i++)
        {
            var step = _steps[i];
            bool last = i == _steps.Length - 1;
            bool needOutput = !last || transformLast;
            if (step is IClassifier classifier && last)
            {
                classifier.Fit(z, labels ?? throw NeedsLabels(i, step, "a classifier"));
                if (transformLast && step is ITransformer t) z = t.Transform(z);
                continue;
            }
            switch (step)
            {
                case Pipeline inner:
                    // A nested pipeline passes the labels on to its own steps.
                    if (needOutput) z = inner.FitTransform(z, labels);
                    else inner.Fit(z, labels);
                    break;
                case ISupervisedReducer supervised:
                    var y = labels ?? throw NeedsLabels(i, step, "a supervised reducer");
                    if (needOutput) z = supervised.FitTransform(z, y);
                    else supervised.Fit(z, y);
                    break;
                case IReducer reducer:
                    if (needOutput) z = reducer.FitTransform(z);
                    else reducer.Fit(z);
                    break;
                case ITransformer fixedTransformer:
                    if (needOutput) z = fixedTransformer.Transform(z);
                    break;
            }
        }
        return z;
    }

    private static ArgumentException NeedsLabels(int i, object step, string what) => new(
        $"labels is null, but step {i} ({step.GetType().Name}) is {what} and learns from labels. Call Fit(x, labels) with one label per row.",
        "labels");

    private IClassifier RequireClassifier(string member) => Classifier
        ?? throw new InvalidOperationException(
            $"Pipeline.{member} needs a classifier as the last step, but this pipeline ends with {_steps[^1].GetType().Name}. Add a classifier such as LogisticRegression at the end, or use Transform.");

    private DataMatrix ClassifierInput(DataMatrix x)
    {
        Check.Data(x, nameof(x));
        var z = x;
        for (int i = 0; i < _steps.Length - 1; i++) z = ((ITransformer)_steps[i]).Transform(z);
        return z;
    }
}
