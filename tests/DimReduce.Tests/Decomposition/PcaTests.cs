using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

public class PcaTests
{
    private static readonly DataMatrix Wine = BundledSets.Wine().Features;
    private static readonly DataMatrix Digits = BundledSets.Digits().Features;

    private static void MatchesSklearn(Pca pca, System.Text.Json.Nodes.JsonNode f, int compare, double rtol, string what)
    {
        // Signs follow svd_flip (u-based) exactly, so axes are compared without any sign flipping.
        var axes = pca.PrincipalAxes;
        var expected = f["components"]!.Matrix();
        for (int k = 0; k < compare; k++)
            Approx.Equal(expected.Row(k).ToArray(), axes.Row(k).ToArray(), rtol, atol: rtol * 1e-2, what: $"{what} axis {k}");
        Approx.Equal(f["explained_variance"]!.Doubles(), pca.ExplainedVariance, rtol, what: what + " explained variance");
        Approx.Equal(f["explained_variance_ratio"]!.Doubles(), pca.ExplainedVarianceRatio, rtol, what: what + " ratio");
        Approx.Equal(f["singular_values"]!.Doubles(), pca.SingularValues, rtol, what: what + " singular values");
        Approx.Equal(f["mean"]!.Doubles(), pca.Mean, 1e-12, what: what + " mean");
        Approx.Equal(f["noise_variance"]!.GetValue<double>(), pca.NoiseVariance, rtol, what: what + " noise variance");
    }

    public static TheoryData<PcaSolver> ExactSolvers => new() { PcaSolver.Covariance, PcaSolver.Svd, PcaSolver.Auto };

    [Theory]
    [MemberData(nameof(ExactSolvers))]
    public void Wine_full_rank_matches_sklearn(PcaSolver solver)
    {
        var f = Fixture.Load("Decomposition", "pca_wine")["full"]!;
        var pca = new Pca { Components = 13, Solver = solver }.Fit(Wine);
        // The smallest eigenvalue (0.008) sits 1e7 below the largest (99,000): the covariance route squares
        // the condition number, so the last axes are compared to 1e-6 and the first ones far tighter below.
        MatchesSklearn(pca, f, compare: 13, rtol: 1e-6, "wine");
        Approx.Equal(f["transform_head"]!.Matrix(), pca.Transform(Wine.SelectRows([0, 1, 2, 3, 4])), 1e-6, 1e-9, "scores");
        Assert.Equal(PcaSolver.Covariance, solver == PcaSolver.Auto ? pca.SolverUsed : PcaSolver.Covariance);
    }

    [Theory]
    [MemberData(nameof(ExactSolvers))]
    public void Wine_three_components_match_sklearn_tightly(PcaSolver solver)
    {
        var f = Fixture.Load("Decomposition", "pca_wine")["three"]!;
        var pca = new Pca { Components = 3, Solver = solver }.Fit(Wine);
        MatchesSklearn(pca, f, compare: 3, rtol: 1e-9, "wine/3");
        Assert.Equal(3, pca.ComponentCount);
        Assert.Equal(13, pca.FeatureCount);
        Assert.Equal(178, pca.SampleCount);
    }

    [Theory]
    [MemberData(nameof(ExactSolvers))]
    public void Digits_twenty_components_match_sklearn(PcaSolver solver)
    {
        var f = Fixture.Load("Decomposition", "pca_digits")["twenty"]!;
        var pca = new Pca { Components = 20, Solver = solver }.Fit(Digits);
        // Digits' first 20 eigenvalues are well separated (smallest relative gap 3%), so every axis is compared.
        MatchesSklearn(pca, f, compare: 20, rtol: 1e-6, "digits");
        Approx.Equal(f["transform_head"]!.Matrix(), pca.Transform(Digits.SelectRows([0, 1, 2, 3, 4])), 1e-6, 1e-8, "digits scores");
    }

