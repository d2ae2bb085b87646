using DimReduce.Datasets;
using DimReduce.Manifold;
using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Manifold;

/// <summary>
/// t-SNE: each step against scikit-learn 1.2.1 (Fixtures/Manifold/tsne_*.json, written by
/// make_tsne_isomap_mds_fixtures.py), gradient invariants, quality on Digits, determinism and bad input.
/// </summary>
public class TsneTests
{
    private static readonly Lazy<(Dataset Digits, Tsne Model)> Fitted = new(() =>
    {
        var digits = BundledSets.Digits();
        return (digits, new Tsne { Seed = 0 }.Fit(digits.Features));
    });

    private static DataMatrix Digits60() => BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 60).ToArray());

    private static double[] Flatten(DataMatrix m) => m.AsSpan().ToArray();

    [Fact]
    public void ConditionalAndJointProbabilitiesMatchScikitLearn()
    {
        var f = Fixture.Load("Manifold", "tsne_affinities_digits60");
        var x = Digits60();
        double perplexity = (double)f["perplexity"]!;
        int k = (int)f["neighbors"]!, n = x.Rows;
        var knn = NearestNeighbors.Exact(x, k);

        var sq = new float[n * k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) sq[i * k + j] = (float)(knn.Distances[i, j] * knn.Distances[i, j]);
        var (cond, betas) = TsneAffinities.Conditional(sq, n, k, perplexity, skipDiagonal: false);
        var condDense = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) condDense[i * n + knn.Indices[i, j]] = cond[i * k + j];
        // float32 squared distances, as scikit-learn rounds them: agreement to about float32 precision.
        Approx.Equal(Flatten(f["conditional"]!.Matrix()), condDense, rtol: 1e-5, atol: 1e-12, what: "p(j|i)");
        Assert.All(betas, b => Assert.True(b > 0 && double.IsFinite(b)));

        var (joint, _) = TsneAffinities.FromNeighbors(knn, perplexity);
        var jointDense = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int e = joint.RowStart[i]; e < joint.RowStart[i + 1]; e++) jointDense[i * n + joint.Columns[e]] = joint.Values[e];
        Approx.Equal(Flatten(f["jointNeighbors"]!.Matrix()), jointDense, rtol: 1e-5, atol: 1e-12, what: "joint P (k-NN)");
        Assert.Equal(1.0, joint.Values.Sum(), 12);

        var (exact, _) = TsneAffinities.Exact(x, perplexity);
        Approx.Equal(Flatten(f["jointExact"]!.Matrix()), exact, rtol: 1e-5, atol: 1e-15, what: "joint P (exact)");
    }

    [Fact]
    public void ExactGradientAndKlMatchScikitLearn()
    {
        var f = Fixture.Load("Manifold", "tsne_gradient_digits60");
        var a = Fixture.Load("Manifold", "tsne_affinities_digits60");
        var p = Flatten(a["jointExact"]!.Matrix());
        var y = Flatten(f["y"]!.Matrix());
        var grad = new double[y.Length];
        double kl = TsneGradient.Exact(y, 60, 2, p, 1.0, 1.0, grad, new double[60], computeError: true);
        Approx.Equal((double)f["kl"]!, kl, rtol: 1e-10, what: "KL");
        Approx.Equal(Flatten(f["gradient"]!.Matrix()), grad, rtol: 1e-9, atol: 1e-14, what: "gradient");
    }

    private static SparseAffinities FromDense(double[] p, int n)
    {
        var rowStart = new int[n + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (int i = 0; i < n; i++)
        {
            rowStart[i] = cols.Count;
            for (int j = 0; j < n; j++) if (j != i) { cols.Add(j); vals.Add(p[i * n + j]); }
        }
        rowStart[n] = cols.Count;
        return new SparseAffinities(n, rowStart, cols.ToArray(), vals.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void BarnesHutWithAngleZeroIsTheExactGradient(int dim)
    {
        var x = Digits60();
        var (p, _) = TsneAffinities.Exact(x, 10);
        var random = new Random(3);
        var y = Enumerable.Range(0, 60 * dim).Select(_ => random.NextGaussian()).ToArray();
        double dof = Math.Max(dim - 1, 1);
        var exact = new double[y.Length];
        double klExact = TsneGradient.Exact(y, 60, dim, p, 4.0, dof, exact, new double[60], true);
        var bh = new double[y.Length];
        double klBh = TsneGradient.BarnesHut(y, 60, dim, FromDense(p, 60), 4.0, dof, 0.0, bh, new TsneGradient.Workspace(60, dim), true);
        Approx.Equal(exact, bh, rtol: 1e-9, atol: 1e-13, what: "Barnes-Hut gradient, angle 0");
        Approx.Equal(klExact, klBh, rtol: 1e-10, what: "KL");

        // With the default angle the approximation stays close (van der Maaten 2014, figure 4).
        var approx = new double[y.Length];
        TsneGradient.BarnesHut(y, 60, dim, FromDense(p, 60), 4.0, dof, 0.5, approx, new TsneGradient.Workspace(60, dim), false);
        double err = 0, norm = 0;
        for (int t = 0; t < y.Length; t++) { err += (approx[t] - exact[t]) * (approx[t] - exact[t]); norm += exact[t] * exact[t]; }
        Assert.True(Math.Sqrt(err / norm) < 0.05, $"relative error {Math.Sqrt(err / norm)} at angle 0.5");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ExactGradientMatchesFiniteDifferences(int dim)
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 25).ToArray());
        var (p, _) = TsneAffinities.Exact(x, 5);
        var random = new Random(5);
        var y = Enumerable.Range(0, 25 * dim).Select(_ => random.NextGaussian()).ToArray();
        double dof = Math.Max(dim - 1, 1);
        var grad = new double[y.Length];
        var scratch = new double[y.Length];
        TsneGradient.Exact(y, 25, dim, p, 1.0, dof, grad, new double[25], false);
        const double h = 1e-6;
        for (int t = 0; t < y.Length; t += 7)
        {
            double keep = y[t];
            y[t] = keep + h;
            double up = TsneGradient.Exact(y, 25, dim, p, 1.0, dof, scratch, new double[25], true);
            y[t] = keep - h;
            double down = TsneGradient.Exact(y, 25, dim, p, 1.0, dof, scratch, new double[25], true);
            y[t] = keep;
            Approx.Equal((up - down) / (2 * h), grad[t], rtol: 1e-5, atol: 1e-8, what: $"dC/dy[{t}]");
        }
    }

    [Fact]
    public void DigitsQualityMatchesScikitLearn()
    {
        var (digits, tsne) = Fitted.Value;
        var q = Fixture.Load("Manifold", "tsne_digits_quality")["barnesHut"]!;
        var embedding = tsne.Embedding;
        Assert.Equal((digits.Features.Rows, 2), (embedding.Rows, embedding.Columns));
        double trust = Metrics.Trustworthiness(digits.Features, embedding, 5);
        Assert.True(Math.Abs(trust - (double)q["trustworthiness5"]!) <= 0.01, $"trustworthiness {trust} vs scikit-learn {q["trustworthiness5"]}");
        // KL depends on the run (start, rounding); scikit-learn's is a reference, within 10 %.
        double kl = tsne.KlDivergence, reference = (double)q["klDivergence"]!;
        Assert.True(Math.Abs(kl - reference) <= 0.1 * reference, $"KL {kl} vs scikit-learn {reference}");
        Assert.Equal(1797 / 12.0 / 4.0 < 50 ? 50.0 : 1797 / 12.0 / 4.0, tsne.LearningRateUsed);
        Assert.Empty(tsne.Warnings);
        Assert.True(tsne.IterationsRun <= Tsne.Defaults.Iterations);
    }

    [Fact]
    public void KlDivergenceFallsDuringTheMainPhase()
    {
        var (_, tsne) = Fitted.Value;
        var main = tsne.History.Where(h => h.Stage == TsneStage.Optimization).ToList();
        Assert.True(main.Count >= 2);
        Assert.True(main[^1].KlDivergence < main[0].KlDivergence, $"KL {main[0].KlDivergence} -> {main[^1].KlDivergence}");
        Assert.Equal(tsne.KlDivergence, main[^1].KlDivergence);
    }

    [Fact]
    public void ExactMethodQualityMatchesScikitLearn()
    {
        var q = Fixture.Load("Manifold", "tsne_digits_quality")["exact200"]!;
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, (int)q["rows"]!).ToArray());
        var tsne = new Tsne { Method = TsneMethod.Exact, Perplexity = (double)q["perplexity"]!, Seed = 0 }.Fit(x);
        double trust = Metrics.Trustworthiness(x, tsne.Embedding, 5);
        Assert.True(Math.Abs(trust - (double)q["trustworthiness5"]!) <= 0.01, $"trustworthiness {trust} vs scikit-learn {q["trustworthiness5"]}");
        double reference = (double)q["klDivergence"]!;
        Assert.True(Math.Abs(tsne.KlDivergence - reference) <= 0.1 * reference, $"KL {tsne.KlDivergence} vs scikit-learn {reference}");
    }

    [Theory]
    [InlineData(TsneMethod.BarnesHut, TsneInit.Pca)]
    [InlineData(TsneMethod.BarnesHut, TsneInit.Random)]
    [InlineData(TsneMethod.Exact, TsneInit.Random)]
    public void SameSeedGivesIdenticalEmbedding(TsneMethod method, TsneInit init)
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 200).ToArray());
        var a = new Tsne { Seed = 7, Iterations = 300, Method = method, Init = init }.FitTransform(x);
        var b = new Tsne { Seed = 7, Iterations = 300, Method = method, Init = init }.FitTransform(x);
        Assert.Equal(a.ToArray(), b.ToArray());
        if (init == TsneInit.Random)
        {
            var c = new Tsne { Seed = 8, Iterations = 300, Method = method, Init = init }.FitTransform(x);
            Assert.NotEqual(a.ToArray(), c.ToArray());
        }
    }

    [Fact]
    public void ThreeComponentsUseTheOctree()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        var tsne = new Tsne { Components = 3, Seed = 1, Iterations = 400 }.Fit(x);
        Assert.Equal(3, tsne.Embedding.Columns);
        Assert.True(Metrics.Trustworthiness(x, tsne.Embedding, 5) > 0.95);
    }

    [Fact]
    public void WithoutSeedASeedIsDrawnAndReplaysTheFit()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 100).ToArray());
        var first = new Tsne { Iterations = 260, Init = TsneInit.Random, Perplexity = 10 }.Fit(x);
        var replay = new Tsne { Iterations = 260, Init = TsneInit.Random, Perplexity = 10, Seed = first.SeedUsed }.Fit(x);
        Assert.Equal(first.Embedding.ToArray(), replay.Embedding.ToArray());
    }

    [Fact]
    public void ReportsProgressAndHonoursCancellation()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 100).ToArray());
        var reports = new List<TsneProgress>();
        var tsne = new Tsne { Iterations = 300, Perplexity = 10, Seed = 0 }.Fit(x, new SynchronousProgress<TsneProgress>(reports.Add));
        Assert.Equal(TsneStage.Neighbors, reports[0].Stage);
        Assert.Contains(reports, r => r.Stage == TsneStage.EarlyExaggeration && r.Iteration == 250 && r.KlDivergence is not null);
        Assert.Equal(300, reports.Last().Iteration);
        Assert.Equal(tsne.KlDivergence, reports.Last().KlDivergence);

        using var cts = new CancellationTokenSource();
        var fresh = new Tsne { Iterations = 300, Perplexity = 10, Seed = 0 };
        Assert.Throws<OperationCanceledException>(() => fresh.Fit(x, new SynchronousProgress<TsneProgress>(r => { if (r.Iteration == 20) cts.Cancel(); }), cts.Token));
        Assert.Throws<InvalidOperationException>(() => fresh.Embedding);
    }

    [Fact]
    public void TransformReturnsTheEmbeddingOfTheTrainingRowsAndRefusesNewRows()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 80).ToArray());
        var tsne = new Tsne { Iterations = 260, Perplexity = 10, Seed = 0 }.Fit(x);
        Assert.Equal(tsne.Embedding.ToArray(), tsne.Transform(x).ToArray());
        var other = BundledSets.Digits().Features.SelectRows(Enumerable.Range(80, 80).ToArray());
        var e = Assert.Throws<NotSupportedException>(() => tsne.Transform(other));
        Assert.Contains("Fit on the old and new rows together", e.Message);
        var wrong = Assert.Throws<ArgumentException>(() => tsne.Transform(new DataMatrix(2, 3)));
        Assert.Equal("x", wrong.ParamName);
    }

    [Fact]
    public void FittedPropertiesBeforeFitNameTheMethod()
    {
        var tsne = new Tsne();
        var e = Assert.Throws<InvalidOperationException>(() => tsne.Embedding);
        Assert.Contains("Tsne.Embedding", e.Message);
        Assert.Contains("Call Fit", e.Message);
        Assert.Throws<InvalidOperationException>(() => tsne.KlDivergence);
        Assert.Throws<InvalidOperationException>(() => tsne.Transform(new DataMatrix(2, 2)));
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 40).ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Tsne { Perplexity = 40 }.Fit(x));
        Assert.Equal("Perplexity", e.ParamName);
        Assert.Contains("Perplexity is 40, but the data has 40 samples", e.Message);
        Assert.Contains("lower Perplexity", e.Message);

        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Tsne { Perplexity = 5, Components = 40, Method = TsneMethod.Exact }.Fit(x));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("smaller than the sample count", e.Message);

        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Tsne { Components = 4 }.Fit(x));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("Method = TsneMethod.Exact", e.Message);

        foreach (var (bad, name) in new (Tsne, string)[]
                 {
                     (new Tsne { Perplexity = 0 }, "Perplexity"), (new Tsne { Perplexity = double.NaN }, "Perplexity"),
                     (new Tsne { Components = 0 }, "Components"), (new Tsne { EarlyExaggeration = 0.5 }, "EarlyExaggeration"),
                     (new Tsne { LearningRate = -1 }, "LearningRate"), (new Tsne { Iterations = 0 }, "Iterations"),
                     (new Tsne { Angle = 1.5 }, "Angle"), (new Tsne { MinGradNorm = -1 }, "MinGradNorm"),
                     (new Tsne { ExaggerationIterations = -1 }, "ExaggerationIterations"),
                     (new Tsne { IterationsWithoutProgress = 0 }, "IterationsWithoutProgress"),
                     (new Tsne { Method = (TsneMethod)9 }, "Method"), (new Tsne { Init = (TsneInit)9 }, "Init"),
                 })
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => bad.Fit(x));
            Assert.Equal(name, ex.ParamName);
            Assert.Contains(name + " is", ex.Message);
        }

        var nan = x.Clone();
        nan[3, 5] = double.NaN;
        var n = Assert.Throws<ArgumentException>(() => new Tsne { Perplexity = 5 }.Fit(nan));
        Assert.Equal("x", n.ParamName);
        Assert.Contains("NaN at row 3, column 5", n.Message);
        var inf = x.Clone();
        inf[0, 0] = double.PositiveInfinity;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Tsne { Perplexity = 5 }.Fit(inf)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Tsne().Fit(new DataMatrix(0, 3))).ParamName);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
