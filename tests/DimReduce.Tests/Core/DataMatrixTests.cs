using Microsoft.Data.Analysis;

namespace DimReduce.Tests.Core;

public class DataMatrixTests
{
    [Fact]
    public void Adapters_round_trip()
    {
        var a = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        DataMatrix m = a;
        Assert.Equal((2, 3), m.Shape);
        Assert.Equal(a, m.ToArray());
        Assert.Equal(a, DataMatrix.FromRows(m.ToJagged()).ToArray());
        Assert.Equal(a, DataMatrix.FromDataFrame(m.ToDataFrame()).ToArray());
        using var t = m.ToTensor();
        Assert.Equal(a, DataMatrix.FromTensor(t).ToArray());
        Assert.Equal(new double[] { 2, 5 }, m.Column(1));
        Assert.Equal(new double[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }, m.Transpose().ToArray());
    }

    [Fact]
    public void Ragged_rows_are_rejected_with_the_row_named()
    {
        var e = Assert.Throws<ArgumentException>(() => DataMatrix.FromRows(new[] { new double[] { 1, 2 }, new double[] { 3 } }));
        Assert.Equal("rows", e.ParamName);
        Assert.Contains("rows[1] has 1 values", e.Message);
    }

    [Fact]
    public void DataFrame_text_column_is_rejected()
    {
        var frame = new DataFrame(new StringDataFrameColumn("name", new[] { "a" }));
        var e = Assert.Throws<ArgumentException>(() => DataMatrix.FromDataFrame(frame));
        Assert.Contains("'name'", e.Message);
    }
}
