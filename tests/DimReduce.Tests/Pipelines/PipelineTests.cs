using DimReduce.Classification;
using DimReduce.Datasets;
using DimReduce.Persistence;
using DimReduce.Pipelines;
using DimReduce.Tests.Classification;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Pipelines;

public class PipelineTests
{
    private static (DataMatrix TrainX, int[] TrainY, DataMatrix TestX, int[] TestY) WineSplit()
    {
        var f = LogisticFixture.Load("wine");
        var wine = BundledSets.Wine();
        var train = f.Json["train_indices"]!.Ints();
        var test = f.Json["test_indices"]!.Ints();
        return (wine.Features.SelectRows(train), train.Select(i => wine.Labels[i]).ToArray(),
                wine.Features.SelectRows(test), test.Select(i => wine.Labels[i]).ToArray());
    }

    [Fact]
    public void EachStepIsFittedOnThePreviousOutput()
    {
        var (trainX, trainY, testX, _) = WineSplit();
        var pipeline = new Pipeline(new Centering(), new Doubling(), new LogisticRegression()).Fit(trainX, trainY);

        var centering = new Centering();
        var z = new Doubling().Transform(centering.FitTransform(trainX));
        var manual = new LogisticRegression().Fit(z, trainY);
        var logistic = (LogisticRegression)pipeline.Classifier!;
        Approx.Equal(manual.Coefficients, logistic.Coefficients, rtol: 0, what: "coefficients");

        var zTest = new Doubling().Transform(centering.Transform(testX));
        Assert.Equal(manual.Predict(zTest), pipeline.Predict(testX));
        Approx.Equal(manual.PredictProba(zTest), pipeline.PredictProba(testX), rtol: 0, what: "probabilities");
        Approx.Equal(zTest, pipeline.Transform(testX), rtol: 0, what: "Transform stops before the classifier");
    }

    [Fact]
    public void StandardisingThenLogisticRegressionMatchesScikitLearn()
    {
        var (trainX, trainY, testX, testY) = WineSplit();
        var model = new Pipeline(new Standardising(), new LogisticRegression()).Fit(trainX, trainY);
        var expected = LogisticFixture.Load("wine").Case("default");
        var w = expected["coefficients"]!.Matrix();
        double scale = w.AsSpan().ToArray().Max(Math.Abs);
        // The test-local scaler recomputes the mean and scale, so only the solver tolerance separates the fits.
        Approx.Equal(w, ((LogisticRegression)model.Classifier!).Coefficients, rtol: 1e-3, atol: 1e-3 * scale, what: "coefficients");
        Assert.InRange(model.Score(testX, testY), expected["test_accuracy"]!.GetValue<double>() - 0.01, 1.0);
    }

    [Fact]
    public void SupervisedStepsReceiveTheLabels()
    {
        var (trainX, trainY, testX, testY) = WineSplit();
        var projection = new ClassMeanProjection();
        var pipeline = new Pipeline(new Standardising(), projection, new LogisticRegression()).Fit(trainX, trainY);
        Assert.Equal(trainY, projection.LabelsSeen);
        Assert.Equal(3, pipeline.Transform(testX).Columns);
        Assert.InRange(pipeline.Score(testX, testY), 0.9, 1.0);

        var e = Assert.Throws<ArgumentException>(() => new Pipeline(new ClassMeanProjection()).Fit(trainX));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("step 0 (ClassMeanProjection) is a supervised reducer", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pipeline(new Centering(), new LogisticRegression()).Fit(trainX));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("step 1 (LogisticRegression) is a classifier", e.Message);
    }

    [Fact]
    public void UnsupervisedPipelineIsAReducer()
    {
        var (trainX, _, testX, _) = WineSplit();
        IReducer pipeline = new Pipeline(new Centering(), new Doubling());
        var fitted = pipeline.FitTransform(trainX);
        Approx.Equal(pipeline.Transform(trainX), fitted, rtol: 0, what: "FitTransform equals Fit then Transform");
        var back = ((IInvertibleTransformer)new Pipeline(new Centering(), new Centering()).Fit(trainX)).InverseTransform(new DataMatrix(1, trainX.Columns));
        Approx.Equal(trainX.Column(0).Average(), back[0, 0], rtol: 1e-12, what: "inverse of centring");
        var e = Assert.Throws<InvalidOperationException>(() => ((Pipeline)pipeline).InverseTransform(testX));
        Assert.Contains("Step 1 (Doubling) cannot be inverted", e.Message);
    }

    [Fact]
    public void FittingAgainRefitsEveryStep()
    {
        var (trainX, trainY, _, _) = WineSplit();
        var centering = new Centering();
        var pipeline = new Pipeline(centering, new LogisticRegression());
        pipeline.Fit(trainX, trainY);
        var first = ((LogisticRegression)pipeline.Classifier!).Coefficients;
        pipeline.Fit(trainX, trainY);
        Assert.Equal(2, centering.FitCount);
        Approx.Equal(first, ((LogisticRegression)pipeline.Classifier!).Coefficients, rtol: 0, what: "refit");
    }

    [Fact]
    public void NestedPipelinesPassLabelsOn()
    {
        var (trainX, trainY, testX, testY) = WineSplit();
        var projection = new ClassMeanProjection();
        var outer = new Pipeline(new Pipeline(new Standardising(), projection), new LogisticRegression()).Fit(trainX, trainY);
        Assert.Equal(trainY, projection.LabelsSeen);
        Assert.InRange(outer.Score(testX, testY), 0.9, 1.0);
    }

