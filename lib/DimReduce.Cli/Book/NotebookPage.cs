using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DimReduce.Interactive;
using DimReduce.Interactive.Documents;
using Markdig;

namespace DimReduce.Cli.Book;

/// <summary>
/// One executed notebook as a page of the book: markdown cells through Markdig (math kept for KaTeX), code cells
/// with their outputs (stream text, errors, interactive plotly charts, HTML, images, markdown, plain text).
/// </summary>
/// <remarks>
/// Markdig's math extension turns <c>$...$</c> into <c>&lt;span class="math"&gt;\(...\)&lt;/span&gt;</c> and
/// <c>$$...$$</c> into <c>&lt;div class="math"&gt;\[...\]&lt;/div&gt;</c>; <c>book.js</c> renders those elements with
/// KaTeX in the browser. A chart is a <c>div.chart</c> followed by its figure JSON in a
/// <c>script type="application/json"</c>; <c>book.js</c> draws it with the plotly.js copied beside the pages.
/// Nothing is loaded from the network.
/// </remarks>
internal sealed partial class NotebookPage
{
    /// <summary>Markdig with the extensions the course uses: tables, math, auto-links, emphasis extras, footnotes.</summary>
    internal static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseFootnotes()
        .UseGenericAttributes()
        .Build();

    private readonly StringBuilder _body = new();

