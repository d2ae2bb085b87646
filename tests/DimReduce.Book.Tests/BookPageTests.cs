using System.Text.Json;
using Microsoft.Playwright;

namespace DimReduce.Book.Tests;

/// <summary>
/// One chromium for all pages: the system's browser (no download), driven by Playwright, headless and offline.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Book.Chromium,
            Headless = true,
            // WebGL (3-D scatter plots) without a GPU: chromium's software renderer, which it no longer picks by itself.
            Args = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}

/// <summary>Where the book and the browser are: set by tests/book/check-book.sh.</summary>
public static class Book
{
    public const string DirectoryVariable = "DIMREDUCE_BOOK_DIR";
    public const string ChromiumVariable = "DIMREDUCE_CHROMIUM";

    public static string? Directory => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? Path.GetFullPath(d) : null;

    public static string Chromium => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } c ? c : "/usr/bin/chromium";

    /// <summary>Every HTML page of the book, index first; a placeholder when the book folder is not given, so the run fails loudly.</summary>
    public static IEnumerable<object[]> Pages()
    {
        if (Directory is not { } dir || !System.IO.Directory.Exists(dir))
            return [["(no book: set " + DirectoryVariable + " to a folder written by 'dimreduce book', or run tests/book/check-book.sh BOOKDIR)"]];
        return System.IO.Directory.GetFiles(dir, "*.html").Select(Path.GetFileName)
            .OrderBy(n => n == "index.html" ? "" : n, StringComparer.Ordinal).Select(n => new object[] { n! });
    }
}

public sealed class BookPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private sealed record PageReport(
        int Charts, int Figures, int Drawn, string[] Empty, int Math, int Katex, int MathErrors,
        bool RawDisplayMath, string[] Links);

    private const string Inspect = """
        () => {
          const charts = [...document.querySelectorAll('div.chart')];
          const drawn = charts.filter(d => {
            const svg = d.querySelector('.main-svg');
            if (!d.classList.contains('js-plotly-plot') || !svg || svg.childNodes.length === 0) return false;
            const traces = d.querySelectorAll('.main-svg .trace').length;
            const gl = [...d.querySelectorAll('canvas')].some(c => c.width > 0 && c.height > 0);
            // A heatmap (the image grids) is drawn as an <image> of its pixels in a .hm group, not as a .trace.
            const heatmap = [...d.querySelectorAll('.main-svg .hm image')]
              .some(i => (i.getAttribute('href') || i.getAttribute('xlink:href') || '').startsWith('data:image/png'));
            return traces > 0 || gl || heatmap;
          });
          const empty = charts.filter(d => !drawn.includes(d)).map(d => d.id);
          const math = document.querySelectorAll('.math').length;
          const katex = document.querySelectorAll('.math > .katex, .math > .katex-display').length;
          const text = document.body.innerText;
          const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
          return { charts: charts.length, figures: document.querySelectorAll('script.chart-figure').length,
                   drawn: drawn.length, empty, math, katex,
                   mathErrors: document.querySelectorAll('.math-error').length,
                   rawDisplayMath: text.includes('$$'), links };
        }
        """;

    [Theory]
    [MemberData(nameof(Book.Pages), MemberType = typeof(Book))]
    public async Task Page_draws_every_chart_renders_its_math_and_logs_no_errors(string page)
    {
        Assert.True(Book.Directory is { } d && System.IO.Directory.Exists(d), page);
        string path = Path.Combine(Book.Directory!, page);
        var problems = new List<string>();
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        // Offline: anything that is not a file of the book is refused and reported.
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file://", StringComparison.Ordinal)) await route.ContinueAsync();
            else { problems.Add("network request: " + route.Request.Url); await route.AbortAsync(); }
        });
        var tab = await context.NewPageAsync();
        tab.Console += (_, message) => { if (message.Type == "error") problems.Add("console error: " + message.Text); };
        tab.PageError += (_, error) => problems.Add("page error: " + error);
        tab.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} ({request.Failure})");

        await tab.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        // Wait until every chart has its plot SVG (or until 30 s), then look.
        try
        {
            await tab.WaitForFunctionAsync("() => [...document.querySelectorAll('div.chart')].every(d => d.querySelector('.main-svg'))", null,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException) { problems.Add("charts still not drawn after 30 s"); }
        await tab.WaitForTimeoutAsync(300);      // late console errors (fonts, WebGL) get a moment to arrive

        var json = await tab.EvaluateAsync<JsonElement>(Inspect);
        var report = json.Deserialize<PageReport>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        Console.WriteLine($"{page}: {report.Drawn}/{report.Charts} charts drawn, {report.Katex}/{report.Math} math elements rendered");

        Assert.True(problems.Count == 0, $"{page}:\n" + string.Join("\n", problems));
        Assert.Equal(report.Figures, report.Charts);
        Assert.True(report.Drawn == report.Charts, $"{page}: charts without a drawn plot: {string.Join(", ", report.Empty)}");
        Assert.True(report.Katex == report.Math && report.MathErrors == 0, $"{page}: {report.Math} math elements, {report.Katex} rendered by KaTeX, {report.MathErrors} errors");
        Assert.False(report.RawDisplayMath, $"{page}: raw $$ left in the page text");
        if (page != "index.html") Assert.True(report.Math > 0, $"{page}: a chapter page has math, but no .math element was found");
        foreach (var link in report.Links.Where(l => !l.Contains(':', StringComparison.Ordinal) && !l.StartsWith('#')))
            Assert.True(File.Exists(Path.Combine(Book.Directory!, link.Split('#')[0])), $"{page}: broken link {link}");
    }
}
