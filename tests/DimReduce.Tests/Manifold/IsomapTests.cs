using DimReduce.Datasets;
using DimReduce.Manifold;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Manifold;

/// <summary>Isomap against scikit-learn 1.2.1 on a small swiss roll (Fixtures/Manifold/isomap_swissroll200.json), Transform, persistence and bad input.</summary>
public class IsomapTests
{
    private static readonly Lazy<(System.Text.Json.Nodes.JsonObject F, Isomap Model)> Fitted = new(() =>
    {
        var f = Fixture.Load("Manifold", "isomap_swissroll200");
        return (f, new Isomap { Neighbors = (int)f["neighbors"]! }.Fit(f["x"]!.Matrix()));
    });

    private static double[] Column(DataMatrix m, int c) => Enumerable.Range(0, m.Rows).Select(i => m[i, c]).ToArray();

    [Fact]
    public void EmbeddingMatchesScikitLearnUpToSign()
    {
        var (f, isomap) = Fitted.Value;
        var expected = f["embedding"]!.Matrix();
        var actual = isomap.Embedding;
        for (int c = 0; c < 2; c++)
            Approx.EqualUpToSign(Column(expected, c), Column(actual, c), rtol: 1e-8, atol: 1e-8, what: $"component {c}");
        Approx.Equal(f["eigenvalues"]!.Doubles(), isomap.Eigenvalues.ToArray(), rtol: 1e-10, what: "eigenvalues");
        // Each eigenvector is flipped so that its largest-magnitude entry is positive.
        for (int c = 0; c < 2; c++)
        {
            var col = Column(actual, c);
            Assert.True(col.MaxBy(Math.Abs) > 0);
        }
    }

    [Fact]
    public void TransformOfNewRowsMatchesScikitLearnUpToSign()
    {
        var (f, isomap) = Fitted.Value;
        var expected = f["transform"]!.Matrix();
        var fitted = f["embedding"]!.Matrix();
        var actual = isomap.Transform(f["new"]!.Matrix());
        for (int c = 0; c < 2; c++)
        {
            // The sign of a component is the one the embedding comparison picked.
            double dot = Column(fitted, c).Zip(Column(isomap.Embedding, c)).Sum(p => p.First * p.Second);
            var ours = Column(actual, c).Select(v => dot < 0 ? -v : v).ToArray();
            Approx.Equal(Column(expected, c), ours, rtol: 1e-8, atol: 1e-8, what: $"transform component {c}");
        }
        // The training rows map onto their own embedding.
        Approx.Equal(isomap.Embedding, isomap.Transform(f["x"]!.Matrix()), rtol: 1e-8, atol: 1e-8, what: "transform of the training rows");
    }

