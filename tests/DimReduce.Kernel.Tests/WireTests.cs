using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DimReduce.Kernel.Tests;

public sealed class WireTests
{
    [Fact]
    public void ConnectionInfo_Parses_AConnectionFile()
    {
        var info = ConnectionInfo.Parse("""
            {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "127.0.0.1",
             "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "dimreduce-csharp"}
            """);
        Assert.Equal((1, 2, 3, 4, 5), (info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HeartbeatPort));
        Assert.Equal("abc", info.Key);
        Assert.Equal("dimreduce-csharp", info.KernelName);
        Assert.Equal(info, ConnectionInfo.Parse(info.ToJson()));
    }

    [Theory]
    [InlineData("""{"transport": "ipc"}""", "only 'tcp'")]
    [InlineData("""{"signature_scheme": "hmac-md5"}""", "only 'hmac-sha256'")]
    [InlineData("""{"shell_port": 70000}""", "shell_port")]
    [InlineData("""{"shell_port": "x"}""", "shell_port")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("{", "not valid JSON")]
    public void ConnectionInfo_Rejects_BadFiles(string json, string phrase) =>
        Assert.Contains(phrase, Assert.Throws<InvalidDataException>(() => ConnectionInfo.Parse(json)).Message);

    [Fact]
    public void ConnectionInfo_Load_MissingFile_NamesIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => ConnectionInfo.Load(path)).Message);
    }

    [Fact]
    public void Kernel_RejectsUnsupportedConnections()
    {
        var e = Assert.Throws<ArgumentException>(() => new JupyterKernel(new ConnectionInfo { Transport = "ipc" }));
        Assert.Equal("connection", e.ParamName);
        Assert.Contains("only 'tcp'", e.Message);
        var o = Assert.Throws<ArgumentOutOfRangeException>(() => new JupyterKernel(new ConnectionInfo(), new KernelOptions { StreamFlushInterval = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("options", o.ParamName);
    }

    [Fact]
    public void Signer_MatchesHmacSha256_AndChecksInConstantTime()
    {
        var signer = new MessageSigner("secret");
        byte[] h = "{\"a\":1}"u8.ToArray(), p = "{}"u8.ToArray(), m = "{}"u8.ToArray(), c = "{\"code\":\"1\"}"u8.ToArray();
        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), (byte[])[.. h, .. p, .. m, .. c]));
        Assert.Equal(expected, signer.Sign(h, p, m, c));
        Assert.Null(signer.Check(Encoding.ASCII.GetBytes(expected), h, p, m, c));
        Assert.Contains("already used", signer.Check(Encoding.ASCII.GetBytes(expected), h, p, m, c));
        Assert.Contains("does not match", signer.Check(Encoding.ASCII.GetBytes(expected), h, p, m, "{}"u8.ToArray()));
        Assert.Contains("unsigned", signer.Check([], h, p, m, c));

        var off = new MessageSigner("");
        Assert.Equal("", off.Sign(h, p, m, c));
        Assert.Null(off.Check([], h, p, m, c));
    }

    [Fact]
    public void WireMessage_RoundTrips_WithIdentitiesAndBuffers()
    {
        var signer = new MessageSigner("k");
        var message = new WireMessage
        {
            Identities = [[1, 2, 3]],
            Header = WireMessage.NewHeader("kernel_info_request", "s"),
            Content = new JsonObject { ["x"] = "é" },
            Buffers = [[9]],
        };
        var parsed = WireMessage.Parse(message.Serialize(signer), signer, out string? dropped);
        Assert.Null(dropped);
        Assert.NotNull(parsed);
        Assert.Equal([1, 2, 3], parsed.Identities.Single());
        Assert.Equal("kernel_info_request", parsed.MsgType);
        Assert.Equal("é", parsed.Content["x"]!.GetValue<string>());
        Assert.Equal([9], parsed.Buffers.Single());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", parsed.Header["date"]!.GetValue<string>());

        Assert.Null(WireMessage.Parse([[1], [2]], signer, out dropped));
        Assert.Contains("<IDS|MSG>", dropped);
    }

    [Theory]
    [InlineData("6*7", "6*7", true)]
    [InlineData("6*7", "6+8", false)]
    [InlineData("6*7", "16*7", false)]
    [InlineData("6*7", "6*7 ", false)]
    [InlineData("x?", "xy", true)]
    [InlineData("[ab]c", "bc", true)]
    [InlineData("[^ab]c", "bc", false)]
    [InlineData("a.b", "aXb", false)]
    public void History_Glob_IsAnchored(string pattern, string text, bool match) =>
        Assert.Equal(match, ExecutionHistory.Glob(pattern).IsMatch(text));

    [Fact]
    public void History_Tail_Range_Search()
    {
        var history = new ExecutionHistory();
        for (int i = 1; i <= 5; i++) history.Add(i, i % 2 == 0 ? "even" : $"odd {i}");
        history.SetOutput(5, "five");
        var tail = history.Query(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 2, ["output"] = true });
        Assert.Equal("[[1,4,[\"even\",null]],[1,5,[\"odd 5\",\"five\"]]]", tail.ToJsonString());
        var range = history.Query(new JsonObject { ["hist_access_type"] = "range", ["session"] = 1, ["start"] = 2, ["stop"] = 4 });
        Assert.Equal("[[1,2,\"even\"],[1,3,\"odd 3\"]]", range.ToJsonString());
        Assert.Equal(2, history.Query(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "even" }).Count);
        Assert.Single(history.Query(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "even", ["unique"] = true }));
        Assert.Equal(2, history.Query(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "odd*", ["n"] = 2 }).Count);
    }

    [Fact]
    public void CursorPositions_CountCodePoints()
    {
        string text = "var s = \"😀\"; s.Len";
        int utf16 = text.Length;
        int codePoints = JupyterKernel.CodePoints(text);
        Assert.Equal(utf16 - 1, codePoints);
        Assert.Equal(utf16, JupyterKernel.Utf16Index(text, codePoints));
        Assert.Equal(text.IndexOf(';'), JupyterKernel.Utf16Index(text, JupyterKernel.CodePoints(text, text.IndexOf(';'))));
    }

    [Fact]
    public void KernelSpec_Install_WritesKernelJson()
    {
        string prefix = Path.Combine(Path.GetTempPath(), $"kernelspec-{Guid.NewGuid():N}");
        try
        {
            string folder = KernelSpec.Install(KernelSpec.PrefixKernelsDirectory(prefix), ["/usr/bin/dotnet", "/opt/DimReduce.Cli.dll", "kernel"]);
            Assert.Equal(Path.Combine(prefix, "share", "jupyter", "kernels", "dimreduce-csharp"), folder);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
            Assert.Equal(["/usr/bin/dotnet", "/opt/DimReduce.Cli.dll", "kernel", "-f", "{connection_file}"], spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
            Assert.Equal("C# (DimReduce)", spec["display_name"]!.GetValue<string>());
            Assert.Equal("csharp", spec["language"]!.GetValue<string>());
            Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            if (Directory.Exists(prefix)) Directory.Delete(prefix, recursive: true);
        }
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("a/b")]
    [InlineData("")]
    public void KernelSpec_Install_RejectsBadNames(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => KernelSpec.Install(Path.GetTempPath(), ["x"], name));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("letters, digits", e.Message);
    }

    [Fact]
    public void KernelSpec_Create_RejectsAnEmptyCommand() =>
        Assert.Equal("command", Assert.Throws<ArgumentException>(() => KernelSpec.Create([])).ParamName);

    [Fact]
    public void KernelSpec_UserDirectory_HonoursJupyterDataDir()
    {
        string? saved = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        try
        {
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", "/tmp/jdata");
            Assert.Equal(Path.Combine("/tmp/jdata", "kernels"), KernelSpec.UserKernelsDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", saved);
        }
    }
}
