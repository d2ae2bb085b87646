using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;

namespace DimReduce.Cli.Grading;

/// <summary>
/// Grades one submitted notebook against its <see cref="Assignment"/>: runs the <see cref="SubmissionPlan"/> in a child
/// process (<c>dimreduce grade-worker</c>) and turns the cells' structured outcomes into test results.
/// </summary>
/// <remarks>
/// <para>Isolation: one process per notebook, with the managed heap capped (<c>DOTNET_GCHeapHardLimit</c>, so an
/// allocation past it is an <see cref="OutOfMemoryException"/> in the cell) and the resident set watched (native memory:
/// killed past the heap limit plus <see cref="GradeOptions.Defaults.NativeAllowanceMb"/>). A cell that runs past the
/// timeout is cancelled; one that ignores cancellation is abandoned and the worker exits. When the worker ends before
/// reporting "finished" (abandoned cell, <c>Environment.Exit</c>, a crash, a kill for time or memory), the cell that was
/// running is charged with it, and a fresh worker re-runs the earlier non-test cells (to rebuild the state) and then the
/// cells after it, so the other tasks are still graded.</para>
/// <para>Results come only from signed messages on the worker's pipe (<see cref="WorkerProtocol"/>), never from its
/// stdout; a test passes only when the worker reports that its cell ran without an exception.</para>
/// </remarks>
internal sealed partial class SubmissionGrader(GradeOptions options)
{
    public NotebookResult Grade(Assignment assignment, string? submittedPath)
    {
        if (submittedPath is null)
        {
            var missing = assignment.Tests.Select(t => new TestResult(t.Info.Id!, "error",
                $"{t.Info.Id}: the submission has no notebook '{assignment.Name}' (.ipynb or .dib); hand it in under that name.", 0, t.Info.Points, false, null)).ToList();
            return new NotebookResult(assignment.Name, null, missing, [$"notebook '{assignment.Name}' is missing."]);
        }
        Notebook notebook;
        try { notebook = NotebookFile.Read(submittedPath); }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            var unreadable = assignment.Tests.Select(t => new TestResult(t.Info.Id!, "error",
                $"{t.Info.Id}: the notebook could not be read ({e.Message}).", 0, t.Info.Points, false, null)).ToList();
            return new NotebookResult(assignment.Name, submittedPath, unreadable, [$"{submittedPath} could not be read: {e.Message}"]);
        }
        var plan = SubmissionPlan.Build(notebook, assignment);
        var flags = new List<string>(plan.Flags);
        var outcomes = Execute(plan, Path.GetDirectoryName(Path.GetFullPath(submittedPath))!, flags);
        var tests = new List<TestResult>();
        foreach (var t in assignment.Tests)
        {
            var cell = plan.Cells.First(c => c.Id == t.Info.Id && c.Role == CellRole.Test);
            outcomes.TryGetValue(cell.Index, out var outcome);
            var result = Judge(t, outcome, plan, outcomes, assignment, plan.Edited.Contains(t.Info.Id!));
            if (Shadowing(assignment, t, plan, cell) is { } shadow)
            {
                result = result with { Status = "error", Points = 0, Message = $"{t.Info.Id}: {shadow}" };
                flags.Add($"test '{t.Info.Id}' was not trusted: {shadow}");
            }
            tests.Add(result);
        }
        return new NotebookResult(assignment.Name, submittedPath, tests, flags);
    }

    /// <summary>Why the test's outcome cannot be trusted: a student cell before it declares a name the test relies on.</summary>
    private static string? Shadowing(Assignment assignment, AssignmentCell test, SubmissionPlan plan, PlanCell testCell)
    {
        var protectedNames = assignment.Protected(test);
        foreach (var cell in plan.Cells.Where(c => c.Index < testCell.Index && c.Role is CellRole.Free or CellRole.Solution))
        {
            var clash = Assignment.Declarations(cell.Source).Where(protectedNames.Contains).ToList();
            if (clash.Count > 0)
                return $"cell {cell.StudentCell} declares {string.Join(", ", clash.Select(n => $"'{n}'"))}, which this test uses, so it would run the student's version instead of the grader's. Rename it (and leave the set-up and test cells' names alone).";
        }
        return null;
    }

    private TestResult Judge(AssignmentCell test, CellOutcome? outcome, SubmissionPlan plan, Dictionary<int, CellOutcome> outcomes, Assignment assignment, bool edited)
    {
        string id = test.Info.Id!;
        double max = test.Info.Points;
        if (outcome is null) return new TestResult(id, "error", $"{id}: the test did not run.", 0, max, edited, null);
        return outcome.Status switch
        {
            "ok" => new TestResult(id, "pass", "", max, max, edited, outcome.Output),
            "error" when outcome.ErrorName == nameof(OutOfMemoryException) => new TestResult(id, "error",
                $"{id}: ran out of memory: the grader allows {options.MemoryMb} MB of managed memory per notebook. Look for arrays that grow without end or needless copies.", 0, max, edited, outcome.Output),
            "error" => new TestResult(id, "fail", $"{id}: {ExceptionText(outcome)}", 0, max, edited, outcome.Output),
            "compile" => new TestResult(id, "error", $"{id}: the test does not compile: {CompileText(outcome, plan, outcomes, assignment)}", 0, max, edited, outcome.Output),
            _ => new TestResult(id, "error", $"{id}: {outcome.ErrorValue}", 0, max, edited, outcome.Output),
        };
    }

    private static string ExceptionText(CellOutcome o)
    {
        string text = $"{o.ErrorName}: {o.ErrorValue}";
        // Inner exceptions (a static constructor's TypeInitializationException) say what really went wrong.
        foreach (var line in o.Traceback.Where(l => l.StartsWith(" ---> ", StringComparison.Ordinal))) text += " " + line.Trim();
        return text;
    }

    [GeneratedRegex(@"The (?:type or namespace )?name '(?<name>[A-Za-z_][A-Za-z0-9_]*)' (?:does not exist|could not be found)")]
    private static partial Regex MissingName();

    /// <summary>The compiler's errors, and for a missing name, the task whose solution cell defines it.</summary>
    private static string CompileText(CellOutcome o, SubmissionPlan plan, Dictionary<int, CellOutcome> outcomes, Assignment assignment)
    {
        var errors = o.Traceback.Count > 0 ? o.Traceback : [o.ErrorValue ?? ""];
        string text = string.Join("; ", errors.Take(3)) + (errors.Count > 3 ? $" (and {errors.Count - 3} more)" : "");
        var hints = new List<string>();
        foreach (var name in errors.Select(e => MissingName().Match(e)).Where(m => m.Success).Select(m => m.Groups["name"].Value).Distinct())
        {
            var owner = assignment.Cells.FirstOrDefault(c => c.Info.Role == CellRole.Solution && c.Declares.Contains(name));
            if (owner is null) continue;
            var cell = plan.Cells.FirstOrDefault(c => c.Id == owner.Info.Id && c.Role == CellRole.Solution);
            string state = cell is null ? ", which is missing from the notebook"
                : outcomes.TryGetValue(cell.Index, out var so) && so.Status != "ok" ? $", which failed ({(so.Status == "compile" ? string.Join("; ", so.Traceback.Take(2)) : so.ErrorValue)}); fix that cell first"
                : "; keep its name and signature as given";
            hints.Add($"'{name}' is defined by the solution cell of task '{owner.Info.Id}'{state}.");
        }
        return hints.Count == 0 ? text : string.Join(" ", hints) + " Compiler: " + text;
    }

    /// <summary>Runs the plan, restarting the worker after a cell that ends it; returns each cell's outcome by plan index.</summary>
    private Dictionary<int, CellOutcome> Execute(SubmissionPlan plan, string folder, List<string> flags)
    {
        var outcomes = new Dictionary<int, CellOutcome>();
        var skipped = new HashSet<int>();
        var toRun = plan.Cells.Select(c => c.Index).ToList();
        for (int attempt = 0; ; attempt++)
        {
            var run = RunWorker(plan, toRun, folder, outcomes);
            if (run.Forged > 0) flags.Add($"{run.Forged} message(s) on the grading channel were not signed by the grader and were ignored.");
            if (run.Finished) break;
            if (run.Current < 0)
            {
                if (attempt == 0) throw new GradingFailedException($"The grading worker for {folder} ended before running any cell ({run.Reason}).{run.Log}");
                // A re-run died before its first cell: give up on the rest rather than loop.
                foreach (int i in toRun.Where(i => !outcomes.ContainsKey(i))) outcomes[i] = Failed($"did not run: {run.Reason}");
                break;
            }
            if (!outcomes.ContainsKey(run.Current)) outcomes[run.Current] = Failed(run.Reason);
            skipped.Add(run.Current);
            var cell = plan.Cells[run.Current];
            string which = cell.StudentCell is { } n ? $"cell {n}" : $"the restored cell '{cell.Id}'";
            flags.Add($"the grading process was restarted after {which}: {outcomes[run.Current].ErrorValue}");
            // Rebuild the state (earlier non-test cells that did not end a worker), then go on after the culprit.
            toRun = plan.Cells.Where(c => (c.Index < run.Current && c.Role != CellRole.Test && !skipped.Contains(c.Index)) || c.Index > run.Current)
                .Select(c => c.Index).ToList();
            if (!toRun.Any(i => i > run.Current)) break;
            if (attempt > plan.Cells.Count) throw new GradingFailedException($"The grading worker for {folder} kept ending; gave up after {attempt + 1} restarts.");
        }
        return outcomes;
    }

    private static CellOutcome Failed(string reason) => new("timeout", "GradingStopped", reason, [], null);

    private sealed record WorkerRun(bool Finished, int Current, string Reason, int Forged, string Log);

    private WorkerRun RunWorker(SubmissionPlan plan, List<int> cells, string folder, Dictionary<int, CellOutcome> outcomes)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        string pipeName = "dimreduce-grade-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        using var server = new NamedPipeServerStream(pipeName, PipeDirection.In, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        var workerPlan = new WorkerPlan(folder, options.TimeoutSeconds, cells.Select(i => new WorkerCell(i, plan.Cells[i].Source, plan.Cells[i].Kernel)).ToList());

        var psi = new ProcessStartInfo { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        (psi.FileName, string? dll) = WorkerCommand();
        if (dll is not null) psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("grade-worker");
        psi.ArgumentList.Add("--pipe");
        psi.ArgumentList.Add(pipeName);
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)options.MemoryMb << 20).ToString("X", CultureInfo.InvariantCulture);
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        if (options.Quick) psi.Environment[DimReduce.Course.QuickVariable] = "1";
        if (options.NativeThreads is { } threads)
        {
            psi.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            psi.Environment["MKL_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        }
        var log = new StringBuilder();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (log)
            {
                log.AppendLine(line);
                if (log.Length > 4000) log.Remove(0, log.Length - 4000);
            }
        }
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.WriteLine(Convert.ToBase64String(key));
        process.StandardInput.Write(JsonSerializer.Serialize(workerPlan, WorkerProtocol.Json));
        process.StandardInput.Close();

        string LogTail() { lock (log) return log.Length == 0 ? "" : " Worker output: " + log.ToString().Trim(); }

        var connect = server.WaitForConnectionAsync();
        var silenceLimit = TimeSpan.FromSeconds((options.TimeoutSeconds > 0 ? options.TimeoutSeconds : 3600) + GradeOptions.Defaults.SilenceAllowanceSeconds);
        if (!connect.Wait(TimeSpan.FromSeconds(GradeOptions.Defaults.SilenceAllowanceSeconds)) && !process.HasExited) Kill(process);
        if (!connect.IsCompletedSuccessfully)
        {
            process.WaitForExit(10_000);
            return new WorkerRun(false, -1, $"it did not connect (exit code {(process.HasExited ? process.ExitCode : -1)})", 0, LogTail());
        }

        var lines = new BlockingCollection<string>();
        var reader = new Thread(() =>
        {
            try
            {
                using var r = new StreamReader(server, Encoding.UTF8);
                while (r.ReadLine() is { } line) lines.Add(line);
            }
            catch (IOException) { }
            finally { lines.CompleteAdding(); }
        }) { IsBackground = true, Name = "grade pipe reader" };
        reader.Start();

        long expectedSeq = 0;
        int current = -1, forged = 0;
        bool finished = false;
        string? killedFor = null;
        long memoryLimit = ((long)options.MemoryMb + GradeOptions.Defaults.NativeAllowanceMb) << 20;
        var silence = Stopwatch.StartNew();
        while (!finished)
        {
            if (lines.TryTake(out var line, 200))
            {
                var m = WorkerProtocol.Verify(key, line);
                if (m is null || m.Seq != expectedSeq) { forged++; continue; }
                expectedSeq++;
                silence.Restart();
                switch (m.Type)
                {
                    case "start": current = m.Cell; break;
                    case "done" when m.Cell == current && !outcomes.ContainsKey(m.Cell):
                        string? value = m.Status == "timeout" ? $"timed out after {Seconds(options.TimeoutSeconds)}: the cell was stopped. Look for a loop that never ends or work that is far too slow." : m.ErrorValue;
                        outcomes[m.Cell] = new CellOutcome(m.Status ?? "error", m.ErrorName, value, m.Traceback ?? [], m.Output);
                        break;
                    case "finished": finished = true; break;
                }
                continue;
            }
            if (lines.IsCompleted) break;
            if (silence.Elapsed > silenceLimit)
            {
                killedFor = $"timed out after {Seconds(options.TimeoutSeconds)}: the cell could not be stopped, so the grading process was killed. Look for a loop that never ends.";
                Kill(process);
                break;
            }
            try
            {
                process.Refresh();
                if (!process.HasExited && process.WorkingSet64 > memoryLimit)
                {
                    killedFor = $"used more than {options.MemoryMb + GradeOptions.Defaults.NativeAllowanceMb} MB of memory, so the grading process was stopped. Use less memory (smaller arrays, fewer copies).";
                    Kill(process);
                    break;
                }
            }
            catch (InvalidOperationException) { }
        }
        if (!process.WaitForExit(finished ? 10_000 : 5_000)) Kill(process);
        process.WaitForExit();
        reader.Join(5_000);
        string reason = killedFor ?? (current >= 0 && outcomes.ContainsKey(current)
            ? $"the grading process ended after this cell (exit code {process.ExitCode})."
            : $"the grading process ended (exit code {process.ExitCode}) while this cell ran: Environment.Exit, a stack overflow or an exception on another thread ends it. Remove the call or fix the crash; the cells after it were graded in a fresh process.");
        return new WorkerRun(finished, current, reason, forged, LogTail());
    }

    private static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>How to start this program again: the apphost, or <c>dotnet</c> with the entry assembly.</summary>
    private static (string FileName, string? Dll) WorkerCommand()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string entry = Assembly.GetEntryAssembly()?.Location ?? typeof(SubmissionGrader).Assembly.Location;
        bool viaDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                         || !Path.GetFileNameWithoutExtension(entry).Equals("DimReduce.Cli", StringComparison.OrdinalIgnoreCase);
        if (!viaDotnet) return (process, null);
        string dll = Path.Combine(AppContext.BaseDirectory, "DimReduce.Cli.dll");
        string dotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process : "dotnet";
        return (dotnet, dll);
    }
}
