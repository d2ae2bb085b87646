namespace DimReduce.Cli.Commands;

/// <summary>
/// Reports on the calling thread, in order. <see cref="Progress{T}"/> would post each report to the thread
/// pool, so lines could come out of order or after the command's last line.
/// </summary>
internal sealed class SynchronousProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