    [Fact]
    public void GeodesicDistancesAreSymmetricAndAtLeastEuclidean()
    {
        var (f, isomap) = Fitted.Value;
        var x = f["x"]!.Matrix();
        var g = isomap.GeodesicDistances;
        for (int i = 0; i < x.Rows; i += 7)
            for (int j = 0; j < x.Rows; j += 5)
            {
                Assert.Equal(g[i, j], g[j, i]);
                double e = Math.Sqrt(Enumerable.Range(0, 3).Sum(c => (x[i, c] - x[j, c]) * (x[i, c] - x[j, c])));
                Assert.True(g[i, j] >= e - 1e-9, $"geodesic {g[i, j]} < Euclidean {e}");
            }
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalTransforms()
    {
        var (f, isomap) = Fitted.Value;
        string path = Path.Combine(Path.GetTempPath(), $"isomap-{Guid.NewGuid():N}.json");
        try
        {
            isomap.Save(path);
            var loaded = Isomap.Load(path);
            var nw = f["new"]!.Matrix();
            Assert.Equal(isomap.Transform(nw).ToArray(), loaded.Transform(nw).ToArray());
            Assert.Equal(isomap.Embedding.ToArray(), loaded.Embedding.ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DisconnectedGraphIsAClearErrorNamingNeighbors()
    {
        // Two blobs far apart: with 3 neighbours no edge crosses the gap.
        var rows = new List<double[]>();
        for (int i = 0; i < 20; i++) rows.Add([i * 0.1, 0]);
        for (int i = 0; i < 20; i++) rows.Add([1000 + i * 0.1, 0]);
        var e = Assert.Throws<ArgumentException>(() => new Isomap { Neighbors = 3 }.Fit(DataMatrix.FromRows(rows.ToArray())));
        Assert.Equal("Neighbors", e.ParamName);
        Assert.Contains("Neighbors is 3", e.Message);
        Assert.Contains("2 disconnected parts (sizes 20, 20)", e.Message);
        Assert.Contains("Raise Neighbors", e.Message);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 30).ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Isomap { Neighbors = 30 }.Fit(x));
        Assert.Equal("Neighbors", e.ParamName);
        Assert.Contains("Neighbors is 30, but the data has 30 samples", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Isomap { Components = 30 }.Fit(x));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("smaller than the sample count", e.Message);
        Assert.Equal("Neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => new Isomap { Neighbors = 0 }.Fit(x)).ParamName);
        Assert.Equal("Components", Assert.Throws<ArgumentOutOfRangeException>(() => new Isomap { Components = 0 }.Fit(x)).ParamName);
        var nan = x.Clone();
        nan[2, 1] = double.NaN;
        var n = Assert.Throws<ArgumentException>(() => new Isomap().Fit(nan));
        Assert.Equal("x", n.ParamName);
        Assert.Contains("NaN", n.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Isomap().Fit(new DataMatrix(0, 2))).ParamName);

        var fitted = new Isomap().Fit(x);
        var wrong = Assert.Throws<ArgumentException>(() => fitted.Transform(new DataMatrix(2, 5)));
        Assert.Equal("x", wrong.ParamName);
        Assert.Contains("fitted on 13", wrong.Message);
        var notFitted = Assert.Throws<InvalidOperationException>(() => new Isomap().Embedding);
        Assert.Contains("Isomap.Embedding", notFitted.Message);
        Assert.Throws<InvalidOperationException>(() => new Isomap().Transform(x));
    }

    [Fact]
    public void FittingTwiceEqualsOnce()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 60).ToArray());
        var model = new Isomap { Neighbors = 8 };
        var once = model.FitTransform(x);
        var twice = model.FitTransform(x);
        Assert.Equal(once.ToArray(), twice.ToArray());
    }

    [Fact]
    public void ReportsEveryStageInOrderAndStopsWhenCancelled()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 150).ToArray());
        var reports = new List<IsomapProgress>();
        var fitted = new Isomap { Neighbors = 10 }.Fit(x, new SynchronousProgress<IsomapProgress>(r => { lock (reports) reports.Add(r); }));
        Assert.Equal([IsomapStage.Neighbors, IsomapStage.ShortestPaths, IsomapStage.Scaling], reports.Select(r => r.Stage).Distinct());
        var paths = reports.Where(r => r.Stage == IsomapStage.ShortestPaths).ToList();
        Assert.All(paths, r => Assert.Equal(150, r.Total));
        Assert.Equal(paths.Select(r => r.Done).Order(), paths.Select(r => r.Done));
        Assert.Equal(0, paths[0].Done);
        Assert.Equal(150, paths[^1].Done);
        Assert.Equal(new Isomap { Neighbors = 10 }.Fit(x).Embedding.ToArray(), fitted.Embedding.ToArray());

        using var cts = new CancellationTokenSource();
        var stopInPaths = new SynchronousProgress<IsomapProgress>(r => { if (r.Stage == IsomapStage.ShortestPaths && r.Done > 0) cts.Cancel(); });
        var model = new Isomap { Neighbors = 10 };
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(x, stopInPaths, cts.Token));
        Assert.Throws<InvalidOperationException>(() => model.Embedding);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
