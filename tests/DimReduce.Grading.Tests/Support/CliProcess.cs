using System.Diagnostics;

namespace DimReduce.Grading.Tests.Support;

/// <summary>Runs the built <c>dimreduce</c> command as a separate process, as a user (or CI) runs it.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DimReduce.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(600_000)) { p.Kill(true); throw new TimeoutException("dimreduce did not finish within 600 s: " + string.Join(' ', args)); }
        return new Result(p.ExitCode, stdout, stderr.Result);
    }
}

/// <summary>Paths in the repository (tests run from tests/DimReduce.Grading.Tests/bin/...).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DimReduce.Notebooks.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("DimReduce.Notebooks.sln not found above the test folder.");
    }

    /// <summary>A fresh temporary folder, deleted when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder() => Directory.CreateDirectory(FullName);
        public string FullName { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dimreduce-grading-" + Guid.NewGuid().ToString("N"));
        public string Path(params string[] parts) => System.IO.Path.Combine([FullName, .. parts]);
        public void Dispose()
        {
            try { Directory.Delete(FullName, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
