using DimReduce.Preprocessing;

namespace DimReduce.Tests.Preprocessing;

public class NoiseTests
{
    private static DataMatrix Ones(int rows, int columns) => new(rows, columns, Enumerable.Repeat(1.0, rows * columns).ToArray());

    [Fact]
    public void Gaussian_noise_has_the_asked_spread_and_leaves_the_input_alone()
    {
        var x = Ones(200, 500);
        var noisy = Noise.Gaussian(x, 0.3, seed: 1);
        Assert.All(x.AsSpan().ToArray(), v => Assert.Equal(1.0, v));
        var diff = noisy.AsSpan().ToArray().Select(v => v - 1).ToArray();
        // 100,000 draws: mean standard error 0.001, standard deviation standard error 0.0007.
        Assert.InRange(diff.Average(), -0.005, 0.005);
        Assert.InRange(Math.Sqrt(diff.Select(d => d * d).Average()), 0.297, 0.303);
        Assert.Equal(noisy.AsSpan().ToArray(), Noise.Gaussian(x, 0.3, seed: 1).AsSpan().ToArray());
        Assert.NotEqual(noisy.AsSpan().ToArray(), Noise.Gaussian(x, 0.3, seed: 2).AsSpan().ToArray());
        var clipped = Noise.Gaussian(x, 1.0, seed: 1, clip: (0, 1.2));
        Assert.All(clipped.AsSpan().ToArray(), v => Assert.InRange(v, 0, 1.2));
        Assert.Equal(x.AsSpan().ToArray(), Noise.Gaussian(x, 0, seed: 1).AsSpan().ToArray());
    }

    [Fact]
    public void Masking_zeroes_the_asked_share_of_each_row()
    {
        var x = Ones(300, 40);
        var masked = Noise.Masking(x, 0.25, seed: 5);
        for (int i = 0; i < 300; i++) Assert.Equal(10, masked.Row(i).ToArray().Count(v => v == 0));
        // Every column is hit about a quarter of the time (75 of 300, standard error 7.5).
        for (int j = 0; j < 40; j++) Assert.InRange(masked.Column(j).Count(v => v == 0), 40, 110);
        Assert.Equal(masked.AsSpan().ToArray(), Noise.Masking(x, 0.25, seed: 5).AsSpan().ToArray());
        Assert.All(Noise.Masking(x, 1, seed: 5).AsSpan().ToArray(), v => Assert.Equal(0, v));
        Assert.All(Noise.Masking(x, 0, seed: 5).AsSpan().ToArray(), v => Assert.Equal(1, v));
    }

    [Fact]
    public void Salt_and_pepper_sets_the_share_to_low_or_high()
    {
        var x = new DataMatrix(100, 50, Enumerable.Repeat(0.5, 5000).ToArray());
        var noisy = Noise.SaltAndPepper(x, 0.2, seed: 9);
        for (int i = 0; i < 100; i++) Assert.Equal(10, noisy.Row(i).ToArray().Count(v => v != 0.5));
        var values = noisy.AsSpan().ToArray();
        int salt = values.Count(v => v == 1), pepper = values.Count(v => v == 0);
        Assert.Equal(1000, salt + pepper);
        Assert.InRange(salt, 420, 580); // a fair coin: standard error 16
        var raw = Noise.SaltAndPepper(x, 0.2, low: 0, high: 255, seed: 9);
        Assert.Contains(255.0, raw.AsSpan().ToArray());
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var x = Ones(2, 3);
        var std = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Gaussian(x, -1));
        Assert.Equal("std", std.ParamName);
        Assert.Contains("at least 0", std.Message);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Gaussian(x, double.NaN)).ParamName);
        Assert.Equal("clip", Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Gaussian(x, 1, clip: (1, 0))).ParamName);
        var fraction = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Masking(x, 1.5));
        Assert.Equal("fraction", fraction.ParamName);
        Assert.Contains("between 0 and 1", fraction.Message);
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => Noise.SaltAndPepper(x, double.NaN)).ParamName);
        Assert.Equal("high", Assert.Throws<ArgumentOutOfRangeException>(() => Noise.SaltAndPepper(x, 0.1, low: 1, high: 1)).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => Noise.Masking(new double[,] { { double.NaN } }, 0.1));
        Assert.Equal("x", nan.ParamName);
        Assert.Contains("NaN", nan.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Noise.Gaussian(new DataMatrix(0, 2), 1)).Message);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Noise.SaltAndPepper(null!, 0.1)).ParamName);
    }
}
