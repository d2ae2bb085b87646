using DimReduce.Datasets;
using DimReduce.Manifold;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Manifold;

/// <summary>MDS: classical against the eigen formula, SMACOF stress against scikit-learn 1.2.1 (Fixtures/Manifold/mds_wine60.json).</summary>
public class MdsTests
{
    private static double[] Column(DataMatrix m, int c) => Enumerable.Range(0, m.Rows).Select(i => m[i, c]).ToArray();

    [Fact]
    public void ClassicalMatchesTheEigenFormula()
    {
        var f = Fixture.Load("Manifold", "mds_wine60");
        var x = f["x"]!.Matrix();
        var mds = new Mds { Method = MdsMethod.Classical }.Fit(x);
        // Both sides flip each eigenvector so its largest-magnitude entry is positive: equal, not just up to sign.
        Approx.Equal(f["classical"]!.Matrix(), mds.Embedding, rtol: 1e-9, atol: 1e-10, what: "classical MDS");
        Approx.Equal(f["classicalEigenvalues"]!.Doubles(), mds.Eigenvalues.ToArray(), rtol: 1e-10, what: "eigenvalues");
        Assert.Equal(0, mds.IterationsRun);
    }

    [Fact]
    public void ClassicalOnEuclideanDistancesIsPca()
    {
        var x = BundledSets.Wine().Features;
        var mds = new Mds { Method = MdsMethod.Classical }.FitTransform(x);
        var pca = new DimReduce.Decomposition.Pca { Components = 2 }.FitTransform(x);
        for (int c = 0; c < 2; c++)
            Approx.EqualUpToSign(Column(pca, c), Column(mds, c), rtol: 1e-7, atol: 1e-7, what: $"component {c}");
    }

    [Fact]
    public void SmacofStressIsComparableToScikitLearns()
    {
        var f = Fixture.Load("Manifold", "mds_wine60");
        var x = f["x"]!.Matrix();
        var reference = f["smacofStress"]!.AsObject().Select(p => (double)p.Value!).ToArray();
        double best = reference.Min(), worst = reference.Max();
        var stresses = new List<double>();
        for (int seed = 0; seed < 3; seed++)
        {
            var mds = new Mds { Seed = seed }.Fit(x);
            stresses.Add(mds.Stress);
            Assert.InRange(mds.IterationsRun, 1, Mds.Defaults.MaxIterations);
            // The reported stress is that of a configuration one transform before the returned one, as scikit-learn's;
            // SMACOF never increases stress, so the returned configuration is no worse.
            double final = Smacof.Stress(DistancesOf(x), x.Rows, mds.Embedding.AsSpan().ToArray(), 2);
            Assert.True(final <= mds.Stress * (1 + 1e-12), $"stress {final} after the last transform vs {mds.Stress}");
        }
        // Different random starts: our runs land in scikit-learn's range, within 5 % of its best.
        Assert.True(stresses.Min() <= best * 1.05, $"best stress {stresses.Min()} vs scikit-learn's {best}");
        Assert.True(stresses.Max() <= worst * 1.05, $"worst stress {stresses.Max()} vs scikit-learn's worst {worst}");
        // Classical MDS is a good start but not a stress minimiser: SMACOF beats it.
        Assert.True(stresses.Min() < new Mds { Method = MdsMethod.Classical }.Fit(x).Stress);
    }

    private static double[] DistancesOf(DataMatrix x)
    {
        int n = x.Rows;
        var d = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                d[i * n + j] = Math.Sqrt(Enumerable.Range(0, x.Columns).Sum(c => (x[i, c] - x[j, c]) * (x[i, c] - x[j, c])));
        return d;
    }

