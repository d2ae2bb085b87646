using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

public class IncrementalPcaTests
{
    private static readonly DataMatrix Digits = BundledSets.Digits().Features;

    [Fact]
    public void Matches_sklearn_incremental_pca()
    {
        var f = Fixture.Load("Decomposition", "ipca_digits");
        var ipca = new IncrementalPca { Components = 10, BatchSize = 200 }.Fit(Digits);
        // Same algorithm, same batches, same v-based sign rule: axes compared without flipping.
        Approx.Equal(f["components"]!.Matrix(), ipca.PrincipalAxes, 1e-8, 1e-10, "axes");
        Approx.Equal(f["explained_variance"]!.Doubles(), ipca.ExplainedVariance, 1e-9, what: "explained variance");
        Approx.Equal(f["explained_variance_ratio"]!.Doubles(), ipca.ExplainedVarianceRatio, 1e-9, what: "ratio");
        Approx.Equal(f["singular_values"]!.Doubles(), ipca.SingularValues, 1e-9, what: "singular values");
        Approx.Equal(f["mean"]!.Doubles(), ipca.Mean, 1e-12, 1e-12, "mean");
        Approx.Equal(f["noise_variance"]!.GetValue<double>(), ipca.NoiseVariance, 1e-8, what: "noise");
        Assert.Equal(1797, ipca.SampleCount);
        var d = new IncrementalPca { Components = 5 }.Fit(Digits);
        Approx.Equal(f["default_batch_components"]!.Matrix(), d.PrincipalAxes, 1e-8, 1e-10, "default batch axes");
    }

    [Fact]
    public void Is_close_to_batch_pca()
    {
        var ipca = new IncrementalPca { Components = 5, BatchSize = 300 }.Fit(Digits);
        var pca = new Pca { Components = 5 }.Fit(Digits);
        // Incremental PCA truncates after every batch, so it is approximate: eigenvalues within 3% (the 5th,
        // 69.5 against 68.4, is the worst), the well separated first axes within 0.05 per entry.
        Approx.Equal(pca.ExplainedVariance, ipca.ExplainedVariance, 3e-2, what: "eigenvalues");
        for (int k = 0; k < 3; k++)
            Approx.EqualUpToSign(pca.PrincipalAxes.Row(k).ToArray(), ipca.PrincipalAxes.Row(k).ToArray(), 0, 0.05, $"axis {k}");
        // With every component kept nothing is truncated and it is exact.
        var fullI = new IncrementalPca { Components = 64, BatchSize = 300 }.Fit(Digits);
        var full = new Pca { Components = 64, Solver = PcaSolver.Svd }.Fit(Digits);
        Approx.Equal(full.ExplainedVariance.Take(20).ToArray(), fullI.ExplainedVariance.Take(20).ToArray(), 1e-9, what: "full rank");
    }

    [Fact]
    public void Partial_fit_over_batches_equals_fit()
    {
        var a = new IncrementalPca { Components = 4, BatchSize = 500 }.Fit(Digits);
        var b = new IncrementalPca { Components = 4 };
        for (int s = 0; s < 1797; s += 500)
            b.PartialFit(Digits.SelectRows(Enumerable.Range(s, Math.Min(500, 1797 - s)).ToArray()));
        Assert.Equal(a.PrincipalAxes.AsSpan().ToArray(), b.PrincipalAxes.AsSpan().ToArray());
        Assert.Equal(1797, b.SampleCount);
    }

    [Fact]
    public void Whitening_and_inverse_round_trip()
    {
        var ipca = new IncrementalPca { Components = 6, Whiten = true };
        var z = ipca.FitTransform(Digits);
        Approx.Equal(z, ipca.Transform(ipca.InverseTransform(z)), 1e-9, 1e-9, "round trip");
        double var0 = z.Column(0).Select(v => v * v).Sum() / (z.Rows - 1);
        Assert.Equal(1.0, var0, 2);
    }

    [Fact]
    public void Saved_model_transforms_bit_identically()
    {
        var ipca = new IncrementalPca { Components = 3, Whiten = true }.Fit(Digits);
        string path = Path.Combine(Path.GetTempPath(), $"ipca-{Guid.NewGuid():N}.json");
        try
        {
            ipca.Save(path);
            var loaded = IncrementalPca.Load(path);
            Assert.Equal(ipca.Transform(Digits).AsSpan().ToArray(), loaded.Transform(Digits).AsSpan().ToArray());
            Assert.Equal(ipca.SampleCount, loaded.SampleCount);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new IncrementalPca { Components = 0 }.Fit(Digits));
        Assert.Equal("Components", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new IncrementalPca { Components = 65 }.Fit(Digits));
        Assert.Contains("64 features", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new IncrementalPca { Components = 5, BatchSize = 3 }.Fit(Digits));
        Assert.Equal("BatchSize", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new IncrementalPca { Components = 5 }.PartialFit(Digits.SelectRows([0, 1, 2])));
        Assert.Contains("first batch has 3 rows", e.Message);
        var nan = Digits.Clone();
        nan[0, 0] = double.NaN;
        var a = Assert.Throws<ArgumentException>(() => new IncrementalPca().Fit(nan));
        Assert.Contains("NaN", a.Message);
        a = Assert.Throws<ArgumentException>(() => new IncrementalPca().PartialFit(new DataMatrix(0, 4)));
        Assert.Contains("empty", a.Message);
        var fitted = new IncrementalPca().Fit(Digits);
        a = Assert.Throws<ArgumentException>(() => fitted.PartialFit(BundledSets.Wine().Features));
        Assert.Equal("batch", a.ParamName);
        a = Assert.Throws<ArgumentException>(() => fitted.Transform(BundledSets.Wine().Features));
        Assert.Contains("fitted on 64", a.Message);
        a = Assert.Throws<ArgumentException>(() => fitted.InverseTransform(new DataMatrix(1, 5)));
        Assert.Equal("z", a.ParamName);
        Assert.Throws<InvalidOperationException>(() => new IncrementalPca().ExplainedVariance);
        Assert.Contains("Call Fit", Assert.Throws<InvalidOperationException>(() => new IncrementalPca().Transform(Digits)).Message);
    }
}
