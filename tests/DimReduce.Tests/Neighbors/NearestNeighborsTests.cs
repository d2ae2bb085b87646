using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Neighbors;

public class NearestNeighborsTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Wine = Fixture.Load("Metrics", "wine_knn");

    [Fact]
    public void Self_query_matches_sklearn_on_wine()
    {
        var train = Wine["train_x"]!.Matrix();
        var knn = NearestNeighbors.Exact(train, 4);
        var expectedIdx = Wine["train_knn4_indices"]!.Matrix();
        var expectedDist = Wine["train_knn4_distances"]!.Matrix();
        for (int i = 0; i < train.Rows; i++)
            for (int c = 0; c < 4; c++)
            {
                Assert.Equal((int)expectedIdx[i, c], knn.Indices[i, c]);
                Approx.Equal(expectedDist[i, c], knn.Distances[i, c], rtol: 1e-10, what: $"distance {i},{c}");
            }
    }

    [Fact]
    public void Queries_match_sklearn_on_wine()
    {
        var knn = NearestNeighbors.Exact(Wine["train_x"]!.Matrix(), 4, Wine["test_x"]!.Matrix());
        var expectedIdx = Wine["test_knn4_indices"]!.Matrix();
        var expectedDist = Wine["test_knn4_distances"]!.Matrix();
        Assert.Equal(expectedIdx.Rows, knn.Queries);
        Assert.Equal(4, knn.Neighbors);
        for (int i = 0; i < knn.Queries; i++)
            for (int c = 0; c < 4; c++)
            {
                Assert.Equal((int)expectedIdx[i, c], knn.Indices[i, c]);
                Approx.Equal(expectedDist[i, c], knn.Distances[i, c], rtol: 1e-10);
            }
    }

    [Fact]
    public void Ties_are_broken_by_index_and_self_is_excluded()
    {
        // Points on a line at 0, 1, 2, 3, 4: the middle point has two neighbours at distance 1 and two at 2.
        var x = DataMatrix.FromColumn([0.0, 1, 2, 3, 4]);
        var knn = NearestNeighbors.Exact(x, 4);
        Assert.Equal(new[] { 1, 3, 0, 4 }, Enumerable.Range(0, 4).Select(c => knn.Indices[2, c]));
        Assert.Equal(new[] { 1.0, 1, 2, 2 }, Enumerable.Range(0, 4).Select(c => knn.Distances[2, c]));
        // Duplicates: the copy comes first, ordered by index.
        var dup = DataMatrix.FromColumn([5.0, 5, 5, 1]);
        var d = NearestNeighbors.Exact(dup, 2);
        Assert.Equal(new[] { 1, 2 }, new[] { d.Indices[0, 0], d.Indices[0, 1] });
        Assert.Equal(new[] { 0, 2 }, new[] { d.Indices[1, 0], d.Indices[1, 1] });
    }

    [Fact]
    public void Large_random_data_agrees_with_brute_force_in_every_metric()
    {
        var rng = new Random(3);
        var x = new DataMatrix(700, 6);
        for (int i = 0; i < x.Rows; i++) for (int j = 0; j < 6; j++) x[i, j] = Math.Round(rng.NextGaussian(), 1); // rounding makes ties
        foreach (var metric in Enum.GetValues<NeighborMetric>())
        {
            var knn = NearestNeighbors.Exact(x, 7, metric: metric);
            for (int i = 0; i < x.Rows; i += 37)
            {
                var expected = Enumerable.Range(0, x.Rows).Where(j => j != i)
                    .Select(j => (D: Direct(x.Row(i), x.Row(j), metric), J: j)).Order().Take(7).ToArray();
                for (int c = 0; c < 7; c++)
                {
                    Assert.Equal(expected[c].J, knn.Indices[i, c]);
                    Assert.True(Math.Abs(expected[c].D - knn.Distances[i, c]) <= 1e-12, $"{metric} distance {i},{c}: {expected[c].D} vs {knn.Distances[i, c]}");
                }
            }
        }
    }

    private static double Direct(ReadOnlySpan<double> a, ReadOnlySpan<double> b, NeighborMetric metric)
    {
        double s = 0, dot = 0, na = 0, nb = 0;
        for (int j = 0; j < a.Length; j++)
        {
            s += metric == NeighborMetric.Manhattan ? Math.Abs(a[j] - b[j]) : (a[j] - b[j]) * (a[j] - b[j]);
            dot += a[j] * b[j]; na += a[j] * a[j]; nb += b[j] * b[j];
        }
        double max = 0, ma = 0, mb = 0;
        for (int j = 0; j < a.Length; j++) { max = Math.Max(max, Math.Abs(a[j] - b[j])); ma += a[j] / a.Length; mb += b[j] / b.Length; }
        double cdot = 0, cna = 0, cnb = 0;
        for (int j = 0; j < a.Length; j++) { cdot += (a[j] - ma) * (b[j] - mb); cna += (a[j] - ma) * (a[j] - ma); cnb += (b[j] - mb) * (b[j] - mb); }
        return metric switch
        {
            NeighborMetric.Euclidean or NeighborMetric.Minkowski => Math.Sqrt(s), // Minkowski's default p is 2
            NeighborMetric.Manhattan => s,
            NeighborMetric.Chebyshev => max,
            NeighborMetric.Correlation => cna == 0 || cnb == 0 ? 1 : 1 - cdot / Math.Sqrt(cna * cnb),
            _ => na == 0 || nb == 0 ? 1 : 1 - dot / (Math.Sqrt(na) * Math.Sqrt(nb)),
        };
    }

    [Fact]
    public void Radius_finds_exactly_the_rows_within_the_radius()
    {
        var x = DataMatrix.FromColumn([0.0, 0.5, 1.0, 3.0, 3.25]);
        var r = NearestNeighbors.Radius(x, 0.5);
        Assert.Equal(new[] { 1 }, r[0]);
        Assert.Equal(new[] { 0, 2 }, r[1]); // inclusive at exactly 0.5
        Assert.Equal(new[] { 1 }, r[2]);
        Assert.Equal(new[] { 4 }, r[3]);
        var q = NearestNeighbors.Radius(x, 1.0, DataMatrix.FromColumn([3.0]));
        Assert.Equal(new[] { 3, 4 }, q[0]);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var x = DataMatrix.FromColumn([0.0, 1, 2]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(x, 3));
        Assert.Equal("k", e.ParamName);
        Assert.Contains("between 1 and 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(x, 0));
        var nan = DataMatrix.FromColumn([0.0, double.NaN, 2]);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(nan, 1)).ParamName);
        var inf = DataMatrix.FromColumn([0.0, double.PositiveInfinity, 2]);
        Assert.Contains("infinity", Assert.Throws<ArgumentException>(() => NearestNeighbors.Radius(inf, 1)).Message);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(new DataMatrix(0, 2), 1)).ParamName);
        var wide = new DataMatrix(1, 2);
        var f = Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(x, 1, wide));
        Assert.Equal("queries", f.ParamName);
        Assert.Contains("2 features", f.Message);
        var bad = DataMatrix.FromColumn([double.NaN]);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => NearestNeighbors.Radius(x, 1, bad)).ParamName);
        var rad = Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Radius(x, -1));
        Assert.Equal("radius", rad.ParamName);
        Assert.Contains("0 or more", rad.Message);
        Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Radius(x, double.NaN)).ParamName);
        Assert.Equal("metric", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(x, 1, metric: (NeighborMetric)9)).ParamName);
    }
}
