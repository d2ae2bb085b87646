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
        // ArgumentException appends " (Parameter 'x')" on a new line; keep the sentence, drop line breaks.
        return string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
