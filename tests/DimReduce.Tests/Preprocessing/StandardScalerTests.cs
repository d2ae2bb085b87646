using DimReduce.Datasets;
using DimReduce.Persistence;
using DimReduce.Preprocessing;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Preprocessing;

public sealed class StandardScalerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dimreduce-ss-" + Guid.NewGuid().ToString("N"));

    public StandardScalerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Matches_scikit_learn_on_wine()
    {
        var f = Fixture.Load("Preprocessing", "standard_scaler_wine");
        var x = BundledSets.Wine().Features;
        var scaler = new StandardScaler().Fit(x);
        Approx.Equal(f["mean"]!.Doubles(), scaler.Mean.ToArray(), rtol: 1e-12, what: "mean_");
        Approx.Equal(f["scale"]!.Doubles(), scaler.Scale.ToArray(), rtol: 1e-12, what: "scale_");
        Approx.Equal(f["variance"]!.Doubles(), scaler.Variance.ToArray(), rtol: 1e-12, what: "var_");
        var rows = f["rows"]!.Ints();
        // Standardised values near 0 carry the rounding of the mean: atol 1e-13 covers them.
        Approx.Equal(f["transformed"]!.Matrix(), scaler.Transform(x).SelectRows(rows), rtol: 1e-12, atol: 1e-13, what: "transform");
        var noMean = new StandardScaler { WithMean = false }.Fit(x);
        Approx.Equal(f["no_mean_transformed"]!.Matrix(), noMean.Transform(x).SelectRows(rows), rtol: 1e-12, what: "with_mean=False");
        Assert.Equal(178, scaler.SamplesSeen);
        Assert.Equal(13, scaler.Features);
    }

    [Fact]
    public void Constant_features_get_scale_one_as_in_scikit_learn()
    {
        var f = Fixture.Load("Preprocessing", "standard_scaler_wine");
        var small = f["small_input"]!.Matrix();
        var scaler = new StandardScaler();
        var z = scaler.FitTransform(small);
        Approx.Equal(f["small_scale"]!.Doubles(), scaler.Scale.ToArray(), rtol: 1e-12, what: "scale_");
        Approx.Equal(f["small_transformed"]!.Matrix(), z, rtol: 1e-12, atol: 1e-15, what: "transform");
    }

    [Fact]
    public void Inverse_transform_restores_the_data_and_options_switch_steps_off()
    {
        var x = BundledSets.Wine().Features;
        var scaler = new StandardScaler();
        Approx.Equal(x, scaler.InverseTransform(scaler.FitTransform(x)), rtol: 1e-14, what: "round trip");
        var none = new StandardScaler { WithMean = false, WithStd = false };
        Assert.Equal(x.AsSpan().ToArray(), none.FitTransform(x).AsSpan().ToArray());
        Assert.All(none.Scale, s => Assert.Equal(1.0, s));
        // The standardised columns have mean 0 and population variance 1.
        var z = scaler.Transform(x);
        for (int j = 0; j < z.Columns; j++)
        {
            var col = z.Column(j);
            Assert.Equal(0, col.Average(), 12);
            Assert.Equal(1, col.Select(v => v * v).Average(), 12);
        }
        // Fitting twice equals fitting once; the interfaces reach the same code.
        IReducer reducer = new StandardScaler();
        Assert.Equal(z.AsSpan().ToArray(), reducer.Fit(x).Fit(x).Transform(x).AsSpan().ToArray());
    }

    [Fact]
    public void Saved_scaler_transforms_bit_identically()
    {
        var x = BundledSets.Wine().Features;
        var scaler = new StandardScaler { WithMean = false }.Fit(x);
        string path = Path.Combine(_dir, "scaler.json");
        scaler.Save(path);
        var loaded = StandardScaler.Load(path);
        Assert.False(loaded.WithMean);
        Assert.Equal(scaler.Transform(x).AsSpan().ToArray(), loaded.Transform(x).AsSpan().ToArray());
        Assert.Equal(scaler.Variance, loaded.Variance);
        Assert.Equal(scaler.SamplesSeen, loaded.SamplesSeen);
        Assert.IsType<StandardScaler>(ModelFile.Load(path));
        Assert.Throws<InvalidDataException>(() => MinMaxScaler.Load(path));
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var scaler = new StandardScaler();
        var notFitted = Assert.Throws<InvalidOperationException>(() => scaler.Mean);
        Assert.Contains("StandardScaler.Mean", notFitted.Message);
        Assert.Contains("Call Fit", notFitted.Message);
        Assert.Contains("StandardScaler.Transform", Assert.Throws<InvalidOperationException>(() => scaler.Transform(new double[,] { { 1 } })).Message);
        Assert.Contains("InverseTransform", Assert.Throws<InvalidOperationException>(() => scaler.InverseTransform(new double[,] { { 1 } })).Message);
        Assert.Throws<InvalidOperationException>(() => scaler.Save(Path.Combine(_dir, "x.json")));
        Assert.Throws<InvalidOperationException>(() => scaler.Scale);
        Assert.Throws<InvalidOperationException>(() => scaler.Variance);

        var nan = Assert.Throws<ArgumentException>(() => scaler.Fit(new double[,] { { 1, double.NaN } }));
        Assert.Equal("x", nan.ParamName);
        Assert.Contains("NaN", nan.Message);
        Assert.Contains("infinity", Assert.Throws<ArgumentException>(() => scaler.Fit(new double[,] { { double.PositiveInfinity } })).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => scaler.Fit(new DataMatrix(0, 3))).Message);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => scaler.Fit(null!)).ParamName);

        scaler.Fit(new double[,] { { 1, 2 }, { 3, 4 } });
        var width = Assert.Throws<ArgumentException>(() => scaler.Transform(new double[,] { { 1, 2, 3 } }));
        Assert.Equal("x", width.ParamName);
        Assert.Contains("fitted on 2", width.Message);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => scaler.InverseTransform(new double[,] { { 1 } })).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => scaler.Transform(new double[,] { { 1, double.NaN } })).ParamName);
    }
}
