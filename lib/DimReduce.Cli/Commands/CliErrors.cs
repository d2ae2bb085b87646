namespace DimReduce.Cli.Commands;

/// <summary>Turns expected failures into one line on stderr and exit code 1; anything else is a bug and shows its stack.</summary>
internal static class CliErrors
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidDataException or InvalidOperationException or IOException
                                      or UnauthorizedAccessException or OperationCanceledException)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return 1;
        }
    }

    private static string OneLine(string message)
    {
        // ArgumentException appends "(Parameter 'x')" and ArgumentOutOfRangeException "Actual value was v." on
        // lines of their own; the sentence already names both, so keep it alone, on one line.
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("(Parameter '", StringComparison.Ordinal) && !l.StartsWith("Actual value was ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @" \(Parameter '[^']*'\)$", ""));
        return string.Join(' ', lines);
    }
}
