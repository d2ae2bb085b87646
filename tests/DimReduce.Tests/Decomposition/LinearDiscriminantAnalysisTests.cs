using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

public class LinearDiscriminantAnalysisTests
{
    private static readonly Dataset Wine = BundledSets.Wine();

    [Fact]
    public void Matches_sklearn_svd_solver()
    {
        var f = Fixture.Load("Decomposition", "lda_wine");
        var lda = new LinearDiscriminantAnalysis { Components = 2 }.Fit(Wine.Features, Wine.Labels);
        var z = lda.Transform(Wine.Features);
        var expected = f["transform"]!.Matrix();
        // scikit-learn keeps LAPACK's sign, we orient each direction: compare up to sign per component.
        for (int k = 0; k < 2; k++) Approx.EqualUpToSign(expected.Column(k), z.Column(k), 1e-8, 1e-10, $"component {k}");
        Approx.Equal(f["explained_variance_ratio"]!.Doubles(), lda.ExplainedVarianceRatio, 1e-9);
        Assert.Equal(f["predict"]!.Ints(), lda.Predict(Wine.Features));
        Approx.Equal(f["means"]!.Matrix(), lda.Means, 1e-12);
        Approx.Equal(f["priors"]!.Doubles(), lda.Priors, 1e-12);
        Assert.Equal(new[] { 0, 1, 2 }, lda.Classes);
        Assert.Equal(2, lda.ComponentCount);
    }

    [Fact]
    public void Default_components_is_classes_minus_one_and_labels_can_be_any_integers()
    {
        var shifted = Wine.Labels.Select(v => v * 10 + 5).ToArray();
        var lda = new LinearDiscriminantAnalysis().Fit(Wine.Features, shifted);
        Assert.Equal(2, lda.ComponentCount);
        Assert.Equal(new[] { 5, 15, 25 }, lda.Classes);
        Assert.Equal(shifted.Length, lda.Predict(Wine.Features).Zip(shifted).Count(p => p.First == p.Second));
    }

    [Fact]
    public void Saved_model_transforms_and_predicts_identically()
    {
        var lda = new LinearDiscriminantAnalysis().Fit(Wine.Features, Wine.Labels);
        string path = Path.Combine(Path.GetTempPath(), $"lda-{Guid.NewGuid():N}.json");
        try
        {
            lda.Save(path);
            var loaded = LinearDiscriminantAnalysis.Load(path);
            Assert.Equal(lda.Transform(Wine.Features).AsSpan().ToArray(), loaded.Transform(Wine.Features).AsSpan().ToArray());
            Assert.Equal(lda.DecisionFunction(Wine.Features).AsSpan().ToArray(), loaded.DecisionFunction(Wine.Features).AsSpan().ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearDiscriminantAnalysis { Components = 3 }.Fit(Wine.Features, Wine.Labels));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("classes - 1", e.Message);
        var a = Assert.Throws<ArgumentException>(() => new LinearDiscriminantAnalysis().Fit(Wine.Features, Wine.Labels.Take(10).ToArray()));
        Assert.Equal("labels", a.ParamName);
        Assert.Contains("one label per row", a.Message);
        a = Assert.Throws<ArgumentException>(() => new LinearDiscriminantAnalysis().Fit(Wine.Features, new int[178]));
        Assert.Contains("at least 2", a.Message);
        var nan = Wine.Features.Clone();
        nan[2, 2] = double.NaN;
        a = Assert.Throws<ArgumentException>(() => new LinearDiscriminantAnalysis().Fit(nan, Wine.Labels));
        Assert.Equal("x", a.ParamName);
        Assert.Throws<ArgumentNullException>(() => new LinearDiscriminantAnalysis().Fit(Wine.Features, null!));
        var lda = new LinearDiscriminantAnalysis().Fit(Wine.Features, Wine.Labels);
        a = Assert.Throws<ArgumentException>(() => lda.Transform(new DataMatrix(3, 4)));
        Assert.Contains("fitted on 13", a.Message);
        a = Assert.Throws<ArgumentException>(() => lda.Predict(new DataMatrix(3, 4)));
        Assert.Equal("x", a.ParamName);
        Assert.Contains("Call Fit", Assert.Throws<InvalidOperationException>(() => new LinearDiscriminantAnalysis().ExplainedVarianceRatio).Message);
    }
}
