using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DimReduce.Cli.Grading;

/// <summary>One cell the worker runs.</summary>
internal sealed record WorkerCell(int Index, string Source, string Kernel);

/// <summary>What the parent sends the worker on its standard input (after the key line).</summary>
internal sealed record WorkerPlan(string WorkingDirectory, double TimeoutSeconds, List<WorkerCell> Cells);

/// <summary>
/// A message from the worker. <c>Type</c>: <c>ready</c>, <c>start</c> (cell index), <c>done</c> (cell index and outcome),
/// <c>finished</c>.
/// </summary>
internal sealed class WorkerMessage
{
    public long Seq { get; set; }
    public string Type { get; set; } = "";
    public int Cell { get; set; } = -1;
    /// <summary><c>ok</c>, <c>error</c> (threw), <c>compile</c> (did not compile, or an unsupported magic), <c>timeout</c>.</summary>
    public string? Status { get; set; }
    public string? ErrorName { get; set; }
    public string? ErrorValue { get; set; }
    public List<string>? Traceback { get; set; }
    public string? Output { get; set; }
}

/// <summary>
/// The worker-to-parent channel: one JSON message per line on a named pipe, each followed by an HMAC-SHA256 of the
/// line under a key the parent gives the worker on standard input. Student code never sees the key through any
/// documented API (it is not in the command line, the environment or a file), and its writes to stdout or stderr never
/// reach this channel; messages must also arrive with consecutive sequence numbers.
/// </summary>
internal static class WorkerProtocol
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Sign(byte[] key, WorkerMessage message)
    {
        string body = JsonSerializer.Serialize(message, Json);
        return body + "\t" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>The message of a line whose signature is valid, else null.</summary>
    public static WorkerMessage? Verify(byte[] key, string line)
    {
        int tab = line.LastIndexOf('\t');
        if (tab < 0) return null;
        string body = line[..tab];
        byte[] expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body));
        byte[] given;
        try { given = Convert.FromBase64String(line[(tab + 1)..]); }
        catch (FormatException) { return null; }
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return null;
        try { return JsonSerializer.Deserialize<WorkerMessage>(body, Json); }
        catch (JsonException) { return null; }
    }
}
