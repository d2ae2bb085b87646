using DimReduce.Datasets;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Datasets;

public class GeneratorsTests
{
    private static double[] ColumnMeans(DataMatrix x) =>
        Enumerable.Range(0, x.Columns).Select(j => x.Column(j).Average()).ToArray();

    private static double[,] Covariance(DataMatrix x)
    {
        var mean = ColumnMeans(x);
        var c = new double[x.Columns, x.Columns];
        for (int i = 0; i < x.Rows; i++)
            for (int a = 0; a < x.Columns; a++)
                for (int b = 0; b < x.Columns; b++)
                    c[a, b] += (x[i, a] - mean[a]) * (x[i, b] - mean[b]) / (x.Rows - 1);
        return c;
    }

    [Fact]
    public void Blobs_have_the_asked_shape_an_even_split_and_centres_in_the_box()
    {
        var blobs = Generators.Blobs(1003, 4, 5, 1.5, seed: 1);
        Assert.Equal((1003, 4), blobs.Features.Shape);
        // 1003 = 5 * 200 + 3: the first three blobs get one extra point, as make_blobs does.
        Assert.Equal(new[] { 201, 201, 201, 200, 200 }, Enumerable.Range(0, 5).Select(c => blobs.Labels.Count(y => y == c)));
        Assert.Equal("blob 4", blobs.ClassNames[4]);
        // Blob means estimate the centres, which lie in (-10, 10); 200 points of std 1.5 give a standard error of 0.11.
        for (int c = 0; c < 5; c++)
        {
            var rows = Enumerable.Range(0, 1003).Where(i => blobs.Labels[i] == c).ToArray();
            foreach (double m in ColumnMeans(blobs.Features.SelectRows(rows))) Assert.InRange(m, -10.6, 10.6);
        }
    }

