using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DimReduce.Interactive.Documents;

/// <summary>
/// Reads and writes Polyglot Notebooks' <c>.dib</c> format: an optional <c>#!meta</c> block, then cells each opened by a
/// kernel selector line (<c>#!csharp</c>, <c>#!markdown</c>, <c>#!sql</c> ...). No outputs, no cell metadata, no ids.
/// </summary>
/// <remarks>
/// Follows dotnet/interactive <c>CodeSubmission.Parse</c> and <c>ToCodeSubmissionContent</c>:
/// <list type="bullet">
/// <item>A line <c>#!X</c> opens a cell only when X is a known kernel name or alias (the host's kernels, those listed in
/// <c>#!meta</c>, and <c>markdown</c>/<c>md</c>); any other <c>#!</c> line (<c>#!time</c>, <c>#!set</c>) stays in the
/// cell as a magic command.</item>
/// <item>Text before the first selector belongs to the default kernel (<c>defaultKernelName</c>, else <c>csharp</c>),
/// so a file with no selectors is one C# cell.</item>
/// <item>Leading and trailing blank lines of a cell are trimmed and empty cells dropped.</item>
/// <item>The writer emits <c>#!meta</c>, a blank line, the metadata as one line of compact JSON, a blank line; then per
/// non-empty cell <c>#!kernel</c>, a blank line, the content, a blank line. A file Polyglot wrote therefore reads and
/// writes back byte for byte, CRLF files included (the newline found on read is kept in <see cref="Notebook.Newline"/>).</item>
/// </list>
/// Aliases are resolved on read (<c>#!c#</c> becomes a <c>csharp</c> cell and is written back as <c>#!csharp</c>).
/// Raw cells, which .dib cannot express, are written as a <c>#!raw</c> kernel that is declared in <c>#!meta</c>.
/// </remarks>
public static class DibFormat
{
    /// <summary>Metadata key under which the <c>#!meta</c> object is kept in <see cref="Notebook.Metadata"/>.</summary>
    public const string PolyglotMetadataKey = "polyglot_notebook";

    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses .dib text.</summary>
    /// <exception cref="InvalidDataException">The <c>#!meta</c> block is not a JSON object.</exception>
    public static Notebook Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        bool crlf = text.Contains("\r\n", StringComparison.Ordinal);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        var notebook = new Notebook();
        // Pass 1: the metadata block (first line starting with #!meta, up to the next #! line).
        int metaStart = Array.FindIndex(lines, l => l.StartsWith("#!meta", StringComparison.Ordinal));
        int metaEnd = metaStart;
        var extraKernels = new List<(string, IEnumerable<string>)>();
        if (metaStart >= 0)
        {
            metaEnd = metaStart + 1;
            while (metaEnd < lines.Length && !lines[metaEnd].StartsWith("#!", StringComparison.Ordinal)) metaEnd++;
            string json = string.Join("\n", lines[(metaStart + 1)..metaEnd]).Trim();
            if (json.Length > 0)
            {
                JsonNode? node;
                try { node = JsonNode.Parse(json); }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"The #!meta block on line {metaStart + 1} is not valid JSON ({e.Message}). Fix the JSON or remove the block.", e);
                }
                if (node is not JsonObject meta)
                    throw new InvalidDataException($"The #!meta block on line {metaStart + 1} must be a JSON object, but it is {node?.GetValueKind().ToString() ?? "null"}.");
                notebook.Metadata[PolyglotMetadataKey] = meta;
                extraKernels.AddRange(KernelItems(meta));
            }
        }
        notebook.Newline = crlf ? "\r\n" : "\n";

        var known = KernelNames.Lookup(extraKernels);
        string defaultKernel = notebook.DefaultKernelName;
        defaultKernel = known.GetValueOrDefault(defaultKernel, defaultKernel);

        // Pass 2: cells.
        string kernel = defaultKernel;
        var content = new List<string>();
        void Flush()
        {
            var cellLines = TrimBlankLines(content);
            content.Clear();
            if (cellLines.Count == 0) return;
            string source = string.Join("\n", cellLines);
            notebook.Cells.Add(new NotebookCell { Kind = KindOf(kernel), KernelName = kernel, Source = source });
        }
        for (int i = 0; i < lines.Length; i++)
        {
            if (metaStart >= 0 && i >= metaStart && i < metaEnd) continue;
            if (KernelNames.TryParseSelector(lines[i], known, out var next))
            {
                Flush();
                kernel = next;
                continue;
            }
            content.Add(lines[i]);
        }
        Flush();
        if (notebook.Cells.Count == 0) notebook.Cells.Add(new NotebookCell { Kind = KindOf(defaultKernel), KernelName = defaultKernel, Source = "" });
        return notebook;
    }

    /// <summary>Reads a .dib file (UTF-8, with or without BOM).</summary>
    public static Notebook Read(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>
    /// The .dib text of a notebook. Outputs, cell metadata and ids are not part of the format and are dropped.
    /// <paramref name="newline"/> defaults to the newline the notebook was read with (<c>\n</c> otherwise).
    /// </summary>
    public static string WriteToString(Notebook notebook, string? newline = null)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        newline ??= notebook.Newline;
        if (newline is not ("\n" or "\r\n"))
            throw new ArgumentException($"newline must be \"\\n\" or \"\\r\\n\", but it is {JsonSerializer.Serialize(newline)}.", nameof(newline));

        var meta = MetadataForKernels(notebook);
        var lines = new List<string>();
        if (meta is not null)
        {
            lines.Add("#!meta");
            lines.Add("");
            lines.Add(meta.ToJsonString(CompactJson));
            lines.Add("");
        }
        foreach (var cell in notebook.Cells)
        {
            var cellLines = TrimBlankLines(cell.Source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
            if (cellLines.Count == 0) continue;
            lines.Add("#!" + KernelOf(cell));
            lines.Add("");
            lines.AddRange(cellLines);
            lines.Add("");
        }
        return string.Join(newline, lines);
    }

    /// <summary>Writes a .dib file atomically (UTF-8 without BOM).</summary>
    public static void Write(Notebook notebook, string path, string? newline = null) =>
        AtomicFile.WriteAllText(path, WriteToString(notebook, newline));

    internal static string KernelOf(NotebookCell cell) => cell.Kind switch
    {
        CellKind.Markdown => KernelNames.Markdown,
        CellKind.Raw => KernelNames.Raw,
        _ => cell.KernelName,
    };

    internal static CellKind KindOf(string kernel) => kernel switch
    {
        KernelNames.Markdown => CellKind.Markdown,
        KernelNames.Raw => CellKind.Raw,
        _ => CellKind.Code,
    };

    /// <summary>The <c>kernelInfo.items</c> of a Polyglot metadata object as (name, aliases).</summary>
    internal static IEnumerable<(string Name, IEnumerable<string> Aliases)> KernelItems(JsonObject polyglotMetadata)
    {
        if (polyglotMetadata["kernelInfo"]?["items"] is not JsonArray items) yield break;
        foreach (var item in items)
        {
            if (item?["name"] is not JsonValue nameNode || !nameNode.TryGetValue(out string? name) || string.IsNullOrEmpty(name)) continue;
            var aliases = item["aliases"] is JsonArray a
                ? a.Select(x => x is JsonValue v && v.TryGetValue(out string? s) ? s : null).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray()
                : [];
            yield return (name, aliases);
        }
    }

    /// <summary>
    /// The Polyglot metadata object to write: the notebook's own (unchanged when every cell's kernel is already known,
    /// so round trips are exact), with an item added for any cell kernel a reader would not recognise.
    /// </summary>
    internal static JsonObject? MetadataForKernels(Notebook notebook)
    {
        var meta = notebook.Metadata[PolyglotMetadataKey] as JsonObject;
        var known = KernelNames.Lookup(meta is null ? null : KernelItems(meta));
        var missing = notebook.Cells.Select(KernelOf).Where(k => !known.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return meta;
        var copy = (JsonObject?)meta?.DeepClone() ?? [];
        if (copy["kernelInfo"] is not JsonObject info) copy["kernelInfo"] = info = new JsonObject { ["defaultKernelName"] = KernelNames.CSharp };
        if (info["items"] is not JsonArray items) info["items"] = items = [];
        foreach (var k in missing) items.Add(new JsonObject { ["name"] = k, ["aliases"] = new JsonArray() });
        return copy;
    }

    private static List<string> TrimBlankLines(IReadOnlyList<string> lines)
    {
        int start = 0, end = lines.Count;
        while (start < end && string.IsNullOrWhiteSpace(lines[start])) start++;
        while (end > start && string.IsNullOrWhiteSpace(lines[end - 1])) end--;
        var result = new List<string>(end - start);
        for (int i = start; i < end; i++) result.Add(lines[i]);
        return result;
    }
}
