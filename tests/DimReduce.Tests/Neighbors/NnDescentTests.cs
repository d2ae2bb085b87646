using DimReduce.Datasets;
using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Neighbors;

/// <summary>Approximate neighbours (random projection trees + NN-descent) against the exact search.</summary>
public class NnDescentTests
{
    private static readonly Lazy<DataMatrix> Fashion5000 = new(() =>
        FashionMnist.Load().Train.Features.SelectRows(Enumerable.Range(0, 5000).ToArray()));

    /// <summary>Fraction of the exact k nearest others (as sets, so ties at the k-th place count either way) that were found.</summary>
    private static double Recall(NeighborResult approx, NeighborResult exact)
    {
        int hits = 0, k = exact.Neighbors;
        for (int i = 0; i < exact.Queries; i++)
        {
            double kth = exact.Distances[i, k - 1];
            var truth = new HashSet<int>();
            for (int c = 0; c < k; c++) truth.Add(exact.Indices[i, c]);
            for (int c = 0; c < k; c++)
                if (truth.Contains(approx.Indices[i, c]) || approx.Distances[i, c] <= kth) hits++;
        }
        return (double)hits / (exact.Queries * k);
    }

    [Fact]
    public void Recall_at_15_on_5000_fashion_images_is_at_least_0_95()
    {
        var x = Fashion5000.Value;
        var approx = NearestNeighbors.Approximate(x, 15, seed: 1);
        var exact = NearestNeighbors.Exact(x, 15);
        double recall = Recall(approx, exact);
        Assert.True(recall >= 0.95, $"recall at 15 is {recall:F4}, below 0.95");
        // Each list is sorted, holds no self and no duplicate, and its distances are exact.
        for (int i = 0; i < x.Rows; i += 97)
        {
            var seen = new HashSet<int>();
            for (int c = 0; c < 15; c++)
            {
                int j = approx.Indices[i, c];
                Assert.NotEqual(i, j);
                Assert.True(seen.Add(j));
                if (c > 0) Assert.True(approx.Distances[i, c - 1] <= approx.Distances[i, c]);
                double direct = Math.Sqrt(Enumerable.Range(0, x.Columns).Sum(f => (x[i, f] - x[j, f]) * (x[i, f] - x[j, f])));
                Approx.Equal(direct, approx.Distances[i, c], rtol: 1e-12, what: $"distance {i},{c}");
            }
        }
    }

    [Fact]
    public void Eight_bit_rows_are_held_as_bytes_with_exact_distances()
    {
        var x = Fashion5000.Value.SelectRows(Enumerable.Range(0, 300).ToArray());
        var rows = FloatRows.From(x, NeighborMetric.Euclidean, 2.0);
        Assert.True(rows.Bytes);
        for (int i = 0; i < 300; i += 7)
            for (int j = 0; j < 300; j += 11)
            {
                long exact = 0;
                for (int f = 0; f < x.Columns; f++) exact += (long)((x[i, f] - x[j, f]) * (x[i, f] - x[j, f]));
                Assert.Equal((float)exact, rows.Distance(i, j));
            }
        // A query against byte rows: the plain squared distance.
        var query = rows.PrepareQuery(x.Row(5));
        Assert.Equal(rows.Distance(5, 9), rows.DistanceToQuery(query, 9));

        // Anything but whole numbers from 0 to 255 (or another metric) stays single precision.
        var scaled = x.Clone();
        scaled[0, 0] = 0.5;
        Assert.False(FloatRows.From(scaled, NeighborMetric.Euclidean, 2.0).Bytes);
        scaled[0, 0] = 256;
        Assert.False(FloatRows.From(scaled, NeighborMetric.Euclidean, 2.0).Bytes);
        Assert.False(FloatRows.From(x, NeighborMetric.Manhattan, 2.0).Bytes);
    }

