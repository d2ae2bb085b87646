using System.Text;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Documents;

public class DibFormatTests
{
    internal static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    [Theory]
    [InlineData("polyglot-approved.dib")]
    [InlineData("course.dib")]
    public void A_file_written_by_polyglot_round_trips_byte_for_byte(string name)
    {
        byte[] original = File.ReadAllBytes(TestData(name));
        var notebook = DibFormat.Parse(Encoding.UTF8.GetString(original));
        byte[] written = Encoding.UTF8.GetBytes(DibFormat.WriteToString(notebook));
        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(written));
        Assert.Equal(original, written);
    }

    [Fact]
    public void A_crlf_file_round_trips_byte_for_byte_and_keeps_crlf()
    {
        string lf = File.ReadAllText(TestData("course.dib"));
        string crlf = lf.Replace("\n", "\r\n");
        var notebook = DibFormat.Parse(crlf);
        Assert.Equal("\r\n", notebook.Newline);
        Assert.DoesNotContain('\r', notebook.Cells[1].Source);
        Assert.Equal(crlf, DibFormat.WriteToString(notebook));
        Assert.Equal(lf, DibFormat.WriteToString(notebook, "\n"));
    }

    [Fact]
    public void Cells_keep_their_kernels_and_magics_stay_inside_cells()
    {
        var notebook = DibFormat.Read(TestData("course.dib"));
        Assert.Equal(["markdown", "csharp", "csharp", "sql", "html"], notebook.Cells.Select(c => c.KernelName));
        Assert.Equal(CellKind.Markdown, notebook.Cells[0].Kind);
        Assert.Equal(CellKind.Code, notebook.Cells[3].Kind);
        Assert.StartsWith("#!time\nvar wine", notebook.Cells[1].Source);
        Assert.Contains("\n\n// a blank line inside a cell is kept\n", notebook.Cells[1].Source);
        Assert.EndsWith("pca.Fit(wine.Features);", notebook.Cells[1].Source);
        Assert.Equal("SELECT * FROM wine", notebook.Cells[3].Source);
        Assert.Equal("csharp", notebook.DefaultKernelName);
    }

    [Fact]
    public void Aliases_open_cells_and_are_written_back_as_the_canonical_name()
    {
        var notebook = DibFormat.Parse("#!c#\nvar x = 1;\n#!md\n# Title\n#!F#\nlet y = 2\n#!cs\nx\n");
        Assert.Equal(["csharp", "markdown", "fsharp", "csharp"], notebook.Cells.Select(c => c.KernelName));
        Assert.Equal("#!csharp\n\nvar x = 1;\n\n#!markdown\n\n# Title\n\n#!fsharp\n\nlet y = 2\n\n#!csharp\n\nx\n", DibFormat.WriteToString(notebook));
    }

    [Fact]
    public void A_file_without_separators_is_one_csharp_cell()
    {
        var notebook = DibFormat.Parse("\n\nvar x = 1;\n#!time\nx\n\n");
        var cell = Assert.Single(notebook.Cells);
        Assert.Equal("csharp", cell.KernelName);
        Assert.Equal("var x = 1;\n#!time\nx", cell.Source);
        Assert.False(notebook.Metadata.ContainsKey(DibFormat.PolyglotMetadataKey));
    }

    [Fact]
    public void An_empty_file_gives_one_empty_cell_of_the_default_kernel()
    {
        var cell = Assert.Single(DibFormat.Parse("").Cells);
        Assert.Equal(("csharp", ""), (cell.KernelName, cell.Source));
        var markdownDefault = DibFormat.Parse("#!meta\n{\"kernelInfo\":{\"defaultKernelName\":\"markdown\"}}\n#!csharp\n\n");
        Assert.Equal(CellKind.Markdown, Assert.Single(markdownDefault.Cells).Kind);
    }

    [Fact]
    public void Indented_meta_declares_extra_kernels_and_unknown_selectors_stay_in_the_cell()
    {
        string text = "#!meta\n\n{\n  \"kernelInfo\": {\n    \"defaultKernelName\": \"csharp\",\n    \"items\": [ { \"name\": \"python\", \"aliases\": [\"py\"] } ]\n  }\n}\n\n" +
                      "#!csharp\n\nvar a = 1;\n#!whatever\nvar b = 2;\n\n#!py\n\nprint(1)\n";
        var notebook = DibFormat.Parse(text);
        Assert.Equal(["csharp", "python"], notebook.Cells.Select(c => c.KernelName));
        Assert.Equal("var a = 1;\n#!whatever\nvar b = 2;", notebook.Cells[0].Source);
        // Written back, the meta becomes one compact line, as Polyglot writes it.
        string written = DibFormat.WriteToString(notebook);
        Assert.StartsWith("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"name\":\"python\",\"aliases\":[\"py\"]}]}}\n\n#!csharp\n", written);
        Assert.Equal(written, DibFormat.WriteToString(DibFormat.Parse(written)));
    }

    [Fact]
    public void Writing_a_cell_of_an_unknown_kernel_declares_it_in_meta_so_it_reads_back()
    {
        var notebook = new Notebook();
        notebook.AddCode("x = 1", "python");
        notebook.Cells.Add(new NotebookCell { Kind = CellKind.Raw, KernelName = "raw", Source = "raw text" });
        notebook.AddCode("var y = 2;");
        var back = DibFormat.Parse(DibFormat.WriteToString(notebook));
        Assert.Equal(["python", "raw", "csharp"], back.Cells.Select(c => c.KernelName));
        Assert.Equal(CellKind.Raw, back.Cells[1].Kind);
    }

    [Fact]
    public void Bad_meta_json_is_rejected_with_the_line()
    {
        var e = Assert.Throws<InvalidDataException>(() => DibFormat.Parse("#!csharp\nvar x = 1;\n#!meta\n{not json\n#!csharp\nx"));
        Assert.Contains("line 3", e.Message);
        Assert.Throws<InvalidDataException>(() => DibFormat.Parse("#!meta\n[1,2]\n#!csharp\nx"));
    }

    [Fact]
    public void Newline_other_than_lf_or_crlf_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => DibFormat.WriteToString(new Notebook(), "\r"));
        Assert.Equal("newline", e.ParamName);
    }
}
