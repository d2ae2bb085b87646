using System.Diagnostics;

namespace DimReduce.Tests.Cli;

/// <summary>Runs the built <c>dimreduce</c> command as a separate process, as a user runs it.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string LastLine => Stdout.TrimEnd().Split('\n').Last().Trim();
    }

    public static Result Run(params string[] args) => RunIn(null, args);

    /// <summary>Runs the command with <paramref name="workingDirectory"/> as its current directory (null: this process's).</summary>
    public static Result RunIn(string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DimReduce.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("dimreduce did not finish within 120 s: " + string.Join(' ', args)); }
        return new Result(p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>The repository's data folder (tests run from tests/DimReduce.Tests/bin/...).</summary>
    public static string DataFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("data/" + name + " not found above the test folder.");
    }
}