    [Fact]
    public void Correlation_matrix_equals_pca_after_standard_scaling()
    {
        var f = Fixture.Load("Decomposition", "pca_wine")["standardized"]!;
        var pca = new Pca { Components = 5, Matrix = PcaMatrix.Correlation }.Fit(Wine);
        var axes = pca.PrincipalAxes;
        var expected = f["components"]!.Matrix();
        for (int k = 0; k < 5; k++) Approx.Equal(expected.Row(k).ToArray(), axes.Row(k).ToArray(), 1e-9, 1e-12, $"axis {k}");
        Approx.Equal(f["explained_variance"]!.Doubles(), pca.ExplainedVariance, 1e-9);
        Approx.Equal(f["explained_variance_ratio"]!.Doubles(), pca.ExplainedVarianceRatio, 1e-9);
        Approx.Equal(f["transform_head"]!.Matrix(), pca.Transform(Wine.SelectRows([0, 1, 2, 3, 4])), 1e-9, 1e-12, "scores");
        // The loadings of correlation PCA are correlations, so each lies in [-1, 1].
        Assert.All(pca.Loadings.AsSpan().ToArray(), v => Assert.InRange(v, -1.0, 1.0));
    }

    [Fact]
    public void Covariance_and_svd_solvers_agree()
    {
        var cov = new Pca { Components = 30, Solver = PcaSolver.Covariance }.Fit(Digits);
        var svd = new Pca { Components = 30, Solver = PcaSolver.Svd }.Fit(Digits);
        Approx.Equal(svd.ExplainedVariance, cov.ExplainedVariance, 1e-8, what: "eigenvalues");
        Approx.Equal(svd.PrincipalAxes, cov.PrincipalAxes, 1e-8, 1e-10, "axes");
        Approx.Equal(svd.Transform(Digits), cov.Transform(Digits), 1e-8, 1e-8, "scores");
    }

    /// <summary>
    /// 3,000 x 800 data with a clear spectral gap, an offset and per-feature scales: large enough that the Gram
    /// solvers add several row chunks (about 2,600 rows each at 800 features) and several column blocks, with a
    /// partial last chunk and block.
    /// </summary>
    private static DataMatrix ChunkedData()
    {
        int n = 3000, p = 800, rank = 12;
        var random = new Random(5);
        var factors = new double[n * rank];
        var loadings = new double[rank * p];
        for (int i = 0; i < factors.Length; i++) factors[i] = random.NextGaussian() * (1 + (i % rank));
        for (int i = 0; i < loadings.Length; i++) loadings[i] = random.NextGaussian();
        var x = new double[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                double v = 0.1 * random.NextGaussian() + 50 + j % 7;
                for (int r = 0; r < rank; r++) v += factors[i * rank + r] * loadings[r * p + j];
                x[i * p + j] = v * (1 + (j % 3));
            }
        return new DataMatrix(n, p, x);
    }

    [Fact]
    public void Chunked_gram_solvers_agree_with_the_svd_on_many_rows()
    {
        var x = ChunkedData();
        var svd = new Pca { Components = 10, Solver = PcaSolver.Svd };
        var svdScores = svd.FitTransform(x);
        var cov = new Pca { Components = 10, Solver = PcaSolver.Covariance };
        var covScores = cov.FitTransform(x);
        Approx.Equal(svd.ExplainedVariance, cov.ExplainedVariance, 1e-9, what: "eigenvalues, covariance");
        Approx.Equal(svd.ExplainedVarianceRatio, cov.ExplainedVarianceRatio, 1e-9, what: "ratios, covariance");
        Approx.Equal(svd.PrincipalAxes, cov.PrincipalAxes, 1e-7, 1e-9, "axes, covariance");
        Approx.Equal(svdScores, covScores, 1e-7, 1e-7, "scores, covariance");
        Approx.Equal(cov.Transform(x), covScores, 1e-9, 1e-9, "Transform equals FitTransform");
        // The randomized solver iterates on the same Gram matrix; with a gap after 12 components it converges fast.
        var rnd = new Pca { Components = 10, Solver = PcaSolver.Randomized, Seed = 1 };
        var rndScores = rnd.FitTransform(x);
        Approx.Equal(svd.ExplainedVariance, rnd.ExplainedVariance, 1e-9, what: "eigenvalues, randomized");
        Approx.Equal(svd.PrincipalAxes, rnd.PrincipalAxes, 1e-7, 1e-9, "axes, randomized");
        Approx.Equal(svdScores, rndScores, 1e-7, 1e-7, "scores, randomized");
        Assert.Equal(svd.NoiseVariance, rnd.NoiseVariance, 6);
        // Correlation PCA scales each chunk the same way.
        var corrCov = new Pca { Components = 5, Solver = PcaSolver.Covariance, Matrix = PcaMatrix.Correlation }.Fit(x);
        var corrSvd = new Pca { Components = 5, Solver = PcaSolver.Svd, Matrix = PcaMatrix.Correlation }.Fit(x);
        Approx.Equal(corrSvd.ExplainedVariance, corrCov.ExplainedVariance, 1e-9, what: "eigenvalues, correlation");
        Approx.Equal(corrSvd.PrincipalAxes, corrCov.PrincipalAxes, 1e-7, 1e-9, "axes, correlation");
    }

