using System.CommandLine;
using System.Globalization;
using System.Diagnostics;
using DimReduce.Cli.Book;
using DimReduce.Interactive;
using DimReduce.Interactive.Documents;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary>
/// <c>dimreduce book [notebooks or folders] [--out book] [--quick] [--executed] [--timeout S]</c>: execute the course's
/// notebooks with the engine and render them as a static HTML book that works offline.
/// </summary>
internal static class BookCommand
{
    /// <summary>Where the course's notebooks are, relative to the repository root (the default of the paths argument).</summary>
    public const string DefaultNotebooks = "notebooks";

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = $"Notebooks (.ipynb, .dib) or folders, in reading order (default: {DefaultNotebooks}).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the book (index.html, one page per notebook, the executed notebooks, plotly.js and KaTeX).", DefaultValueFactory = _ => "book" };
        var quick = new Option<bool>("--quick") { Description = "Quick mode, as CI runs it: sets DIMREDUCE_QUICK=1 (smaller samples, fewer iterations; also set by the environment)." };
        var executed = new Option<bool>("--executed") { Description = "Render the notebooks as they are, outputs included (for example written by 'dimreduce run --out'), without running them." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a cell may run before it is cancelled (0: no limit).", DefaultValueFactory = _ => 600 };
        var command = new Command("book", "Execute the course's notebooks on the shipped data and build their HTML book (works offline).") { paths, output, quick, executed, timeout };
        command.SetAction(p => CliErrors.Run(() =>
        {
            double seconds = p.GetValue(timeout);
            if (seconds < 0 || double.IsNaN(seconds))
                throw new ArgumentException($"--timeout is {seconds.ToString(CultureInfo.InvariantCulture)}, but it must be 0 (no limit) or a positive number of seconds.");
            var given = p.GetValue(paths) is { Length: > 0 } list ? list : [DefaultNotebooks];
            if (given is [DefaultNotebooks] && !Directory.Exists(DefaultNotebooks))
                throw new ArgumentException($"There is no '{DefaultNotebooks}' folder in {Environment.CurrentDirectory}. Run 'dimreduce book' from the repository root, or pass the notebooks or their folder.");
            var notebooks = RunCommand.Collect(given);
            if (p.GetValue(quick)) Environment.SetEnvironmentVariable(Course.QuickVariable, "1");
            bool isQuick = Course.Quick, render = p.GetValue(executed);
            string dir = p.GetValue(output)!;

            var clock = Stopwatch.StartNew();
            AnsiConsole.MarkupLine(render ? $"Rendering {notebooks.Count} executed notebook(s) ..." : $"Running {notebooks.Count} notebook(s){(isQuick ? " in quick mode" : "")} ...");
            var options = new RunOptions { CellTimeout = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null };
            var table = new Table().AddColumns("notebook", "cells", "seconds", "status");
            var pages = new List<NotebookPage>();
            var failures = new List<string>();
            string notebookDir = Path.Combine(dir, "notebooks");
            Directory.CreateDirectory(notebookDir);
            foreach (var path in notebooks)
            {
                Notebook notebook;
                string status;
                if (render)
                {
                    notebook = NotebookFile.Read(path);
                    if (notebook.Cells.Any(c => c.Kind == CellKind.Code) && notebook.Cells.All(c => c.Kind != CellKind.Code || c.ExecutionCount is null))
                        throw new ArgumentException($"'{path}' has not been executed (no code cell has an execution count). Run it first ('dimreduce run --out DIR'), or leave out --executed so that book runs it.");
                    int errors = notebook.Cells.Sum(c => c.Outputs.Count(o => o.Kind == OutputKind.Error));
                    status = errors == 0 ? "[green]ok[/] (as executed)" : $"[red]{errors} error output(s)[/]";
                    if (errors > 0) failures.Add($"{path}: {errors} error output(s)");
                    table.AddRow(Markup.Escape(path), notebook.Cells.Count(c => c.Kind == CellKind.Code).ToString(CultureInfo.InvariantCulture), "-", status);
                }
                else
                {
                    var result = NotebookRunner.Run(path, options);
                    notebook = result.Notebook;
                    status = result.Succeeded ? "[green]ok[/]" : $"[red]error[/] in cell {result.Failures[0].Cell}";
                    foreach (var (cell, error) in result.Failures)
                        failures.Add($"{path}, cell {cell}: {error.ErrorName}: {error.ErrorValue}");
                    table.AddRow(Markup.Escape(path), $"{result.Executed}/{result.CodeCells}", result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture), status);
                }
                string name = Path.GetFileNameWithoutExtension(path);
                NotebookFile.Write(notebook, Path.Combine(notebookDir, name + ".ipynb"));
                pages.Add(new NotebookPage(notebook, name + ".html", "notebooks/" + name + ".ipynb"));
            }
            if (pages.Select(x => x.FileName).Distinct(StringComparer.OrdinalIgnoreCase).Count() != pages.Count)
                throw new ArgumentException("Two notebooks have the same file name, so their pages would overwrite each other: rename one of them.");

            string introduction =
                "<p>A C# course on dimensionality reduction. Each chapter is a notebook, " +
                (render ? "shown with the outputs it was executed with." : "executed by the course's notebook engine on the shipped data when this book was built" + (isQuick ? " (quick mode: smaller samples and fewer iterations)." : ".")) +
                " Charts are interactive; every page works offline.</p>";
            BookSite.Write(dir, "DimReduce Notebooks", introduction, pages);
            AnsiConsole.Write(table);
            foreach (var failure in failures) Console.Error.WriteLine(failure);
            AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(Path.Combine(dir, "index.html"))}: {pages.Count} pages, {pages.Sum(x => x.ChartCount)} charts, {clock.Elapsed.TotalSeconds:0.0} s");
            if (failures.Count > 0)
            {
                Console.Error.WriteLine($"{failures.Count} error(s): the book shows them, but it is not a clean build.");
                return 1;
            }
            return 0;
        }));
        return command;
    }
}
