using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive;

/// <summary>How a cell execution ended.</summary>
public enum ExecutionStatus
{
    /// <summary>The cell ran to the end.</summary>
    Ok,
    /// <summary>It did not compile, threw, or used an unsupported magic or kernel.</summary>
    Error,
    /// <summary>It was cancelled (interrupt or timeout) and stopped within the grace period.</summary>
    Cancelled,
    /// <summary>It was cancelled but did not stop within the grace period; its thread was left running.</summary>
    Abandoned,
}

/// <summary>A compile error in a cell, with its position in the cell (1-based line and column).</summary>
/// <param name="Line">1-based line in the cell.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Id">Compiler diagnostic id, e.g. <c>CS0103</c>.</param>
/// <param name="Message">The compiler's message.</param>
public sealed record CellDiagnostic(int Line, int Column, string Id, string Message)
{
    /// <summary><c>(line,column): error ID: message</c>.</summary>
    public override string ToString() => $"({Line},{Column}): error {Id}: {Message}";
}

/// <summary>The outcome of one cell: its outputs in order (streams, displays, result, error), status and time.</summary>
public sealed class ExecutionResult
{
    internal ExecutionResult(int executionCount, ExecutionStatus status, IReadOnlyList<NotebookOutput> outputs, IReadOnlyList<CellDiagnostic> diagnostics, TimeSpan elapsed)
    {
        ExecutionCount = executionCount;
        Status = status;
        Outputs = outputs;
        Diagnostics = diagnostics;
        Elapsed = elapsed;
    }

    /// <summary>The Jupyter execution count of this cell (1 for the session's first).</summary>
    public int ExecutionCount { get; }

    /// <summary>How the cell ended.</summary>
    public ExecutionStatus Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="ExecutionStatus.Ok"/>.</summary>
    public bool Succeeded => Status == ExecutionStatus.Ok;

    /// <summary>Outputs in order; a failed cell ends with exactly one error output.</summary>
    public IReadOnlyList<NotebookOutput> Outputs { get; }

    /// <summary>Compile errors (empty unless the cell failed to compile).</summary>
    public IReadOnlyList<CellDiagnostic> Diagnostics { get; }

    /// <summary>Wall time of the execution.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The error output, or null.</summary>
    public NotebookOutput? Error => Outputs.LastOrDefault(o => o.Kind == OutputKind.Error);

    /// <summary>The execute_result output (the trailing expression's value), or null.</summary>
    public NotebookOutput? Result => Outputs.FirstOrDefault(o => o.Kind == OutputKind.ExecuteResult);

    /// <summary>All text written to a stream (<c>stdout</c> or <c>stderr</c>).</summary>
    public string StreamText(string name) => string.Concat(Outputs.Where(o => o.Kind == OutputKind.Stream && o.StreamName == name).Select(o => o.Text));
}

/// <summary>What happened during an execution, as it happens (for a kernel that forwards outputs live).</summary>
public enum SessionEventKind
{
    /// <summary>Text written to stdout or stderr: <see cref="SessionEvent.Output"/> is a stream output holding only the new text.</summary>
    Stream,
    /// <summary>A new display (<c>display_data</c>).</summary>
    Display,
    /// <summary>A display replaced by <c>Update</c> (<c>update_display_data</c>); <see cref="NotebookOutput.DisplayId"/> names it.</summary>
    UpdateDisplay,
    /// <summary>The trailing value (<c>execute_result</c>).</summary>
    Result,
    /// <summary>The cell's error.</summary>
    Error,
    /// <summary>The cell cleared its outputs so far (<c>clear_output</c>); <see cref="SessionEvent.Wait"/> says whether to wait for the next output.</summary>
    ClearOutput,
}

/// <summary>One live event of an execution.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Output">The output concerned.</param>
/// <param name="ExecutionCount">The execution it belongs to.</param>
public sealed record SessionEvent(SessionEventKind Kind, NotebookOutput Output, int ExecutionCount)
{
    /// <summary>For <see cref="SessionEventKind.ClearOutput"/>: clear when the next output arrives rather than now (avoids flicker).</summary>
    public bool Wait { get; init; }
}