    [Fact]
    public void Fraction_of_variance_picks_the_same_count_as_sklearn()
    {
        var wine = Fixture.Load("Decomposition", "pca_wine");
        var digits = Fixture.Load("Decomposition", "pca_digits");
        Assert.Equal(digits["count_095"]!.GetValue<int>(), new Pca { Components = 0.95 }.Fit(Digits).ComponentCount);
        Assert.Equal(digits["count_080"]!.GetValue<int>(), new Pca { Components = 0.80, Solver = PcaSolver.Svd }.Fit(Digits).ComponentCount);
        Assert.Equal(wine["raw_095_count"]!.GetValue<int>(), new Pca { Components = 0.95 }.Fit(Wine).ComponentCount);
        Assert.Equal(wine["raw_0999_count"]!.GetValue<int>(), new Pca { Components = 0.999 }.Fit(Wine).ComponentCount);
        Assert.Equal(wine["standardized_095_count"]!.GetValue<int>(), new Pca { Components = 0.95, Matrix = PcaMatrix.Correlation }.Fit(Wine).ComponentCount);
    }

    [Fact]
    public void Whitening_matches_sklearn_and_gives_unit_variance()
    {
        var f = Fixture.Load("Decomposition", "pca_wine")["three_whiten"]!;
        var pca = new Pca { Components = 3, Whiten = true };
        var z = pca.FitTransform(Wine);
        Approx.Equal(f["transform_head"]!.Matrix(), pca.Transform(Wine.SelectRows([0, 1, 2, 3, 4])), 1e-9, 1e-12, "whitened scores");
        for (int k = 0; k < 3; k++)
        {
            var col = z.Column(k);
            double mean = col.Average();
            double variance = col.Sum(v => (v - mean) * (v - mean)) / (col.Length - 1);
            Assert.Equal(1.0, variance, 10);
        }
        // InverseTransform undoes the whitening: projecting back and forth is the identity on the scores.
        Approx.Equal(z, pca.Transform(pca.InverseTransform(z)), 1e-9, 1e-9, "round trip");
    }

    [Theory]
    [MemberData(nameof(ExactSolvers))]
    public void Full_rank_reconstructs_its_input_and_ratios_sum_to_one(PcaSolver solver)
    {
        var pca = new Pca { Components = 13, Solver = solver }.Fit(Wine);
        Approx.Equal(Wine, pca.InverseTransform(pca.Transform(Wine)), 1e-9, 1e-9, "reconstruction");
        Assert.Equal(1.0, pca.ExplainedVarianceRatio.Sum(), 12);
        Assert.Equal(0.0, pca.NoiseVariance);
        Assert.True(pca.ReconstructionError(Wine) < 1e-18);
    }

    [Fact]
    public void Reconstruction_error_equals_the_discarded_variance()
    {
        // Mean squared error per element = sum of discarded eigenvalues * (n - 1) / (n * p).
        var full = new Pca { Components = 13, Solver = PcaSolver.Svd }.Fit(Wine);
        var pca = new Pca { Components = 2 }.Fit(Wine);
        double discarded = full.ExplainedVariance.Skip(2).Sum() * (Wine.Rows - 1) / (Wine.Rows * (double)Wine.Columns);
        Assert.Equal(discarded, pca.ReconstructionError(Wine), 1e-9);
        var perSample = pca.SampleReconstructionErrors(Wine);
        Assert.Equal(Wine.Rows, perSample.Length);
        Assert.Equal(pca.ReconstructionError(Wine), perSample.Average(), 12);
    }

