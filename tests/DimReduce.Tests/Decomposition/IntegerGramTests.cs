using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

/// <summary>The exact float32 route for the centred Gram matrix of small-integer data (Dense.IntegerCenteredGram).</summary>
public class IntegerGramTests
{
    private static readonly DataMatrix Digits = BundledSets.Digits().Features;

    /// <summary>n x p integers in [low, high], reproducible.</summary>
    private static DataMatrix RandomIntegers(int n, int p, int low, int high, int seed)
    {
        var rng = new Random(seed);
        var m = new DataMatrix(n, p);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
                m[i, j] = rng.Next(low, high + 1);
        return m;
    }

    private static (double[] Values, bool Integer) Gram(DataMatrix x, bool allowInteger, double[]? scale = null)
    {
        TorchRuntime.EnsureLoaded();
        using var g = Dense.CenteredGram(x, Dense.ColumnMeans(x), scale, allowInteger, out bool used);
        return (Dense.Values(g), used);
    }

    private static void SameWithin(double[] expected, double[] actual, double rtol, string what)
    {
        double scale = expected.Max(Math.Abs);
        Approx.Equal(expected, actual, rtol, atol: rtol * scale, what: what);
    }

    [Fact]
    public void Digits_integer_route_matches_float64_route()
    {
        var (fast, used) = Gram(Digits, allowInteger: true);
        var (slow, usedSlow) = Gram(Digits, allowInteger: false);
        Assert.True(used);
        Assert.False(usedSlow);
        SameWithin(slow, fast, 1e-12, "digits Gram");
    }

    [Fact]
    public void Many_chunks_of_bytes_give_the_exact_centred_gram()
    {
        // 0..255 shifts to -128..127 (M = 128), so chunks hold 1023 rows: 3,000 rows take three chunks.
        int n = 3000, p = 23;
        var x = RandomIntegers(n, p, 0, 255, 5);
        var (fast, used) = Gram(x, allowInteger: true);
        Assert.True(used);

        // Exact reference in 64-bit integers: (n S - T T^T) / n with one rounding.
        var sums = new long[p];
        var s = new long[p, p];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < p; a++)
            {
                long xa = (long)x[i, a];
                sums[a] += xa;
                for (int b = 0; b < p; b++) s[a, b] += xa * (long)x[i, b];
            }
        var exact = new double[p * p];
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++)
                exact[a * p + b] = (double)(n * s[a, b] - sums[a] * sums[b]) / n;
        Assert.Equal(exact, fast);

        var (slow, _) = Gram(x, allowInteger: false);
        SameWithin(slow, fast, 1e-12, "bytes Gram");
    }

    [Fact]
    public void Negative_integers_and_scaling_match_float64_route()
    {
        var x = RandomIntegers(2500, 9, -40, 17, 11);
        var mean = Dense.ColumnMeans(x);
        var scale = Dense.ColumnStd(x, mean);
        var (fast, used) = Gram(x, allowInteger: true, scale);
        var (slow, _) = Gram(x, allowInteger: false, scale);
        Assert.True(used);
        SameWithin(slow, fast, 1e-12, "scaled Gram");
    }

    [Theory]
    [InlineData(PcaSolver.Covariance)]
    [InlineData(PcaSolver.Randomized)]
    public void Pca_on_digits_agrees_with_float64_route(PcaSolver solver)
    {
        var fast = new Pca { Components = 10, Solver = solver, Seed = 3 }.Fit(Digits);
        var slow = new Pca { Components = 10, Solver = solver, Seed = 3, AllowIntegerGram = false }.Fit(Digits);
        Assert.True(fast.IntegerGramUsed);
        Assert.False(slow.IntegerGramUsed);
        Approx.Equal(slow.ExplainedVariance, fast.ExplainedVariance, 1e-12, what: "variance");
        Approx.Equal(slow.ExplainedVarianceRatio, fast.ExplainedVarianceRatio, 1e-12, what: "ratio");
        // Eigenvectors move by about eps * lambda_1 / gap under rounding-level changes of the matrix.
        Approx.Equal(slow.PrincipalAxes, fast.PrincipalAxes, 1e-10, 1e-12, "axes");
    }

    [Fact]
    public void Pca_on_many_byte_rows_agrees_with_float64_route()
    {
        var x = RandomIntegers(3000, 30, 0, 255, 8);
        var fast = new Pca { Components = 5, Solver = PcaSolver.Covariance }.Fit(x);
        var slow = new Pca { Components = 5, Solver = PcaSolver.Covariance, AllowIntegerGram = false }.Fit(x);
        Assert.True(fast.IntegerGramUsed);
        Approx.Equal(slow.ExplainedVariance, fast.ExplainedVariance, 1e-12, what: "variance");
        Approx.Equal(slow.NoiseVariance, fast.NoiseVariance, 1e-12, what: "noise variance");
    }

    [Fact]
    public void One_fractional_value_takes_the_float64_route()
    {
        var x = Digits.SelectRows(Enumerable.Range(0, 300).ToArray());
        x[123, 17] += 0.5;
        var pca = new Pca { Components = 5, Solver = PcaSolver.Covariance }.Fit(x);
        Assert.False(pca.IntegerGramUsed);
        Assert.Null(Dense.IntegerCenteredGram(x, null));
    }

    [Fact]
    public void A_value_too_large_takes_the_float64_route()
    {
        var x = Digits.SelectRows(Enumerable.Range(0, 300).ToArray());
        // Range 0..5,000 gives M = 2,500: chunks of 2^24 / M^2 = 2 rows, below the minimum, so the float64 route runs.
        x[7, 30] = 5000;
        var pca = new Pca { Components = 5, Solver = PcaSolver.Covariance }.Fit(x);
        Assert.False(pca.IntegerGramUsed);

        var huge = Digits.SelectRows(Enumerable.Range(0, 300).ToArray());
        huge[0, 0] = 1e17; // an integer, but not exact in float32
        Assert.Null(Dense.IntegerCenteredGram(huge, null));

        var (fast, used) = Gram(x, allowInteger: true);
        var (slow, _) = Gram(x, allowInteger: false);
        Assert.False(used);
        SameWithin(slow, fast, 1e-14, "float64 route");
    }

    [Fact]
    public void Integer_route_is_deterministic()
    {
        var x = RandomIntegers(2100, 15, 0, 255, 2);
        var (a, _) = Gram(x, allowInteger: true);
        var (b, _) = Gram(x, allowInteger: true);
        Assert.Equal(a, b);
    }
}
