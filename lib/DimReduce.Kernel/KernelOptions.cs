using DimReduce.Interactive;

namespace DimReduce.Kernel;

/// <summary>Options of a <see cref="JupyterKernel"/>.</summary>
public sealed class KernelOptions
{
    /// <summary>Defaults shared by docs, code and tests.</summary>
    public static class Defaults
    {
        /// <summary>How long stream text is collected before it is published (the reply always flushes first): 20 ms.</summary>
        public static readonly TimeSpan StreamFlushInterval = TimeSpan.FromMilliseconds(20);
    }

    /// <summary>
    /// Where the kernel logs (dropped messages, failures). Null: no log. Pass the process's original
    /// <see cref="Console.Error"/> captured before any cell runs (cells redirect the console while they run).
    /// </summary>
    public TextWriter? Log { get; init; }

    /// <summary>Options of the C# session the kernel runs cells in (working directory, abandon grace, culture).</summary>
    public SessionOptions Session { get; init; } = new();

    /// <summary>How long stream text is collected before it is published (default <see cref="Defaults.StreamFlushInterval"/>; zero or more).</summary>
    public TimeSpan StreamFlushInterval { get; init; } = Defaults.StreamFlushInterval;

    /// <summary>Compile a first empty cell and load the code-intelligence services in the background at start (default true).</summary>
    public bool WarmUp { get; init; } = true;
}
