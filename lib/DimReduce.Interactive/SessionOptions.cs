using System.Globalization;

namespace DimReduce.Interactive;

/// <summary>Options of an <see cref="InteractiveSession"/>.</summary>
public sealed class SessionOptions
{
    /// <summary>Defaults shared by docs, code and tests.</summary>
    public static class Defaults
    {
        /// <summary>How long a cancelled cell may keep running before it is abandoned: 2 seconds.</summary>
        public static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(2);
    }

    /// <summary>
    /// The folder relative paths in <c>#r "file.dll"</c> and <c>#load</c> are resolved against, normally the notebook's folder.
    /// Default: the current directory when the session is created.
    /// </summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>
    /// After a cell is cancelled (interrupt or timeout), how long to wait for it to stop before abandoning it
    /// (default <see cref="Defaults.AbandonGrace"/>; zero or more).
    /// </summary>
    public TimeSpan AbandonGrace { get; init; } = Defaults.AbandonGrace;

    /// <summary>Culture cells run under (default invariant, so numbers in saved outputs do not depend on the machine).</summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;
}
