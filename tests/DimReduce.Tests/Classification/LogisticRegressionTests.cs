using DimReduce.Classification;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Classification;

public class LogisticRegressionTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "breast_cancer", "default" },
        { "breast_cancer", "multinomial" },
        { "breast_cancer", "c_0_05" },
        { "wine", "default" },
        { "wine", "ovr" },
        { "wine", "no_intercept" },
        { "wine", "c_10" },
    };

    private static LogisticRegression Model(System.Text.Json.Nodes.JsonObject options) => new()
    {
        C = options["C"]?.GetValue<double>() ?? LogisticRegression.Defaults.C,
        FitIntercept = options["fit_intercept"]?.GetValue<bool>() ?? LogisticRegression.Defaults.FitIntercept,
        MultiClass = (string?)options["multi_class"] switch
        {
            null => LogisticMultiClass.Auto,
            "multinomial" => LogisticMultiClass.Multinomial,
            "ovr" => LogisticMultiClass.OneVsRest,
            var other => throw new ArgumentException(other),
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesScikitLearn(string data, string caseName)
    {
        var f = LogisticFixture.Load(data);
        var expected = f.Case(caseName);
        var model = Model(expected["options"]!.AsObject()).Fit(f.TrainX, f.TrainY);

        Assert.True(model.Converged, string.Join("; ", model.Warnings));
        Assert.Empty(model.Warnings);
        Assert.Equal(expected["classes"]!.Ints(), model.Classes);

        // Both fits are iterative solvers (scipy's L-BFGS-B there, MathNet's L-BFGS here) that stop at a
        // gradient tolerance of 1e-4 on the same objective, so they agree to about 1e-3 rather than to
        // rounding error. The fixture's "optimum" (tol 1e-12) shows scikit-learn's own distance from the minimiser.
        var expectedW = expected["coefficients"]!.Matrix();
        var actualW = model.Coefficients;
        if (expectedW.Rows == 1 && actualW.Rows == 2)
            actualW = actualW.SelectRows([1]); // scikit-learn keeps only the second row of a two-class softmax
        double scale = expectedW.AsSpan().ToArray().Max(Math.Abs);
        Approx.Equal(expectedW, actualW, rtol: 1e-3, atol: 1e-3 * scale, what: $"{data}/{caseName} coefficients");
        Approx.Equal(expected["intercepts"]!.Doubles(), model.Intercepts.Skip(model.Intercepts.Count - expectedW.Rows).ToArray(), rtol: 1e-3, atol: 1e-3 * scale, what: $"{data}/{caseName} intercepts");
        var optimumW = expected["optimum"]!["coefficients"]!.Matrix();
        Approx.Equal(optimumW, actualW, rtol: 1e-3, atol: 1e-3 * scale, what: $"{data}/{caseName} coefficients vs optimum");

        double accuracy = model.Score(f.TestX, f.TestY);
        Assert.InRange(accuracy, expected["test_accuracy"]!.GetValue<double>() - 0.01, 1.0);
        var predicted = model.Predict(f.TestX);
        var expectedPredicted = expected["test_predictions"]!.Ints();
        int same = predicted.Zip(expectedPredicted).Count(p => p.First == p.Second);
        Assert.True(same >= expectedPredicted.Length - 1, $"{expectedPredicted.Length - same} of {expectedPredicted.Length} predictions differ from scikit-learn's");

        var proba = model.PredictProba(f.TestX);
        Approx.Equal(expected["test_probabilities"]!.Matrix(), proba, rtol: 0, atol: 2e-3, what: "probabilities");
        var decision = model.DecisionFunction(f.TestX);
        if (actualW.Rows != model.Coefficients.Rows) decision = decision.SelectColumns([1]);
        Approx.Equal(expected["test_decision"]!.Matrix(), decision, rtol: 1e-3, atol: 1e-2, what: "decision function");
        for (int i = 0; i < proba.Rows; i++)
            Approx.Equal(1.0, proba.Row(i).ToArray().Sum(), rtol: 1e-12, what: $"row {i} probability sum");
    }

    [Fact]
    public void AutoUsesOneLogisticFunctionForTwoClassesAndSoftmaxForThree()
    {
        var bc = LogisticFixture.Load("breast_cancer");
        var binary = new LogisticRegression().Fit(bc.TrainX, bc.TrainY);
        Assert.Equal(LogisticMultiClass.OneVsRest, binary.MultiClassUsed);
        Assert.Equal(1, binary.Coefficients.Rows);
        Assert.Equal(1, binary.DecisionFunction(bc.TestX).Columns);

        var softmax = new LogisticRegression { MultiClass = LogisticMultiClass.Multinomial }.Fit(bc.TrainX, bc.TrainY);
        Assert.Equal(2, softmax.Coefficients.Rows);
        // scikit-learn keeps only the second row for a two-class softmax; ours keeps both, which sum to zero.
        var sk = bc.Case("multinomial")["coefficients"]!.Matrix();
        var w = softmax.Coefficients;
        double scale = sk.AsSpan().ToArray().Max(Math.Abs);
        Approx.Equal(sk.Row(0).ToArray(), w.Row(1).ToArray(), rtol: 1e-3, atol: 1e-3 * scale, what: "softmax row 1");
        Approx.Equal(w.Row(1).ToArray().Select(v => -v).ToArray(), w.Row(0).ToArray(), rtol: 1e-6, atol: 1e-6, what: "rows sum to zero");

        var wine = LogisticFixture.Load("wine");
        var three = new LogisticRegression().Fit(wine.TrainX, wine.TrainY);
        Assert.Equal(LogisticMultiClass.Multinomial, three.MultiClassUsed);
        Assert.Equal(3, three.Coefficients.Rows);
    }

    [Fact]
    public void AnyNonNegativeLabelsMapToClassesInAscendingOrder()
    {
        var wine = LogisticFixture.Load("wine");
        int[] names = [7, 3, 12];
        var relabelled = wine.TrainY.Select(y => names[y]).ToArray();
        var model = new LogisticRegression().Fit(wine.TrainX, relabelled);
        Assert.Equal([3, 7, 12], model.Classes);
        var plain = new LogisticRegression().Fit(wine.TrainX, wine.TrainY);
        Assert.Equal(plain.Predict(wine.TestX).Select(y => names[y]), model.Predict(wine.TestX));
    }

    [Fact]
    public void FittingTwiceGivesIdenticalResults()
    {
        var wine = LogisticFixture.Load("wine");
        var model = new LogisticRegression();
        var first = model.Fit(wine.TrainX, wine.TrainY).Coefficients;
        var second = model.Fit(wine.TrainX, wine.TrainY).Coefficients;
        var other = new LogisticRegression().Fit(wine.TrainX, wine.TrainY).Coefficients;
        Approx.Equal(first, second, rtol: 0, what: "refit");
        Approx.Equal(first, other, rtol: 0, what: "new instance");
    }

    [Fact]
    public void IterationLimitBecomesAWarningNotAnError()
    {
        var bc = LogisticFixture.Load("breast_cancer");
        var model = new LogisticRegression { MaxIterations = 2, C = 100 }.Fit(bc.TrainX, bc.TrainY);
        Assert.False(model.Converged);
        var warning = Assert.Single(model.Warnings);
        Assert.Contains("MaxIterations", warning);
        Assert.Equal(2, model.Iterations);
        Assert.InRange(model.Score(bc.TestX, bc.TestY), 0.8, 1.0); // still a usable model
    }

    [Fact]
    public void SmallerCShrinksTheWeights()
    {
        var wine = LogisticFixture.Load("wine");
        double Norm(double c) => new LogisticRegression { C = c }.Fit(wine.TrainX, wine.TrainY).Coefficients.AsSpan().ToArray().Sum(v => v * v);
        Assert.True(Norm(0.01) < Norm(1) && Norm(1) < Norm(100));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LossGradientMatchesFiniteDifferences(bool multinomial)
    {
        var wine = LogisticFixture.Load("wine");
        var x = wine.TrainX.SelectRows(Enumerable.Range(0, 40).ToArray());
        var y = wine.TrainY.Take(40).ToArray();
        int p = x.Columns, k = 3, n = multinomial ? k * (p + 1) : p + 1;
        var rng = new Random(3);
        var w = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var positive = y.Select(v => v == 1).ToArray();
        double F(double[] v, double[] g) => multinomial
            ? LogisticLoss.Multinomial(x, y, k, v, 0.7, true, g)
            : LogisticLoss.Binary(x, positive, v, 0.7, true, g);
        var grad = new double[n];
        F(w, grad);
        var numeric = new double[n];
        var scratch = new double[n];
        const double h = 1e-6;
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])w.Clone(); plus[j] += h;
            var minus = (double[])w.Clone(); minus[j] -= h;
            numeric[j] = (F(plus, scratch) - F(minus, scratch)) / (2 * h);
        }
        // Central differences with h = 1e-6 carry about 1e-8 relative error on values of order 10-100.
        Approx.Equal(numeric, grad, rtol: 1e-6, atol: 1e-6, what: "gradient");
    }

    [Fact]
    public void LossIsStableForHugeLogits()
    {
        var x = new DataMatrix(2, 1, [1000.0, -1000.0]);
        var g = new double[4];
        double loss = LogisticLoss.Multinomial(x, [0, 1], 2, new double[] { 5, 0, -5, 0 }, 1.0, true, g);
        Assert.True(double.IsFinite(loss));
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0.0, LogisticLoss.Log1PExp(-1000));
        Assert.Equal(1000.0, LogisticLoss.Log1PExp(1000));
        Assert.Equal(0.0, LogisticLoss.Sigmoid(-1000));
    }

    [Fact]
    public void SavedModelPredictsIdentically()
    {
        var wine = LogisticFixture.Load("wine");
        foreach (var scheme in new[] { LogisticMultiClass.Auto, LogisticMultiClass.OneVsRest })
        {
            var model = new LogisticRegression { MultiClass = scheme, C = 0.5 }.Fit(wine.TrainX, wine.TrainY);
            string path = Path.Combine(Path.GetTempPath(), $"dimreduce-logreg-{Guid.NewGuid():N}.json");
            try
            {
                model.Save(path);
                var loaded = LogisticRegression.Load(path);
                Approx.Equal(model.PredictProba(wine.TestX), loaded.PredictProba(wine.TestX), rtol: 0, what: "probabilities after load");
                Assert.Equal(model.Predict(wine.TestX), loaded.Predict(wine.TestX));
                Assert.Equal(model.Classes, loaded.Classes);
                Assert.Equal(model.Iterations, loaded.Iterations);
                Assert.Equal(0.5, loaded.C);
                Assert.Equal(scheme, loaded.MultiClass);
                Assert.Equal(model.MultiClassUsed, loaded.MultiClassUsed);
            }
            finally { File.Delete(path); }
        }
    }

    // ---- bad input ----

    private static readonly DataMatrix Small = new double[,] { { 0, 1 }, { 1, 0 }, { 2, 2 }, { 3, 1 } };
    private static readonly int[] SmallLabels = [0, 0, 1, 1];

    public static TheoryData<string, double> BadValues => new()
    {
        { "NaN", double.NaN },
        { "positive infinity", double.PositiveInfinity },
        { "negative infinity", double.NegativeInfinity },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void FitRejectsNonFiniteValues(string what, double value)
    {
        var x = Small.Clone();
        x[2, 1] = value;
        var e = Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(x, SmallLabels));
        Assert.Equal("x", e.ParamName);
        Assert.Contains(what, e.Message);
        Assert.Contains("row 2, column 1", e.Message);
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void PredictRejectsNonFiniteValues(string what, double value)
    {
        var model = new LogisticRegression().Fit(Small, SmallLabels);
        var x = Small.Clone();
        x[0, 0] = value;
        foreach (Action call in new Action[] { () => model.Predict(x), () => model.PredictProba(x), () => model.DecisionFunction(x), () => model.Score(x, SmallLabels) })
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("x", e.ParamName);
            Assert.Contains(what, e.Message);
        }
    }

    [Fact]
    public void FitRejectsEmptyAndNullData()
    {
        var e = Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(new DataMatrix(0, 3), []));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("empty", e.Message);
        Assert.Throws<ArgumentNullException>("x", () => new LogisticRegression().Fit(null!, SmallLabels));
        Assert.Throws<ArgumentNullException>("labels", () => new LogisticRegression().Fit(Small, null!));
    }

    [Fact]
    public void FitRejectsBadLabels()
    {
        var e = Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(Small, [0, 1, 1]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("3 labels, but x has 4 rows", e.Message);

        e = Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(Small, [2, 2, 2, 2]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("only one class (2)", e.Message);

        e = Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(Small, [0, -1, 1, 1]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("labels[1] is -1", e.Message);
    }

    [Fact]
    public void ScoreRejectsLabelCountMismatch()
    {
        var model = new LogisticRegression().Fit(Small, SmallLabels);
        var e = Assert.Throws<ArgumentException>(() => model.Score(Small, [0, 1]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("2 labels, but x has 4 rows", e.Message);
    }

    [Fact]
    public void PredictRejectsWrongFeatureCount()
    {
        var model = new LogisticRegression().Fit(Small, SmallLabels);
        var wide = new DataMatrix(2, 3);
        foreach (Action call in new Action[] { () => model.Predict(wide), () => model.PredictProba(wide), () => model.DecisionFunction(wide), () => model.Score(wide, [0, 1]) })
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("x", e.ParamName);
            Assert.Contains("3 features, but this LogisticRegression was fitted on 2", e.Message);
        }
        var empty = Assert.Throws<ArgumentException>(() => model.Predict(new DataMatrix(0, 2)));
        Assert.Contains("empty", empty.Message);
    }

    [Theory]
    [InlineData("C", 0.0)]
    [InlineData("C", -1.0)]
    [InlineData("C", double.NaN)]
    [InlineData("C", double.PositiveInfinity)]
    [InlineData("Tolerance", 0.0)]
    [InlineData("Tolerance", double.NaN)]
    public void FitRejectsBadRealOptions(string option, double value)
    {
        var model = option == "C" ? new LogisticRegression { C = value } : new LogisticRegression { Tolerance = value };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Small, SmallLabels));
        Assert.Equal(option, e.ParamName);
        Assert.Contains("greater than 0", e.Message);
    }

    [Fact]
    public void FitRejectsBadIntegerAndEnumOptions()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression { MaxIterations = 0 }.Fit(Small, SmallLabels));
        Assert.Equal("MaxIterations", e.ParamName);
        Assert.Contains("MaxIterations is 0", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression { MultiClass = (LogisticMultiClass)9 }.Fit(Small, SmallLabels));
        Assert.Equal("MultiClass", e.ParamName);
    }

    [Fact]
    public void OptionsAreCheckedBeforeData()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression { C = -1 }.Fit(new DataMatrix(0, 0), []));
        Assert.Equal("C", e.ParamName);
    }

    [Fact]
    public void FittedMembersNeedFit()
    {
        var model = new LogisticRegression();
        var calls = new (string Member, Action Call)[]
        {
            ("Classes", () => _ = model.Classes),
            ("Coefficients", () => _ = model.Coefficients),
            ("Intercepts", () => _ = model.Intercepts),
            ("Iterations", () => _ = model.Iterations),
            ("Converged", () => _ = model.Converged),
            ("MultiClassUsed", () => _ = model.MultiClassUsed),
            ("Predict", () => model.Predict(Small)),
            ("PredictProba", () => model.PredictProba(Small)),
            ("DecisionFunction", () => model.DecisionFunction(Small)),
            ("Score", () => model.Score(Small, SmallLabels)),
            ("Save", () => model.Save(Path.Combine(Path.GetTempPath(), "never-written.json"))),
        };
        foreach (var (member, call) in calls)
        {
            var e = Assert.Throws<InvalidOperationException>(call);
            Assert.Contains($"LogisticRegression.{member}", e.Message);
            Assert.Contains("Call Fit", e.Message);
        }
        Assert.Empty(model.Warnings);
    }
}
