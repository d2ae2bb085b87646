using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

/// <summary>The exact float32 route for the centred Gram matrix of small-integer data (Dense.Gram and its integer route), and the float32 score signs that route allows (Dense.ScoreSigns).</summary>
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
        var scan = Dense.Scan(x, integers: allowInteger);
        using var g = Dense.Gram(x, scan.Mean, scale, scan.Integers);
        return (Dense.Values(g.Gram), g.Integer);
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
        Assert.False(Gram(x, allowInteger: true).Integer);
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
        Assert.NotNull(Dense.Scan(huge, integers: true).Integers);
        Assert.False(Gram(huge, allowInteger: true).Integer);

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

    [Fact]
    public void Scan_gives_the_column_means_and_the_integer_facts_in_one_pass()
    {
        var x = RandomIntegers(3000, 11, -40, 200, 4);
        var scan = Dense.Scan(x, integers: true);
        Assert.NotNull(scan.Integers);
        for (int j = 0; j < x.Columns; j++)
        {
            var column = x.Column(j);
            Assert.Equal(column.Sum() / x.Rows, scan.Mean[j], 12);
            Assert.Equal(column.Min(), scan.Integers!.Min[j]);
            Assert.Equal(column.Max(), scan.Integers.Max[j]);
            Assert.Equal(column.Sum(), scan.Integers.Sum[j]);
        }
        Assert.Equal(Math.Max(-x.Data.Min(), x.Data.Max()), scan.Integers!.MaxAbs);
        // The means do not depend on whether the integer facts were asked for.
        Assert.Equal(Dense.ColumnMeans(x), scan.Mean);
        Assert.Equal(Dense.Scan(x, integers: false).Mean, scan.Mean);
        Assert.Null(Dense.Scan(x, integers: false).Integers);
    }

    [Fact]
    public void Scan_stops_the_integer_facts_at_a_fraction_or_a_NaN_but_not_the_sums()
    {
        var x = RandomIntegers(5000, 7, 0, 255, 6);
        x[4321, 3] = 17.25;
        var scan = Dense.Scan(x, integers: true);
        Assert.Null(scan.Integers);
        Assert.Equal(Dense.ColumnMeans(x), scan.Mean);
        Assert.Equal(x.Column(3).Sum() / x.Rows, scan.Mean[3], 12);

        x[4321, 3] = double.NaN;
        Assert.Null(Dense.Scan(x, integers: true).Integers);
    }

    [Fact]
    public void Pca_still_names_a_NaN_in_integer_like_data()
    {
        var x = Digits.SelectRows(Enumerable.Range(0, 300).ToArray());
        x[200, 10] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new Pca { Components = 5 }.Fit(x));
        Assert.Contains("NaN at row 200, column 10", e.Message);
        x[200, 10] = double.PositiveInfinity;
        e = Assert.Throws<ArgumentException>(() => new Pca { Components = 5 }.Fit(x));
        Assert.Contains("positive infinity at row 200, column 10", e.Message);
    }

    /// <summary>The u-based signs of the float64 scores, as the float64 route finds them.</summary>
    private static double[] Float64Signs(DataMatrix x, double[] mean, double[]? scale, TorchSharp.torch.Tensor v) =>
        Dense.RowSignsFirstMax(Dense.CenteredScoresTransposed(x, mean, scale, v), (int)v.shape[1], x.Rows);

    /// <summary>The integer-route Gram matrix of x (the caller disposes it), its mean and its k leading eigenvectors.</summary>
    private static (double[] Mean, Dense.GramResult Gram, TorchSharp.torch.Tensor Axes) Prepare(DataMatrix x, double[]? scale, int k)
    {
        TorchRuntime.EnsureLoaded();
        var scan = Dense.Scan(x, integers: true);
        var gram = Dense.Gram(x, scan.Mean, scale, scan.Integers);
        Assert.True(gram.Integer);
        var (_, vectors) = TorchSharp.torch.linalg.eigh(gram.Gram);
        var order = TorchSharp.torch.arange(x.Columns - 1, x.Columns - 1 - k, -1, TorchSharp.torch.ScalarType.Int64);
        return (scan.Mean, gram, vectors.index_select(1, order));
    }

    /// <summary>ScoreSigns gives an answer, and it is the float64 route's, for the k leading axes of x.</summary>
    private static void AssertScoreSignsEqualFloat64(DataMatrix x, double[]? scale, int k)
    {
        var (mean, gram, v) = Prepare(x, scale, k);
        using (gram)
        {
            var signs = Dense.ScoreSigns(x, mean, scale, gram, v);
            Assert.NotNull(signs);
            Assert.Equal(Float64Signs(x, mean, scale, v), signs);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float32_score_signs_equal_the_float64_signs(bool scaled)
    {
        var x = RandomIntegers(6000, 40, 0, 255, 9);
        var scale = scaled ? Dense.ColumnStd(x, Dense.ColumnMeans(x)) : null;
        AssertScoreSignsEqualFloat64(x, scale, 12);
    }

    [Fact]
    public void Mirrored_rows_tie_and_the_first_one_decides_as_in_float64()
    {
        // Every row has its mirror image about the mean, so each component's largest |score| is shared by two rows
        // of opposite sign: the first of them in row order decides, on both routes.
        var half = RandomIntegers(1500, 20, 0, 200, 12);
        var x = new DataMatrix(3000, 20);
        for (int i = 0; i < 1500; i++)
            for (int j = 0; j < 20; j++)
            {
                x[2 * i, j] = half[i, j];
                x[2 * i + 1, j] = 200 - half[i, j];
            }
        Assert.All(Dense.ColumnMeans(x), m => Assert.Equal(100, m));
        AssertScoreSignsEqualFloat64(x, null, 8);
    }

    [Fact]
    public void Scores_all_near_zero_fall_back_to_float64()
    {
        // The last column is the sum of the first two, so the sixth component has zero variance: its scores are
        // rounding noise, every row is a candidate, and ScoreSigns leaves the decision to the float64 scores.
        var x = RandomIntegers(5000, 6, 0, 100, 13);
        for (int i = 0; i < x.Rows; i++) x[i, 5] = x[i, 0] + x[i, 1];
        var (mean, gram, v) = Prepare(x, null, 6);
        using (gram) Assert.Null(Dense.ScoreSigns(x, mean, null, gram, v));

        var fast = new Pca { Components = 5, Solver = PcaSolver.Covariance }.Fit(x);
        var slow = new Pca { Components = 5, Solver = PcaSolver.Covariance, AllowIntegerGram = false }.Fit(x);
        Assert.True(fast.IntegerGramUsed);
        Approx.Equal(slow.PrincipalAxes, fast.PrincipalAxes, 1e-9, 1e-12, "axes");
    }

    [Fact]
    public void Score_signs_are_left_to_float64_after_the_float64_route()
    {
        var x = Digits.SelectRows(Enumerable.Range(0, 300).ToArray());
        x[5, 5] += 0.5;
        TorchRuntime.EnsureLoaded();
        var scan = Dense.Scan(x, integers: true);
        using var gram = Dense.Gram(x, scan.Mean, null, scan.Integers);
        Assert.False(gram.Integer);
        using var v = TorchSharp.torch.eye(x.Columns, 3, TorchSharp.torch.ScalarType.Float64);
        Assert.Null(Dense.ScoreSigns(x, scan.Mean, null, gram, v));
    }
}
