namespace DimReduce;

/// <summary>Settings a course notebook reads, set by the runner (<c>dimreduce run --quick</c>) or the environment.</summary>
public static class Course
{
    /// <summary>The environment variable that turns on quick mode: <c>DIMREDUCE_QUICK=1</c>.</summary>
    public const string QuickVariable = "DIMREDUCE_QUICK";

    /// <summary>
    /// True in quick mode (<c>DIMREDUCE_QUICK</c> is <c>1</c> or <c>true</c>): notebooks use smaller subsets and fewer
    /// epochs so CI can run them all in minutes.
    /// </summary>
    public static bool Quick => Environment.GetEnvironmentVariable(QuickVariable) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));
}
