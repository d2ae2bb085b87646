using DimReduce.Datasets;

namespace DimReduce.Tests.Datasets;

public class BundledSetsTests
{
    [Fact]
    public void Shapes_and_class_counts_match_the_UCI_descriptions()
    {
        var wine = BundledSets.Wine();
        Assert.Equal((178, 13), wine.Features.Shape);
        Assert.Equal(new[] { 59, 71, 48 }, Enumerable.Range(0, 3).Select(c => wine.Labels.Count(y => y == c)));
        Assert.Equal("alcohol", wine.FeatureNames[0]);
        Assert.Equal(14.23, wine.Features[0, 0]);

        var cancer = BundledSets.BreastCancer();
        Assert.Equal((569, 30), cancer.Features.Shape);
        Assert.Equal(212, cancer.Labels.Count(y => y == 0)); // malignant
        Assert.Equal("malignant", cancer.ClassNames[0]);

        var digits = BundledSets.Digits();
        Assert.Equal((1797, 64), digits.Features.Shape);
        Assert.Equal(10, digits.ClassNames.Count);
        Assert.InRange(digits.Features.AsSpan().ToArray().Max(), 16, 16);
    }

    [Fact]
    public void DataFrame_has_features_and_label_names()
    {
        var frame = BundledSets.Wine().ToDataFrame();
        Assert.Equal(14, frame.Columns.Count);
        Assert.Equal("class_0", frame.Columns["label"][0]);
    }
}
