using DimReduce.Classification;
using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Neighbors;

// The classifier lives in Classification/; its tests sit beside the neighbour search it is built on.
public class KNeighborsClassifierTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Wine = Fixture.Load("Metrics", "wine_knn");

    [Fact]
    public void Uniform_votes_match_sklearn_on_scaled_wine()
    {
        var model = new KNeighborsClassifier().Fit(Wine["train_x"]!.Matrix(), Wine["train_y"]!.Ints());
        var test = Wine["test_x"]!.Matrix();
        Assert.Equal(Wine["uniform5_predict"]!.Ints(), model.Predict(test));
        Approx.Equal(Wine["uniform5_proba"]!.Matrix(), model.PredictProba(test), rtol: 1e-12);
        Assert.Equal(Wine["uniform5_score"]!.GetValue<double>(), model.Score(test, Wine["test_y"]!.Ints()), 12);
        Assert.Equal(new[] { 0, 1, 2 }, model.Classes);
    }

    [Fact]
    public void Distance_weights_match_sklearn_on_scaled_wine()
    {
        var model = new KNeighborsClassifier { Neighbors = 7, Weights = NeighborWeights.Distance }
            .Fit(Wine["train_x"]!.Matrix(), Wine["train_y"]!.Ints());
        var test = Wine["test_x"]!.Matrix();
        Assert.Equal(Wine["distance7_predict"]!.Ints(), model.Predict(test));
        Approx.Equal(Wine["distance7_proba"]!.Matrix(), model.PredictProba(test), rtol: 1e-10);
    }

    [Fact]
    public void Equal_votes_go_to_the_lowest_label_and_exact_matches_take_all_weight()
    {
        var x = DataMatrix.FromColumn([0.0, 1, 10, 11]);
        int[] y = [7, 7, 3, 3];
        var model = new KNeighborsClassifier { Neighbors = 4 }.Fit(x, y);
        Assert.Equal(new[] { 3 }, model.Predict(DataMatrix.FromColumn([0.0]))); // 2 votes each: label 3 < 7
        var weighted = new KNeighborsClassifier { Neighbors = 4, Weights = NeighborWeights.Distance }.Fit(x, y);
        Assert.Equal(new[] { 7 }, weighted.Predict(DataMatrix.FromColumn([0.0])));
        Assert.Equal(new[] { 0.0, 1.0 }, weighted.PredictProba(DataMatrix.FromColumn([0.0])).Row(0).ToArray());
    }

    [Fact]
    public void Saved_model_predicts_identically()
    {
        var model = new KNeighborsClassifier { Neighbors = 7, Weights = NeighborWeights.Distance }
            .Fit(Wine["train_x"]!.Matrix(), Wine["train_y"]!.Ints());
        string path = Path.Combine(Path.GetTempPath(), $"knn-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            var loaded = KNeighborsClassifier.Load(path);
            var test = Wine["test_x"]!.Matrix();
            Assert.Equal(model.PredictProba(test).AsSpan().ToArray(), loaded.PredictProba(test).AsSpan().ToArray());
            Assert.Equal(model.Neighbors, loaded.Neighbors);
            Assert.Equal(model.Weights, loaded.Weights);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var x = DataMatrix.FromColumn([0.0, 1, 2]);
        int[] y = [0, 1, 1];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new KNeighborsClassifier { Neighbors = 4 }.Fit(x, y));
        Assert.Equal("Neighbors", e.ParamName);
        Assert.Contains("3 samples", e.Message);
        Assert.Equal("Neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => new KNeighborsClassifier { Neighbors = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("Weights", Assert.Throws<ArgumentOutOfRangeException>(() => new KNeighborsClassifier { Weights = (NeighborWeights)5 }.Fit(x, y)).ParamName);
        var l = Assert.Throws<ArgumentException>(() => new KNeighborsClassifier { Neighbors = 1 }.Fit(x, [0, 1]));
        Assert.Equal("labels", l.ParamName);
        Assert.Contains("2 labels", l.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new KNeighborsClassifier { Neighbors = 1 }.Fit(DataMatrix.FromColumn([double.NaN, 1, 2]), y)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new KNeighborsClassifier { Neighbors = 1 }.Fit(new DataMatrix(0, 1), [])).ParamName);
        var unfitted = new KNeighborsClassifier();
        Assert.Contains("Predict", Assert.Throws<InvalidOperationException>(() => unfitted.Predict(x)).Message);
        Assert.Contains("Classes", Assert.Throws<InvalidOperationException>(() => unfitted.Classes).Message);
        var model = new KNeighborsClassifier { Neighbors = 1 }.Fit(x, y);
        var f = Assert.Throws<ArgumentException>(() => model.Predict(new DataMatrix(2, 3)));
        Assert.Equal("x", f.ParamName);
        Assert.Contains("fitted on 1", f.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => model.PredictProba(DataMatrix.FromColumn([double.PositiveInfinity]))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => model.Score(x, [1])).ParamName);
    }
}
