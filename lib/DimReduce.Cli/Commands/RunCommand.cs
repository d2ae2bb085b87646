using System.CommandLine;
using System.Globalization;
using DimReduce.Interactive;
using DimReduce.Interactive.Documents;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary>
/// <c>dimreduce run &lt;files or folders&gt; [--quick] [--timeout S] [--out DIR | --in-place] [--continue]</c>:
/// execute notebooks in this process, one fresh session each, and optionally save them with their outputs.
/// </summary>
internal static class RunCommand
{
    private static readonly string[] SkippedFolders = ["bin", "obj", ".ipynb_checkpoints", ".git", "node_modules"];

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Notebooks (.ipynb, .dib) or folders to search for them.", Arity = ArgumentArity.OneOrMore };
        var quick = new Option<bool>("--quick") { Description = "Quick mode: sets DIMREDUCE_QUICK=1, which notebooks read as DimReduce.Course.Quick (smaller data, fewer epochs)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a cell may run before it is cancelled (0: no limit).", DefaultValueFactory = _ => 600 };
        var output = new Option<string?>("--out", "-o") { Description = "Folder to write the executed notebooks to (as .ipynb, with outputs)." };
        var inPlace = new Option<bool>("--in-place") { Description = "Write the outputs back into each .ipynb file." };
        var keepGoing = new Option<bool>("--continue") { Description = "Run every cell and notebook even after an error (the exit code is still 1)." };
        var command = new Command("run", "Execute notebooks with the DimReduce engine and report each one; without --out or --in-place nothing is written.")
        {
            paths, quick, timeout, output, inPlace, keepGoing,
        };
        command.SetAction(p => CliErrors.Run(() =>
        {
            string? outDir = p.GetValue(output);
            bool inplace = p.GetValue(inPlace), continueOnError = p.GetValue(keepGoing);
            double seconds = p.GetValue(timeout);
            if (outDir is not null && inplace)
                throw new ArgumentException("--out and --in-place were both given; choose one: --out DIR writes copies, --in-place overwrites the .ipynb files.");
            if (seconds < 0 || double.IsNaN(seconds))
                throw new ArgumentException($"--timeout is {seconds.ToString(CultureInfo.InvariantCulture)}, but it must be 0 (no limit) or a positive number of seconds.");
            var notebooks = Collect(p.GetValue(paths)!);
            var targets = Targets(notebooks, outDir, inplace);
            if (outDir is not null) Directory.CreateDirectory(outDir);
            if (p.GetValue(quick)) Environment.SetEnvironmentVariable(Course.QuickVariable, "1");

            var options = new RunOptions { CellTimeout = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null, ContinueOnError = continueOnError };
            var table = new Table().AddColumns("notebook", "cells", "seconds", "status");
            var results = new List<NotebookRunResult>();
            foreach (var path in notebooks)
            {
                var result = NotebookRunner.Run(path, options);
                results.Add(result);
                if (targets.TryGetValue(path, out var target)) NotebookFile.Write(result.Notebook, target);
                string status = result.Succeeded ? "[green]ok[/]" : $"[red]error[/] in cell {result.Failures[0].Cell}" + (result.Failures.Count > 1 ? $" (+{result.Failures.Count - 1} more)" : "");
                table.AddRow(Markup.Escape(path), $"{result.Executed}/{result.CodeCells}", result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture), status);
                if (!result.Succeeded && !continueOnError) break;
            }
            AnsiConsole.Write(table);
            foreach (var result in results)
            {
                foreach (var (cell, error) in result.Failures)
                {
                    Console.Error.WriteLine($"{result.Path}, cell {cell}: {error.ErrorName}: {error.ErrorValue}");
                    foreach (var line in error.Traceback.Skip(1)) Console.Error.WriteLine(line);
                }
            }
            foreach (var (_, target) in targets.Where(t => results.Any(r => r.Path == t.Key))) AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(target)}");
            int skipped = notebooks.Count - results.Count;
            if (skipped > 0) AnsiConsole.MarkupLine($"{skipped} notebook(s) not run after the error (use --continue to run them all).");
            return results.All(r => r.Succeeded) && skipped == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>The notebooks named by <paramref name="paths"/> (files, or folders searched recursively), folders in ordinal file order.</summary>
    internal static List<string> Collect(IEnumerable<string> paths)
    {
        var list = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                list.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => NotebookFile.IsNotebook(f) && !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(SkippedFolders.Contains))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                if (!NotebookFile.IsNotebook(path)) throw new ArgumentException($"'{path}' is not a notebook: pass .ipynb or .dib files, or folders.");
                list.Add(path);
            }
            else throw new FileNotFoundException($"'{path}' does not exist.", path);
        }
        if (list.Count == 0) throw new ArgumentException($"No .ipynb or .dib notebooks found in {string.Join(", ", paths)}.");
        return list;
    }

    private static Dictionary<string, string> Targets(List<string> notebooks, string? outDir, bool inPlace)
    {
        var targets = new Dictionary<string, string>();
        foreach (var path in notebooks)
        {
            if (inPlace)
            {
                if (!path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"--in-place cannot store outputs in '{path}': a .dib file has none. Use --out DIR, which writes it as .ipynb.");
                targets[path] = path;
            }
            else if (outDir is not null)
            {
                string target = Path.Combine(outDir, Path.GetFileNameWithoutExtension(path) + ".ipynb");
                if (targets.ContainsValue(target))
                    throw new ArgumentException($"Two notebooks would be written to '{target}'; run them with different --out folders.");
                targets[path] = target;
            }
        }
        return targets;
    }
}
