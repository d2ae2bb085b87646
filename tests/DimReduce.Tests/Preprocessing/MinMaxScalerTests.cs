using DimReduce.Datasets;
using DimReduce.Preprocessing;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Preprocessing;

public sealed class MinMaxScalerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dimreduce-mm-" + Guid.NewGuid().ToString("N"));

    public MinMaxScalerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Matches_scikit_learn_on_wine()
    {
        var f = Fixture.Load("Preprocessing", "minmax_scaler_wine");
        var x = BundledSets.Wine().Features;
        var rows = f["rows"]!.Ints();
        var scaler = new MinMaxScaler().Fit(x);
        Approx.Equal(f["data_min"]!.Doubles(), scaler.DataMin.ToArray(), rtol: 1e-12, what: "data_min_");
        Approx.Equal(f["data_max"]!.Doubles(), scaler.DataMax.ToArray(), rtol: 1e-12, what: "data_max_");
        Approx.Equal(f["scale"]!.Doubles(), scaler.Scale.ToArray(), rtol: 1e-12, what: "scale_");
        Approx.Equal(f["min"]!.Doubles(), scaler.Offset.ToArray(), rtol: 1e-12, what: "min_");
        // Values at the low end are differences of nearly equal numbers: atol 1e-14 covers their rounding.
        Approx.Equal(f["transformed"]!.Matrix(), scaler.Transform(x).SelectRows(rows), rtol: 1e-12, atol: 1e-14, what: "transform");
        var ranged = new MinMaxScaler { FeatureRange = (-1, 2) }.Fit(x);
        Approx.Equal(f["range_scale"]!.Doubles(), ranged.Scale.ToArray(), rtol: 1e-12, what: "scale_ (-1, 2)");
        Approx.Equal(f["range_min"]!.Doubles(), ranged.Offset.ToArray(), rtol: 1e-12, what: "min_ (-1, 2)");
        Approx.Equal(f["range_transformed"]!.Matrix(), ranged.Transform(x).SelectRows(rows), rtol: 1e-12, atol: 1e-14, what: "transform (-1, 2)");
        var fresh = f["new_input"]!.Matrix();
        Approx.Equal(f["new_transformed"]!.Matrix(), scaler.Transform(fresh), rtol: 1e-12, atol: 1e-14, what: "new data");
        Approx.Equal(f["new_clipped"]!.Matrix(), new MinMaxScaler { Clip = true }.Fit(x).Transform(fresh), rtol: 1e-12, atol: 1e-14, what: "clip");
        Approx.Equal(f["small_transformed"]!.Matrix(), new MinMaxScaler().FitTransform(f["small_input"]!.Matrix()), rtol: 1e-12, what: "constant columns");
    }

    [Fact]
    public void Inverse_transform_restores_the_data_and_the_range_is_reached()
    {
        var x = BundledSets.Wine().Features;
        var scaler = new MinMaxScaler { FeatureRange = (-1, 1) };
        var z = scaler.FitTransform(x);
        Approx.Equal(x, scaler.InverseTransform(z), rtol: 1e-13, what: "round trip");
        for (int j = 0; j < z.Columns; j++)
        {
            Assert.Equal(-1, z.Column(j).Min(), 14);
            Assert.Equal(1, z.Column(j).Max(), 14);
        }
        Assert.Equal(scaler.DataMax.Select((m, j) => m - scaler.DataMin[j]), scaler.DataRange);
        Assert.Equal(13, scaler.Features);
    }

    [Fact]
    public void Saved_scaler_transforms_bit_identically()
    {
        var x = BundledSets.Wine().Features;
        var scaler = new MinMaxScaler { FeatureRange = (-1, 2), Clip = true }.Fit(x);
        string path = Path.Combine(_dir, "minmax.json");
        scaler.Save(path);
        var loaded = MinMaxScaler.Load(path);
        Assert.Equal((-1.0, 2.0), loaded.FeatureRange);
        Assert.True(loaded.Clip);
        var probe = DataMatrix.FromRows([x.Row(0).ToArray().Select(v => v * 3).ToArray(), x.Row(5).ToArray()]);
        Assert.Equal(scaler.Transform(x).AsSpan().ToArray(), loaded.Transform(x).AsSpan().ToArray());
        Assert.Equal(scaler.Transform(probe).AsSpan().ToArray(), loaded.Transform(probe).AsSpan().ToArray());
        Assert.Equal(scaler.InverseTransform(probe).AsSpan().ToArray(), loaded.InverseTransform(probe).AsSpan().ToArray());
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var scaler = new MinMaxScaler();
        var notFitted = Assert.Throws<InvalidOperationException>(() => scaler.DataMin);
        Assert.Contains("MinMaxScaler.DataMin", notFitted.Message);
        Assert.Contains("MinMaxScaler.Transform", Assert.Throws<InvalidOperationException>(() => scaler.Transform(new double[,] { { 1 } })).Message);
        Assert.Throws<InvalidOperationException>(() => scaler.DataRange);
        Assert.Throws<InvalidOperationException>(() => scaler.Offset);
        Assert.Throws<InvalidOperationException>(() => scaler.Save(Path.Combine(_dir, "x.json")));

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => new MinMaxScaler { FeatureRange = (1, 0) }.Fit(new double[,] { { 1 } }));
        Assert.Equal("FeatureRange", range.ParamName);
        Assert.Contains("low < high", range.Message);
        Assert.Equal("FeatureRange", Assert.Throws<ArgumentOutOfRangeException>(() => new MinMaxScaler { FeatureRange = (0, double.NaN) }.Fit(new double[,] { { 1 } })).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => scaler.Fit(new double[,] { { double.NaN } }));
        Assert.Equal("x", nan.ParamName);
        Assert.Contains("NaN", nan.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => scaler.Fit(new DataMatrix(0, 0))).Message);
        scaler.Fit(new double[,] { { 1, 2 }, { 3, 5 } });
        Assert.Contains("fitted on 2", Assert.Throws<ArgumentException>(() => scaler.Transform(new double[,] { { 1 } })).Message);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => scaler.InverseTransform(new double[,] { { 1, 2, 3 } })).ParamName);
        Assert.Contains("infinity", Assert.Throws<ArgumentException>(() => scaler.Transform(new double[,] { { 1, double.NegativeInfinity } })).Message);
    }
}
