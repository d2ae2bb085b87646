using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

public class FactorAnalysisTests
{
    private static DataMatrix Standardized()
    {
        var pca = new Pca { Components = 13, Matrix = PcaMatrix.Correlation }.Fit(BundledSets.Wine().Features);
        var x = BundledSets.Wine().Features.Clone();
        var mean = pca.Mean;
        var scale = pca.Scale;
        for (int i = 0; i < x.Rows; i++) for (int j = 0; j < x.Columns; j++) x[i, j] = (x[i, j] - mean[j]) / scale[j];
        return x;
    }

    [Fact]
    public void Matches_sklearn_lapack_method()
    {
        var f = Fixture.Load("Decomposition", "fa_wine");
        var x = Standardized();
        var fa = new FactorAnalysis { Components = 3 }.Fit(x);
        Assert.Equal(f["n_iter"]!.GetValue<int>(), fa.Iterations);
        Approx.Equal(f["loglike"]!.Doubles(), fa.LogLikelihood, 1e-9, what: "log-likelihood history");
        Approx.Equal(f["noise_variance"]!.Doubles(), fa.NoiseVariance, 1e-7, 1e-10, "noise variance");
        var expected = f["components"]!.Matrix();
        // LAPACK's sign is arbitrary in scikit-learn; we orient each factor, so compare up to sign.
        for (int k = 0; k < 3; k++) Approx.EqualUpToSign(expected.Row(k).ToArray(), fa.Loadings.Row(k).ToArray(), 1e-7, 1e-9, $"factor {k}");
        var z = fa.Transform(x.SelectRows(Enumerable.Range(0, 10).ToArray()));
        var ez = f["transform_head"]!.Matrix();
        for (int k = 0; k < 3; k++) Approx.EqualUpToSign(ez.Column(k), z.Column(k), 1e-7, 1e-9, $"posterior mean {k}");
        Assert.True(fa.Converged);
        Assert.Empty(fa.Warnings);
    }

    [Fact]
    public void Stopping_early_is_reported_as_a_warning()
    {
        var fa = new FactorAnalysis { Components = 2, MaxIterations = 3 }.Fit(Standardized());
        Assert.False(fa.Converged);
        Assert.Equal(3, fa.Iterations);
        Assert.Contains("MaxIterations", Assert.Single(fa.Warnings));
        // The log-likelihood never falls.
        var ll = fa.LogLikelihood;
        for (int i = 1; i < ll.Length; i++) Assert.True(ll[i] >= ll[i - 1]);
    }

    [Fact]
    public void Saved_model_transforms_bit_identically()
    {
        var x = Standardized();
        var fa = new FactorAnalysis { Components = 2 }.Fit(x);
        string path = Path.Combine(Path.GetTempPath(), $"fa-{Guid.NewGuid():N}.json");
        try
        {
            fa.Save(path);
            var loaded = FactorAnalysis.Load(path);
            Assert.Equal(fa.Transform(x).AsSpan().ToArray(), loaded.Transform(x).AsSpan().ToArray());
            Assert.Equal(fa.LogLikelihood, loaded.LogLikelihood);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var x = Standardized();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FactorAnalysis { Components = 14 }.Fit(x));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("13 features", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FactorAnalysis { MaxIterations = 0 }.Fit(x));
        Assert.Equal("MaxIterations", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new FactorAnalysis { Tolerance = 0 }.Fit(x));
        Assert.Equal("Tolerance", e.ParamName);
        var nan = x.Clone();
        nan[0, 3] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new FactorAnalysis().Fit(nan)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new FactorAnalysis().Fit(new DataMatrix(0, 3))).Message);
        var fa = new FactorAnalysis().Fit(x);
        var a = Assert.Throws<ArgumentException>(() => fa.Transform(new DataMatrix(2, 2)));
        Assert.Contains("fitted on 13", a.Message);
        Assert.Contains("Call Fit", Assert.Throws<InvalidOperationException>(() => new FactorAnalysis().Loadings).Message);
    }
}