    [Fact]
    public void Randomized_is_close_to_the_full_solver_on_digits()
    {
        var full = new Pca { Components = 10, Solver = PcaSolver.Svd }.Fit(Digits);
        var rnd = new Pca { Components = 10, Solver = PcaSolver.Randomized, Seed = 3 }.Fit(Digits);
        var sklearn = Fixture.Load("Decomposition", "pca_digits")["randomized_ten_explained_variance"]!.Doubles();
        // 'Auto' runs 4 power iterations here (10 >= 0.1 * 64); the error shrinks like (lambda_21 / lambda_10)^9,
        // about 1e-5 relative on the eigenvalues (Halko et al. 2011, Corollary 10.10), more on the axes.
        Approx.Equal(full.ExplainedVariance, rnd.ExplainedVariance, 1e-4, what: "eigenvalues vs full");
        Approx.Equal(sklearn, rnd.ExplainedVariance, 1e-4, what: "eigenvalues vs sklearn randomized");
        // Up to sign: an approximate U can move the argmax of |U[:, k]| to a near-tied entry of opposite sign.
        for (int k = 0; k < 10; k++)
            Approx.EqualUpToSign(full.PrincipalAxes.Row(k).ToArray(), rnd.PrincipalAxes.Row(k).ToArray(), 0, 1e-2, $"axis {k}");
        // More power iterations bring the randomized answer to the exact one.
        var precise = new Pca { Components = 10, Solver = PcaSolver.Randomized, Seed = 3, PowerIterations = 20 }.Fit(Digits);
        Approx.Equal(full.ExplainedVariance, precise.ExplainedVariance, 1e-10, what: "eigenvalues, 20 iterations");
        Approx.Equal(full.PrincipalAxes, precise.PrincipalAxes, 0, 1e-7, "axes, 20 iterations");
        Assert.Equal(PcaSolver.Randomized, rnd.SolverUsed);
        Assert.Equal(3, rnd.SeedUsed);
    }

    [Fact]
    public void Randomized_same_seed_same_result()
    {
        // The random test matrix is drawn from the seed in managed code, so it is identical; the products run on
        // libtorch, whose BLAS may split a long sum differently when it runs on a different number of threads
        // (the first call of a process can run before its thread pool is up), so results agree to the last few
        // bits, not always bit for bit: rtol 1e-12.
        var a = new Pca { Components = 5, Solver = PcaSolver.Randomized, Seed = 11, PowerIterations = 1 }.Fit(Digits);
        var b = new Pca { Components = 5, Solver = PcaSolver.Randomized, Seed = 11, PowerIterations = 1 }.Fit(Digits);
        Approx.Equal(a.PrincipalAxes, b.PrincipalAxes, 1e-12, 1e-14, "axes");
        Approx.Equal(a.ExplainedVariance, b.ExplainedVariance, 1e-12, what: "eigenvalues");
        var c = new Pca { Components = 5, Solver = PcaSolver.Randomized }.Fit(Digits);
        var d = new Pca { Components = 5, Solver = PcaSolver.Randomized, Seed = c.SeedUsed }.Fit(Digits);
        Approx.Equal(c.PrincipalAxes, d.PrincipalAxes, 1e-12, 1e-14, "axes, drawn seed");
        // A different seed gives a (slightly) different answer: one power iteration leaves a visible error.
        var e = new Pca { Components = 5, Solver = PcaSolver.Randomized, Seed = 12, PowerIterations = 0 }.Fit(Digits);
        var f = new Pca { Components = 5, Solver = PcaSolver.Randomized, Seed = 11, PowerIterations = 0 }.Fit(Digits);
        Assert.NotEqual(e.ExplainedVariance, f.ExplainedVariance);
    }

    [Fact]
    public void Fitting_twice_equals_fitting_once()
    {
        var pca = new Pca { Components = 4 };
        var once = pca.Fit(Digits).PrincipalAxes;
        var twice = pca.Fit(Digits).PrincipalAxes;
        Assert.Equal(once.AsSpan().ToArray(), twice.AsSpan().ToArray());
        Approx.Equal(pca.Transform(Digits), new Pca { Components = 4 }.FitTransform(Digits), 1e-9, 1e-9, "FitTransform");
    }

    [Fact]
    public void Auto_rule_picks_covariance_randomized_or_svd()
    {
        Assert.Equal(PcaSolver.Covariance, Pca.ChooseSolver(70000, 784, 50));
        Assert.Equal(PcaSolver.Randomized, Pca.ChooseSolver(5000, 2000, 50));
        Assert.Equal(PcaSolver.Svd, Pca.ChooseSolver(5000, 2000, 0.95));
        Assert.Equal(PcaSolver.Svd, Pca.ChooseSolver(1500, 2000, 1400));
    }

