using System.Text.Json.Nodes;
using DimReduce.Datasets;
using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Neighbors;

/// <summary>Chebyshev, Minkowski and correlation distances against scikit-learn / SciPy (Fixtures/Neighbors/metrics_wine.json).</summary>
public class NeighborMetricTests
{
    private static readonly JsonObject Reference = Fixture.Load("Neighbors", "metrics_wine");

    [Theory]
    [InlineData("chebyshev", NeighborMetric.Chebyshev, 2.0)]
    [InlineData("minkowski3", NeighborMetric.Minkowski, 3.0)]
    [InlineData("minkowski0.5", NeighborMetric.Minkowski, 0.5)]
    [InlineData("correlation", NeighborMetric.Correlation, 2.0)]
    public void Exact_neighbours_match_scikit_learn_on_wine(string name, NeighborMetric metric, double p)
    {
        var case_ = Reference["cases"]![name]!;
        var x = BundledSets.Wine().Features;
        var knn = NearestNeighbors.Exact(x, 5, null, metric, p);
        var idx = case_["indices"]!.Ints();
        var dist = case_["distances"]!.Doubles();
        for (int i = 0; i < x.Rows; i++)
            for (int c = 0; c < 5; c++)
            {
                Approx.Equal(dist[i * 5 + c], knn.Distances[i, c], rtol: 1e-10, atol: 1e-12, what: $"{name} distance {i},{c}");
                // Indices agree except where two distances tie to rounding.
                if (idx[i * 5 + c] != knn.Indices[i, c])
                    Assert.True(Math.Abs(dist[i * 5 + c] - knn.Distances[i, c]) <= 1e-10 * dist[i * 5 + c], $"{name} index {i},{c}");
            }
    }

    [Theory]
    [InlineData("chebyshev", NeighborMetric.Chebyshev, 2.0)]
    [InlineData("minkowski3", NeighborMetric.Minkowski, 3.0)]
    [InlineData("minkowski0.5", NeighborMetric.Minkowski, 0.5)]
    [InlineData("correlation", NeighborMetric.Correlation, 2.0)]
    public void Radius_uses_the_same_distance(string name, NeighborMetric metric, double p)
    {
        var row0 = Reference["cases"]![name]!["row0"]!.Doubles();
        var x = BundledSets.Wine().Features;
        double radius = row0.Skip(1).Order().ElementAt(20);
        var within = NearestNeighbors.Radius(x, radius, x.SelectRows([0]), metric, p)[0];
        var expected = Enumerable.Range(0, row0.Length).Where(j => row0[j] <= radius).ToArray();
        Assert.Equal(expected, within);
    }

    [Fact]
    public void Minkowski_with_p_2_and_1_is_euclidean_and_manhattan()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 200).ToArray());
        var m2 = NearestNeighbors.Exact(x, 5, null, NeighborMetric.Minkowski, 2.0);
        var e = NearestNeighbors.Exact(x, 5, null, NeighborMetric.Euclidean);
        Approx.Equal(Flatten(e.Distances), Flatten(m2.Distances), rtol: 1e-10, what: "p = 2");
        var m1 = NearestNeighbors.Exact(x, 5, null, NeighborMetric.Minkowski, 1.0);
        var l1 = NearestNeighbors.Exact(x, 5, null, NeighborMetric.Manhattan);
        Approx.Equal(Flatten(l1.Distances), Flatten(m1.Distances), rtol: 1e-10, what: "p = 1");
    }

    [Fact]
    public void Correlation_of_a_shifted_and_scaled_copy_is_zero_and_a_constant_row_is_at_distance_1()
    {
        var x = DataMatrix.FromRows([[1.0, 2, 4, 8], [3.0, 5, 9, 17], [2.0, 2, 2, 2], [8.0, 4, 2, 1]]);
        var knn = NearestNeighbors.Exact(x, 3, null, NeighborMetric.Correlation);
        Assert.Equal(1, knn.Indices[0, 0]);                          // row 1 = 2 row 0 + 1
        Assert.Equal(0.0, knn.Distances[0, 0], 12);
        for (int c = 0; c < 3; c++) Assert.Equal(1.0, knn.Distances[2, c], 12);
    }

    [Fact]
    public void Minkowski_p_must_be_positive()
    {
        var x = BundledSets.Wine().Features;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(x, 3, null, NeighborMetric.Minkowski, 0));
        Assert.Equal("minkowskiP", e.ParamName);
        Assert.Contains("minkowskiP is 0", e.Message);
        Assert.Equal("minkowskiP", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Radius(x, 1.0, null, NeighborMetric.Minkowski, double.NaN)).ParamName);
        // p is ignored by the other metrics.
        Assert.Equal(NearestNeighbors.Exact(x, 3).Indices, NearestNeighbors.Exact(x, 3, null, NeighborMetric.Euclidean, -1).Indices);
    }

    private static double[] Flatten(double[,] a) => a.Cast<double>().ToArray();
}
