using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;
using DimReduce.Interactive.Tests.Support;

namespace DimReduce.Interactive.Tests.Documents;

/// <summary>The .ipynb files the engine writes validate against the official nbformat 4.5 schema (TestData/nbformat).</summary>
public sealed class NbformatSchemaTests : IDisposable
{
    private static readonly JsonSchema Schema = JsonSchema.Load(DibFormatTests.TestData("nbformat/nbformat.v4.5.schema.json"));
    private readonly string _dir = Directory.CreateTempSubdirectory("dimreduce-nbformat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertValid(string ipynb)
    {
        var errors = Schema.Validate(JsonNode.Parse(ipynb));
        Assert.True(errors.Count == 0, "nbformat 4.5 schema violations:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void A_notebook_run_by_the_engine_with_every_kind_of_output_is_valid()
    {
        var notebook = new Notebook();
        notebook.AddMarkdown("# Title\n\nSome *text*.");
        notebook.AddCode("#!time\nConsole.WriteLine(\"out\");\nConsole.Error.WriteLine(\"err\");\n6 * 7");
        notebook.AddCode("display(HTML(\"<b>x</b>\"));\ndisplay(Markdown(\"*m*\"));\nvar d = display(1);\nd.Update(2);\nnew[] { 1, 2, 3 }");
        notebook.AddCode("Plotly.NET.CSharp.Chart.Point<double, double, string>(x: new[] { 1.0, 2.0 }, y: new[] { 3.0, 4.0 })");
        notebook.AddCode("var frame = new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.Int32DataFrameColumn(\"a\", new[] { 1, 2 }));\nframe");
        notebook.AddCode("graph TD; A-->B", "mermaid");
        notebook.AddCode("<i>html cell</i>", "html");
        notebook.AddCode("#!about\n#r \"nuget: Plotly.NET, 4.2.0\"\n#r \"nuget: Plotly.NET.Interactive\"");
        notebook.AddCode("throw new InvalidOperationException(\"boom\");");
        notebook.AddCode("#!fsharp\nlet x = 1");
        notebook.Cells.Add(new NotebookCell { Kind = CellKind.Raw, KernelName = KernelNames.Raw, Source = "raw text" });
        string path = Path.Combine(_dir, "all.ipynb");
        var result = NotebookRunner.Run(notebook, path, new RunOptions { ContinueOnError = true });
        Assert.Equal(2, result.Failures.Count);   // the exception and the F# cell

        string ipynb = IpynbFormat.WriteToString(result.Notebook);
        AssertValid(ipynb);
        var json = JsonNode.Parse(ipynb)!;
        // The outputs really are there: streams, results, displays (plotly as a JSON object, mermaid), errors.
        var types = json["cells"]!.AsArray().SelectMany(c => c!["outputs"] as JsonArray ?? []).Select(o => o!["output_type"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["display_data", "error", "execute_result", "stream"], types.Order());
        Assert.Contains("\"application/vnd.plotly.v1+json\": {", ipynb);
        Assert.Contains("\"text/vnd.mermaid\"", ipynb);
    }

    [Theory]
    [InlineData("polyglot-vscode.ipynb")]
    [InlineData("course.dib")]
    [InlineData("polyglot-approved.dib")]
    public void Polyglot_files_read_and_written_back_as_ipynb_are_valid(string file)
    {
        var notebook = NotebookFile.Read(DibFormatTests.TestData(file));
        AssertValid(IpynbFormat.WriteToString(notebook));
    }

    [Fact]
    public void The_validator_finds_what_the_schema_forbids()
    {
        var notebook = new Notebook();
        notebook.AddCode("1");
        var json = JsonNode.Parse(IpynbFormat.WriteToString(notebook))!.AsObject();
        Assert.Empty(Schema.Validate(json));

        var cell = json["cells"]![0]!.AsObject();
        cell.Remove("id");
        cell["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout" });   // no text
        json["nbformat"] = 3;
        json["metadata"]!["kernelspec"] = new JsonObject { ["name"] = "x" };                                  // no display_name
        var errors = Schema.Validate(json);
        Assert.Contains(errors, e => e.StartsWith("$.nbformat: 3 is less than 4", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.metadata.kernelspec: missing required property 'display_name'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.cells[0]: matches 0 of the oneOf schemas", StringComparison.Ordinal));
        Assert.Throws<NotSupportedException>(() => new JsonSchema(new JsonObject { ["const"] = 1 }).Validate(1));
    }
}
