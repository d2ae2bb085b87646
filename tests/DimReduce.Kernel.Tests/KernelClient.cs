using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace DimReduce.Kernel.Tests;

/// <summary>A received message: header, parent header and content (parsed), plus the channel it came on.</summary>
internal sealed record Received(string Channel, JsonObject Header, JsonObject Parent, JsonObject Content)
{
    public string MsgType => Header["msg_type"]!.GetValue<string>();
    public string ParentId => Parent["msg_id"]?.GetValue<string>() ?? "";
}

/// <summary>
/// A minimal Jupyter client on real ZeroMQ sockets (NetMQ DEALER/SUB/REQ), written independently of the kernel's own
/// wire code: it signs with HMACSHA256 over the JSON bytes and checks the signatures the kernel sends.
/// </summary>
internal sealed class KernelClient : IDisposable
{
    private readonly byte[] _key;
    private readonly string _session = Guid.NewGuid().ToString();
    public DealerSocket Shell { get; }
    public DealerSocket Control { get; }
    public DealerSocket Stdin { get; }
    public SubscriberSocket IOPub { get; }
    public RequestSocket Heartbeat { get; }

    public KernelClient(ConnectionInfo connection)
    {
        _key = Encoding.UTF8.GetBytes(connection.Key);
        string at(int port) => $"tcp://{connection.IP}:{port}";
        byte[] identity = Encoding.UTF8.GetBytes(_session);
        Shell = new DealerSocket();
        Shell.Options.Identity = identity;
        Stdin = new DealerSocket();
        Stdin.Options.Identity = identity;
        Control = new DealerSocket();
        IOPub = new SubscriberSocket();
        Heartbeat = new RequestSocket();
        foreach (NetMQSocket s in new NetMQSocket[] { Shell, Stdin, Control, IOPub, Heartbeat }) s.Options.Linger = TimeSpan.Zero;
        Shell.Connect(at(connection.ShellPort));
        Stdin.Connect(at(connection.StdinPort));
        Control.Connect(at(connection.ControlPort));
        IOPub.Connect(at(connection.IOPubPort));
        IOPub.SubscribeToAnyTopic();
        Heartbeat.Connect(at(connection.HeartbeatPort));
    }

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Builds the frames of a request; <paramref name="key"/> overrides the signing key (empty: unsigned).</summary>
    public (string MsgId, List<byte[]> Frames) Build(string msgType, JsonObject content, byte[]? key = null, JsonObject? metadata = null)
    {
        string id = Guid.NewGuid().ToString();
        var header = new JsonObject
        {
            ["msg_id"] = id, ["session"] = _session, ["username"] = "test", ["date"] = DateTime.UtcNow.ToString("O"),
            ["msg_type"] = msgType, ["version"] = "5.3",
        };
        byte[][] parts = [Bytes(header), "{}"u8.ToArray(), metadata is null ? "{}"u8.ToArray() : Bytes(metadata), Bytes(content)];
        key ??= _key;
        string signature = key.Length == 0 ? "" : Sign(key, parts);
        return (id, ["<IDS|MSG>"u8.ToArray(), Encoding.ASCII.GetBytes(signature), .. parts]);
    }

    public string Send(NetMQSocket socket, string msgType, JsonObject content)
    {
        var (id, frames) = Build(msgType, content);
        socket.SendMultipartBytes(frames);
        return id;
    }

    public string Execute(string code, bool silent = false, bool allowStdin = false, JsonObject? userExpressions = null, bool stopOnError = true) =>
        Send(Shell, "execute_request", ExecuteContent(code, silent, allowStdin, userExpressions, stopOnError));

    public static JsonObject ExecuteContent(string code, bool silent = false, bool allowStdin = false, JsonObject? userExpressions = null, bool stopOnError = true) => new()
    {
        ["code"] = code, ["silent"] = silent, ["store_history"] = !silent, ["user_expressions"] = userExpressions ?? new JsonObject(),
        ["allow_stdin"] = allowStdin, ["stop_on_error"] = stopOnError,
    };