    /// <param name="notebook">The executed notebook.</param>
    /// <param name="fileName">The page's file name, for example <c>01-manifold-hypothesis-and-pca.html</c>.</param>
    /// <param name="notebookLink">Relative link to the executed .ipynb offered for download, or null.</param>
    public NotebookPage(Notebook notebook, string fileName, string? notebookLink = null)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        FileName = fileName;
        NotebookLink = notebookLink;
        Title = FindTitle(notebook) ?? Path.GetFileNameWithoutExtension(fileName);
        SummaryHtml = FindSummary(notebook);
        foreach (var cell in notebook.Cells) RenderCell(cell);
    }

    /// <summary>The page file name.</summary>
    public string FileName { get; }

    /// <summary>The first markdown heading of the notebook (else the file name).</summary>
    public string Title { get; }

    /// <summary>The first paragraph after the title, as inline HTML (math kept for KaTeX; empty if there is none).</summary>
    public string SummaryHtml { get; }

    /// <summary>Relative link to the executed notebook, or null.</summary>
    public string? NotebookLink { get; }

    /// <summary>Interactive charts on the page.</summary>
    public int ChartCount { get; private set; }

    /// <summary>Code cells that ended in an error output.</summary>
    public int ErrorCount { get; private set; }

    /// <summary>The page's main content (HTML).</summary>
    public string Body => _body.ToString();

    private void RenderCell(NotebookCell cell)
    {
        switch (cell.Kind)
        {
            case CellKind.Markdown:
                _body.Append("<section class=\"markdown\">\n").Append(global::Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
                break;
            case CellKind.Raw:
                break;
            default:
                RenderCode(cell);
                break;
        }
    }

    private void RenderCode(NotebookCell cell)
    {
        string prompt = cell.ExecutionCount is { } n ? n.ToString(CultureInfo.InvariantCulture) : " ";
        _body.Append("<div class=\"cell\">\n<div class=\"source\"><span class=\"prompt\">In [").Append(prompt).Append("]</span><pre><code class=\"language-")
            .Append(WebUtility.HtmlEncode(cell.KernelName)).Append("\">").Append(WebUtility.HtmlEncode(cell.Source.TrimEnd())).Append("</code></pre></div>\n");
        if (cell.Outputs.Count > 0)
        {
            _body.Append("<div class=\"outputs\">\n");
            foreach (var output in cell.Outputs) RenderOutput(output);
            _body.Append("</div>\n");
        }
        _body.Append("</div>\n");
    }

    private void RenderOutput(NotebookOutput output)
    {
        switch (output.Kind)
        {
            case OutputKind.Stream:
                _body.Append("<pre class=\"stream ").Append(output.StreamName == "stderr" ? "stderr" : "stdout").Append("\">")
                    .Append(WebUtility.HtmlEncode(StripAnsi(output.Text ?? ""))).Append("</pre>\n");
                break;
            case OutputKind.Error:
                ErrorCount++;
                var text = new StringBuilder().Append(output.ErrorName).Append(": ").Append(output.ErrorValue);
                foreach (var line in output.Traceback.Skip(1)) text.Append('\n').Append(line);
                _body.Append("<pre class=\"error\">").Append(WebUtility.HtmlEncode(StripAnsi(text.ToString()))).Append("</pre>\n");
                break;
            default:
                RenderBundle(output.Data);
                break;
        }
    }

    /// <summary>Renders the richest mime type this static page can show.</summary>
    private void RenderBundle(JsonObject data)
    {
        if (data[MimeTypes.Plotly] is JsonObject figure)
        {
            RenderChart(figure);
            return;
        }
        if (Text(data, MimeTypes.Markdown) is { } markdown)
        {
            _body.Append("<div class=\"output-markdown\">").Append(global::Markdig.Markdown.ToHtml(markdown, Markdown)).Append("</div>\n");
            return;
        }
        if (Text(data, MimeTypes.Html) is { } html)
        {
            _body.Append("<div class=\"output-html\">").Append(html).Append("</div>\n");
            return;
        }
        if (Text(data, "image/svg+xml") is { } svg)
        {
            _body.Append("<div class=\"output-image\">").Append(svg).Append("</div>\n");
            return;
        }
        foreach (var image in new[] { MimeTypes.Png, "image/jpeg", "image/gif" })
        {
            if (Text(data, image) is { } base64)
            {
                _body.Append("<div class=\"output-image\"><img alt=\"output image\" src=\"data:").Append(image).Append(";base64,")
                    .Append(WebUtility.HtmlEncode(base64.Replace("\n", "", StringComparison.Ordinal))).Append("\"></div>\n");
                return;
            }
        }
        if (Text(data, "text/latex") is { } latex)
        {
            string tex = latex.Trim().Trim('$').Trim();
            _body.Append("<div class=\"math\">\\[").Append(WebUtility.HtmlEncode(tex)).Append("\\]</div>\n");
            return;
        }
        if (Text(data, MimeTypes.PlainText) is { } plain)
            _body.Append("<pre class=\"result\">").Append(WebUtility.HtmlEncode(StripAnsi(plain))).Append("</pre>\n");
    }

    private void RenderChart(JsonObject figure)
    {
        string id = $"chart-{++ChartCount}";
        // Read as text: a JsonValue built from an int does not convert to double, one parsed from a file does.
        int height = figure["layout"]?["height"] is JsonValue h && double.TryParse(h.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double hv)
            && hv is > 100 and < 2000 ? (int)hv : 480;
        // "</" is escaped so the JSON cannot close its script element; "<\/" is still the same JSON string.
        string json = figure.ToJsonString().Replace("</", "<\\/", StringComparison.Ordinal);
        _body.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\" class=\"chart\" style=\"height:{height}px\"></div>\n")
            .Append(CultureInfo.InvariantCulture, $"<script type=\"application/json\" class=\"chart-figure\" data-chart=\"{id}\">{json}</script>\n");
    }

    private static string? Text(JsonObject data, string mime) => data[mime] switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>())),
        _ => null,
    };

    private static string StripAnsi(string text) => AnsiEscape().Replace(text, "");

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    private static string? FindTitle(Notebook notebook)
    {
        foreach (var cell in notebook.Cells.Where(c => c.Kind == CellKind.Markdown))
            foreach (var line in cell.Source.Split('\n'))
                if (line.StartsWith("# ", StringComparison.Ordinal)) return PlainText(line[2..]);
        return null;
    }

    /// <summary>The first non-heading paragraph of the first markdown cell, as inline HTML.</summary>
    private static string FindSummary(Notebook notebook)
    {
        var first = notebook.Cells.FirstOrDefault(c => c.Kind == CellKind.Markdown);
        if (first is null) return "";
        var paragraphs = first.Source.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n");
        var paragraph = paragraphs.Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#'));
        if (paragraph is null) return "";
        string html = global::Markdig.Markdown.ToHtml(paragraph, Markdown).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal) ? html[3..^4] : html;
    }

    /// <summary>Markdown inline text to plain text (emphasis, code and link syntax dropped; math kept as written).</summary>
    internal static string PlainText(string markdown) => global::Markdig.Markdown.ToPlainText(markdown, Markdown).Trim();
}
