using System.CommandLine;
using System.Diagnostics;
using DimReduce.Cli.Book;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary><c>dimreduce book [--out book] [--quick]</c>: execute the course on the shipped data and write its HTML book.</summary>
internal static class BookCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for the book (index.html, one page per chapter, plotly.min.js).", DefaultValueFactory = _ => "book" };
        var quick = new Option<bool>("--quick") { Description = "Smaller subsets, as CI runs it (also set by DIMREDUCE_QUICK=1)." };
        var command = new Command("book", "Execute the course on the shipped data and build its HTML book (works offline).") { output, quick };
        command.SetAction(p => CliErrors.Run(() =>
        {
            bool isQuick = p.GetValue(quick) || Environment.GetEnvironmentVariable("DIMREDUCE_QUICK") == "1";
            string dir = p.GetValue(output)!;
            var sw = Stopwatch.StartNew();
            AnsiConsole.MarkupLine($"Building the book{(isQuick ? " (quick mode)" : "")} ...");
            var pages = FoundationTour.Build(isQuick, new SynchronousProgress(m => AnsiConsole.MarkupLine("  " + Markup.Escape(m))));
            BookSite.Write(dir, "DimReduce Notebooks",
                "A C# course on dimensionality reduction. These pages are computed by the course's library on the shipped data each time the book is built" +
                (isQuick ? " (quick mode: smaller subsets)." : "."), pages);
            AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(Path.Combine(dir, "index.html"))}: {pages.Count} pages, {pages.Sum(x => x.ChartCount)} charts, {sw.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return command;
    }
}
