using DimReduce.Datasets;
using DimReduce.Manifold;
using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Manifold;

/// <summary>The UMAP estimator: quality against umap-learn 0.5.3 on Digits, determinism, Transform, persistence, bad input.</summary>
public class UmapTests
{
    private static readonly Lazy<(Dataset Digits, Umap Model)> Fitted = new(() =>
    {
        var digits = BundledSets.Digits();
        return (digits, new Umap { Seed = 42, Epochs = 200 }.Fit(digits.Features));
    });

    private static readonly Lazy<(Dataset Digits, Umap Model, int Train)> HeldOut = new(() =>
    {
        var digits = BundledSets.Digits();
        var q = Fixture.Load("Manifold", "umap_digits_quality");
        int train = (int)q["transform"]!["train"]!;
        var model = new Umap { Seed = 42, Epochs = 200 }.Fit(digits.Features.SelectRows(Enumerable.Range(0, train).ToArray()));
        return (digits, model, train);
    });

    [Fact]
    public void DigitsQualityMatchesUmapLearn()
    {
        var (digits, umap) = Fitted.Value;
        var q = Fixture.Load("Manifold", "umap_digits_quality")["200"]!;
        var embedding = umap.Embedding;
        Assert.Equal(digits.Features.Rows, embedding.Rows);
        Assert.Equal(2, embedding.Columns);
        double trust = Metrics.Trustworthiness(digits.Features, embedding, 15);
        double acc = Metrics.KnnAccuracy(embedding, digits.Labels, 5);
        Assert.True(trust >= (double)q["trustworthiness15"]! - 0.01, $"trustworthiness {trust} vs umap-learn {q["trustworthiness15"]}");
        Assert.True(Math.Abs(acc - (double)q["knnAccuracy5"]!) <= 0.02, $"5-NN accuracy {acc} vs umap-learn {q["knnAccuracy5"]}");
        Assert.Empty(umap.Warnings);
        Assert.Equal(200, umap.EpochsUsed);
    }

