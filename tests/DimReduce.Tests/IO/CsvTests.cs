using DimReduce.IO;

namespace DimReduce.Tests.IO;

public class CsvTests
{
    private static CsvTable Parse(string text, string? labelColumn = null) =>
        Csv.Read(new StringReader(text), "X.csv", labelColumn);

    [Fact]
    public void Header_is_detected_and_label_column_set_apart()
    {
        var t = Parse("a,b,kind\n1,2,x\n3.5,-4e2,y\n", "kind");
        Assert.True(t.HasHeader);
        Assert.Equal(new[] { "a", "b" }, t.ColumnNames);
        Assert.Equal(new double[,] { { 1, 2 }, { 3.5, -400 } }, t.Values.ToArray());
        Assert.Equal(new[] { "x", "y" }, t.Labels);
    }

    [Fact]
    public void File_without_header_gets_c_names()
    {
        var t = Parse("1,2\n3,4\n");
        Assert.False(t.HasHeader);
        Assert.Equal(new[] { "c1", "c2" }, t.ColumnNames);
        Assert.Equal(2, t.Values.Rows);
    }

    [Fact]
    public void Quoted_header_fields_keep_their_commas()
    {
        var t = Parse("\"od280/od315, diluted\",b\n1,2\n");
        Assert.Equal("od280/od315, diluted", t.ColumnNames[0]);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "X.csv line 3: 1 values, but the header has 2", "ragged")]
    [InlineData("a,b\n1,2\n3,x\n", "X.csv line 3, column 2 ('b'): 'x' is not a number", "not a number")]
    [InlineData("a,b\n1,NaN\n", "X.csv line 2, column 2 ('b'): the value is NaN", "impute")]
    [InlineData("a,b\n1,-Infinity\n", "the value is infinite", "Remove")]
    [InlineData("", "the file is empty", "one row per sample")]
    [InlineData("a,b\n", "header but no data rows", "header")]
    public void Bad_files_give_one_clear_sentence(string text, string where, string fix)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(text));
        Assert.Contains(where, e.Message);
        Assert.Contains(fix, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Unknown_label_column_lists_the_columns()
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse("a,b\n1,2\n", "class"));
        Assert.Contains("no column 'class' (columns: a, b)", e.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Csv.Read("/nonexistent/X.csv"));
        Assert.Contains("/nonexistent/X.csv: file not found", e.Message);
    }

    [Fact]
    public void Write_then_read_is_exact_and_atomic()
    {
        string dir = Directory.CreateTempSubdirectory("csv").FullName;
        string path = Path.Combine(dir, "Z.csv");
        var m = new DataMatrix(2, 2, new[] { 0.1, 1.0 / 3, -2e-300, 12345678.9 });
        Csv.Write(path, m);
        Assert.StartsWith("c1,c2\n", File.ReadAllText(path));
        Assert.Equal(m.ToArray(), Csv.Read(path).Values.ToArray());
        Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind
    }

    [Fact]
    public void Labels_as_names_are_numbered_in_order_of_appearance()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("csv").FullName, "y.csv");
        File.WriteAllText(path, "label\nb\na\nb\n");
        var (labels, names) = Csv.ReadLabels(path);
        Assert.Equal(new[] { 0, 1, 0 }, labels);
        Assert.Equal(new[] { "b", "a" }, names);
        File.WriteAllText(path, "y\n2\n0\n");
        Assert.Equal(new[] { 2, 0 }, Csv.ReadLabels(path).Labels);
    }
}
