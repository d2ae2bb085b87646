using System.Globalization;
using System.Net;
using System.Text;

namespace DimReduce.Cli.Book;

/// <summary>One page of the book: headings, paragraphs, tables and interactive Plotly charts.</summary>
internal sealed class BookPage(string fileName, string title, string summary)
{
    private readonly StringBuilder _body = new();
    private int _charts;

    public string FileName { get; } = fileName;
    public string Title { get; } = title;
    public string Summary { get; } = summary;
    public int ChartCount => _charts;

    public BookPage Heading(string text, int level = 2)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>\n");
        return this;
    }

    /// <summary>A paragraph of text (HTML-encoded; <c>`code`</c> spans become &lt;code&gt;).</summary>
    public BookPage Paragraph(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        var parts = encoded.Split('`');
        var sb = new StringBuilder();
        for (int i = 0; i < parts.Length; i++) sb.Append(i % 2 == 1 ? $"<code>{parts[i]}</code>" : parts[i]);
        _body.Append("<p>").Append(sb).Append("</p>\n");
        return this;
    }

    /// <summary>A short boxed note (used where the source material is wrong and the course says so).</summary>
    public BookPage Note(string text)
    {
        _body.Append("<div class=\"note\">").Append(WebUtility.HtmlEncode(text)).Append("</div>\n");
        return this;
    }

    public BookPage Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table><thead><tr>");
        foreach (var h in headers) _body.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row) _body.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>An interactive chart from its Plotly figure JSON (<c>{"data": [...], "layout": {...}}</c>).</summary>
    public BookPage Chart(string figureJson, int height = 480)
    {
        string id = $"chart-{++_charts}";
        _body.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\" class=\"chart\" style=\"height:{height}px\"></div>\n");
        _body.Append(CultureInfo.InvariantCulture,
            $"<script>(function(){{var f={figureJson.Replace("</", "<\\/", StringComparison.Ordinal)};var l=f.layout||{{}};delete l.width;delete l.height;l.autosize=true;Plotly.newPlot('{id}',f.data,l,Object.assign({{responsive:true}},f.config||{{}}));}})();</script>\n");
        return this;
    }

    public string Render(IReadOnlyList<BookPage> all) => BookSite.Shell(Title, Navigation(all) + "<main>\n<h1>" + WebUtility.HtmlEncode(Title) + "</h1>\n" + _body + "</main>\n");

    private string Navigation(IReadOnlyList<BookPage> all)
    {
        var sb = new StringBuilder("<nav><a href=\"index.html\">Contents</a>");
        foreach (var p in all)
            sb.Append(p == this ? $" | <b>{WebUtility.HtmlEncode(p.Title)}</b>" : $" | <a href=\"{p.FileName}\">{WebUtility.HtmlEncode(p.Title)}</a>");
        return sb.Append("</nav>\n").ToString();
    }
}

/// <summary>Writes a set of pages, an index and the plotly.js they share into a folder.</summary>
internal static class BookSite
{
    public const string PlotlyFile = "plotly.min.js";

    public static void Write(string directory, string title, string introduction, IReadOnlyList<BookPage> pages)
    {
        Directory.CreateDirectory(directory);
        WritePlotly(directory);
        foreach (var page in pages)
            AtomicFile.WriteAllText(Path.Combine(directory, page.FileName), page.Render(pages));
        var index = new StringBuilder("<main>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n<p>")
            .Append(WebUtility.HtmlEncode(introduction)).Append("</p>\n<ol>\n");
        foreach (var page in pages)
            index.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{page.FileName}\">{WebUtility.HtmlEncode(page.Title)}</a>: {WebUtility.HtmlEncode(page.Summary)}</li>\n");
        index.Append("</ol>\n</main>\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "index.html"), Shell(title, index.ToString()));
    }

    /// <summary>Copies the plotly.js that Plotly.NET embeds, so the book works offline.</summary>
    private static void WritePlotly(string directory)
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        string name = asm.GetManifestResourceNames().First(n => n.EndsWith(".min.js", StringComparison.Ordinal) && n.Contains("plotly-", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        AtomicFile.WriteAllBytes(Path.Combine(directory, PlotlyFile), copy.ToArray());
    }

    public static string Shell(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <script src="{{PlotlyFile}}"></script>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem 2rem; line-height: 1.5; color: #222; }
        nav { font-size: 0.9rem; border-bottom: 1px solid #ddd; padding-bottom: 0.5rem; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        code { background: #f4f4f4; padding: 0 0.2rem; }
        .note { border-left: 4px solid #d9822b; background: #fdf6ec; padding: 0.5rem 1rem; margin: 1rem 0; }
        .chart { width: 100%; }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """;
}
