using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Notebooks;

/// <summary>
/// Runs the course's chapter notebooks once, in quick mode, with <c>dimreduce run</c> (a separate process, as CI runs
/// them), and keeps the executed copies for the checks below.
/// </summary>
public sealed class ChapterRun : IDisposable
{
    public const string Chapter1 = "01-manifold-hypothesis-and-pca";
    public const string Chapter2 = "02-pca-in-practice";

    private readonly string _out = Directory.CreateTempSubdirectory("dimreduce-chapters-").FullName;

    public ChapterRun()
    {
        // A fixed working directory: the engine's in-process runs in other tests move the process's current directory
        // into their temporary folders for a moment, and a child started then would inherit a folder about to be deleted.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DimReduce.Cli.dll"));
        foreach (var a in new[] { "run", "--quick", "--out", _out, Source(Chapter1), Source(Chapter2) }) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        Stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(600_000)) { p.Kill(true); throw new TimeoutException("the chapter notebooks did not finish within 600 s in quick mode"); }
        ExitCode = p.ExitCode;
        Stderr = stderr.Result;
    }

    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }

    public Notebook Executed(string name) => NotebookFile.Read(Path.Combine(_out, name + ".ipynb"));

    /// <summary>All stdout the notebook's cells printed, in order.</summary>
    public string Printed(string name) => string.Concat(Executed(name).Cells.SelectMany(c => c.Outputs)
        .Where(o => o.Kind == OutputKind.Stream && o.StreamName == "stdout").Select(o => o.Text));

    /// <summary>The committed notebook in the repository's notebooks folder (tests run from tests/.../bin/...).</summary>
    public static string Source(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "notebooks", name + ".ipynb");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"notebooks/{name}.ipynb not found above {AppContext.BaseDirectory}.");
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}

public sealed class ChapterNotebookTests(ChapterRun run) : IClassFixture<ChapterRun>
{
    private static double Number(string text, string pattern)
    {
        var m = Regex.Match(text, pattern);
        Assert.True(m.Success, $"no match for /{pattern}/ in:\n{text}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Both_chapters_run_in_quick_mode_without_error_and_draw_their_charts()
    {
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        foreach (var name in new[] { ChapterRun.Chapter1, ChapterRun.Chapter2 })
        {
            var nb = run.Executed(name);
            var code = nb.Cells.Where(c => c.Kind == CellKind.Code).ToList();
            Assert.All(code, c => Assert.NotNull(c.ExecutionCount));
            Assert.DoesNotContain(code.SelectMany(c => c.Outputs), o => o.Kind == OutputKind.Error);
            Assert.Equal(5, code.SelectMany(c => c.Outputs).Count(o => o.Data.ContainsKey(MimeTypes.Plotly)));
            Assert.Contains("quick mode: True", run.Printed(name));
        }
    }

    [Fact]
    public void Chapter1_finds_the_eigenvalues_3_plus_minus_sqrt5_and_the_theorem_holds()
    {
        string text = run.Printed(ChapterRun.Chapter1);
        // 2,000 points: an eigenvalue's sampling standard deviation is about lambda * sqrt(2 / n), 0.17 and 0.024 here.
        Assert.InRange(Number(text, @"sorted eigenvalues: ([\d.]+),"), 3 + Math.Sqrt(5) - 0.5, 3 + Math.Sqrt(5) + 0.5);
        Assert.InRange(Number(text, @"sorted eigenvalues: [\d.]+, ([\d.]+)"), 3 - Math.Sqrt(5) - 0.1, 3 - Math.Sqrt(5) + 0.1);
        Assert.InRange(Number(text, @"slope ([\d.]+)   \(theory"), 0.57, 0.67);                    // (sqrt 5 - 1) / 2 = 0.618
        Assert.Equal(2, Regex.Matches(text, @"\|cos angle\| = 1\.0000").Count);                    // SVD axes = eigenvectors
        Assert.True(Number(text, @"difference: ([\d.e+-]+)") < 1e-10, "reconstruction error = discarded eigenvalue");
        Assert.True(Number(text, @"error ([\d.]+), [\d.]+ times larger") > 2 * Number(text, @"discarded eigenvalue lambda2: ([\d.]+)"),
            "the uncentred projection is worse");
        Assert.InRange(Number(text, @"ExplainedVarianceRatio: ([\d.]+), [\d.]+   \(theory"), 0.85, 0.89);  // (3 + sqrt 5) / 6 = 0.873
        Assert.True(Number(text, @"in 3-D (\d+) %") >= 90, text);
        Assert.True(Number(text, @"in the PCA plane (\d+) %") <= 80, "PCA cannot keep the swiss roll's neighbourhoods: " + text);
    }

    [Fact]
    public void Chapter2_reports_held_out_accuracy_and_the_components_for_95_percent()
    {
        string text = run.Printed(ChapterRun.Chapter2);
        Assert.Contains("training rows: 398", text);
        Assert.Contains("test rows: 171", text);
        int byHand = (int)Number(text, @"by hand: (\d+) components");
        Assert.Equal(byHand, (int)Number(text, @"library \(Components = 0\.95\): (\d+) components"));
        Assert.InRange(byHand, 8, 12);                       // scikit-learn keeps 10 on the whole standardised set
        Assert.True(Number(text, @"largest difference in variance ratios ([\d.e+-]+)") < 1e-10, "correlation PCA = scaling + PCA");
        Assert.True(Number(text, @"covariance:  PC1 explains ([\d.]+)%") > 95);
        double raw = Number(text, @"raw features \(30\)\s+[\d.]+\s+([\d.]+)");
        double scaled = Number(text, @"standardised \(30\)\s+[\d.]+\s+([\d.]+)");
        double two = Number(text, @"standardised, PCA to 2\s+[\d.]+\s+([\d.]+)");
        Assert.InRange(scaled, 0.9, 1.0);
        Assert.InRange(two, 0.85, 1.0);
        Assert.True(scaled > raw, $"scaling helps on the test set: {scaled} vs {raw}");
        foreach (var method in new[] { "incremental PCA", "randomized PCA" })
            Assert.Matches(new Regex(Regex.Escape(method) + @".*?\s+[\d.]+\s+(1\.000|0\.99\d)\s+(1\.000|0\.99\d)\s"), text);
    }

    [Fact]
    public void Committed_chapters_have_no_outputs_and_carry_the_polyglot_kernelspec()
    {
        foreach (var name in new[] { ChapterRun.Chapter1, ChapterRun.Chapter2 })
        {
            var nb = NotebookFile.Read(ChapterRun.Source(name));
            Assert.All(nb.Cells, c => Assert.Empty(c.Outputs));
            Assert.All(nb.Cells, c => Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", c.Id));
            Assert.Equal(".net-csharp", nb.Metadata["kernelspec"]?["name"]?.GetValue<string>());
            Assert.Equal("csharp", nb.DefaultKernelName);
            Assert.StartsWith("# Chapter", nb.Cells[0].Source);
        }
    }
}
