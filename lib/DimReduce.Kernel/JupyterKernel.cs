using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DimReduce.Interactive;
using DimReduce.Interactive.Documents;
using Microsoft.CodeAnalysis.CSharp;
using NetMQ;
using NetMQ.Sockets;

namespace DimReduce.Kernel;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) that runs C# cells in an <see cref="InteractiveSession"/>, so VS Code's
/// Jupyter extension, JupyterLab, nbclient and nbconvert run the course's notebooks on the DimReduce engine.
/// </summary>
/// <remarks>
/// <para>Threads: one I/O thread owns the shell, control, stdin and iopub sockets (NetMQ sockets are not thread-safe)
/// and sends everything other threads queue; the heartbeat echoes on its own thread; cells run one at a time on the
/// execution thread; completion, inspection, is_complete, history and kernel_info are answered on a second shell
/// thread, so they work while a cell runs; control requests (interrupt, shutdown) are handled on the control thread,
/// so they arrive while a cell runs.</para>
/// <para>Every message is checked against the connection key (HMAC-SHA256 over the raw bytes, constant-time compare,
/// replayed signatures refused); a message that fails is logged and dropped, never run.</para>
/// <para>Protocol: https://jupyter-client.readthedocs.io/en/stable/messaging.html (version 5.3).</para>
/// </remarks>
public sealed partial class JupyterKernel : IDisposable
{
    /// <summary>The messaging protocol version the kernel speaks: <c>5.3</c>.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>The <c>language_info.name</c> the kernel reports: <c>csharp</c>.</summary>
    public const string LanguageName = "csharp";

    private enum Channel { Shell, Control, Stdin, IOPub }

    private sealed record Outgoing(Channel Channel, List<byte[]>? Frames, bool Stop = false);

    private sealed class RunningCell(WireMessage request, int count, bool silent, bool allowStdin)
    {
        public WireMessage Request { get; } = request;
        public int Count { get; } = count;
        public bool Silent { get; } = silent;
        public bool AllowStdin { get; } = allowStdin;
        public CancellationTokenSource Cancel { get; } = new();
        public bool Quiet { get; set; }
        public string? ResultText { get; set; }
    }

    private readonly ConnectionInfo _connection;
    private readonly KernelOptions _options;
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly InteractiveSession _cells;
    private readonly CodeIntelligence _intelligence = new();
    private readonly ExecutionHistory _history = new();
    private readonly BlockingCollection<WireMessage> _executions = [];
    private readonly BlockingCollection<WireMessage> _shellRequests = [];
    private readonly BlockingCollection<WireMessage> _controlRequests = [];
    private readonly NetMQQueue<Outgoing> _outgoing = new();
    private readonly object _outputGate = new();
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly Timer _flushTimer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _logGate = new();
    private RouterSocket? _shell, _control, _stdin;
    private PublisherSocket? _iopub;
    private ResponseSocket? _heartbeat;
    private NetMQPoller? _poller;
    private readonly List<Thread> _threads = [];
    private volatile RunningCell? _current;
    private volatile TaskCompletionSource<string>? _pendingInput;
    private volatile bool _stopping;
    private bool _flushScheduled;
    private int _executionCount;
    private int _started;
    private int _intelligenceWarm;

