namespace DimReduce.Tests.Core;

/// <summary>The shared input checks, on matrices small enough for the scalar test and large enough for the parallel one.</summary>
public class CheckTests
{
    [Theory]
    [InlineData(3, 4)]        // 12 values: the scalar tail only
    [InlineData(700, 300)]    // 210,000 values: several parallel blocks
    public void Finite_data_passes(int rows, int columns)
    {
        var x = new DataMatrix(rows, columns);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) x[i, j] = (i - j) * 1e300;
        Check.Finite(x, "x");
        Assert.Same(x, Check.Data(x, "x"));
    }

    [Theory]
    [InlineData(3, 4, 2, 3, double.NaN, "NaN at row 2, column 3")]
    [InlineData(700, 300, 512, 17, double.PositiveInfinity, "positive infinity at row 512, column 17")]
    [InlineData(700, 300, 699, 299, double.NegativeInfinity, "negative infinity at row 699, column 299")]
    [InlineData(700, 301, 0, 0, double.NaN, "NaN at row 0, column 0")]
    public void A_non_finite_value_is_named_by_row_and_column(int rows, int columns, int row, int column, double value, string expected)
    {
        var x = new DataMatrix(rows, columns);
        x[row, column] = value;
        var e = Assert.Throws<ArgumentException>(() => Check.Data(x, "x"));
        Assert.Contains(expected, e.Message);
        Assert.Equal("x", e.ParamName);
    }

    [Fact]
    public void The_first_bad_value_in_row_order_is_the_one_named()
    {
        var x = new DataMatrix(700, 300);
        x[650, 5] = double.NaN;
        x[100, 250] = double.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => Check.Finite(x, "x"));
        Assert.Contains("positive infinity at row 100, column 250", e.Message);
    }

    [Fact]
    public void Shape_checks_everything_but_finiteness()
    {
        var x = new DataMatrix(2, 2);
        x[0, 0] = double.NaN;
        Assert.Same(x, Check.Shape(x, "x", minRows: 2));
        Assert.Throws<ArgumentException>(() => Check.Shape(x, "x", minRows: 3));
        Assert.Throws<ArgumentException>(() => Check.Shape(new DataMatrix(0, 3), "x"));
        Assert.Throws<ArgumentNullException>(() => Check.Shape(null, "x"));
    }
}
