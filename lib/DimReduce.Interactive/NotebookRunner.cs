using System.Diagnostics;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive;

/// <summary>Options of <see cref="NotebookRunner"/>.</summary>
public sealed class RunOptions
{
    /// <summary>Longest a cell may run before it is cancelled (null: no limit).</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Keep running the remaining cells after a failed one (default false: stop at the first error).</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>How long a cancelled cell may take to stop before it is abandoned (see <see cref="SessionOptions.AbandonGrace"/>).</summary>
    public TimeSpan AbandonGrace { get; init; } = SessionOptions.Defaults.AbandonGrace;
}

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Path">The notebook file.</param>
/// <param name="Notebook">The notebook with the new outputs.</param>
/// <param name="CodeCells">Code cells in the notebook.</param>
/// <param name="Executed">Code cells executed.</param>
/// <param name="Failures">Failed cells: 1-based cell number (counting all cells) and the error output.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record NotebookRunResult(string Path, Notebook Notebook, int CodeCells, int Executed, IReadOnlyList<(int Cell, NotebookOutput Error)> Failures, TimeSpan Elapsed)
{
    /// <summary>True when every code cell ran without error.</summary>
    public bool Succeeded => Failures.Count == 0 && Executed == CodeCells;
}

/// <summary>
/// Runs a notebook's code cells in order in a fresh <see cref="InteractiveSession"/> and puts the outputs into the notebook.
/// </summary>
/// <remarks>
/// The process's current directory is the notebook's folder while it runs (relative paths in cells mean what they
/// mean in Jupyter), and restored afterwards. A cell's kernel comes from its selector line or its metadata. When the run
/// stops at an error, the cells after it are left without outputs or execution count, so the file shows where it stopped.
/// Markdown and raw cells are not touched.
/// </remarks>
public static class NotebookRunner
{
    /// <summary>Reads and runs the notebook at <paramref name="path"/>.</summary>
    public static NotebookRunResult Run(string path, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        Run(NotebookFile.Read(path), path, options, cancellationToken);

    /// <summary>Runs <paramref name="notebook"/> (whose file is <paramref name="path"/>, for its folder).</summary>
    public static NotebookRunResult Run(Notebook notebook, string path, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        options ??= new RunOptions();
        if (options.CellTimeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), t, $"CellTimeout is {t}, but it must be positive (or null for no limit).");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string previousDirectory = Environment.CurrentDirectory;
        var clock = Stopwatch.StartNew();
        var failures = new List<(int, NotebookOutput)>();
        int codeCells = notebook.Cells.Count(c => c.Kind == CellKind.Code), executed = 0;
        bool stopped = false;
        try
        {
            Environment.CurrentDirectory = folder;
            using var session = new InteractiveSession(new SessionOptions { WorkingDirectory = folder, AbandonGrace = options.AbandonGrace });
            for (int i = 0; i < notebook.Cells.Count; i++)
            {
                var cell = notebook.Cells[i];
                if (cell.Kind != CellKind.Code) continue;
                cell.Outputs.Clear();
                cell.ExecutionCount = null;
                if (stopped || cancellationToken.IsCancellationRequested) continue;
                var result = session.Execute(cell.Source, cell.KernelName, options.CellTimeout, cancellationToken);
                executed++;
                cell.ExecutionCount = result.ExecutionCount;
                cell.Outputs.AddRange(result.Outputs);
                if (!result.Succeeded)
                {
                    failures.Add((i + 1, result.Error!));
                    if (!options.ContinueOnError) stopped = true;
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }
        return new NotebookRunResult(path, notebook, codeCells, executed, failures, clock.Elapsed);
    }
}
