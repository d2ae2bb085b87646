using System.Net;
using System.Text;

namespace DimReduce.Cli.Book;

/// <summary>
/// Writes the book: an index, one page per notebook with previous/next links, and the assets the pages share
/// (plotly.js, KaTeX with its fonts, the stylesheet and script), so the folder works offline.
/// </summary>
internal static class BookSite
{
    public const string PlotlyFile = "plotly.min.js";
    public const string StyleFile = "book.css";
    public const string ScriptFile = "book.js";
    public const string KatexFolder = "katex";

    /// <summary>The resource name prefix of the files under <c>Book/Assets</c> (see the project file).</summary>
    private const string AssetPrefix = "DimReduce.Cli.Book.Assets/";

    /// <summary>Writes <paramref name="pages"/>, the index and the shared assets into <paramref name="directory"/>.</summary>
    /// <param name="directory">Output folder (created if missing).</param>
    /// <param name="title">Book title.</param>
    /// <param name="introductionHtml">Paragraph(s) of HTML under the title on the index page.</param>
    /// <param name="pages">Pages in reading order.</param>
    public static void Write(string directory, string title, string introductionHtml, IReadOnlyList<NotebookPage> pages)
    {
        Directory.CreateDirectory(directory);
        WritePlotly(directory);
        WriteAssets(directory);
        for (int i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            var previous = i > 0 ? pages[i - 1] : null;
            var next = i + 1 < pages.Count ? pages[i + 1] : null;
            var nav = Navigation(title, previous, next);
            var download = page.NotebookLink is null ? "" :
                $"<p class=\"download\"><a href=\"{WebUtility.HtmlEncode(page.NotebookLink)}\" download>Download this notebook with its outputs (.ipynb)</a></p>\n";
            AtomicFile.WriteAllText(Path.Combine(directory, page.FileName),
                Shell(page.Title + " - " + title, nav + "<main>\n" + download + page.Body + "</main>\n" + nav.Replace("class=\"top\"", "class=\"bottom\"", StringComparison.Ordinal)));
        }
        var index = new StringBuilder("<main>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n")
            .Append(introductionHtml).Append("\n<ol class=\"contents\">\n");
        foreach (var page in pages)
        {
            index.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(page.FileName)).Append("\">").Append(WebUtility.HtmlEncode(page.Title)).Append("</a>");
            if (page.SummaryHtml.Length > 0) index.Append("<p>").Append(page.SummaryHtml).Append("</p>");
            index.Append("</li>\n");
        }
        index.Append("</ol>\n</main>\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "index.html"), Shell(title, index.ToString()));
    }

    private static string Navigation(string title, NotebookPage? previous, NotebookPage? next)
    {
        var sb = new StringBuilder("<nav class=\"top\">");
        sb.Append(previous is null ? "<span class=\"prev\"></span>" : $"<a class=\"prev\" href=\"{WebUtility.HtmlEncode(previous.FileName)}\" rel=\"prev\">&larr; {WebUtility.HtmlEncode(previous.Title)}</a>");
        sb.Append($"<a class=\"contents\" href=\"index.html\">{WebUtility.HtmlEncode(title)}: contents</a>");
        sb.Append(next is null ? "<span class=\"next\"></span>" : $"<a class=\"next\" href=\"{WebUtility.HtmlEncode(next.FileName)}\" rel=\"next\">{WebUtility.HtmlEncode(next.Title)} &rarr;</a>");
        return sb.Append("</nav>\n").ToString();
    }

    /// <summary>Copies the plotly.js that Plotly.NET embeds, so the book works offline with the version its figures are written for.</summary>
    private static void WritePlotly(string directory)
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        string name = asm.GetManifestResourceNames().First(n => n.EndsWith(".min.js", StringComparison.Ordinal) && n.Contains("plotly-", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        AtomicFile.Write(Path.Combine(directory, PlotlyFile), stream.CopyTo);
    }

    /// <summary>Writes the embedded files of <c>Book/Assets</c> (KaTeX, its fonts and licence, book.css, book.js) under their relative paths.</summary>
    private static void WriteAssets(string directory)
    {
        var asm = typeof(BookSite).Assembly;
        foreach (string name in asm.GetManifestResourceNames().Where(n => n.StartsWith(AssetPrefix, StringComparison.Ordinal)))
        {
            string relative = name[AssetPrefix.Length..].Replace('\\', '/');
            if (relative.EndsWith("README.md", StringComparison.Ordinal)) continue;
            string target = Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var stream = asm.GetManifestResourceStream(name)!;
            AtomicFile.Write(target, stream.CopyTo);
        }
    }

    public static string Shell(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <link rel="stylesheet" href="{{KatexFolder}}/katex.min.css">
        <link rel="stylesheet" href="{{StyleFile}}">
        <script src="{{PlotlyFile}}"></script>
        <script src="{{KatexFolder}}/katex.min.js"></script>
        </head>
        <body>
        {{body}}
        <script src="{{ScriptFile}}"></script>
        </body>
        </html>
        """;
}