    /// <summary>The next message on a socket, with its signature checked; null on timeout.</summary>
    public Received? Receive(NetMQSocket socket, string channel, TimeSpan? timeout = null)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(timeout ?? Wait, ref frames)) return null;
        int d = frames.FindIndex(f => f.AsSpan().SequenceEqual("<IDS|MSG>"u8));
        Assert.True(d >= 0, "a message without the <IDS|MSG> delimiter");
        string expected = _key.Length == 0 ? "" : Sign(_key, [frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5]]);
        Assert.Equal(expected, Encoding.ASCII.GetString(frames[d + 1]));
        var header = (JsonObject)JsonNode.Parse(frames[d + 2])!;
        Assert.Equal("5.3", header["version"]!.GetValue<string>());
        foreach (string key in new[] { "msg_id", "session", "username", "date", "msg_type" }) Assert.NotNull(header[key]);
        return new Received(channel, header, (JsonObject)JsonNode.Parse(frames[d + 3])!, (JsonObject)JsonNode.Parse(frames[d + 5])!);
    }

    /// <summary>The reply to <paramref name="msgId"/> on a socket (other replies before it are a failure).</summary>
    public Received Reply(NetMQSocket socket, string msgId, TimeSpan? timeout = null)
    {
        var reply = Receive(socket, "reply", timeout) ?? throw new TimeoutException($"no reply to {msgId}");
        Assert.Equal(msgId, reply.ParentId);
        return reply;
    }

    /// <summary>Every iopub message of request <paramref name="msgId"/> from its busy status to its idle status.</summary>
    public List<Received> IOPubUntilIdle(string msgId)
    {
        var messages = new List<Received>();
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var m = Receive(IOPub, "iopub", deadline - DateTime.UtcNow);
            if (m is null) break;
            if (m.ParentId != msgId) continue;
            messages.Add(m);
            if (m.MsgType == "status" && m.Content["execution_state"]!.GetValue<string>() == "idle") return messages;
        }
        throw new TimeoutException($"no idle status for {msgId}; got {string.Join(", ", messages.Select(m => m.MsgType))}");
    }

    /// <summary>Sends a request on shell, returns its reply and its iopub messages (busy ... idle).</summary>
    public (Received Reply, List<Received> IOPub) Request(string msgType, JsonObject content)
    {
        string id = Send(Shell, msgType, content);
        var reply = Reply(Shell, id);
        return (reply, IOPubUntilIdle(id));
    }

    public (Received Reply, List<Received> IOPub) Run(string code, bool silent = false, JsonObject? userExpressions = null)
    {
        string id = Execute(code, silent, userExpressions: userExpressions);
        var reply = Reply(Shell, id);
        return (reply, IOPubUntilIdle(id));
    }

    /// <summary>Waits until the iopub subscription is live (PUB/SUB drops messages sent before it is).</summary>
    public void WaitForIOPub()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            string id = Send(Shell, "kernel_info_request", []);
            Reply(Shell, id);
            var m = Receive(IOPub, "iopub", TimeSpan.FromMilliseconds(200));
            if (m is not null)
            {
                // Drain the rest of that request's messages.
                while (!(m.ParentId == id && m.MsgType == "status" && m.Content["execution_state"]!.GetValue<string>() == "idle"))
                    m = Receive(IOPub, "iopub", TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("iopub stalled");
                return;
            }
        }
        throw new TimeoutException("iopub never delivered a message");
    }

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static string Sign(byte[] key, IEnumerable<byte[]> parts)
    {
        using var hmac = new HMACSHA256(key);
        foreach (var p in parts) hmac.TransformBlock(p, 0, p.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    public void Dispose()
    {
        foreach (NetMQSocket s in new NetMQSocket[] { Shell, Stdin, Control, IOPub, Heartbeat }) s.Dispose();
    }
}

/// <summary>One kernel on ephemeral ports with a random key, and a connected client, shared by a test class.</summary>
public sealed class KernelFixture : IDisposable
{
    internal JupyterKernel Kernel { get; }
    internal KernelClient Client { get; }
    internal string Key { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public KernelFixture()
    {
        Kernel = new JupyterKernel(new ConnectionInfo { Key = Key }, new KernelOptions { Session = new() { AbandonGrace = TimeSpan.FromMilliseconds(500) } });
        Kernel.Start();
        Client = new KernelClient(Kernel.BoundConnection);
        Client.WaitForIOPub();
    }

    public void Dispose()
    {
        Client.Dispose();
        Kernel.Dispose();
    }
}
