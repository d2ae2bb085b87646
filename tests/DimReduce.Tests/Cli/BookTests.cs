using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DimReduce.Cli.Book;
using DimReduce.Interactive.Documents;

namespace DimReduce.Tests.Cli;

/// <summary>The book's page renderer: markdown with math, code cells with every kind of output, charts.</summary>
public class NotebookPageTests
{
    private static Notebook Sample()
    {
        var nb = new Notebook();
        nb.AddMarkdown("# Chapter 9: A *sample* chapter\n\nYou will see $x^2$ and a **table**.\n\n## Section\n\n$$\nC = \\frac{1}{n-1} \\sum_i x_i x_i^\\top\n$$\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        var code = nb.AddCode("Console.WriteLine(\"<hello>\");\ndisplay(chart);");
        code.ExecutionCount = 3;
        code.Outputs.Add(NotebookOutput.Stream("stdout", "<hello>\n"));
        var figure = new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["type"] = "scatter", ["x"] = new JsonArray(1, 2), ["y"] = new JsonArray(3, 4), ["name"] = "</script><b>" }),
            ["layout"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "t" }, ["height"] = 360 },
        };
        code.Outputs.Add(NotebookOutput.Display(new JsonObject
        {
            ["application/vnd.plotly.v1+json"] = figure,
            ["text/html"] = "<div>fallback that loads https://cdn.plot.ly</div>",
            ["text/plain"] = "Plotly chart",
        }));
        code.Outputs.Add(NotebookOutput.Result(new JsonObject { ["text/html"] = "<table class=\"t\"><tr><td>1</td></tr></table>", ["text/plain"] = "1" }, 3));
        code.Outputs.Add(NotebookOutput.Display(new JsonObject { ["image/png"] = "iVBORw0KGgo=", ["text/plain"] = "image" }));
        code.Outputs.Add(NotebookOutput.Display(new JsonObject { ["text/markdown"] = "Output with $y$", ["text/html"] = "<p>Output with y</p>", ["text/plain"] = "Output with y" }));
        code.Outputs.Add(NotebookOutput.Result(new JsonObject { ["text/plain"] = "a < b" }, 3));
        var failing = nb.AddCode("throw new Exception(\"boom\");");
        failing.ExecutionCount = 4;
        failing.Outputs.Add(NotebookOutput.Failure("Exception", "boom", ["\u001b[31mException: boom\u001b[0m", "   at Submission#4"]));
        nb.Cells.Add(new NotebookCell { Kind = CellKind.Raw, KernelName = "raw", Source = "raw text is not shown" });
        return nb;
    }

    [Fact]
    public void Title_and_summary_come_from_the_first_markdown_cell()
    {
        var page = new NotebookPage(Sample(), "09-sample.html");
        Assert.Equal("Chapter 9: A sample chapter", page.Title);
        Assert.Contains("<span class=\"math\">\\(x^2\\)</span>", page.SummaryHtml);
        Assert.Contains("<strong>table</strong>", page.SummaryHtml);
        Assert.DoesNotContain("<p>", page.SummaryHtml);
    }

    [Fact]
    public void Markdown_keeps_inline_and_display_math_for_katex_and_renders_tables()
    {
        string body = new NotebookPage(Sample(), "09-sample.html").Body;
        Assert.Contains("<span class=\"math\">\\(x^2\\)</span>", body);
        Assert.Matches(new Regex(@"<div class=""math"">\s*\\\[\s*C = \\frac\{1\}\{n-1\} \\sum_i x_i x_i\^\\top\s*\\\]\s*</div>"), body);
        Assert.DoesNotContain("$$", body);
        Assert.Contains("<table>", body);
        Assert.Contains("<h2", body);
    }

    [Fact]
    public void Code_cells_show_source_and_every_output_kind()
    {
        var page = new NotebookPage(Sample(), "09-sample.html");
        string body = page.Body;
        Assert.Contains("In [3]", body);
        Assert.Contains("Console.WriteLine(&quot;&lt;hello&gt;&quot;);", body);
        Assert.Contains("<pre class=\"stream stdout\">&lt;hello&gt;\n</pre>", body);
        Assert.Contains("<table class=\"t\">", body);                                  // text/html passes through
        Assert.Contains("<img alt=\"output image\" src=\"data:image/png;base64,iVBORw0KGgo=\">", body);
        Assert.Contains("Output with <span class=\"math\">\\(y\\)</span>", body);       // text/markdown preferred, math kept
        Assert.Contains("<pre class=\"result\">a &lt; b</pre>", body);
        Assert.Contains("<pre class=\"error\">Exception: boom\n   at Submission#4</pre>", body); // ANSI colours stripped
        Assert.DoesNotContain("raw text is not shown", body);
        Assert.Equal(1, page.ErrorCount);
    }

    [Fact]
    public void A_plotly_output_becomes_a_chart_div_with_its_figure_and_no_cdn_fallback()
    {
        var page = new NotebookPage(Sample(), "09-sample.html");
        string body = page.Body;
        Assert.Equal(1, page.ChartCount);
        Assert.Contains("<div id=\"chart-1\" class=\"chart\" style=\"height:360px\"></div>", body);
        var m = Regex.Match(body, "<script type=\"application/json\" class=\"chart-figure\" data-chart=\"chart-1\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(m.Success, body);
        var figure = JsonNode.Parse(m.Groups[1].Value)!;                               // "<\/" is still valid JSON
        Assert.Equal("</script><b>", figure["data"]![0]!["name"]!.GetValue<string>());
        Assert.DoesNotContain("cdn.plot.ly", body);
    }
}

