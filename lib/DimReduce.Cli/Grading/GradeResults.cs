namespace DimReduce.Cli.Grading;

/// <summary>Options of a grading run.</summary>
internal sealed class GradeOptions
{
    public static class Defaults
    {
        /// <summary>Seconds a cell may run: 60.</summary>
        public const double TimeoutSeconds = 60;
        /// <summary>Managed heap limit of a worker in MB: 2048.</summary>
        public const int MemoryMb = 2048;
        /// <summary>Extra resident memory (native libraries, the runtime, the compiler) allowed above the heap limit before the worker is killed: 1024 MB.</summary>
        public const int NativeAllowanceMb = 1024;
        /// <summary>How long a worker may stay silent beyond the cell timeout (start-up, compiling a cell) before it is killed: 90 s.</summary>
        public const double SilenceAllowanceSeconds = 90;
    }

    public double TimeoutSeconds { get; init; } = Defaults.TimeoutSeconds;
    public int MemoryMb { get; init; } = Defaults.MemoryMb;
    public bool Quick { get; init; }
    /// <summary>Threads libtorch and OpenMP may use in each worker (null: their default).</summary>
    public int? NativeThreads { get; init; }
}

/// <summary>The outcome of one cell as the worker reported it (or as the parent recorded it when the worker died).</summary>
internal sealed record CellOutcome(string Status, string? ErrorName, string? ErrorValue, IReadOnlyList<string> Traceback, string? Output);

/// <summary>One graded test cell.</summary>
/// <param name="Name">The test's id (<c>grade_id</c>).</param>
/// <param name="Status"><c>pass</c>, <c>fail</c> (it ran and threw: an assertion, or the student's code threw) or
/// <c>error</c> (it could not run: compile error, time-out, the process ended, notebook missing).</param>
/// <param name="Message">What went wrong and what to change; empty on pass.</param>
/// <param name="Points">Points earned (all or nothing).</param>
/// <param name="MaxPoints">Points possible.</param>
/// <param name="Edited">The student's copy of the test cell differed from the released one (or was missing).</param>
/// <param name="Output">What the test cell wrote to stdout and stderr (at most 500 characters).</param>
internal sealed record TestResult(string Name, string Status, string Message, double Points, double MaxPoints, bool Edited, string? Output);

/// <summary>The grade of one notebook of a submission.</summary>
internal sealed record NotebookResult(string Assignment, string? Submitted, IReadOnlyList<TestResult> Tests, IReadOnlyList<string> Flags)
{
    public double Points => Tests.Sum(t => t.Points);
    public double MaxPoints => Tests.Sum(t => t.MaxPoints);
}

/// <summary>The grade of one student (a notebook file or a folder of notebooks).</summary>
internal sealed record StudentResult(string Student, string Path, IReadOnlyList<NotebookResult> Notebooks, DateTimeOffset GradedAt, TimeSpan Elapsed)
{
    public double Points => Notebooks.Sum(n => n.Points);
    public double MaxPoints => Notebooks.Sum(n => n.MaxPoints);
    public double Percent => MaxPoints > 0 ? 100 * Points / MaxPoints : 0;
    public IEnumerable<(string Assignment, TestResult Test)> AllTests => Notebooks.SelectMany(n => n.Tests.Select(t => (n.Assignment, t)));
}

/// <summary>Grading could not be done (a worker did not start, a notebook could not be read): exit code 1, not a student's lost points.</summary>
internal sealed class GradingFailedException(string message) : InvalidOperationException(message);