    [Fact]
    public void Byte_dot_products_are_exact_at_every_length()
    {
        var random = new Random(4);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 784, 1000 })
        {
            var a = new byte[length];
            var b = new byte[length];
            random.NextBytes(a);
            random.NextBytes(b);
            if (length > 0) { a[0] = 255; b[0] = 255; }
            int expected = 0;
            for (int j = 0; j < length; j++) expected += a[j] * b[j];
            Assert.Equal(expected, FloatRows.ByteDot(a, b));
        }
    }

    [Fact]
    public void Byte_rows_and_single_precision_rows_find_the_same_neighbours()
    {
        var x = Fashion5000.Value.SelectRows(Enumerable.Range(0, 3000).ToArray());
        var scaled = x.Clone();
        for (int i = 0; i < scaled.Rows; i++)
            for (int f = 0; f < scaled.Columns; f++) scaled[i, f] /= 255.0;
        var exact = NearestNeighbors.Exact(x, 15);
        double bytes = Recall(NearestNeighbors.Approximate(x, 15, seed: 2), exact);
        double floats = Recall(NearestNeighbors.Approximate(scaled, 15, seed: 2), NearestNeighbors.Exact(scaled, 15));
        Assert.True(bytes >= 0.95 && floats >= 0.95, $"recall at 15: bytes {bytes:F4}, single precision {floats:F4}");
        Assert.True(Math.Abs(bytes - floats) <= 0.01, $"recall at 15: bytes {bytes:F4}, single precision {floats:F4}");
    }

    [Fact]
    public async Task Same_seed_gives_the_same_graph_whatever_the_thread_count()
    {
        var x = Fashion5000.Value.SelectRows(Enumerable.Range(0, 2000).ToArray());
        var a = new NnDescent { Neighbors = 10, Seed = 7 }.Fit(x);
        // One worker: every Parallel.For inside runs on a scheduler that allows one task at a time.
        var single = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1).ConcurrentScheduler;
        var b = await Task.Factory.StartNew(() => new NnDescent { Neighbors = 10, Seed = 7 }.Fit(x), CancellationToken.None, TaskCreationOptions.None, single);
        Assert.Equal(a.Graph.Indices, b.Graph.Indices);
        Assert.Equal(a.Graph.Distances, b.Graph.Distances);
        Assert.Equal(a.IterationsRun, b.IterationsRun);
        Assert.Equal(a.DistanceCount, b.DistanceCount);
        var c = new NnDescent { Neighbors = 10, Seed = 8 }.Fit(x);
        Assert.Equal(8, c.SeedUsed);
    }

    [Theory]
    [InlineData(NeighborMetric.Euclidean)]
    [InlineData(NeighborMetric.Cosine)]
    [InlineData(NeighborMetric.Manhattan)]
    [InlineData(NeighborMetric.Chebyshev)]
    [InlineData(NeighborMetric.Minkowski)]
    [InlineData(NeighborMetric.Correlation)]
    public void Every_metric_finds_the_exact_neighbours_on_digits(NeighborMetric metric)
    {
        var x = BundledSets.Digits().Features;
        double p = metric == NeighborMetric.Minkowski ? 3.0 : 2.0;
        var approx = NearestNeighbors.Approximate(x, 10, metric, seed: 3, minkowskiP: p);
        var exact = NearestNeighbors.Exact(x, 10, null, metric, p);
        double recall = Recall(approx, exact);
        Assert.True(recall >= 0.95, $"{metric}: recall at 10 is {recall:F4}");
    }

    [Fact]
    public void Queries_find_the_exact_neighbours_of_new_rows()
    {
        var split = FashionMnist.Load();
        var train = split.Train.Features.SelectRows(Enumerable.Range(0, 5000).ToArray());
        var test = split.Test.Features.SelectRows(Enumerable.Range(0, 500).ToArray());
        var index = new NnDescent { Neighbors = 15, Seed = 2 }.Fit(train);
        var found = index.Query(test, 10);
        var exact = NearestNeighbors.Exact(train, 10, test);
        double recall = Recall(found, exact);
        Assert.True(recall >= 0.95, $"query recall at 10 is {recall:F4}");
        Assert.Equal(found.Indices, index.Query(test, 10).Indices);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 50).ToArray());
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Approximate(x, 5, (NeighborMetric)99));
        Assert.Equal("metric", e1.ParamName);
        Assert.Contains("not a NeighborMetric", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Approximate(x, 5, NeighborMetric.Minkowski, minkowskiP: 0));
        Assert.Equal("minkowskiP", e2.ParamName);
        Assert.Contains("greater than 0", e2.Message);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Approximate(x, 50));
        Assert.Equal("k", e3.ParamName);
        Assert.Contains("between 1 and 49", e3.Message);
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => new NnDescent { Neighbors = 50 }.Fit(x));
        Assert.Equal("Neighbors", e4.ParamName);
        Assert.Contains("smaller than the sample count", e4.Message);
        var e5 = Assert.Throws<ArgumentOutOfRangeException>(() => new NnDescent { Metric = NeighborMetric.Minkowski, MinkowskiP = -1 }.Fit(x));
        Assert.Equal("MinkowskiP", e5.ParamName);
        var nan = x.Clone();
        nan[3, 4] = double.NaN;
        var e6 = Assert.Throws<ArgumentException>(() => NearestNeighbors.Approximate(nan, 5));
        Assert.Equal("data", e6.ParamName);
        var inf = x.Clone();
        inf[0, 0] = double.PositiveInfinity;
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new NnDescent().Fit(inf)).ParamName);
        Assert.Equal("data", Assert.ThrowsAny<ArgumentException>(() => new NnDescent().Fit(new DataMatrix(0, 3))).ParamName);
        Assert.Equal("MaxCandidates", Assert.Throws<ArgumentOutOfRangeException>(() => new NnDescent { MaxCandidates = 0 }.Fit(x)).ParamName);
        Assert.Equal("Delta", Assert.Throws<ArgumentOutOfRangeException>(() => new NnDescent { Delta = 2 }.Fit(x)).ParamName);
        Assert.Equal("Trees", Assert.Throws<ArgumentOutOfRangeException>(() => new NnDescent { Trees = 0 }.Fit(x)).ParamName);

        var fresh = new NnDescent();
        Assert.Contains("Fit", Assert.Throws<InvalidOperationException>(() => fresh.Graph).Message);
        Assert.Contains("Fit", Assert.Throws<InvalidOperationException>(() => fresh.Query(x, 3)).Message);
        var fitted = new NnDescent { Neighbors = 5, Seed = 0 }.Fit(x);
        var e7 = Assert.Throws<ArgumentException>(() => fitted.Query(x.SelectColumns([0, 1, 2]), 3));
        Assert.Equal("queries", e7.ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => fitted.Query(x, 51)).ParamName);
    }
}
