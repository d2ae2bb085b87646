using System.Diagnostics;
using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Runner;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dimreduce-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record CliResult(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs the built dimreduce command as a separate process, as a user runs it.</summary>
    private static CliResult Cli(params string[] args)
    {
        // A fixed working directory: the engine's in-process runs in other tests move the process's current directory
        // into their temporary folders for a moment, and a child started then would inherit a folder about to be deleted.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DimReduce.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        psi.Environment.Remove("DIMREDUCE_QUICK");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("dimreduce did not finish within 120 s: " + string.Join(' ', args)); }
        return new CliResult(p.ExitCode, stdout, stderr.Result);
    }

    private string Write(string name, params (string Kernel, string Source)[] cells)
    {
        var notebook = new Notebook();
        foreach (var (kernel, source) in cells)
        {
            if (kernel == "markdown") notebook.AddMarkdown(source);
            else notebook.AddCode(source, kernel);
        }
        string path = Path.Combine(_dir, name);
        NotebookFile.Write(notebook, path);
        return path;
    }

    [Fact]
    public void Run_writes_executed_notebooks_with_outputs_and_reports_a_table()
    {
        Write("five.ipynb",
            ("markdown", "# Five cells"),
            ("csharp", "var wine = BundledSets.Wine();\nConsole.WriteLine(wine.Features.Rows);"),
            ("csharp", "File.WriteAllText(\"made-here.txt\", \"x\");\nDimReduce.Course.Quick"),
            ("html", "<b>html by metadata</b>"),
            ("csharp", "#!time\nwine.Features.Columns"));
        string outDir = Path.Combine(_dir, "out");
        var r = Cli("run", _dir, "--out", outDir, "--quick", "--timeout", "60");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("five.ipynb", r.Stdout);
        Assert.Contains("4/4", r.Stdout);
        Assert.Contains("ok", r.Stdout);
        Assert.True(File.Exists(Path.Combine(_dir, "made-here.txt")), "cells run in the notebook's folder");

        var done = NotebookFile.Read(Path.Combine(outDir, "five.ipynb"));
        Assert.Equal([null, 1, 2, 3, 4], done.Cells.Select(c => c.ExecutionCount));
        Assert.Equal("178\n", done.Cells[1].Outputs.Single().Text);
        Assert.Equal("True", done.Cells[2].Outputs.Single().GetText("text/plain"));   // --quick sets DIMREDUCE_QUICK=1
        Assert.Equal("<b>html by metadata</b>", done.Cells[3].Outputs.Single().GetText("text/html"));
        Assert.Equal("13", done.Cells[4].Result()?.GetText("text/plain"));
        Assert.StartsWith("Wall time:", done.Cells[4].Outputs[^1].GetText("text/plain"));
        // The input was not touched.
        Assert.Empty(NotebookFile.Read(Path.Combine(_dir, "five.ipynb")).Cells[1].Outputs);
    }

    [Fact]
    public void An_error_stops_the_notebook_and_returns_non_zero_and_continue_runs_the_rest()
    {
        string path = Write("bad.ipynb",
            ("csharp", "var x = 1;"),
            ("csharp", "throw new InvalidOperationException(\"cell two failed\");"),
            ("csharp", "x + 1"));
        var stop = Cli("run", path, "--in-place");
        Assert.Equal(1, stop.ExitCode);
        Assert.Contains("error in cell 2", stop.Stdout);
        Assert.Contains("cell two failed", stop.Stderr);
        var stopped = NotebookFile.Read(path);
        Assert.Equal("InvalidOperationException", stopped.Cells[1].Outputs.Single().ErrorName);
        Assert.Empty(stopped.Cells[2].Outputs);
        Assert.Null(stopped.Cells[2].ExecutionCount);

        var all = Cli("run", path, "--in-place", "--continue");
        Assert.Equal(1, all.ExitCode);
        Assert.Equal("2", NotebookFile.Read(path).Cells[2].Result()?.GetText("text/plain"));
    }

    [Fact]
    public void A_cell_past_its_timeout_fails_the_run()
    {
        string path = Write("slow.dib", ("csharp", "await Task.Delay(30_000, KernelInvocationContext.Current!.CancellationToken);"));
        var r = Cli("run", path, "--timeout", "0.5");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("The cell was cancelled: it ran past its timeout of 0.5 s.", r.Stderr);
        var dib = Cli("run", path, "--in-place");
        Assert.Equal(1, dib.ExitCode);
        Assert.Contains("a .dib file has none", dib.Stderr);
    }

    [Fact]
    public void Convert_round_trips_through_the_command()
    {
        string dib = Path.Combine(AppContext.BaseDirectory, "TestData", "course.dib");
        string ipynb = Path.Combine(_dir, "course.ipynb"), back = Path.Combine(_dir, "course.dib");
        Assert.Equal(0, Cli("convert", dib, ipynb).ExitCode);
        Assert.Equal(".net-csharp", JsonNode.Parse(File.ReadAllText(ipynb))!["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal(0, Cli("convert", ipynb, back).ExitCode);
        Assert.Equal(File.ReadAllBytes(dib), File.ReadAllBytes(back));
    }
}

internal static class CellExtensions
{
    public static NotebookOutput? Result(this NotebookCell cell) => cell.Outputs.FirstOrDefault(o => o.Kind == OutputKind.ExecuteResult);
}
