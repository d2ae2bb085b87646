using DimReduce.Classification;

namespace DimReduce.Tests.Classification;

public class ClassificationMetricsTests
{
    [Fact]
    public void AccuracyCountsMatches()
    {
        Assert.Equal(0.75, ClassificationMetrics.Accuracy([0, 1, 2, 2], [0, 1, 2, 1]));
        Assert.Equal(1.0, ClassificationMetrics.Accuracy([5], [5]));
    }

    [Fact]
    public void ConfusionMatrixHasTruthInRowsAndPredictionInColumns()
    {
        // truth 0 predicted 0 twice, truth 1 predicted 2 once, truth 2 predicted 2 once, truth 2 predicted 0 once.
        var m = ClassificationMetrics.ConfusionMatrix([0, 0, 1, 2, 2], [0, 0, 2, 2, 0]);
        Assert.Equal(new int[,] { { 2, 0, 0 }, { 0, 0, 1 }, { 1, 0, 1 } }, m);
        var padded = ClassificationMetrics.ConfusionMatrix([0, 1], [0, 1], classCount: 4);
        Assert.Equal(4, padded.GetLength(0));
        Assert.Equal(1, padded[1, 1]);
    }

    [Fact]
    public void ConfusionMatrixMatchesScikitLearnOnWine()
    {
        var wine = LogisticFixture.Load("wine");
        var expected = wine.Case("c_10");
        var predicted = expected["test_predictions"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        var m = ClassificationMetrics.ConfusionMatrix(wine.TestY, predicted, 3);
        var rows = expected["confusion_matrix"]!.AsArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(rows[i]![j]!.GetValue<int>(), m[i, j]);
    }

    [Fact]
    public void FormattedTableShowsNamesAndCounts()
    {
        var text = ClassificationMetrics.FormatConfusionMatrix(new int[,] { { 12, 3 }, { 0, 140 } }, ["malignant", "benign"]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Contains("true \\ predicted", lines[0]);
        Assert.Contains("malignant", lines[0]);
        Assert.StartsWith("malignant", lines[1]);
        Assert.EndsWith("140", lines[2]);
        Assert.Equal(lines[0].Length, lines[1].Length); // aligned columns
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([0, 1], [0]));
        Assert.Equal("predicted", e.ParamName);
        Assert.Contains("1 labels, but truth has 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([], []));
        Assert.Equal("truth", e.ParamName);
        Assert.Throws<ArgumentNullException>("truth", () => ClassificationMetrics.Accuracy(null!, [0]));
        e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.ConfusionMatrix([0, -1], [0, 0]));
        Assert.Equal("truth", e.ParamName);
        Assert.Contains("truth[1] is -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.ConfusionMatrix([0, 1], [0, 5], classCount: 3));
        Assert.Equal("predicted", e.ParamName);
        Assert.Contains("Raise classCount", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => ClassificationMetrics.ConfusionMatrix([0], [0], classCount: 0));
        e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.FormatConfusionMatrix(new int[2, 2], ["a"]));
        Assert.Equal("classNames", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.FormatConfusionMatrix(new int[2, 3]));
        Assert.Equal("matrix", e.ParamName);
    }
}