/// <summary><c>dimreduce book</c> end to end on small notebooks (the course's own chapters are run by the notebook tests).</summary>
public sealed class BookCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dimreduce-book-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params (bool Markdown, string Source)[] cells)
    {
        var nb = new Notebook();
        foreach (var (markdown, source) in cells)
        {
            if (markdown) nb.AddMarkdown(source);
            else nb.AddCode(source);
        }
        Directory.CreateDirectory(Path.Combine(_dir, "notebooks"));
        string path = Path.Combine(_dir, "notebooks", name);
        NotebookFile.Write(nb, path);
        return path;
    }

    [Fact]
    public void Book_runs_the_notebooks_and_writes_pages_navigation_executed_notebooks_and_offline_assets()
    {
        Write("01-first.ipynb", (true, "# First chapter\n\nWhy $\\lambda_1 \\ge \\lambda_2$."),
            (false, "Console.WriteLine($\"quick={DimReduce.Course.Quick}\");"),
            (false, "display(DimReduce.Charts.Charts.ExplainedVariance(new[] { 0.7, 0.3 }, \"ev\"));"));
        Write("02-second.ipynb", (true, "# Second chapter\n\nMore."), (false, "6 * 7"));
        string book = Path.Combine(_dir, "book");
        var r = CliRunner.Run("book", Path.Combine(_dir, "notebooks"), "--quick", "--out", book);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("2 pages, 1 charts", r.Stdout);

        string index = File.ReadAllText(Path.Combine(book, "index.html"));
        Assert.Contains("<a href=\"01-first.html\">First chapter</a>", index);
        Assert.Contains("<a href=\"02-second.html\">Second chapter</a>", index);
        Assert.Contains("<span class=\"math\">", index);

        string first = File.ReadAllText(Path.Combine(book, "01-first.html"));
        string second = File.ReadAllText(Path.Combine(book, "02-second.html"));
        Assert.Contains("quick=True", first);
        Assert.Contains("class=\"chart\"", first);
        Assert.Contains("rel=\"next\"", first);
        Assert.Contains("href=\"02-second.html\"", first);
        Assert.DoesNotContain("rel=\"prev\"", first);
        Assert.Contains("href=\"01-first.html\" rel=\"prev\"", second);
        Assert.Contains("<pre class=\"result\">42</pre>", second);
        foreach (var html in new[] { index, first, second })
        {
            Assert.Contains("<script src=\"plotly.min.js\"></script>", html);
            Assert.Contains("<script src=\"katex/katex.min.js\"></script>", html);
            Assert.Contains("<script src=\"book.js\"></script>", html);
            Assert.DoesNotContain("https://", html);                                   // nothing from the network
        }

        Assert.True(new FileInfo(Path.Combine(book, "plotly.min.js")).Length > 3_000_000, "plotly.js is copied beside the pages");
        Assert.True(new FileInfo(Path.Combine(book, "katex", "katex.min.js")).Length > 200_000);
        Assert.Contains("MIT", File.ReadAllText(Path.Combine(book, "katex", "LICENSE")));
        var css = File.ReadAllText(Path.Combine(book, "katex", "katex.min.css"));
        foreach (Match font in Regex.Matches(css, @"url\((fonts/[^)]+)\)"))
            Assert.True(File.Exists(Path.Combine(book, "katex", font.Groups[1].Value)), font.Groups[1].Value + " is referenced by katex.min.css");
        Assert.True(File.Exists(Path.Combine(book, "book.css")));
        Assert.Contains("katex.render", File.ReadAllText(Path.Combine(book, "book.js")));

        var executed = NotebookFile.Read(Path.Combine(book, "notebooks", "02-second.ipynb"));
        Assert.Equal("42", executed.Cells[1].Outputs.Single().GetText("text/plain"));
        Assert.Empty(Directory.GetFiles(book, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_failing_cell_is_shown_in_the_book_and_the_exit_code_is_1()
    {
        Write("01-broken.ipynb", (true, "# Broken"), (false, "throw new InvalidOperationException(\"boom\");"));
        string book = Path.Combine(_dir, "book");
        var r = CliRunner.Run("book", Path.Combine(_dir, "notebooks"), "--out", book);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cell 2: InvalidOperationException: boom", r.Stderr);
        Assert.Contains("<pre class=\"error\">InvalidOperationException: boom", File.ReadAllText(Path.Combine(book, "01-broken.html")));
    }

    [Fact]
    public void Executed_renders_outputs_as_they_are_and_rejects_a_notebook_never_run()
    {
        string path = Write("01-done.ipynb", (true, "# Done"), (false, "1 + 1"));
        var nb = NotebookFile.Read(path);
        nb.Cells[1].ExecutionCount = 1;
        nb.Cells[1].Outputs.Add(NotebookOutput.Result(new JsonObject { ["text/plain"] = "kept as executed" }, 1));
        NotebookFile.Write(nb, path);
        string book = Path.Combine(_dir, "book");
        var r = CliRunner.Run("book", path, "--executed", "--out", book);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("kept as executed", File.ReadAllText(Path.Combine(book, "01-done.html")));

        string fresh = Write("02-fresh.ipynb", (true, "# Fresh"), (false, "1 + 1"));
        r = CliRunner.Run("book", fresh, "--executed", "--out", book);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("has not been executed", r.Stderr);
    }

    [Fact]
    public void Without_a_notebooks_folder_book_says_where_to_run_it()
    {
        var psiDir = Directory.CreateTempSubdirectory("dimreduce-empty-").FullName;
        try
        {
            var r = CliRunner.RunIn(psiDir, "book", "--out", Path.Combine(_dir, "book"));
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("There is no 'notebooks' folder", r.Stderr);
        }
        finally { Directory.Delete(psiDir, true); }
    }
}
