using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Documents;

public class IpynbFormatTests
{
    private static Notebook Sample() => IpynbFormat.Read(DibFormatTests.TestData("polyglot-vscode.ipynb"));

    [Fact]
    public void Kernels_come_from_polyglot_metadata_then_the_older_dotnet_interactive_key()
    {
        var notebook = Sample();
        Assert.Equal([CellKind.Markdown, CellKind.Code, CellKind.Code, CellKind.Code, CellKind.Raw], notebook.Cells.Select(c => c.Kind));
        Assert.Equal(["markdown", "csharp", "pwsh", "csharp", "raw"], notebook.Cells.Select(c => c.KernelName));
        Assert.Equal("Console.WriteLine(\"hello\");\nConsole.WriteLine(\"world\");\n1 + 1", notebook.Cells[1].Source);
        Assert.Equal(3, notebook.Cells[3].ExecutionCount);
    }

    [Fact]
    public void Missing_and_duplicate_ids_are_replaced_and_valid_ones_kept()
    {
        var notebook = Sample();
        Assert.Equal("plot-cell", notebook.Cells[3].Id);
        Assert.All(notebook.Cells, c => Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", c.Id));
        Assert.Equal(notebook.Cells.Count, notebook.Cells.Select(c => c.Id).Distinct().Count());
        // Stable: reading twice gives the same ids.
        Assert.Equal(notebook.Cells.Select(c => c.Id), Sample().Cells.Select(c => c.Id));
    }

    [Fact]
    public void Outputs_are_mime_bundles_with_json_types_as_json_values()
    {
        var outputs = Sample().Cells[3].Outputs;
        var result = outputs[0];
        Assert.Equal(OutputKind.ExecuteResult, result.Kind);
        Assert.Equal(3, result.ExecutionCount);
        var plotly = Assert.IsType<JsonObject>(result.Data["application/vnd.plotly.v1+json"]);   // was a string in the file
        Assert.Equal("scatter", plotly["data"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(42, result.Data["application/json"]!["answer"]!.GetValue<int>());
        Assert.Equal("chart", result.GetText("text/plain"));
        Assert.StartsWith("iVBOR", result.GetText("image/png"));
        var error = outputs[1];
        Assert.Equal((OutputKind.Error, "Error"), (error.Kind, error.ErrorName));
        Assert.Contains("boom", error.ErrorValue);

        var first = Sample().Cells[1].Outputs;
        Assert.Equal(OutputKind.DisplayData, first[0].Kind);
        Assert.Contains("dni-plaintext", first[0].GetText("text/html"));
        Assert.Equal(("stdout", "hello\r\nworld\r\n"), (first[1].StreamName, first[1].Text));
    }

    [Fact]
    public void Written_json_is_nbformat_4_5_with_ids_both_kernel_keys_and_json_mime_objects()
    {
        var json = JsonNode.Parse(IpynbFormat.WriteToString(Sample()))!.AsObject();
        Assert.Equal(4, json["nbformat"]!.GetValue<int>());
        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());
        var cells = json["cells"]!.AsArray();
        Assert.All(cells, c => Assert.False(string.IsNullOrEmpty(c!["id"]?.GetValue<string>())));
        var pwsh = cells[2]!["metadata"]!;
        Assert.Equal("pwsh", pwsh["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal("pwsh", pwsh["dotnet_interactive"]!["language"]!.GetValue<string>());
        Assert.Equal("powershell", pwsh["vscode"]!["languageId"]!.GetValue<string>());
        Assert.Equal("csharp", cells[1]!["metadata"]!["vscode"]!["languageId"]!.GetValue<string>());
        Assert.Equal(["chart"], cells[3]!["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var data = cells[3]!["outputs"]![0]!["data"]!;
        Assert.IsType<JsonObject>(data["application/vnd.plotly.v1+json"]);
        Assert.IsType<JsonObject>(data["application/json"]);
        Assert.IsAssignableFrom<JsonValue>(data["image/png"]);       // base64 stays one string
        Assert.IsType<JsonArray>(data["text/plain"]);               // text is a list of lines, as nbformat writes it
        Assert.Equal("raw", cells[4]!["cell_type"]!.GetValue<string>());
        Assert.Null(cells[4]!["outputs"]);
        var metadata = json["metadata"]!;
        Assert.Equal(3, metadata["course"]!["chapter"]!.GetValue<int>());               // unknown metadata kept
        Assert.Equal(".net-csharp", metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("polyglot-notebook", metadata["language_info"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Read_write_read_preserves_everything_and_a_second_write_is_identical()
    {
        string once = IpynbFormat.WriteToString(Sample());
        var back = IpynbFormat.Parse(once);
        string twice = IpynbFormat.WriteToString(back);
        Assert.Equal(once, twice);
        var original = Sample();
        Assert.Equal(original.Cells.Select(c => (c.Id, c.Kind, c.KernelName, c.Source)), back.Cells.Select(c => (c.Id, c.Kind, c.KernelName, c.Source)));
        Assert.Equal(original.Cells.Select(c => c.Outputs.Count), back.Cells.Select(c => c.Outputs.Count));
        Assert.True(JsonNode.DeepEquals(original.Cells[3].Outputs[0].Data, back.Cells[3].Outputs[0].Data));
    }

    [Fact]
    public void A_polyglot_dib_converts_to_ipynb_and_back_byte_for_byte()
    {
        foreach (var name in new[] { "polyglot-approved.dib", "course.dib" })
        {
            string dib = File.ReadAllText(DibFormatTests.TestData(name));
            var ipynb = IpynbFormat.WriteToString(DibFormat.Parse(dib));
            var json = JsonNode.Parse(ipynb)!;
            Assert.Equal(".net-csharp", json["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
            Assert.Equal(dib, DibFormat.WriteToString(IpynbFormat.Parse(ipynb)));
        }
    }

    [Fact]
    public void A_new_notebook_gets_polyglot_kernel_info_for_every_kernel_used()
    {
        var notebook = new Notebook();
        notebook.AddMarkdown("# Title");
        notebook.AddCode("SELECT 1", "sql");
        var json = JsonNode.Parse(IpynbFormat.WriteToString(notebook))!;
        var items = json["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>());
        Assert.Equal(["csharp", "sql"], items);
        Assert.Equal("csharp", json["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
    }

    [Fact]
    public void An_older_minor_version_without_ids_is_read_and_written_as_4_5()
    {
        string v44 = """{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[{"name":"stdout","output_type":"stream","text":"x\n"}],"source":"1+1"}],"metadata":{},"nbformat":4,"nbformat_minor":4}""";
        var notebook = IpynbFormat.Parse(v44);
        Assert.NotNull(notebook.Cells[0].Id);
        Assert.Equal("csharp", notebook.Cells[0].KernelName);
        Assert.Equal(5, JsonNode.Parse(IpynbFormat.WriteToString(notebook))!["nbformat_minor"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("""{"nbformat":3,"cells":[]}""", "nbformat")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"python","source":""}]}""", "cell_type")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"","outputs":[{"output_type":"bogus"}]}]}""", "bogus")]
    public void Malformed_notebooks_are_rejected_with_a_reason(string json, string phrase)
    {
        var e = Assert.Throws<InvalidDataException>(() => IpynbFormat.Parse(json));
        Assert.Contains(phrase, e.Message);
    }
}
