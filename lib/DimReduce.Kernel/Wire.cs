using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DimReduce.Kernel;

/// <summary>
/// HMAC-SHA256 signatures of Jupyter messages: the lowercase hex digest of header, parent header, metadata and content,
/// over the bytes exactly as they travel. An empty key turns signing off (empty signature, nothing checked), as the
/// protocol specifies.
/// </summary>
internal sealed class MessageSigner
{
    private readonly byte[] _key;
    // jupyter_client keeps a history of digests and refuses a message whose signature it has already seen (a replay).
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private const int ReplayWindow = 10_000;

    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key ?? "");

    public bool Enabled => _key.Length > 0;

    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parent);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Null when the message may be processed, else why it must be dropped.</summary>
    public string? Check(byte[] signature, byte[] header, byte[] parent, byte[] metadata, byte[] content)
    {
        if (!Enabled) return null;
        if (signature.Length == 0) return "the message is unsigned";
        byte[] expected = Encoding.ASCII.GetBytes(Sign(header, parent, metadata, content));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature)) return "its signature does not match the connection key";
        string digest = Encoding.ASCII.GetString(signature);
        lock (_seen)
        {
            if (!_seen.Add(digest)) return "its signature was already used (a replayed message)";
            _seenOrder.Enqueue(digest);
            if (_seenOrder.Count > ReplayWindow) _seen.Remove(_seenOrder.Dequeue());
        }
        return null;
    }
}

/// <summary>One Jupyter message as it travels: routing identities, then header, parent header, metadata, content and buffers.</summary>
internal sealed class WireMessage
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    public List<byte[]> Identities { get; init; } = [];
    public JsonObject Header { get; init; } = [];
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public JsonObject Content { get; init; } = [];
    public List<byte[]> Buffers { get; init; } = [];

    public string MsgType => Header["msg_type"]?.GetValue<string>() ?? "";
    public string MsgId => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>Splits received frames, checks the signature on the raw bytes, then parses. Null and a reason when dropped.</summary>
    public static WireMessage? Parse(IReadOnlyList<byte[]> frames, MessageSigner signer, out string? dropped)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        }
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            dropped = $"it has {frames.Count} frames and no complete <IDS|MSG> block";
            return null;
        }
        byte[] signature = frames[delimiter + 1], header = frames[delimiter + 2], parent = frames[delimiter + 3], metadata = frames[delimiter + 4], content = frames[delimiter + 5];
        dropped = signer.Check(signature, header, parent, metadata, content);
        if (dropped is not null) return null;
        try
        {
            var message = new WireMessage
            {
                Identities = [.. frames.Take(delimiter)],
                Header = Obj(header),
                ParentHeader = Obj(parent),
                Metadata = Obj(metadata),
                Content = Obj(content),
                Buffers = [.. frames.Skip(delimiter + 6)],
            };
            if (message.MsgType.Length == 0) { dropped = "its header has no msg_type"; return null; }
            return message;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            dropped = $"its JSON is invalid ({e.Message})";
            return null;
        }
    }

    private static JsonObject Obj(byte[] bytes) => bytes.Length == 0 ? [] : JsonNode.Parse(bytes) as JsonObject ?? [];

    /// <summary>The frames to send: identities, delimiter, signature, the four JSON parts, buffers.</summary>
    public List<byte[]> Serialize(MessageSigner signer)
    {
        byte[] header = Encoding.UTF8.GetBytes(Header.ToJsonString());
        byte[] parent = Encoding.UTF8.GetBytes(ParentHeader.ToJsonString());
        byte[] metadata = Encoding.UTF8.GetBytes(Metadata.ToJsonString());
        byte[] content = Encoding.UTF8.GetBytes(Content.ToJsonString());
        var frames = new List<byte[]>(Identities.Count + 6 + Buffers.Count);
        frames.AddRange(Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(Buffers);
        return frames;
    }

    /// <summary>A new header for a message of this kernel's session.</summary>
    public static JsonObject NewHeader(string msgType, string session, string username = "kernel") => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = username,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = JupyterKernel.ProtocolVersion,
    };
}
