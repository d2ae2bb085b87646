using DimReduce.Datasets;
using Microsoft.Data.Analysis;

namespace DimReduce.Tests.Datasets;

public class DatasetFrameTests
{
    [Fact]
    public void FromDataFrame_undoes_ToDataFrame()
    {
        var wine = BundledSets.Wine();
        var back = Dataset.FromDataFrame(wine.ToDataFrame(), "label", wine.ClassNames, "wine");
        Assert.Equal(wine.Features.AsSpan().ToArray(), back.Features.AsSpan().ToArray());
        Assert.Equal(wine.Labels, back.Labels);
        Assert.Equal(wine.FeatureNames, back.FeatureNames);
        // Without class names, string labels are numbered in ordinal order (class_0 < class_1 < class_2 here).
        Assert.Equal(wine.Labels, Dataset.FromDataFrame(wine.ToDataFrame(), "label").Labels);
    }

    [Fact]
    public void FromDataFrame_reads_integer_labels_from_any_column_position()
    {
        var frame = new DataFrame(
            new Int32DataFrameColumn("y", [1, 0, 2]),
            new DoubleDataFrameColumn("a", [1.5, 2.5, 3.5]),
            new Int64DataFrameColumn("b", [10, 20, 30]));
        var data = Dataset.FromDataFrame(frame, "y");
        Assert.Equal(new[] { 1, 0, 2 }, data.Labels);
        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(20.0, data.Features[1, 1]);
    }

    [Fact]
    public void FromDataFrame_rejects_bad_input()
    {
        var frame = new DataFrame(new StringDataFrameColumn("y", ["a", "b"]), new DoubleDataFrameColumn("x", [1.0, 2.0]));
        var missing = Assert.Throws<ArgumentException>(() => Dataset.FromDataFrame(frame, "label"));
        Assert.Equal("labelColumn", missing.ParamName);
        Assert.Contains("no such column", missing.Message);
        var unknown = Assert.Throws<ArgumentException>(() => Dataset.FromDataFrame(frame, "y", ["a"]));
        Assert.Equal("classNames", unknown.ParamName);
        Assert.Contains("'b'", unknown.Message);
        var doubles = new DataFrame(new DoubleDataFrameColumn("y", [1.0]), new DoubleDataFrameColumn("x", [1.0]));
        Assert.Contains("strings (class names) or integers", Assert.Throws<ArgumentException>(() => Dataset.FromDataFrame(doubles, "y")).Message);
        var text = new DataFrame(new Int32DataFrameColumn("y", [0]), new StringDataFrameColumn("x", ["no"]));
        Assert.Contains("not numbers", Assert.Throws<ArgumentException>(() => Dataset.FromDataFrame(text, "y")).Message);
        var gap = new DataFrame(new Int32DataFrameColumn("y", [0, null]), new DoubleDataFrameColumn("x", [1.0, 2.0]));
        Assert.Contains("missing a value at row 1", Assert.Throws<ArgumentException>(() => Dataset.FromDataFrame(gap, "y")).Message);
        Assert.Equal("frame", Assert.Throws<ArgumentNullException>(() => Dataset.FromDataFrame(null!, "y")).ParamName);
        Assert.Equal("labelColumn", Assert.Throws<ArgumentException>(() => Dataset.FromDataFrame(frame, "")).ParamName);
    }
}
