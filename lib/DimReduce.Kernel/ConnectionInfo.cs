using System.Text.Json;
using System.Text.Json.Nodes;

namespace DimReduce.Kernel;

/// <summary>
/// The contents of a Jupyter connection file: where the kernel's five sockets listen and the key that signs messages.
/// </summary>
/// <remarks>Jupyter messaging protocol 5.3, "Connection files" (jupyter-client documentation, kernels.html).</remarks>
public sealed record ConnectionInfo
{
    /// <summary>Transport; only <c>tcp</c> is supported (NetMQ has no compatible <c>ipc</c>).</summary>
    public string Transport { get; init; } = "tcp";

    /// <summary>The address the sockets bind to, e.g. <c>127.0.0.1</c>.</summary>
    public string IP { get; init; } = "127.0.0.1";

    /// <summary>Shell ROUTER port (0: pick a free one).</summary>
    public int ShellPort { get; init; }

    /// <summary>IOPub PUB port (0: pick a free one).</summary>
    public int IOPubPort { get; init; }

    /// <summary>Stdin ROUTER port (0: pick a free one).</summary>
    public int StdinPort { get; init; }

    /// <summary>Control ROUTER port (0: pick a free one).</summary>
    public int ControlPort { get; init; }

    /// <summary>Heartbeat REP port (0: pick a free one).</summary>
    public int HeartbeatPort { get; init; }

    /// <summary>The HMAC key; empty means messages are neither signed nor checked.</summary>
    public string Key { get; init; } = "";

    /// <summary>The signature scheme; <c>hmac-sha256</c> is the only one supported.</summary>
    public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>The kernel name the client started (informational).</summary>
    public string? KernelName { get; init; }

    /// <summary>Reads a connection file written by a Jupyter client.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid connection file.</exception>
    public static ConnectionInfo Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The connection file '{path}' does not exist; Jupyter passes it as {{connection_file}} in kernel.json.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the JSON text of a connection file (<paramref name="source"/> names it in errors).</summary>
    /// <exception cref="InvalidDataException">The text is not a valid connection file.</exception>
    public static ConnectionInfo Parse(string json, string source = "connection file")
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not valid JSON: {e.Message}", e);
        }
        string transport = Str(obj, "transport") ?? "tcp";
        if (transport != "tcp")
            throw new InvalidDataException($"{source} asks for transport '{transport}', but this kernel supports only 'tcp' (NetMQ has no compatible ipc transport). Start the kernel with transport tcp.");
        string scheme = Str(obj, "signature_scheme") ?? "hmac-sha256";
        if (scheme != "hmac-sha256")
            throw new InvalidDataException($"{source} asks for signature scheme '{scheme}', but this kernel supports only 'hmac-sha256'.");
        return new ConnectionInfo
        {
            Transport = transport,
            IP = Str(obj, "ip") ?? "127.0.0.1",
            ShellPort = Port(obj, "shell_port", source),
            IOPubPort = Port(obj, "iopub_port", source),
            StdinPort = Port(obj, "stdin_port", source),
            ControlPort = Port(obj, "control_port", source),
            HeartbeatPort = Port(obj, "hb_port", source),
            Key = Str(obj, "key") ?? "",
            SignatureScheme = scheme,
            KernelName = Str(obj, "kernel_name"),
        };
    }

    /// <summary>The connection file's JSON for these values (used by tests and tools that start the kernel themselves).</summary>
    public string ToJson() => new JsonObject
    {
        ["transport"] = Transport, ["ip"] = IP,
        ["shell_port"] = ShellPort, ["iopub_port"] = IOPubPort, ["stdin_port"] = StdinPort,
        ["control_port"] = ControlPort, ["hb_port"] = HeartbeatPort,
        ["key"] = Key, ["signature_scheme"] = SignatureScheme, ["kernel_name"] = KernelName,
    }.ToJsonString();

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static int Port(JsonObject obj, string name, string source)
    {
        if (obj[name] is not JsonValue v) return 0;
        if (v.TryGetValue(out int port) && port is >= 0 and <= 65535) return port;
        throw new InvalidDataException($"{source}: {name} is {v.ToJsonString()}, but it must be a port number from 0 to 65535.");
    }
}
