using System.IO.Pipes;
using System.Text;
using System.Text.Json;
using DimReduce.Interactive;

namespace DimReduce.Cli.Grading;

/// <summary>
/// The child side of <c>dimreduce grade</c> (hidden command <c>grade-worker</c>): runs one submission's cells in one
/// session and reports each cell's structured outcome over the signed channel of <see cref="WorkerProtocol"/>.
/// </summary>
internal static class GradeWorker
{
    /// <summary>Exit code after a cell was abandoned (its thread cannot be stopped, so the process ends).</summary>
    public const int AbandonedExitCode = 3;

    public static int Run(string pipeName)
    {
        // The key and the plan come on standard input, which cells cannot read (the session replaces Console.In).
        var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        byte[] key = Convert.FromBase64String(stdin.ReadLine() ?? throw new InvalidDataException("grade-worker: no key on standard input."));
        var plan = JsonSerializer.Deserialize<WorkerPlan>(stdin.ReadToEnd(), WorkerProtocol.Json)
                   ?? throw new InvalidDataException("grade-worker: no plan on standard input.");

        using var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.Out);
        pipe.Connect(30_000);
        var writer = new StreamWriter(pipe, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        long seq = 0;
        var gate = new object();
        void Send(WorkerMessage m)
        {
            lock (gate)
            {
                m.Seq = seq++;
                writer.WriteLine(WorkerProtocol.Sign(key, m));
            }
        }

        Environment.CurrentDirectory = plan.WorkingDirectory;
        var timeout = plan.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(plan.TimeoutSeconds) : (TimeSpan?)null;
        using var session = new InteractiveSession(new SessionOptions { WorkingDirectory = plan.WorkingDirectory });
        Send(new WorkerMessage { Type = "ready" });
        foreach (var cell in plan.Cells)
        {
            Send(new WorkerMessage { Type = "start", Cell = cell.Index });
            var result = session.Execute(cell.Source, cell.Kernel, timeout);
            var error = result.Error;
            Send(new WorkerMessage
            {
                Type = "done",
                Cell = cell.Index,
                Status = result.Status switch
                {
                    ExecutionStatus.Ok => "ok",
                    ExecutionStatus.Cancelled or ExecutionStatus.Abandoned => "timeout",
                    _ when result.Diagnostics.Count > 0 || error?.ErrorName == "UnsupportedMagic" => "compile",
                    _ => "error",
                },
                ErrorName = error?.ErrorName,
                ErrorValue = error?.ErrorValue,
                Traceback = error?.Traceback,
                Output = Truncate(result.StreamText("stdout") + result.StreamText("stderr")),
            });
            // An abandoned cell's thread keeps running; end the process so the parent re-runs the rest in a fresh one.
            if (result.Status == ExecutionStatus.Abandoned) Environment.Exit(AbandonedExitCode);
        }
        Send(new WorkerMessage { Type = "finished" });
        writer.Flush();
        // Threads a cell started (foreground ones included) must not keep the process alive.
        Environment.Exit(0);
        return 0;
    }

    /// <summary>At most 500 characters, as Exercism's runner keeps, with a notice when cut.</summary>
    public static string? Truncate(string text)
    {
        if (text.Length == 0) return null;
        const int Max = 500;
        return text.Length <= Max ? text : text[..Max] + $"\n[output cut to {Max} of {text.Length} characters]";
    }
}
