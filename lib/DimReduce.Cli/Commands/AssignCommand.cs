using System.CommandLine;
using System.Globalization;
using DimReduce.Cli.Grading;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary>
/// <c>dimreduce assign SOURCES... --out DIR [--check] [--update-source]</c>: the student versions of graded notebooks
/// (solution regions stubbed, hidden tests removed, nbgrader metadata on graded cells). Rules: solutions/README.md.
/// </summary>
internal static class AssignCommand
{
    public static Command Create()
    {
        var sources = new Argument<string[]>("sources") { Description = "Instructor notebooks (.ipynb, .dib) or folders of them, e.g. solutions/.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the student versions (same relative paths and formats), e.g. exercises/.", Required = true };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 if a file in --out differs from what assign would write, is missing, or has no source (for CI)." };
        var update = new Option<bool>("--update-source") { Description = "Also write nbgrader cell metadata into the source .ipynb files from their '// TEST'/'// SOLUTION'/'// LOCKED' headers." };
        var command = new Command("assign", "Generate student notebooks from instructor sources: '// BEGIN SOLUTION' regions become stubs, hidden tests are removed.")
        {
            sources, output, check, update,
        };
        command.SetAction(p => CliErrors.Run(() =>
        {
            string outDir = p.GetValue(output)!;
            bool checkOnly = p.GetValue(check);
            var generated = Assigner.Run(p.GetValue(sources)!, outDir, checkOnly, p.GetValue(update));
            var stale = checkOnly ? Assigner.Stale(outDir, generated) : [];
            var table = new Table().AddColumns("source", "student version", "tests", "points", "status");
            foreach (var g in generated)
            {
                string status = g.UpToDate ? "up to date" : checkOnly ? (File.Exists(g.Target) ? "[red]differs[/]" : "[red]missing[/]") : "[green]written[/]";
                table.AddRow(Markup.Escape(g.Source), Markup.Escape(g.Target), g.Tests.ToString(CultureInfo.InvariantCulture), g.Points.ToString(CultureInfo.InvariantCulture), status);
            }
            foreach (var s in stale) table.AddRow("", Markup.Escape(s), "", "", "[red]no source[/]");
            AnsiConsole.Write(table);
            if (!checkOnly) return 0;
            int bad = generated.Count(g => !g.UpToDate) + stale.Count;
            if (bad == 0) return 0;
            Console.Error.WriteLine($"error: {bad} student notebook(s) in {outDir} do not match their sources. Run 'dimreduce assign {string.Join(' ', p.GetValue(sources)!)} --out {outDir}' and commit the result.");
            return 1;
        }));
        return command;
    }
}