    [Fact]
    public void Blobs_around_given_centres_have_those_means_and_covariance_std_squared_times_identity()
    {
        var centres = DataMatrix.FromRows([[0.0, 0.0, 0.0], [5.0, -3.0, 8.0]]);
        var blobs = Generators.Blobs(40_000, centres, 2.0, seed: 7);
        for (int c = 0; c < 2; c++)
        {
            var x = blobs.Features.SelectRows(Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] == c).ToArray());
            // 20,000 points, std 2: the mean's standard error is 0.014, so 0.07 is five of them.
            Approx.Equal(centres.Row(c).ToArray(), ColumnMeans(x), atol: 0.07, what: $"mean of blob {c}");
            // Variance 4 has a standard error of 4 * sqrt(2 / 20000) = 0.04; covariances 0.028.
            var cov = Covariance(x);
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    Assert.InRange(cov[a, b], (a == b ? 4 : 0) - 0.2, (a == b ? 4 : 0) + 0.2);
        }
    }

    [Fact]
    public void Blobs_are_deterministic_and_unshuffled_keeps_blob_order()
    {
        var a = Generators.Blobs(500, 3, 4, 1, seed: 3);
        var b = Generators.Blobs(500, 3, 4, 1, seed: 3);
        var c = Generators.Blobs(500, 3, 4, 1, seed: 4);
        Assert.Equal(a.Features.AsSpan().ToArray(), b.Features.AsSpan().ToArray());
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Features.AsSpan().ToArray(), c.Features.AsSpan().ToArray());
        var ordered = Generators.Blobs(500, 3, 4, 1, shuffle: false, seed: 3);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i / 125), ordered.Labels);
        var boxed = Generators.Blobs(100, 2, 10, 0, centerBox: (3, 4), seed: 5);
        Assert.All(boxed.Features.AsSpan().ToArray(), v => Assert.InRange(v, 3, 4));
    }

    [Fact]
    public void Blobs_with_noise_match_the_course_case_and_add_a_uniform_noise_column()
    {
        var data = Generators.BlobsWithNoise(seed: 42);
        Assert.Equal((30_000, 10), data.Features.Shape);
        Assert.Equal("noise", data.FeatureNames[9]);
        Assert.Equal(8, data.ClassNames.Count);
        Assert.All(Enumerable.Range(0, 8), c => Assert.Equal(3750, data.Labels.Count(y => y == c)));
        // The blob columns equal Blobs with the same seed.
        var blobs = Generators.Blobs(30_000, 9, 8, 2, seed: 42);
        Assert.Equal(blobs.Features.AsSpan().ToArray(), data.Features.SelectColumns(Enumerable.Range(0, 9).ToArray()).AsSpan().ToArray());
        Assert.Equal(blobs.Labels, data.Labels);
        // The noise column is uniform over the range of the blob features: its mean is the range's midpoint
        // (standard error range / sqrt(12 * 30000) = 0.0017 range) and it carries no class information.
        var all = blobs.Features.AsSpan().ToArray();
        double lo = all.Min(), hi = all.Max();
        var noise = data.Features.Column(9);
        Assert.All(noise, v => Assert.InRange(v, lo, hi));
        Assert.InRange(noise.Average(), (lo + hi) / 2 - 0.01 * (hi - lo), (lo + hi) / 2 + 0.01 * (hi - lo));
        for (int c = 0; c < 8; c++)
        {
            double m = Enumerable.Range(0, 30_000).Where(i => data.Labels[i] == c).Average(i => noise[i]);
            Assert.InRange(m, (lo + hi) / 2 - 0.03 * (hi - lo), (lo + hi) / 2 + 0.03 * (hi - lo));
        }
        Assert.Equal(data.Features.AsSpan().ToArray(), Generators.BlobsWithNoise(seed: 42).Features.AsSpan().ToArray());
    }

    [Fact]
    public void Multivariate_normal_has_the_chapter_mean_and_covariance()
    {
        var x = Generators.MultivariateNormal([-1, 2], new double[,] { { 4, 2 }, { 2, 2 } }, 200_000, seed: 11);
        Assert.Equal((200_000, 2), x.Shape);
        // Standard errors: mean sqrt(4 / 200000) = 0.0045; variance 4: 4 * sqrt(2 / 200000) = 0.013.
        Approx.Equal(new[] { -1.0, 2.0 }, ColumnMeans(x), atol: 0.025, what: "mean");
        var cov = Covariance(x);
        Approx.Equal(new[] { 4.0, 2.0, 2.0, 2.0 }, new[] { cov[0, 0], cov[0, 1], cov[1, 0], cov[1, 1] }, atol: 0.07, what: "covariance");
        Assert.Equal(x.AsSpan().ToArray(), Generators.MultivariateNormal([-1, 2], new double[,] { { 4, 2 }, { 2, 2 } }, 200_000, seed: 11).AsSpan().ToArray());
    }

    [Fact]
    public void Multivariate_normal_accepts_a_singular_covariance_and_stays_on_its_line()
    {
        // Covariance of (z, 2z): rank 1, so every point satisfies y - 2 = 2 (x - 1).
        var x = Generators.MultivariateNormal([1, 2], new double[,] { { 1, 2 }, { 2, 4 } }, 1000, seed: 2);
        for (int i = 0; i < x.Rows; i++) Assert.Equal(2 * (x[i, 0] - 1), x[i, 1] - 2, 10);
    }

    [Fact]
    public void Swiss_roll_follows_the_scikit_learn_formulas()
    {
        var roll = Generators.SwissRoll(2000, seed: 5);
        Assert.Equal((2000, 3), roll.Features.Shape);
        Assert.Equal(2000, roll.Position.Length);
        for (int i = 0; i < 2000; i++)
        {
            double t = roll.Position[i];
            Assert.InRange(t, 1.5 * Math.PI, 4.5 * Math.PI);
            Assert.Equal(t * Math.Cos(t), roll.Features[i, 0], 12);
            Assert.InRange(roll.Features[i, 1], 0, 21);
            Assert.Equal(t * Math.Sin(t), roll.Features[i, 2], 12);
        }
        var noisy = Generators.SwissRoll(20_000, noise: 0.5, seed: 5);
        var residual = Enumerable.Range(0, 20_000).Select(i => noisy.Features[i, 0] - noisy.Position[i] * Math.Cos(noisy.Position[i])).ToArray();
        double sd = Math.Sqrt(residual.Select(r => r * r).Average());
        Assert.InRange(sd, 0.49, 0.51); // standard error 0.5 / sqrt(40000) = 0.0025
        Assert.Equal(noisy.Features.AsSpan().ToArray(), Generators.SwissRoll(20_000, 0.5, seed: 5).Features.AsSpan().ToArray());
    }

    [Fact]
    public void Curve3D_follows_the_book_formulas()
    {
        var clean = Generators.Curve3D(500, seed: 4, noise: 0);
        Assert.Equal((500, 3), clean.Features.Shape);
        for (int i = 0; i < 500; i++)
        {
            double a = clean.Position[i];
            Assert.InRange(a, -0.5, 3 * Math.PI / 2 - 0.5);
            Assert.Equal(Math.Cos(a) + Math.Sin(a) / 2, clean.Features[i, 0], 12);
            Assert.Equal(Math.Sin(a) * 0.7, clean.Features[i, 1], 12);
            Assert.Equal(0.1 * clean.Features[i, 0] + 0.3 * clean.Features[i, 1], clean.Features[i, 2], 12);
        }
        var book = Generators.Curve3D(seed: 42);
        Assert.Equal((60, 3), book.Features.Shape);
        // With noise 0.1 the third coordinate is off the plane by N(0, 0.01).
        var big = Generators.Curve3D(50_000, seed: 1);
        var off = Enumerable.Range(0, 50_000).Select(i => big.Features[i, 2] - 0.1 * big.Features[i, 0] - 0.3 * big.Features[i, 1]).ToArray();
        Assert.InRange(Math.Sqrt(off.Select(v => v * v).Average()), 0.098, 0.102);
        Assert.Equal(book.Features.AsSpan().ToArray(), Generators.Curve3D(seed: 42).Features.AsSpan().ToArray());
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_parameter_and_a_fix()
    {
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Blobs(0, 2, 3, 1, seed: 1));
        Assert.Equal("samples", e1.ParamName);
        Assert.Contains("at least one sample", e1.Message);
        Assert.Equal("features", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Blobs(10, 0, 3, 1)).ParamName);
        Assert.Equal("centers", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Blobs(10, 2, 0, 1)).ParamName);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Blobs(10, 2, 3, double.NaN));
        Assert.Equal("clusterStd", e2.ParamName);
        Assert.Contains("NaN", e2.Message);
        Assert.Equal("clusterStd", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Blobs(10, 2, 3, -1)).ParamName);
        var e3 = Assert.Throws<ArgumentException>(() => Generators.Blobs(10, 2, 3, 1, centerBox: (5, -5)));
        Assert.Equal("centerBox", e3.ParamName);
        Assert.Contains("low < high", e3.Message);
        Assert.Equal("centerBox", Assert.Throws<ArgumentException>(() => Generators.Blobs(10, 2, 3, 1, centerBox: (0, double.PositiveInfinity))).ParamName);
        Assert.Equal("centers", Assert.Throws<ArgumentException>(() => Generators.Blobs(10, new DataMatrix(0, 2), 1)).ParamName);
        Assert.Equal("centers", Assert.Throws<ArgumentException>(() => Generators.Blobs(10, DataMatrix.FromRows([[double.NaN, 1.0]]), 1)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.BlobsWithNoise(samples: -5)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.SwissRoll(0)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.SwissRoll(10, double.PositiveInfinity)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Curve3D(10, noise: -0.1)).ParamName);
        Assert.Equal("w1", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Curve3D(10, w1: double.NaN)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Curve3D(0)).ParamName);
    }

    [Fact]
    public void Multivariate_normal_rejects_bad_means_and_covariances()
    {
        var cov = new double[,] { { 4, 2 }, { 2, 2 } };
        Assert.Equal("mean", Assert.Throws<ArgumentNullException>(() => Generators.MultivariateNormal(null!, cov, 10)).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([], new double[0, 0], 10)).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([double.NaN, 0], cov, 10));
        Assert.Equal("mean", nan.ParamName);
        Assert.Contains("finite", nan.Message);
        var shape = Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([0, 0, 0], cov, 10));
        Assert.Equal("covariance", shape.ParamName);
        Assert.Contains("3 x 3", shape.Message);
        var asym = Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([0, 0], new double[,] { { 4, 2 }, { 1, 2 } }, 10));
        Assert.Equal("covariance", asym.ParamName);
        Assert.Contains("not symmetric", asym.Message);
        var neg = Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([0, 0], new double[,] { { 1, 2 }, { 2, 1 } }, 10));
        Assert.Equal("covariance", neg.ParamName);
        Assert.Contains("not positive semi-definite", neg.Message);
        var zeroPivot = Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([0, 0], new double[,] { { 0, 1 }, { 1, 0 } }, 10));
        Assert.Contains("not positive semi-definite", zeroPivot.Message);
        Assert.Equal("covariance", Assert.Throws<ArgumentException>(() => Generators.MultivariateNormal([0, 0], new double[,] { { 1, double.NaN }, { double.NaN, 1 } }, 10)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Generators.MultivariateNormal([0, 0], cov, 0)).ParamName);
    }
}
