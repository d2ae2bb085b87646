using DimReduce.Clustering;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Clustering;

public class DbscanTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Fix = Fixture.Load("Clustering", "dbscan");

    [Theory]
    [InlineData(0.5, 5, "labels", "core")]
    [InlineData(0.3, 4, "labels_eps03_min4", "core_eps03_min4")]
    public void Labels_and_core_samples_match_sklearn(double eps, int minSamples, string labels, string core)
    {
        var model = new Dbscan { Eps = eps, MinSamples = minSamples }.Fit(Fix["x"]!.Matrix());
        var expected = Fix[labels]!.Ints();
        Assert.Contains(-1, expected); // the set has noise points
        // Up to renumbering (both number clusters in order of discovery, so in fact equal).
        var map = new Dictionary<int, int>();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i] == -1, model.Labels[i] == -1);
            if (expected[i] == -1) continue;
            if (!map.TryAdd(expected[i], model.Labels[i])) Assert.Equal(map[expected[i]], model.Labels[i]);
        }
        Assert.Equal(map.Count, map.Values.Distinct().Count());
        Assert.Equal(expected, model.Labels);
        Assert.Equal(Fix[core]!.Ints(), model.CoreSampleIndices);
        Assert.Equal(expected.Max() + 1, model.ClusterCount);
    }

    [Fact]
    public void Border_point_joins_the_first_cluster_that_reaches_it()
    {
        // Two dense groups with one point between them, within reach of both but not itself core.
        // The middle point (1.0) has 3 rows within 0.75 counting itself, fewer than MinSamples = 4.
        var x = DataMatrix.FromColumn([1.7, 1.8, 1.9, 2.0, 1.0, 0.0, 0.1, 0.2, 0.3, 5.0]);
        var model = new Dbscan { Eps = 0.75, MinSamples = 4 }.Fit(x);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, -1 }, model.Labels);
        Assert.Equal(new[] { 0, 1, 2, 3, 5, 6, 7, 8 }, model.CoreSampleIndices);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var x = DataMatrix.FromColumn([0.0, 1]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dbscan { Eps = 0 }.Fit(x));
        Assert.Equal("Eps", e.ParamName);
        Assert.Contains("greater than 0", e.Message);
        Assert.Equal("MinSamples", Assert.Throws<ArgumentOutOfRangeException>(() => new Dbscan { MinSamples = 0 }.Fit(x)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Dbscan().Fit(DataMatrix.FromColumn([double.NaN]))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Dbscan().Fit(new DataMatrix(0, 2))).ParamName);
        Assert.Contains("Labels", Assert.Throws<InvalidOperationException>(() => new Dbscan().Labels).Message);
        Assert.Contains("CoreSampleIndices", Assert.Throws<InvalidOperationException>(() => new Dbscan().CoreSampleIndices).Message);
    }
}