    [Fact]
    public void PrecomputedDissimilaritiesGiveTheSameResult()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 40).ToArray());
        var d = new DataMatrix(40, 40, DistancesOf(x));
        var a = new Mds { Seed = 3 }.FitTransform(x);
        var b = new Mds { Seed = 3, Dissimilarity = MdsDissimilarity.Precomputed }.FitTransform(d);
        Approx.Equal(a, b, rtol: 1e-9, atol: 1e-9, what: "precomputed vs Euclidean");
    }

    [Fact]
    public void SameSeedGivesIdenticalResult()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 50).ToArray());
        var a = new Mds { Seed = 11 }.FitTransform(x);
        var b = new Mds { Seed = 11 }.FitTransform(x);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), new Mds { Seed = 12 }.FitTransform(x).ToArray());
        var drawn = new Mds().Fit(x);
        Assert.Equal(drawn.Embedding.ToArray(), new Mds { Seed = drawn.SeedUsed }.FitTransform(x).ToArray());
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 10).ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Mds { Components = 10 }.Fit(x));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("Components is 10, but the data has 10 samples", e.Message);
        foreach (var (bad, name) in new (Mds, string)[]
                 {
                     (new Mds { Components = 0 }, "Components"), (new Mds { Starts = 0 }, "Starts"),
                     (new Mds { MaxIterations = 0 }, "MaxIterations"), (new Mds { Tolerance = 0 }, "Tolerance"),
                     (new Mds { Method = (MdsMethod)7 }, "Method"), (new Mds { Dissimilarity = (MdsDissimilarity)7 }, "Dissimilarity"),
                 })
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => bad.Fit(x));
            Assert.Equal(name, ex.ParamName);
            Assert.Contains(name + " is", ex.Message);
        }
        var nan = x.Clone();
        nan[1, 1] = double.NaN;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Mds().Fit(nan)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Mds().Fit(new DataMatrix(0, 3))).ParamName);

        var notSquare = Assert.Throws<ArgumentException>(() => new Mds { Dissimilarity = MdsDissimilarity.Precomputed }.Fit(x));
        Assert.Equal("x", notSquare.ParamName);
        Assert.Contains("square matrix", notSquare.Message);
        var asym = new DataMatrix(3, 3, [0, 1, 2, 1, 0, 3, 2, 4, 0]);
        Assert.Contains("symmetric", Assert.Throws<ArgumentException>(() => new Mds { Dissimilarity = MdsDissimilarity.Precomputed }.Fit(asym)).Message);

        var fitted = new Mds { Seed = 0 }.Fit(x);
        Assert.Equal(fitted.Embedding.ToArray(), fitted.Transform(x).ToArray());
        Assert.Throws<NotSupportedException>(() => fitted.Transform(BundledSets.Wine().Features.SelectRows([20, 21])));
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => fitted.Transform(new DataMatrix(2, 4))).ParamName);
        Assert.Contains("Mds.Stress", Assert.Throws<InvalidOperationException>(() => new Mds().Stress).Message);
    }

    [Fact]
    public void SmacofReportsEveryIterationAndStopsWhenCancelled()
    {
        var x = BundledSets.Wine().Features.SelectRows(Enumerable.Range(0, 40).ToArray());
        var reports = new List<MdsProgress>();
        var mds = new Mds { Starts = 2, Seed = 3 };
        mds.Fit(x, new SynchronousProgress<MdsProgress>(reports.Add));
        Assert.Equal([1, 2], reports.Select(r => r.Start).Distinct());
        Assert.All(reports, r => Assert.Equal(2, r.Starts));
        foreach (var start in reports.GroupBy(r => r.Start))
            Assert.Equal(Enumerable.Range(1, start.Count()), start.Select(r => r.Iteration));
        Assert.True(reports.Where(r => r.Start == 1).Last().Stress < reports[0].Stress, "stress falls during a start");

        using var cts = new CancellationTokenSource();
        var stopAfterThree = new SynchronousProgress<MdsProgress>(r => { if (r.Iteration == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new Mds { Seed = 3 }.Fit(x, stopAfterThree, cts.Token));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
