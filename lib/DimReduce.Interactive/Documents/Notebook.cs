using System.Text.Json.Nodes;

namespace DimReduce.Interactive.Documents;

/// <summary>What a notebook cell holds: code for a kernel, markdown text, or raw text passed through untouched.</summary>
public enum CellKind
{
    /// <summary>Code run by the kernel named in <see cref="NotebookCell.KernelName"/>.</summary>
    Code,
    /// <summary>Markdown prose (Jupyter <c>cell_type: "markdown"</c>; <c>#!markdown</c> in a .dib file).</summary>
    Markdown,
    /// <summary>Raw text, never executed (Jupyter <c>cell_type: "raw"</c>).</summary>
    Raw,
}

/// <summary>
/// A notebook in memory, independent of its file format: cells in order plus the notebook-level metadata,
/// kept as JSON so that keys this project does not know survive a read and a write.
/// </summary>
/// <remarks>
/// The model follows nbformat 4.5 (Jupyter) and Polyglot Notebooks' <c>InteractiveDocument</c>. A .dib file
/// carries only the cells' kernels and sources plus its <c>#!meta</c> block, which is kept here as
/// <c>Metadata["polyglot_notebook"]</c>, the place Polyglot stores the same object in an .ipynb file.
/// </remarks>
public sealed class Notebook
{
    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; } = [];

    /// <summary>Notebook metadata (<c>kernelspec</c>, <c>language_info</c>, <c>polyglot_notebook</c>, and any other keys, kept as read).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The newline of the text file the notebook was read from, <c>\n</c> or <c>\r\n</c>; the .dib writer reuses it.</summary>
    public string Newline { get; set; } = "\n";

    /// <summary>The kernel that runs code cells with no kernel of their own (<c>kernelInfo.defaultKernelName</c>, else <c>csharp</c>).</summary>
    public string DefaultKernelName
    {
        get => Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() is { Length: > 0 } name ? name : KernelNames.CSharp;
    }

    /// <summary>Adds a code cell for <paramref name="kernelName"/> (default C#) and returns it.</summary>
    public NotebookCell AddCode(string source, string kernelName = KernelNames.CSharp)
    {
        var cell = new NotebookCell { Kind = CellKind.Code, KernelName = kernelName, Source = source };
        Cells.Add(cell);
        return cell;
    }

    /// <summary>Adds a markdown cell and returns it.</summary>
    public NotebookCell AddMarkdown(string source)
    {
        var cell = new NotebookCell { Kind = CellKind.Markdown, KernelName = KernelNames.Markdown, Source = source };
        Cells.Add(cell);
        return cell;
    }
}

/// <summary>One cell: its kind, kernel, source, outputs and metadata.</summary>
public sealed class NotebookCell
{
    /// <summary>nbformat 4.5 cell id (<c>^[a-zA-Z0-9-_]+$</c>, 1–64 characters); null until a reader or writer assigns one.</summary>
    public string? Id { get; set; }

    /// <summary>Code, markdown or raw.</summary>
    public CellKind Kind { get; set; } = CellKind.Code;

    /// <summary>
    /// The kernel that runs the cell, by its canonical name (<c>csharp</c>, <c>fsharp</c>, <c>html</c>, <c>sql</c>...):
    /// <c>markdown</c> for markdown cells, <c>raw</c> for raw cells. Aliases such as <c>c#</c> are resolved on read.
    /// </summary>
    public string KernelName { get; set; } = KernelNames.CSharp;

    /// <summary>The cell's text, lines separated by <c>\n</c> (or as read).</summary>
    public string Source { get; set; } = "";

    /// <summary>Outputs (code cells only), in order.</summary>
    public List<NotebookOutput> Outputs { get; } = [];

    /// <summary>Cell metadata as read, unknown keys included.</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The Jupyter <c>execution_count</c> (code cells), or null when not executed.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>Markdown and raw cell attachments, kept as read.</summary>
    public JsonObject? Attachments { get; set; }
}

/// <summary>The four Jupyter output types.</summary>
public enum OutputKind
{
    /// <summary><c>stream</c>: text written to stdout or stderr.</summary>
    Stream,
    /// <summary><c>display_data</c>: a value shown with <c>display(x)</c> (or by Polyglot for any value).</summary>
    DisplayData,
    /// <summary><c>execute_result</c>: the value of the cell's trailing expression.</summary>
    ExecuteResult,
    /// <summary><c>error</c>: a compile error or an exception.</summary>
    Error,
}

/// <summary>
/// One Jupyter output. Display outputs carry a mime bundle in <see cref="Data"/>: text types as JSON strings
/// (multi-line lists joined on read), JSON types (<c>application/json</c>, <c>application/vnd.plotly.v1+json</c>)
/// as JSON values, never as strings.
/// </summary>
public sealed class NotebookOutput
{
    /// <summary>The output type.</summary>
    public OutputKind Kind { get; set; }

    /// <summary>Stream name, <c>stdout</c> or <c>stderr</c> (streams only).</summary>
    public string? StreamName { get; set; }

    /// <summary>Stream text (streams only).</summary>
    public string? Text { get; set; }

    /// <summary>Mime type to value (display data and execute results).</summary>
    public JsonObject Data { get; set; } = [];

    /// <summary>Output metadata (display data and execute results).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The <c>execution_count</c> of an execute result.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>Exception type name (errors only).</summary>
    public string? ErrorName { get; set; }

    /// <summary>Exception message (errors only).</summary>
    public string? ErrorValue { get; set; }

    /// <summary>Traceback lines (errors only).</summary>
    public List<string> Traceback { get; set; } = [];

    /// <summary>
    /// The display id a later update replaces (display data only). Jupyter sends it as <c>transient</c>, which
    /// nbformat does not store, so it is never written to a file.
    /// </summary>
    public string? DisplayId { get; set; }

    /// <summary>A stream output.</summary>
    public static NotebookOutput Stream(string name, string text) => new() { Kind = OutputKind.Stream, StreamName = name, Text = text };

    /// <summary>A display_data output.</summary>
    public static NotebookOutput Display(JsonObject data, string? displayId = null) => new() { Kind = OutputKind.DisplayData, Data = data, DisplayId = displayId };

    /// <summary>An execute_result output.</summary>
    public static NotebookOutput Result(JsonObject data, int? executionCount) => new() { Kind = OutputKind.ExecuteResult, Data = data, ExecutionCount = executionCount };

    /// <summary>An error output.</summary>
    public static NotebookOutput Failure(string name, string value, IEnumerable<string> traceback) =>
        new() { Kind = OutputKind.Error, ErrorName = name, ErrorValue = value, Traceback = [.. traceback] };

    /// <summary>The text of a mime type in <see cref="Data"/>, or null (JSON mime types give their compact JSON).</summary>
    public string? GetText(string mimeType) => Data[mimeType] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonNode n => n.ToJsonString(),
    };
}