    [Fact]
    public void SameSeedGivesIdenticalEmbedding()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 500).ToArray());
        var a = new Umap { Seed = 7, Epochs = 50 }.FitTransform(x);
        var b = new Umap { Seed = 7, Epochs = 50 }.FitTransform(x);
        Assert.Equal(a.ToArray(), b.ToArray());
        var c = new Umap { Seed = 8, Epochs = 50 }.FitTransform(x);
        Assert.NotEqual(a.ToArray(), c.ToArray());
        var s1 = new Umap { Seed = 7, Epochs = 50, ParallelLayout = false }.FitTransform(x);
        var s2 = new Umap { Seed = 7, Epochs = 50, ParallelLayout = false }.FitTransform(x);
        Assert.Equal(s1.ToArray(), s2.ToArray());
    }

    [Fact]
    public void WithoutSeedASeedIsDrawnAndReplaysTheFit()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        var first = new Umap { Epochs = 30 }.Fit(x);
        var replay = new Umap { Epochs = 30, Seed = first.SeedUsed }.Fit(x);
        Assert.Equal(first.Embedding.ToArray(), replay.Embedding.ToArray());
    }

    [Fact]
    public void TransformPlacesHeldOutDigitsAsWellAsUmapLearn()
    {
        var (digits, umap, train) = HeldOut.Value;
        var q = Fixture.Load("Manifold", "umap_digits_quality")["transform"]!;
        var testRows = Enumerable.Range(train, digits.Features.Rows - train).ToArray();
        var trainLabels = digits.Labels.Take(train).ToArray();
        var testLabels = testRows.Select(i => digits.Labels[i]).ToArray();
        var placed = umap.Transform(digits.Features.SelectRows(testRows));
        double heldOut = Metrics.KnnAccuracy(umap.Embedding, trainLabels, placed, testLabels, 5);
        double fitted = Metrics.KnnAccuracy(umap.Embedding, trainLabels, 5);
        Assert.True(heldOut >= fitted - 0.03 || heldOut >= (double)q["heldOutKnnAccuracy5"]! - 0.03,
            $"held-out 5-NN accuracy {heldOut}, fitted points {fitted}, umap-learn's held-out {q["heldOutKnnAccuracy5"]}");
        Assert.True(heldOut >= (double)q["heldOutKnnAccuracy5"]! - 0.03, $"held-out accuracy {heldOut} vs umap-learn {q["heldOutKnnAccuracy5"]}");
        // Deterministic: a second call gives the same placement.
        Assert.Equal(placed.ToArray(), umap.Transform(digits.Features.SelectRows(testRows)).ToArray());
    }

    [Fact]
    public void TransformOfTheTrainingDataReturnsTheEmbedding()
    {
        var (_, umap, train) = HeldOut.Value;
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, train).ToArray());
        Assert.Equal(umap.Embedding.ToArray(), umap.Transform(x).ToArray());
    }

    [Fact]
    public void SavedAndLoadedModelTransformsIdentically()
    {
        var (digits, umap, train) = HeldOut.Value;
        var rows = digits.Features.SelectRows(Enumerable.Range(train, 100).ToArray());
        string path = Path.Combine(Path.GetTempPath(), $"umap-{Guid.NewGuid():N}.json");
        try
        {
            umap.Save(path);
            var loaded = Umap.Load(path);
            Assert.Equal(umap.Embedding.ToArray(), loaded.Embedding.ToArray());
            Assert.Equal(umap.A, loaded.A);
            Assert.Equal(umap.B, loaded.B);
            Assert.Equal(umap.Graph.Weights, loaded.Graph.Weights);
            Assert.Equal(umap.Transform(rows).ToArray(), loaded.Transform(rows).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ProgressReportsEveryEpochAndSnapshotsAreKept()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        var reports = new List<UmapProgress>();
        var umap = new Umap { Seed = 1, Epochs = 20, KeepEvery = 5 }.Fit(x, new SyncProgress(reports));
        Assert.Equal(Enumerable.Range(1, 20), reports.Where(r => r.Stage == UmapStage.Layout).Select(r => r.Epoch));
        Assert.Contains(reports, r => r.Stage == UmapStage.Neighbors);
        Assert.Equal([0, 5, 10, 15, 20], umap.Snapshots.Select(s => s.Epoch));
        Assert.Equal(umap.Embedding.ToArray(), umap.Snapshots[^1].Embedding.ToArray());
    }

    [Fact]
    public void CancellationStopsTheFitAndLeavesTheEstimatorUnfitted()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        using var cts = new CancellationTokenSource();
        var umap = new Umap { Seed = 1, Epochs = 100 };
        var progress = new SyncProgress([], r => { if (r.Epoch == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => umap.Fit(x, progress, cts.Token));
        Assert.Throws<InvalidOperationException>(() => umap.Embedding);
    }

    [Theory]
    [InlineData(NeighborMetric.Cosine)]
    [InlineData(NeighborMetric.Manhattan)]
    public void OtherMetricsAndInitsEmbedDigitsWell(NeighborMetric metric)
    {
        var digits = BundledSets.Digits();
        var rows = Enumerable.Range(0, 600).ToArray();
        var x = digits.Features.SelectRows(rows);
        var labels = rows.Select(i => digits.Labels[i]).ToArray();
        foreach (var init in new[] { UmapInit.Spectral, UmapInit.Pca, UmapInit.Random })
        {
            var z = new Umap { Seed = 3, Epochs = 100, Metric = metric, Init = init, Components = 3 }.FitTransform(x);
            Assert.Equal(3, z.Columns);
            double acc = Metrics.KnnAccuracy(z, labels, 5);
            Assert.True(acc > 0.9, $"{metric}/{init}: 5-NN accuracy {acc}");
        }
    }

    [Fact]
    public void ApproximateNeighboursOnFashionKeepTheQualityOfTheExactSearch()
    {
        // 4,200 images of the shipped subset: above 4,096, so Auto searches approximately.
        var split = FashionMnist.Load();
        var x = split.Train.Features.SelectRows(Enumerable.Range(0, 4200).ToArray());
        var approx = new Umap { Seed = 3, Epochs = 30 }.Fit(x);
        Assert.Equal(UmapNeighborSearch.Approximate, approx.NeighborSearchUsed);
        var exact = new Umap { Seed = 3, Epochs = 30, NeighborSearch = UmapNeighborSearch.Exact }.Fit(x);
        Assert.Equal(UmapNeighborSearch.Exact, exact.NeighborSearchUsed);
        // Quality judged by the classes' 5-NN accuracy in the embedding (cheap in 2-D; trustworthiness on the 10,000
        // subset against umap-learn is measured by bench/umap instead).
        var labels = split.Train.Labels.Take(4200).ToArray();
        double ta = Metrics.KnnAccuracy(approx.Embedding, labels, 5), te = Metrics.KnnAccuracy(exact.Embedding, labels, 5);
        Assert.True(ta >= te - 0.02, $"5-NN accuracy with approximate neighbours {ta:F4}, exact {te:F4}");

        // Transform queries the fitted graph; a saved and loaded model does the same.
        var test = split.Test.Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        var placed = approx.Transform(test);
        var trainLabels = split.Train.Labels.Take(4200).ToArray();
        double acc = Metrics.KnnAccuracy(approx.Embedding, trainLabels, placed, split.Test.Labels.Take(300).ToArray(), 5);
        double accExact = Metrics.KnnAccuracy(exact.Embedding, trainLabels, exact.Transform(test), split.Test.Labels.Take(300).ToArray(), 5);
        Assert.True(acc >= accExact - 0.05, $"held-out 5-NN accuracy {acc:F3} vs exact search {accExact:F3}");
        string path = Path.Combine(Path.GetTempPath(), $"umap-approx-{Guid.NewGuid():N}.json");
        try
        {
            approx.Save(path);
            var loaded = Umap.Load(path);
            Assert.Equal(UmapNeighborSearch.Approximate, loaded.NeighborSearchUsed);
            Assert.Equal(placed.ToArray(), loaded.Transform(test).ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SequentialLayoutEmbedsAsWellAsTheParallelOne()
    {
        var digits = BundledSets.Digits();
        var sequential = new Umap { Seed = 42, Epochs = 200, ParallelLayout = false }.Fit(digits.Features);
        var (_, parallel) = Fitted.Value;
        Assert.True(parallel.ParallelLayout);
        double tp = Metrics.Trustworthiness(digits.Features, parallel.Embedding, 15);
        double ts = Metrics.Trustworthiness(digits.Features, sequential.Embedding, 15);
        Assert.True(Math.Abs(tp - ts) <= 0.01, $"parallel layout trustworthiness {tp:F4}, sequential {ts:F4}");
        Assert.NotEqual(parallel.Embedding.ToArray(), sequential.Embedding.ToArray());
    }

    [Theory]
    [InlineData(NeighborMetric.Chebyshev, 2.0)]
    [InlineData(NeighborMetric.Minkowski, 3.0)]
    [InlineData(NeighborMetric.Correlation, 2.0)]
    public void NewMetricsEmbedDigitsWell(NeighborMetric metric, double p)
    {
        var digits = BundledSets.Digits();
        var x = digits.Features.SelectRows(Enumerable.Range(0, 800).ToArray());
        var labels = digits.Labels.Take(800).ToArray();
        foreach (var search in new[] { UmapNeighborSearch.Exact, UmapNeighborSearch.Approximate })
        {
            var umap = new Umap { Seed = 1, Epochs = 100, Metric = metric, MinkowskiP = p, NeighborSearch = search }.Fit(x);
            double acc = Metrics.KnnAccuracy(umap.Embedding, labels, 5);
            Assert.True(acc >= 0.85, $"{metric} ({search}): 5-NN accuracy in the embedding {acc:F3}");
        }
    }

    [Fact]
    public void SupervisedFitSeparatesTheClassesAsUmapLearn()
    {
        var digits = BundledSets.Digits();
        var expected = (double)Fixture.Load("Manifold", "umap_supervised_digits")["embedding"]!["knnAccuracy5"]!;
        var umap = new Umap { Seed = 42, Epochs = 200 }.Fit(digits.Features, digits.Labels);
        double acc = Metrics.KnnAccuracy(umap.Embedding, digits.Labels, 5);
        Assert.True(acc >= expected - 0.01, $"supervised 5-NN accuracy {acc:F4} vs umap-learn {expected:F4}");
        // The labels pull classes apart beyond what the unsupervised fit does.
        Assert.True(Metrics.Silhouette(umap.Embedding, digits.Labels.ToArray()) > Metrics.Silhouette(Fitted.Value.Model.Embedding, digits.Labels.ToArray()));
        Assert.Equal(umap.Embedding.ToArray(), new Umap { Seed = 42, Epochs = 200 }.FitTransform(digits.Features, digits.Labels).ToArray());

        var x = digits.Features.SelectRows(Enumerable.Range(0, 40).ToArray());
        var e1 = Assert.Throws<ArgumentException>(() => new Umap().Fit(x, digits.Labels));
        Assert.Equal("labels", e1.ParamName);
        Assert.Contains("one label per row", e1.Message);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => new Umap().Fit(x, (IReadOnlyList<int>)null!)).ParamName);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new Umap { TargetWeight = 1.5 }.Fit(x, digits.Labels.Take(40).ToArray()));
        Assert.Equal("TargetWeight", e2.ParamName);
        Assert.Contains("between 0 and 1", e2.Message);
    }

    [Fact]
    public void FittedPropertiesBeforeFitThrow()
    {
        var umap = new Umap();
        var e = Assert.Throws<InvalidOperationException>(() => umap.Embedding);
        Assert.Contains("Call Fit", e.Message);
        Assert.Throws<InvalidOperationException>(() => umap.Graph);
        Assert.Throws<InvalidOperationException>(() => umap.Transform(new double[,] { { 1, 2 } }));
        Assert.Throws<InvalidOperationException>(() => umap.Save("never.json"));
    }

    public static TheoryData<Func<Umap>, string, string> BadOptions => new()
    {
        { () => new Umap { Neighbors = 1 }, "Neighbors", "at least 2" },
        { () => new Umap { Neighbors = 50 }, "Neighbors", "smaller than the sample count" },
        { () => new Umap { Components = 40 }, "Components", "smaller than the sample count" },
        { () => new Umap { Components = 0 }, "Components", "at least 1" },
        { () => new Umap { MinDist = 2 }, "MinDist", "between 0 and Spread" },
        { () => new Umap { Spread = 0 }, "Spread", "greater than 0" },
        { () => new Umap { Metric = (NeighborMetric)42 }, "Metric", "not a NeighborMetric" },
        { () => new Umap { Init = (UmapInit)9 }, "Init", "not a UmapInit" },
        { () => new Umap { Epochs = 0 }, "Epochs", "at least 1" },
        { () => new Umap { LearningRate = double.NaN }, "LearningRate", "greater than 0" },
        { () => new Umap { SetOpMixRatio = 1.5 }, "SetOpMixRatio", "between 0 and 1" },
        { () => new Umap { LocalConnectivity = -1 }, "LocalConnectivity", "0 or more" },
        { () => new Umap { NegativeSampleRate = -1 }, "NegativeSampleRate", "0 or more" },
        { () => new Umap { RepulsionStrength = -1 }, "RepulsionStrength", "0 or more" },
        { () => new Umap { KeepEvery = 0 }, "KeepEvery", "at least 1" },
        { () => new Umap { Metric = NeighborMetric.Minkowski, MinkowskiP = 0 }, "MinkowskiP", "greater than 0" },
        { () => new Umap { Metric = NeighborMetric.Minkowski, MinkowskiP = double.PositiveInfinity }, "MinkowskiP", "finite" },
        { () => new Umap { NeighborSearch = (UmapNeighborSearch)5 }, "NeighborSearch", "not a UmapNeighborSearch" },
        { () => new Umap { Neighbors = 40, NeighborSearch = UmapNeighborSearch.Approximate }, "Neighbors", "smaller than the sample count" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreRejected(Func<Umap> make, string param, string phrase)
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 40).ToArray());
        var e = Assert.ThrowsAny<ArgumentException>(() => make().Fit(x));
        Assert.Equal(param, e.ParamName);
        Assert.Contains(phrase, e.Message);
    }

    [Fact]
    public void BadDataIsRejected()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 40).ToArray()).ToArray();
        x[3, 5] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new Umap().Fit(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("NaN", e.Message);
        x[3, 5] = double.PositiveInfinity;
        Assert.Contains("infinity", Assert.Throws<ArgumentException>(() => new Umap().Fit(x)).Message);
        Assert.Throws<ArgumentException>(() => new Umap().Fit(new DataMatrix(0, 3)));

        var (_, umap, _) = HeldOut.Value;
        var wrong = Assert.Throws<ArgumentException>(() => umap.Transform(new double[,] { { 1, 2, 3 } }));
        Assert.Equal("x", wrong.ParamName);
        Assert.Contains("features", wrong.Message);
        var nan = new double[1, 64];
        nan[0, 0] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => umap.Transform(nan)).Message);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(List<UmapProgress> reports, Action<UmapProgress>? onReport = null) : IProgress<UmapProgress>
    {
        public void Report(UmapProgress value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