    /// <summary>Creates a kernel for a connection (nothing is bound until <see cref="Start"/>).</summary>
    /// <exception cref="ArgumentException">The connection's transport or signature scheme is not supported.</exception>
    public JupyterKernel(ConnectionInfo connection, KernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Transport != "tcp")
            throw new ArgumentException($"The connection's transport is '{connection.Transport}', but this kernel supports only 'tcp'.", nameof(connection));
        if (connection.SignatureScheme != "hmac-sha256")
            throw new ArgumentException($"The connection's signature scheme is '{connection.SignatureScheme}', but this kernel supports only 'hmac-sha256'.", nameof(connection));
        _options = options ?? new KernelOptions();
        if (_options.StreamFlushInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), _options.StreamFlushInterval, $"StreamFlushInterval is {_options.StreamFlushInterval}, but it must be zero or more.");
        _connection = connection;
        BoundConnection = connection;
        _signer = new MessageSigner(connection.Key);
        _cells = new InteractiveSession(_options.Session);
        _cells.Events += OnSessionEvent;
        _cells.ReadInput = ReadInput;
        _flushTimer = new Timer(_ => FlushStreams(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The connection with the ports actually bound (ports given as 0 are chosen at <see cref="Start"/>).</summary>
    public ConnectionInfo BoundConnection { get; private set; }

    /// <summary>Completes when the kernel has shut down (after a <c>shutdown_request</c> or <see cref="Dispose"/>).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>True once a cell ignored an interrupt and was abandoned (its thread may still run; a restart is advised).</summary>
    public bool HasAbandonedWork => _cells.HasAbandonedWork;

    /// <summary>The number of executions stored in history so far (the last <c>execution_count</c>).</summary>
    public int ExecutionCount => _executionCount;

    /// <summary>Binds the sockets and starts the kernel's threads; returns at once.</summary>
    /// <exception cref="InvalidOperationException">The kernel was already started.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("Start was already called; a kernel starts once.");
        _shell = new RouterSocket();
        _control = new RouterSocket();
        _stdin = new RouterSocket();
        _iopub = new PublisherSocket();
        _heartbeat = new ResponseSocket();
        foreach (NetMQSocket socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
            socket.Options.Linger = TimeSpan.Zero;
        BoundConnection = _connection with
        {
            ShellPort = Bind(_shell, _connection.ShellPort),
            IOPubPort = Bind(_iopub, _connection.IOPubPort),
            StdinPort = Bind(_stdin, _connection.StdinPort),
            ControlPort = Bind(_control, _connection.ControlPort),
            HeartbeatPort = Bind(_heartbeat, _connection.HeartbeatPort),
        };

        _shell.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Shell);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Control);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Stdin);
        _outgoing.ReceiveReady += (_, _) => SendQueued();
        _poller = [_shell, _control, _stdin, _outgoing];

        StartThread("DimReduce kernel I/O", () =>
        {
            try { _poller.Run(); }
            finally { _stopped.TrySetResult(); }
        });
        StartThread("DimReduce kernel heartbeat", Heartbeat);
        StartThread("DimReduce kernel execution", () => Serve(_executions, Execute));
        StartThread("DimReduce kernel shell", () => Serve(_shellRequests, HandleShell));
        StartThread("DimReduce kernel control", () => Serve(_controlRequests, HandleControl));
        if (_options.WarmUp)
        {
            // Compile and run a cell now, so the first real cell does not pay for loading the compiler. It produces no
            // output (an event here could land in the first real cell) and leaves no variable behind.
            Task.Run(async () =>
            {
                try
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    await _cells.ExecuteAsync("{ var warmUp = string.Join(',', new[] { 1, 2 }.Select(i => i * 2)); }").ConfigureAwait(false);
                    Log($"compiler warmed up in {clock.ElapsedMilliseconds} ms");
                }
                catch (Exception e) { Log($"warm-up failed: {e.Message}"); }
            });
        }
        Log($"listening on {_connection.IP}: shell {BoundConnection.ShellPort}, iopub {BoundConnection.IOPubPort}, stdin {BoundConnection.StdinPort}, control {BoundConnection.ControlPort}, hb {BoundConnection.HeartbeatPort}");
    }

    /// <summary>Starts the kernel and blocks until it shuts down.</summary>
    public void Run()
    {
        Start();
        Stopped.GetAwaiter().GetResult();
    }

    /// <summary>Interrupts the running cell, as an <c>interrupt_request</c> does (used for SIGINT).</summary>
    public void Interrupt()
    {
        var cell = _current;
        if (cell is null) return;
        Log($"interrupting cell {cell.Count}");
        cell.Cancel.Cancel();
    }

    private int Bind(NetMQSocket socket, int port)
    {
        string address = $"{_connection.Transport}://{_connection.IP}";
        if (port == 0) return socket.BindRandomPort(address);
        socket.Bind($"{address}:{port}");
        return port;
    }

    private void StartThread(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) when (!_stopping) { Log($"{name} failed: {e}"); }
            catch (Exception) { }
        })
        { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    private void Serve(BlockingCollection<WireMessage> queue, Action<WireMessage> handle)
    {
        foreach (var message in queue.GetConsumingEnumerable())
        {
            try { handle(message); }
            catch (Exception e) { Log($"{message.MsgType} failed: {e}"); }
        }
    }

    private void Heartbeat()
    {
        var socket = _heartbeat!;
        var frames = new List<byte[]>();
        while (!_stopping)
        {
            if (socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(100), ref frames))
                socket.SendMultipartBytes(frames);
        }
    }

    // ---- I/O thread -------------------------------------------------------------------------------------------

    private void Receive(NetMQSocket socket, Channel channel)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            var message = WireMessage.Parse(frames, _signer, out string? dropped);
            if (message is null)
            {
                Log($"dropped a message on {channel.ToString().ToLowerInvariant()}: {dropped}");
                continue;
            }
            try
            {
                Dispatch(message, channel);
            }
            catch (InvalidOperationException) when (_executions.IsAddingCompleted)
            {
                Log($"ignored {message.MsgType}: the kernel is shutting down");
            }
        }
    }

    private void Dispatch(WireMessage message, Channel channel)
    {
        switch (channel, message.MsgType)
        {
            case (Channel.Stdin, "input_reply"):
                _pendingInput?.TrySetResult(Text(message.Content, "value"));
                break;
            case (Channel.Stdin, _):
                Log($"ignored {message.MsgType} on stdin");
                break;
            case (Channel.Control, _):
            case (Channel.Shell, "shutdown_request" or "interrupt_request"):
                message.Metadata["__channel"] = channel.ToString();
                _controlRequests.Add(message);
                break;
            case (Channel.Shell, "execute_request"):
                _executions.Add(message);
                break;
            default:
                _shellRequests.Add(message);
                break;
        }
    }

    private void SendQueued()
    {
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (item.Stop)
            {
                _stopping = true;
                _poller!.Stop();
                return;
            }
            NetMQSocket socket = item.Channel switch
            {
                Channel.Shell => _shell!,
                Channel.Control => _control!,
                Channel.Stdin => _stdin!,
                _ => _iopub!,
            };
            socket.SendMultipartBytes(item.Frames!);
        }
    }

    // ---- sending (any thread) ---------------------------------------------------------------------------------

    private void Send(Channel channel, WireMessage request, string msgType, JsonObject content, List<byte[]>? identities = null)
    {
        var message = new WireMessage
        {
            Identities = identities ?? (channel == Channel.IOPub ? [Encoding.UTF8.GetBytes($"kernel.{_session}.{msgType}")] : request.Identities),
            Header = WireMessage.NewHeader(msgType, _session),
            ParentHeader = request.Header,
            Content = content,
        };
        _outgoing.Enqueue(new Outgoing(channel, message.Serialize(_signer)));
    }

    private void Publish(WireMessage parent, string msgType, JsonObject content) => Send(Channel.IOPub, parent, msgType, content);

    private void Status(WireMessage parent, string state) => Publish(parent, "status", new JsonObject { ["execution_state"] = state });

    /// <summary>busy, the reply, idle: every request gets this frame.</summary>
    private void Reply(Channel channel, WireMessage request, Func<JsonObject> content)
    {
        Status(request, "busy");
        JsonObject reply;
        try
        {
            reply = content();
        }
        catch (Exception e)
        {
            Log($"{request.MsgType} failed: {e}");
            reply = new JsonObject { ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray(e.ToString()) };
        }
        Send(channel, request, request.MsgType.Replace("_request", "_reply", StringComparison.Ordinal), reply);
        Status(request, "idle");
    }

    private void Log(string text)
    {
        if (_options.Log is not { } log) return;
        lock (_logGate)
        {
            log.WriteLine($"[DimReduce kernel] {text}");
            log.Flush();
        }
    }

    // ---- control ----------------------------------------------------------------------------------------------

    private void HandleControl(WireMessage message)
    {
        var channel = message.Metadata["__channel"]?.GetValue<string>() == nameof(Channel.Shell) ? Channel.Shell : Channel.Control;
        message.Metadata.Remove("__channel");
        switch (message.MsgType)
        {
            case "interrupt_request":
                Reply(channel, message, () =>
                {
                    Interrupt();
                    return new JsonObject { ["status"] = "ok" };
                });
                break;
            case "shutdown_request":
                bool restart = Flag(message.Content, "restart", false);
                Log(restart ? "restart requested: shutting down (the client starts a new kernel process)" : "shutdown requested");
                _current?.Cancel.Cancel();
                Reply(channel, message, () => new JsonObject { ["status"] = "ok", ["restart"] = restart });
                Shutdown();
                break;
            default:
                HandleShell(message, channel);
                break;
        }
    }

    private void Shutdown()
    {
        _executions.CompleteAdding();
        _shellRequests.CompleteAdding();
        _controlRequests.CompleteAdding();
        _pendingInput?.TrySetCanceled();
        _outgoing.Enqueue(new Outgoing(Channel.IOPub, null, Stop: true));
    }

    // ---- shell (all but execute) ------------------------------------------------------------------------------

    private void HandleShell(WireMessage message) => HandleShell(message, Channel.Shell);

    private void HandleShell(WireMessage message, Channel channel)
    {
        var c = message.Content;
        switch (message.MsgType)
        {
            case "kernel_info_request":
                Reply(channel, message, KernelInfo);
                break;
            case "is_complete_request":
                Reply(channel, message, () =>
                {
                    var result = CodeIntelligence.IsComplete(Text(c, "code"));
                    var reply = new JsonObject { ["status"] = result.Status };
                    if (result.Indent is not null) reply["indent"] = result.Indent;
                    return reply;
                });
                break;
            case "complete_request":
                Reply(channel, message, () => Complete(Text(c, "code"), Position(c)));
                break;
            case "inspect_request":
                Reply(channel, message, () => Inspect(Text(c, "code"), Position(c)));
                break;
            case "history_request":
                Reply(channel, message, () => new JsonObject { ["status"] = "ok", ["history"] = _history.Query(c) });
                break;
            case "comm_info_request":
                Reply(channel, message, () => new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // No comm targets exist: close the comm at once, as the protocol asks for unknown targets.
                Status(message, "busy");
                Publish(message, "comm_close", new JsonObject { ["comm_id"] = c["comm_id"]?.DeepClone(), ["data"] = new JsonObject() });
                Status(message, "idle");
                break;
            case "comm_msg" or "comm_close":
                Status(message, "busy");
                Status(message, "idle");
                break;
            default:
                Log($"ignored unknown message type {message.MsgType}");
                break;
        }
    }

    private static string Text(JsonObject content, string name) => content[name] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    private static int? Position(JsonObject content) => content["cursor_pos"] is JsonValue v && v.TryGetValue(out int i) && i >= 0 ? i : null;

    private static readonly string ImplementationVersion =
        typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    private static readonly string CSharpVersion = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = ProtocolVersion,
        ["implementation"] = "dimreduce",
        ["implementation_version"] = ImplementationVersion,
        ["language_info"] = new JsonObject
        {
            ["name"] = LanguageName,
            ["version"] = CSharpVersion,
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
            ["nbconvert_exporter"] = "script",
        },
        ["banner"] = $"C# {CSharpVersion} (DimReduce notebook engine {ImplementationVersion}, .NET {Environment.Version})",
        ["help_links"] = new JsonArray(
            new JsonObject { ["text"] = "C# documentation", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" },
            new JsonObject { ["text"] = ".NET API browser", ["url"] = "https://learn.microsoft.com/dotnet/api/" }),
        ["debugger"] = false,
    };

    private JsonObject Complete(string code, int? cursorPos)
    {
        int cursor = Utf16Index(code, cursorPos ?? CodePoints(code));
        var result = _intelligence.Complete(code, cursor);
        var types = new JsonArray();
        foreach (var item in result.Items)
        {
            types.Add(new JsonObject
            {
                ["start"] = CodePoints(code, result.Start),
                ["end"] = CodePoints(code, result.End),
                ["text"] = item.Text,
                ["type"] = item.Kind,
                ["signature"] = "",
            });
        }
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray([.. result.Items.Select(i => (JsonNode)JsonValue.Create(i.Text))]),
            ["cursor_start"] = CodePoints(code, result.Start),
            ["cursor_end"] = CodePoints(code, result.End),
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        };
    }

    private JsonObject Inspect(string code, int? cursorPos)
    {
        int cursor = Utf16Index(code, cursorPos ?? CodePoints(code));
        var info = _intelligence.Inspect(code, cursor);
        var data = new JsonObject();
        if (info is not null)
        {
            data[MimeTypes.PlainText] = info.PlainText;
            data[MimeTypes.Markdown] = info.Markdown;
        }
        return new JsonObject { ["status"] = "ok", ["found"] = info is not null, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    /// <summary>Jupyter counts cursor positions in Unicode code points (protocol 5.2 and later); .NET strings in UTF-16 units.</summary>
    internal static int Utf16Index(string text, int codePoints)
    {
        int i = 0;
        for (int n = 0; n < codePoints && i < text.Length; n++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return i;
    }

    internal static int CodePoints(string text, int utf16Index = -1)
    {
        int end = utf16Index < 0 ? text.Length : Math.Min(utf16Index, text.Length), n = 0;
        for (int i = 0; i < end; i++, n++)
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        return n;
    }

    // ---- execute ----------------------------------------------------------------------------------------------

    [GeneratedRegex(@"^\s*(?<symbol>[A-Za-z_][\w.]*(?:<[\w\s,.]*>)?)\s*\?\??\s*$")]
    private static partial Regex HelpRequest();

    private void Execute(WireMessage request)
    {
        var c = request.Content;
        string code = c["code"] is JsonValue v && v.TryGetValue(out string? text) ? text : "";
        bool silent = Flag(c, "silent", false);
        bool storeHistory = !silent && Flag(c, "store_history", true);
        bool allowStdin = Flag(c, "allow_stdin", false);
        bool stopOnError = Flag(c, "stop_on_error", true);

        Status(request, "busy");
        int count = storeHistory ? Interlocked.Increment(ref _executionCount) : _executionCount;
        if (storeHistory) _history.Add(count, code);
        if (!silent) Publish(request, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });

        var cell = new RunningCell(request, count, silent, allowStdin);
        _current = cell;
        var payload = new JsonArray();
        JsonObject reply;
        try
        {
            if (HelpRequest().Match(code) is { Success: true } help)
            {
                // `Symbol?` shows the symbol's documentation in the pager, as IPython does.
                string symbol = help.Groups["symbol"].Value;
                var info = _intelligence.Inspect(symbol, symbol.Length);
                if (info is null)
                {
                    reply = Failure(cell, "SymbolNotFound", $"No documentation found for '{symbol}'.");
                }
                else
                {
                    payload.Add(new JsonObject { ["source"] = "page", ["data"] = new JsonObject { [MimeTypes.PlainText] = info.PlainText, [MimeTypes.Markdown] = info.Markdown }, ["start"] = 0 });
                    reply = new JsonObject { ["status"] = "ok", ["execution_count"] = count };
                }
            }
            else
            {
                string kernelName = request.Metadata["polyglot_notebook"]?["kernelName"] is JsonValue k && k.TryGetValue(out string? name) ? name : KernelNames.CSharp;
                string runnable = kernelName == KernelNames.CSharp ? LoopInterrupts.Instrument(code) : code;
                var result = _cells.ExecuteAsync(runnable, kernelName, null, cell.Cancel.Token).GetAwaiter().GetResult();
                FlushStreams();
                if (result.Succeeded)
                {
                    if (kernelName == KernelNames.CSharp) _intelligence.AddSubmission(code);
                    reply = new JsonObject { ["status"] = "ok", ["execution_count"] = count };
                    reply["user_expressions"] = UserExpressions(cell, c["user_expressions"] as JsonObject);
                }
                else
                {
                    var error = result.Error;
                    reply = new JsonObject
                    {
                        ["status"] = "error",
                        ["execution_count"] = count,
                        ["ename"] = error?.ErrorName ?? result.Status.ToString(),
                        ["evalue"] = error?.ErrorValue ?? "",
                        ["traceback"] = new JsonArray([.. (error?.Traceback ?? []).Select(t => (JsonNode)JsonValue.Create(t))]),
                    };
                }
            }
        }
        catch (Exception e)
        {
            Log($"execute failed: {e}");
            reply = Failure(cell, e.GetType().Name, e.Message);
        }
        finally
        {
            FlushStreams();
            lock (_outputGate) _current = null;
        }
        if (storeHistory) _history.SetOutput(count, cell.ResultText);
        reply.TryAdd("user_expressions", new JsonObject());
        reply["payload"] = payload;
        // The requests to abort are those queued before this reply goes out; one sent after the client has seen it
        // (and the idle status) runs normally.
        var toAbort = reply["status"]?.GetValue<string>() == "error" && stopOnError ? TakeQueued() : [];
        Send(Channel.Shell, request, "execute_reply", reply);
        Status(request, "idle");
        foreach (var queued in toAbort) Abort(queued);
        if (_options.WarmUp && Interlocked.Exchange(ref _intelligenceWarm, 1) == 0)
        {
            // Load the completion services after the first cell, not before it: the first cell's time counts most.
            var warm = new Thread(() =>
            {
                try { _intelligence.WarmUp(); }
                catch (Exception e) { Log($"code intelligence warm-up failed: {e.Message}"); }
            })
            { IsBackground = true, Name = "DimReduce kernel warm-up", Priority = ThreadPriority.BelowNormal };
            warm.Start();
        }
    }

    /// <summary>A boolean field of a request; a missing or mistyped one takes its default rather than failing the request.</summary>
    private static bool Flag(JsonObject content, string name, bool fallback) =>
        content[name] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

    private JsonObject Failure(RunningCell cell, string name, string value)
    {
        if (!cell.Silent) Publish(cell.Request, "error", new JsonObject { ["ename"] = name, ["evalue"] = value, ["traceback"] = new JsonArray(value) });
        return new JsonObject { ["status"] = "error", ["execution_count"] = cell.Count, ["ename"] = name, ["evalue"] = value, ["traceback"] = new JsonArray(value) };
    }

    /// <summary>After a failed cell, the requests already queued (JupyterLab's "Run All" sends them at once), to be answered as aborted.</summary>
    private List<WireMessage> TakeQueued()
    {
        var queued = new List<WireMessage>();
        while (_executions.TryTake(out var message)) queued.Add(message);
        return queued;
    }

    private void Abort(WireMessage queued)
    {
        Status(queued, "busy");
        Send(Channel.Shell, queued, "execute_reply", new JsonObject
        {
            ["status"] = "aborted", ["execution_count"] = _executionCount, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
        });
        Status(queued, "idle");
    }

    private JsonObject UserExpressions(RunningCell cell, JsonObject? expressions)
    {
        var results = new JsonObject();
        if (expressions is null || expressions.Count == 0) return results;
        cell.Quiet = true;
        foreach (var (name, node) in expressions)
        {
            string expression = node is JsonValue v && v.TryGetValue(out string? s) ? s : "";
            var result = _cells.ExecuteAsync(expression, KernelNames.CSharp, null, cell.Cancel.Token).GetAwaiter().GetResult();
            if (result.Succeeded)
            {
                results[name] = new JsonObject
                {
                    ["status"] = "ok",
                    ["data"] = result.Result?.Data.DeepClone() ?? new JsonObject { [MimeTypes.PlainText] = "" },
                    ["metadata"] = new JsonObject(),
                };
            }
            else
            {
                var error = result.Error;
                results[name] = new JsonObject
                {
                    ["status"] = "error",
                    ["ename"] = error?.ErrorName ?? "Error",
                    ["evalue"] = error?.ErrorValue ?? "",
                    ["traceback"] = new JsonArray([.. (error?.Traceback ?? []).Select(t => (JsonNode)JsonValue.Create(t))]),
                };
            }
        }
        return results;
    }

    // ---- outputs of the running cell ---------------------------------------------------------------------------

    private void OnSessionEvent(SessionEvent e)
    {
        lock (_outputGate)
        {
            var cell = _current;
            if (cell is null || cell.Quiet) return;
            if (e.Kind == SessionEventKind.Result) cell.ResultText = e.Output.GetText(MimeTypes.PlainText);
            if (cell.Silent) return;
            if (e.Kind == SessionEventKind.Stream)
            {
                (e.Output.StreamName == "stderr" ? _stderr : _stdout).Append(e.Output.Text);
                if (!_flushScheduled)
                {
                    _flushScheduled = true;
                    _flushTimer.Change(_options.StreamFlushInterval, Timeout.InfiniteTimeSpan);
                }
                return;
            }
            FlushLocked(cell);
            var o = e.Output;
            switch (e.Kind)
            {
                case SessionEventKind.Result:
                    Publish(cell.Request, "execute_result", new JsonObject { ["execution_count"] = cell.Count, ["data"] = o.Data.DeepClone(), ["metadata"] = o.Metadata.DeepClone() });
                    break;
                case SessionEventKind.Error:
                    Publish(cell.Request, "error", new JsonObject
                    {
                        ["ename"] = o.ErrorName ?? "Error",
                        ["evalue"] = o.ErrorValue ?? "",
                        ["traceback"] = new JsonArray([.. o.Traceback.Select(t => (JsonNode)JsonValue.Create(t))]),
                    });
                    break;
                case SessionEventKind.ClearOutput:
                    Publish(cell.Request, "clear_output", new JsonObject { ["wait"] = e.Wait });
                    break;
                default:
                    Publish(cell.Request, e.Kind == SessionEventKind.UpdateDisplay ? "update_display_data" : "display_data", new JsonObject
                    {
                        ["data"] = o.Data.DeepClone(),
                        ["metadata"] = o.Metadata.DeepClone(),
                        ["transient"] = o.DisplayId is null ? new JsonObject() : new JsonObject { ["display_id"] = o.DisplayId },
                    });
                    break;
            }
        }
    }

    private void FlushStreams()
    {
        lock (_outputGate)
        {
            if (_current is { } cell) FlushLocked(cell);
            else { _stdout.Clear(); _stderr.Clear(); _flushScheduled = false; }
        }
    }

    private void FlushLocked(RunningCell cell)
    {
        _flushScheduled = false;
        foreach (var (name, buffer) in new[] { ("stdout", _stdout), ("stderr", _stderr) })
        {
            if (buffer.Length == 0) continue;
            Publish(cell.Request, "stream", new JsonObject { ["name"] = name, ["text"] = buffer.ToString() });
            buffer.Clear();
        }
    }

    // ---- stdin -------------------------------------------------------------------------------------------------

    private string ReadInput(string prompt, bool password)
    {
        var cell = _current ?? throw new InvalidOperationException("Console input can only be read while a cell runs.");
        if (!cell.AllowStdin)
            throw new InvalidOperationException(
                "This front end does not allow input (the execute request has allow_stdin false, as nbconvert and nbclient send): " +
                "Console.ReadLine cannot ask for a value here. Set the value in code instead.");
        FlushStreams();
        var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingInput = pending;
        try
        {
            Send(Channel.Stdin, cell.Request, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password });
            return pending.Task.WaitAsync(cell.Cancel.Token).GetAwaiter().GetResult();
        }
        finally
        {
            _pendingInput = null;
        }
    }

    /// <summary>Stops the kernel's threads and closes its sockets (a client normally sends <c>shutdown_request</c> instead).</summary>
    public void Dispose()
    {
        if (_started == 1 && !_stopped.Task.IsCompleted)
        {
            _current?.Cancel.Cancel();
            if (!_executions.IsAddingCompleted) Shutdown();
            _stopped.Task.Wait(TimeSpan.FromSeconds(5));
        }
        _stopping = true;
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(2));
        _poller?.Dispose();
        foreach (var socket in new NetMQSocket?[] { _shell, _control, _stdin, _iopub, _heartbeat })
        {
            if (socket is null) continue;
            // Give the last messages (shutdown_reply, idle) half a second to leave before the socket closes.
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            socket.Dispose();
        }
        _outgoing.Dispose();
        _flushTimer.Dispose();
        _cells.Dispose();
    }
}