    [Fact]
    public void SavedPipelinePredictsIdentically()
    {
        var f = LogisticFixture.Load("wine");
        var pipeline = new Pipeline(new Pipeline(new LogisticRegression { C = 0.3 })).Fit(f.TrainX, f.TrainY);
        string path = Path.Combine(Path.GetTempPath(), $"dimreduce-pipeline-{Guid.NewGuid():N}.json");
        try
        {
            pipeline.Save(path);
            string text = File.ReadAllText(path);
            Assert.Contains("\"type\": \"Pipeline\"", text);
            Assert.Contains("\"type\": \"LogisticRegression\"", text);
            var loaded = Pipeline.Load(path);
            Assert.Equal(pipeline.Predict(f.TestX), loaded.Predict(f.TestX));
            Approx.Equal(pipeline.PredictProba(f.TestX), loaded.PredictProba(f.TestX), rtol: 0, what: "probabilities after load");
            var inner = Assert.IsType<Pipeline>(Assert.Single(loaded.Steps));
            Assert.Equal(0.3, Assert.IsType<LogisticRegression>(inner.Classifier).C);
            Assert.IsType<Pipeline>(ModelFile.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SaveNamesTheStepThatCannotBeSaved()
    {
        var (trainX, trainY, _, _) = WineSplit();
        string path = Path.Combine(Path.GetTempPath(), $"dimreduce-pipeline-{Guid.NewGuid():N}.json");
        foreach (var odd in new object[] { new Centering(), new ForeignSaveable() })
        {
            var pipeline = new Pipeline(odd, new LogisticRegression()).Fit(trainX, trainY);
            var e = Assert.Throws<InvalidOperationException>(() => pipeline.Save(path));
            Assert.Contains($"Step 0 ({odd.GetType().Name}) cannot be saved", e.Message);
            Assert.False(File.Exists(path));
        }
    }

    [Fact]
    public void ConstructorRejectsBadSteps()
    {
        var e = Assert.Throws<ArgumentException>(() => new Pipeline());
        Assert.Equal("steps", e.ParamName);
        Assert.Contains("empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pipeline(new Centering(), null!));
        Assert.Equal("steps", e.ParamName);
        Assert.Contains("Step 1 is null", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pipeline(new LogisticRegression(), new Centering()));
        Assert.Contains("only the last step may be one", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pipeline(new Centering(), "not a step"));
        Assert.Contains("Step 1 (String) is neither a transformer", e.Message);
        Assert.Throws<ArgumentNullException>("steps", () => new Pipeline((IEnumerable<object>)null!));
    }

    [Fact]
    public void PredictNeedsAClassifier()
    {
        var (trainX, _, testX, testY) = WineSplit();
        var pipeline = new Pipeline(new Centering()).Fit(trainX);
        Assert.Null(pipeline.Classifier);
        foreach (var (member, call) in new (string, Action)[] { ("Predict", () => pipeline.Predict(testX)), ("PredictProba", () => pipeline.PredictProba(testX)), ("Score", () => pipeline.Score(testX, testY)) })
        {
            var e = Assert.Throws<InvalidOperationException>(call);
            Assert.Contains($"Pipeline.{member} needs a classifier", e.Message);
        }
    }

    [Fact]
    public void UnfittedStepsReportTheMethodToCall()
    {
        var (_, _, testX, _) = WineSplit();
        var e = Assert.Throws<InvalidOperationException>(() => new Pipeline(new LogisticRegression()).Predict(testX));
        Assert.Contains("Call Fit", e.Message);
    }

    [Fact]
    public void BadDataIsRejected()
    {
        var (trainX, trainY, testX, testY) = WineSplit();
        var bad = trainX.Clone();
        bad[3, 2] = double.NaN;
        var pipeline = new Pipeline(new Centering(), new LogisticRegression());
        var e = Assert.Throws<ArgumentException>(() => pipeline.Fit(bad, trainY));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("NaN at row 3, column 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => pipeline.Fit(trainX, trainY.Take(5).ToArray()));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("5 labels", e.Message);
        e = Assert.Throws<ArgumentException>(() => pipeline.Fit(new DataMatrix(0, 13), []));
        Assert.Equal("x", e.ParamName);

        pipeline.Fit(trainX, trainY);
        var inf = testX.Clone();
        inf[0, 0] = double.PositiveInfinity;
        foreach (Action call in new Action[] { () => pipeline.Predict(inf), () => pipeline.Transform(inf), () => pipeline.PredictProba(inf), () => pipeline.Score(inf, testY) })
        {
            e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("x", e.ParamName);
            Assert.Contains("positive infinity", e.Message);
        }
        e = Assert.Throws<ArgumentException>(() => pipeline.Score(testX, testY.Take(3).ToArray()));
        Assert.Equal("labels", e.ParamName);
        // Wrong feature count is reported by the step that meets it (here the classifier, after Doubling).
        e = Assert.Throws<ArgumentException>(() => new Pipeline(new Doubling(), new LogisticRegression()).Fit(trainX, trainY).Predict(new DataMatrix(2, 5)));
        Assert.Contains("5 features, but this LogisticRegression was fitted on 13", e.Message);
    }
}
