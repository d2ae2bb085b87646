using DimReduce.Clustering;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Clustering;

public class KMeansTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Blobs = Fixture.Load("Clustering", "kmeans_blobs");
    private static readonly DataMatrix X = Blobs["x"]!.Matrix();

    [Fact]
    public void From_fixed_centroids_it_matches_sklearn_exactly()
    {
        var model = new KMeans { Clusters = 8, InitialCentroids = Blobs["init"]!.Matrix() }.Fit(X);
        Assert.Equal(Blobs["fixed_labels"]!.Ints(), model.Labels);
        Approx.Equal(Blobs["fixed_centroids"]!.Matrix(), model.Centroids, rtol: 1e-8, atol: 1e-10, what: "centroids");
        Approx.Equal(Blobs["fixed_inertia"]!.GetValue<double>(), model.Inertia, rtol: 1e-8, what: "inertia");
        Assert.Equal(Blobs["fixed_iterations"]!.GetValue<int>(), model.Iterations);
    }

    [Fact]
    public void Stopping_at_max_iterations_relabels_with_the_final_centres_as_sklearn()
    {
        var model = new KMeans { Clusters = 8, MaxIterations = 2, InitialCentroids = Blobs["init"]!.Matrix() }.Fit(X);
        Assert.Equal(Blobs["short_labels"]!.Ints(), model.Labels);
        Approx.Equal(Blobs["short_centroids"]!.Matrix(), model.Centroids, rtol: 1e-8, atol: 1e-10);
        Approx.Equal(Blobs["short_inertia"]!.GetValue<double>(), model.Inertia, rtol: 1e-8);
        Assert.Equal(2, model.Iterations);
    }

    [Fact]
    public void Ten_kmeans_plus_plus_starts_reach_sklearns_inertia_within_one_percent()
    {
        var model = new KMeans { Seed = 0 }.Fit(X);
        double expected = Blobs["n_init10_inertia"]!.GetValue<double>();
        Assert.InRange(model.Inertia, 0, expected * 1.01);
        Assert.Equal(Metrics.Inertia(X, model.Labels, model.Centroids), model.Inertia, 8);
        Assert.True(Metrics.AdjustedRandIndex(Blobs["truth"]!.Ints(), model.Labels) > 0.9);
    }

    [Fact]
    public void Same_seed_gives_the_same_result_and_fitting_twice_equals_once()
    {
        var a = new KMeans { Clusters = 5, Init = 3, Seed = 11 }.Fit(X);
        var b = new KMeans { Clusters = 5, Init = 3, Seed = 11 };
        b.Fit(X);
        b.Fit(X);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Centroids.AsSpan().ToArray(), b.Centroids.AsSpan().ToArray());
        Assert.Equal(a.Inertia, b.Inertia);
        Assert.Equal(11, a.SeedUsed);
        var unseeded = new KMeans { Clusters = 3, Init = 1 }.Fit(X);
        var again = new KMeans { Clusters = 3, Init = 1, Seed = unseeded.SeedUsed }.Fit(X);
        Assert.Equal(unseeded.Labels, again.Labels);
    }

    [Fact]
    public async Task One_thread_gives_the_same_result_as_many()
    {
        var many = new KMeans { Clusters = 6, Init = 4, Seed = 3 }.Fit(X);
        // Parallel loops follow the current scheduler, so this runs the whole fit on one thread.
        var scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var one = await Task.Factory.StartNew(() => new KMeans { Clusters = 6, Init = 4, Seed = 3 }.Fit(X),
            CancellationToken.None, TaskCreationOptions.None, scheduler);
        Assert.Equal(many.Labels, one.Labels);
        Assert.Equal(many.Centroids.AsSpan().ToArray(), one.Centroids.AsSpan().ToArray());
        Assert.Equal(many.Inertia, one.Inertia);
        Assert.Equal(many.Iterations, one.Iterations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(13)]
    public void Any_cluster_count_labels_each_row_with_its_nearest_centre(int k)
    {
        var model = new KMeans { Clusters = k, Init = 2, Seed = 4 }.Fit(X);
        var dist = model.Transform(X);
        for (int i = 0; i < X.Rows; i++)
        {
            int nearest = 0;
            for (int c = 1; c < k; c++) if (dist[i, c] < dist[i, nearest]) nearest = c;
            Assert.Equal(nearest, model.Labels[i]);
        }
        Assert.Equal(Metrics.Inertia(X, model.Labels, model.Centroids), model.Inertia, 8);
    }

    [Fact]
    public void Predict_and_transform_use_the_nearest_centre()
    {
        var model = new KMeans { Seed = 1 }.Fit(X);
        Assert.Equal(model.Labels, model.Predict(X));
        var dist = model.Transform(X.SelectRows([0, 1]));
        Assert.Equal((2, 8), dist.Shape);
        for (int i = 0; i < 2; i++)
        {
            int nearest = Enumerable.Range(0, 8).MinBy(c => dist[i, c]);
            Assert.Equal(model.Labels[i], nearest);
        }
    }

    [Fact]
    public void Saved_model_is_bit_identical()
    {
        var model = new KMeans { Clusters = 4, Init = 2, Seed = 5 }.Fit(X);
        string path = Path.Combine(Path.GetTempPath(), $"kmeans-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            var loaded = KMeans.Load(path);
            Assert.Equal(model.Centroids.AsSpan().ToArray(), loaded.Centroids.AsSpan().ToArray());
            Assert.Equal(model.Labels, loaded.Labels);
            Assert.Equal(model.Inertia, loaded.Inertia);
            Assert.Equal(model.Transform(X).AsSpan().ToArray(), loaded.Transform(X).AsSpan().ToArray());
            Assert.Equal(5, loaded.SeedUsed);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var small = DataMatrix.FromColumn([0.0, 1, 2]);
        var e = Assert.Throws<ArgumentException>(() => new KMeans { Clusters = 4 }.Fit(small));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("Clusters is 4", e.Message);
        Assert.Equal("Clusters", Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans { Clusters = 0 }.Fit(small)).ParamName);
        Assert.Equal("Init", Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans { Clusters = 2, Init = 0 }.Fit(small)).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans { Clusters = 2, MaxIterations = 0 }.Fit(small)).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans { Clusters = 2, Tolerance = double.NaN }.Fit(small)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new KMeans { Clusters = 1 }.Fit(DataMatrix.FromColumn([double.NaN]))).ParamName);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new KMeans { Clusters = 1 }.Fit(new DataMatrix(0, 3))).Message);
        var init = Assert.Throws<ArgumentException>(() => new KMeans { Clusters = 2, InitialCentroids = new DataMatrix(3, 1) }.Fit(small));
        Assert.Equal("InitialCentroids", init.ParamName);
        Assert.Contains("3 x 1", init.Message);
        var unfitted = new KMeans();
        Assert.Contains("Centroids", Assert.Throws<InvalidOperationException>(() => unfitted.Centroids).Message);
        Assert.Contains("Predict", Assert.Throws<InvalidOperationException>(() => unfitted.Predict(small)).Message);
        Assert.Throws<InvalidOperationException>(() => unfitted.Labels);
        var model = new KMeans { Clusters = 2, Seed = 0 }.Fit(small);
        var f = Assert.Throws<ArgumentException>(() => model.Predict(new DataMatrix(1, 2)));
        Assert.Equal("x", f.ParamName);
        Assert.Contains("fitted on 1", f.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => model.Transform(DataMatrix.FromColumn([double.NaN]))).ParamName);
    }
}
