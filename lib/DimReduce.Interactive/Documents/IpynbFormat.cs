using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DimReduce.Interactive.Documents;

/// <summary>
/// Reads and writes Jupyter notebooks (<c>.ipynb</c>, nbformat 4; always written as 4.5 with cell ids) the way Polyglot
/// Notebooks stored them, so that files made with Polyglot open here and files written here open in Polyglot, VS Code
/// and Jupyter.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A code cell's kernel is <c>metadata.polyglot_notebook.kernelName</c>, else the older
/// <c>metadata.dotnet_interactive.language</c> (which held the kernel name), else the notebook's default kernel.
/// The writer writes both keys.</item>
/// <item>Unknown notebook and cell metadata is kept. One known key is migrated: <c>vscode.languageId</c>
/// <c>"polyglot-notebook"</c>, which VS Code no longer knows once the Polyglot extension is gone, becomes the
/// cell's language (<c>csharp</c>, <c>html</c> ...).</item>
/// <item>Outputs are Jupyter mime bundles. Text values stored as lists of lines are joined on read and split into
/// lines on write (nbformat's convention: <c>text/*</c>, <c>application/javascript</c> and <c>image/svg+xml</c>).
/// JSON mime types (<c>^application/(.*\+)?json$</c>) are JSON values, never strings: a string found there is parsed.</item>
/// <item>Cells without a valid, unique id get one on read (stable: derived from the cell's position and source).</item>
/// <item>The writer adds a <c>.net-csharp</c> kernelspec, <c>language_info</c> and Polyglot's <c>kernelInfo</c> only when
/// they are missing.</item>
/// </list>
/// </remarks>
public static partial class IpynbFormat
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex("^application/(.*\\+)?json$")]
    private static partial Regex JsonMimePattern();

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex CellIdPattern();

    /// <summary>True for mime types whose value is stored as JSON (<c>application/json</c>, <c>application/vnd.plotly.v1+json</c>).</summary>
    public static bool IsJsonMimeType(string mimeType) => JsonMimePattern().IsMatch(mimeType);

    /// <summary>Parses notebook JSON.</summary>
    /// <exception cref="InvalidDataException">The text is not an nbformat 4 notebook.</exception>
    public static Notebook Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"The notebook is not valid JSON ({e.Message}).", e); }
        if (root is not JsonObject nb) throw new InvalidDataException("The notebook must be a JSON object with \"cells\", \"metadata\" and \"nbformat\".");
        int major = nb["nbformat"] is JsonValue v && v.TryGetValue(out int m) ? m : 0;
        if (major != 4)
            throw new InvalidDataException($"nbformat is {nb["nbformat"]?.ToJsonString() ?? "missing"}, but only nbformat 4 notebooks can be read. Upgrade the file with 'jupyter nbconvert --to notebook'.");

        var notebook = new Notebook { Metadata = nb["metadata"] is JsonObject md ? (JsonObject)md.DeepClone() : [] };
        string defaultKernel = DefaultKernel(notebook.Metadata);
        if (nb["cells"] is not JsonArray cells) throw new InvalidDataException("The notebook has no \"cells\" array.");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject c) throw new InvalidDataException($"Cell {i + 1} is not a JSON object.");
            notebook.Cells.Add(ReadCell(c, i, defaultKernel));
        }
        AssignIds(notebook);
        return notebook;
    }

    /// <summary>Reads an .ipynb file.</summary>
    public static Notebook Read(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>The notebook as nbformat 4.5 JSON (one-space indent as Jupyter writes it, trailing newline).</summary>
    public static string WriteToString(Notebook notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        AssignIds(notebook);
        var cells = new JsonArray();
        foreach (var cell in notebook.Cells) cells.Add(WriteCell(cell));
        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = NotebookMetadata(notebook),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Writes an .ipynb file atomically (UTF-8 without BOM).</summary>
    public static void Write(Notebook notebook, string path) => AtomicFile.WriteAllText(path, WriteToString(notebook));

    /// <summary>Gives every cell without a valid, unique id a stable one derived from its position and source.</summary>
    public static void AssignIds(Notebook notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (cell.Id is not null && CellIdPattern().IsMatch(cell.Id) && seen.Add(cell.Id)) continue;
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{i}\n{cell.KernelName}\n{cell.Source}"));
            string id = Convert.ToHexStringLower(hash)[..12];
            for (int k = 2; !seen.Add(id); k++) id = Convert.ToHexStringLower(hash)[..12] + "-" + k;
            cell.Id = id;
        }
    }

    private static string DefaultKernel(JsonObject metadata)
    {
        foreach (var key in new[] { DibFormat.PolyglotMetadataKey, "kernelInfo" })
        {
            var node = key == "kernelInfo" ? metadata["kernelInfo"] : metadata[key]?["kernelInfo"];
            if (node?["defaultKernelName"] is JsonValue v && v.TryGetValue(out string? name) && !string.IsNullOrEmpty(name)) return KernelNames.Canonical(name);
        }
        string? spec = metadata["kernelspec"]?["name"] is JsonValue s && s.TryGetValue(out string? n) ? n : null;
        return spec switch
        {
            ".net-fsharp" => "fsharp",
            ".net-powershell" or ".net-pwsh" => "pwsh",
            _ => KernelNames.CSharp,
        };
    }

    private static NotebookCell ReadCell(JsonObject c, int index, string defaultKernel)
    {
        string type = c["cell_type"] is JsonValue t && t.TryGetValue(out string? s) ? s : "";
        var cell = new NotebookCell
        {
            Kind = type switch
            {
                "code" => CellKind.Code,
                "markdown" => CellKind.Markdown,
                "raw" => CellKind.Raw,
                _ => throw new InvalidDataException($"Cell {index + 1} has cell_type {c["cell_type"]?.ToJsonString() ?? "missing"}; expected \"code\", \"markdown\" or \"raw\"."),
            },
            Id = c["id"] is JsonValue idv && idv.TryGetValue(out string? id) ? id : null,
            Source = MultilineString(c["source"]),
            Metadata = c["metadata"] is JsonObject md ? (JsonObject)md.DeepClone() : [],
            Attachments = c["attachments"] is JsonObject att ? (JsonObject)att.DeepClone() : null,
        };
        switch (cell.Kind)
        {
            case CellKind.Markdown: cell.KernelName = KernelNames.Markdown; break;
            case CellKind.Raw: cell.KernelName = KernelNames.Raw; break;
            default:
                string? kernel = StringAt(cell.Metadata, "polyglot_notebook", "kernelName") ?? StringAt(cell.Metadata, "dotnet_interactive", "language");
                cell.KernelName = string.IsNullOrEmpty(kernel) ? defaultKernel : KernelNames.Canonical(kernel);
                cell.ExecutionCount = c["execution_count"] is JsonValue ec && ec.TryGetValue(out int count) ? count : null;
                if (c["outputs"] is JsonArray outputs)
                {
                    for (int k = 0; k < outputs.Count; k++)
                        cell.Outputs.Add(ReadOutput(outputs[k] as JsonObject ?? throw new InvalidDataException($"Output {k + 1} of cell {index + 1} is not a JSON object."), index));
                }
                break;
        }
        return cell;
    }

    private static NotebookOutput ReadOutput(JsonObject o, int cellIndex)
    {
        string type = o["output_type"] is JsonValue t && t.TryGetValue(out string? s) ? s : "";
        return type switch
        {
            "stream" => NotebookOutput.Stream(o["name"]?.GetValue<string>() ?? "stdout", MultilineString(o["text"])),
            "display_data" => new NotebookOutput { Kind = OutputKind.DisplayData, Data = ReadBundle(o["data"]), Metadata = o["metadata"] as JsonObject is { } m ? (JsonObject)m.DeepClone() : [] },
            "execute_result" => new NotebookOutput
            {
                Kind = OutputKind.ExecuteResult,
                Data = ReadBundle(o["data"]),
                Metadata = o["metadata"] as JsonObject is { } m2 ? (JsonObject)m2.DeepClone() : [],
                ExecutionCount = o["execution_count"] is JsonValue ec && ec.TryGetValue(out int n) ? n : null,
            },
            "error" => NotebookOutput.Failure(o["ename"]?.GetValue<string>() ?? "", o["evalue"]?.GetValue<string>() ?? "",
                o["traceback"] is JsonArray tb ? tb.Select(x => x?.GetValue<string>() ?? "") : []),
            _ => throw new InvalidDataException($"Cell {cellIndex + 1} has an output of type {o["output_type"]?.ToJsonString() ?? "missing"}; expected stream, display_data, execute_result or error."),
        };
    }

    private static JsonObject ReadBundle(JsonNode? data)
    {
        var bundle = new JsonObject();
        if (data is not JsonObject obj) return bundle;
        foreach (var (mime, value) in obj)
        {
            if (IsJsonMimeType(mime))
            {
                // JSON mime types hold JSON values; some writers stored them as strings, which are parsed here.
                if (value is JsonValue v && v.TryGetValue(out string? text))
                {
                    try { bundle[mime] = JsonNode.Parse(text); }
                    catch (JsonException) { bundle[mime] = text; }
                }
                else bundle[mime] = value?.DeepClone();
            }
            else bundle[mime] = MultilineString(value);
        }
        return bundle;
    }

    private static string MultilineString(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>() ?? "")),
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    private static string? StringAt(JsonObject metadata, string key, string inner) =>
        metadata[key]?[inner] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            array.Add(text[start..end]);
            start = end;
        }
        return array;
    }

    private static bool SplitsIntoLines(string mime) => mime.StartsWith("text/", StringComparison.Ordinal) || mime is "application/javascript" or "image/svg+xml";

    private static JsonObject WriteCell(NotebookCell cell)
    {
        var metadata = (JsonObject)cell.Metadata.DeepClone();
        var o = new JsonObject
        {
            ["cell_type"] = cell.Kind switch { CellKind.Markdown => "markdown", CellKind.Raw => "raw", _ => "code" },
        };
        if (cell.Kind == CellKind.Code)
        {
            o["execution_count"] = cell.ExecutionCount;
            SetString(metadata, "dotnet_interactive", "language", cell.KernelName);
            SetString(metadata, "polyglot_notebook", "kernelName", cell.KernelName);
            if (metadata["vscode"] is JsonObject vscode && StringAt(metadata, "vscode", "languageId") == "polyglot-notebook")
                vscode["languageId"] = VsCodeLanguage(cell.KernelName);
        }
        else if (cell.Attachments is not null) o["attachments"] = cell.Attachments.DeepClone();
        o["id"] = cell.Id;
        o["metadata"] = metadata;
        if (cell.Kind == CellKind.Code)
        {
            var outputs = new JsonArray();
            foreach (var output in cell.Outputs) outputs.Add(WriteOutput(output));
            o["outputs"] = outputs;
        }
        o["source"] = Lines(cell.Source);
        return o;
    }

    private static string VsCodeLanguage(string kernel) => kernel switch
    {
        "pwsh" => "powershell",
        _ => kernel,
    };

    private static void SetString(JsonObject metadata, string key, string inner, string value)
    {
        if (metadata[key] is not JsonObject obj) metadata[key] = obj = [];
        obj[inner] = value;
    }

    private static JsonObject WriteOutput(NotebookOutput output)
    {
        switch (output.Kind)
        {
            case OutputKind.Stream:
                return new JsonObject { ["name"] = output.StreamName ?? "stdout", ["output_type"] = "stream", ["text"] = Lines(output.Text ?? "") };
            case OutputKind.Error:
                return new JsonObject
                {
                    ["ename"] = output.ErrorName ?? "", ["evalue"] = output.ErrorValue ?? "", ["output_type"] = "error",
                    ["traceback"] = new JsonArray([.. output.Traceback.Select(t => (JsonNode?)JsonValue.Create(t))]),
                };
            default:
                var data = new JsonObject();
                foreach (var (mime, value) in output.Data)
                {
                    if (IsJsonMimeType(mime)) data[mime] = value?.DeepClone();
                    else
                    {
                        string text = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "";
                        data[mime] = SplitsIntoLines(mime) ? Lines(text) : text;
                    }
                }
                var o = new JsonObject { ["data"] = data };
                if (output.Kind == OutputKind.ExecuteResult) o["execution_count"] = output.ExecutionCount;
                o["metadata"] = output.Metadata.DeepClone();
                o["output_type"] = output.Kind == OutputKind.ExecuteResult ? "execute_result" : "display_data";
                return o;
        }
    }

    private static JsonObject NotebookMetadata(Notebook notebook)
    {
        var metadata = (JsonObject)notebook.Metadata.DeepClone();
        metadata["kernelspec"] ??= new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" };
        metadata["language_info"] ??= new JsonObject { ["name"] = "csharp" };
        // Existing Polyglot metadata is kept as it is (plus items for kernels a reader would not know), so a .dib file
        // survives a trip through .ipynb byte for byte; a notebook without it gets one listing every kernel it uses.
        var existing = DibFormat.MetadataForKernels(notebook);
        if (existing?["kernelInfo"]?["items"] is JsonArray)
        {
            metadata[DibFormat.PolyglotMetadataKey] = existing.DeepClone();
            return metadata;
        }
        var polyglot = existing?.DeepClone() as JsonObject ?? [];
        if (polyglot["kernelInfo"] is not JsonObject info) polyglot["kernelInfo"] = info = [];
        info["defaultKernelName"] ??= KernelNames.CSharp;
        if (info["items"] is not JsonArray items) info["items"] = items = [];
        var listed = DibFormat.KernelItems(polyglot).Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var kernel in notebook.Cells.Where(c => c.Kind == CellKind.Code).Select(c => c.KernelName).Prepend(KernelNames.CSharp).Distinct(StringComparer.Ordinal))
        {
            if (listed.Add(kernel))
                items.Add(new JsonObject { ["aliases"] = new JsonArray([.. (KernelNames.Host.GetValueOrDefault(kernel) ?? []).Select(a => (JsonNode?)JsonValue.Create(a))]), ["name"] = kernel });
        }
        metadata[DibFormat.PolyglotMetadataKey] = polyglot;
        return metadata;
    }
}