    [Theory]
    [InlineData(PcaSolver.Covariance, false, PcaMatrix.Covariance)]
    [InlineData(PcaSolver.Svd, true, PcaMatrix.Correlation)]
    [InlineData(PcaSolver.Randomized, true, PcaMatrix.Covariance)]
    public void Saved_model_transforms_bit_identically(PcaSolver solver, bool whiten, PcaMatrix matrix)
    {
        var pca = new Pca { Components = 5, Solver = solver, Whiten = whiten, Matrix = matrix, Seed = 1 }.Fit(Digits);
        string path = Path.Combine(Path.GetTempPath(), $"pca-{Guid.NewGuid():N}.json");
        try
        {
            pca.Save(path);
            var loaded = Pca.Load(path);
            Assert.Equal(pca.Transform(Digits).AsSpan().ToArray(), loaded.Transform(Digits).AsSpan().ToArray());
            var z = pca.Transform(Digits);
            Assert.Equal(pca.InverseTransform(z).AsSpan().ToArray(), loaded.InverseTransform(z).AsSpan().ToArray());
            Assert.Equal(pca.ExplainedVarianceRatio, loaded.ExplainedVarianceRatio);
            Assert.Equal(pca.NoiseVariance, loaded.NoiseVariance);
            Assert.Equal(solver, loaded.SolverUsed);
            Assert.Equal(whiten, loaded.Whiten);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    public void Bad_components_value_is_rejected(double components)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Pca { Components = components }.Fit(Wine));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("whole number of components", e.Message);
    }

    [Fact]
    public void Components_above_features_or_samples_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Pca { Components = 14 }.Fit(Wine));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("13 features", e.Message);
        var few = Wine.SelectRows([0, 1, 2, 3]);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Pca { Components = 5 }.Fit(few));
        Assert.Contains("4 samples", e.Message);
        var r = Assert.Throws<ArgumentException>(() => new Pca { Components = 0.9, Solver = PcaSolver.Randomized }.Fit(Wine));
        Assert.Equal("Components", r.ParamName);
        Assert.Contains("fraction of variance", r.Message);
        var o = Assert.Throws<ArgumentOutOfRangeException>(() => new Pca { Oversamples = -1 }.Fit(Wine));
        Assert.Equal("Oversamples", o.ParamName);
        o = Assert.Throws<ArgumentOutOfRangeException>(() => new Pca { PowerIterations = -2 }.Fit(Wine));
        Assert.Equal("PowerIterations", o.ParamName);
    }

    [Fact]
    public void Bad_data_is_rejected_at_every_entry_point()
    {
        var nan = Wine.Clone();
        nan[3, 4] = double.NaN;
        var inf = Wine.Clone();
        inf[0, 0] = double.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => new Pca().Fit(nan));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pca().FitTransform(inf));
        Assert.Contains("infinity", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pca().Fit(new DataMatrix(0, 3)));
        Assert.Contains("empty", e.Message);
        Assert.Throws<ArgumentNullException>(() => new Pca().Fit(null!));

        var pca = new Pca().Fit(Wine);
        e = Assert.Throws<ArgumentException>(() => pca.Transform(Digits));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("fitted on 13", e.Message);
        e = Assert.Throws<ArgumentException>(() => pca.Transform(nan));
        Assert.Contains("NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => pca.InverseTransform(new DataMatrix(2, 3)));
        Assert.Equal("z", e.ParamName);
        Assert.Contains("2 components", e.Message);
        e = Assert.Throws<ArgumentException>(() => pca.ReconstructionError(Digits));
        Assert.Contains("fitted on 13", e.Message);
    }

    [Fact]
    public void Fitted_values_before_fit_name_the_method()
    {
        var pca = new Pca();
        var e = Assert.Throws<InvalidOperationException>(() => pca.ExplainedVarianceRatio);
        Assert.Contains("Call Fit", e.Message);
        Assert.Contains("ExplainedVarianceRatio", e.Message);
        Assert.Throws<InvalidOperationException>(() => pca.PrincipalAxes);
        Assert.Throws<InvalidOperationException>(() => pca.Transform(Wine));
        Assert.Throws<InvalidOperationException>(() => pca.InverseTransform(Wine));
        Assert.Throws<InvalidOperationException>(() => pca.Save("never.json"));
        Assert.Throws<InvalidOperationException>(() => pca.SeedUsed);
        Assert.Throws<InvalidOperationException>(() => pca.NoiseVariance);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var pca = new Pca();
        Assert.Equal(Pca.Defaults.Components, pca.Components);
        Assert.Equal(2.0, pca.Components);
        Assert.Equal(PcaSolver.Auto, pca.Solver);
        Assert.Equal(10, pca.Oversamples);
        Assert.Null(pca.PowerIterations);
        Assert.False(pca.Whiten);
    }
}
