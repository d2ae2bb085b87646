using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;
using DimReduce.Interactive.Magics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace DimReduce.Interactive;

/// <summary>
/// A C# notebook session: cells run one after another as chained Roslyn script submissions, so variables, usings,
/// methods and classes of earlier cells stay visible in later ones.
/// </summary>
/// <remarks>
/// <para>Each execution captures what the cell writes to <see cref="Console.Out"/> and <see cref="Console.Error"/> as
/// <c>stdout</c>/<c>stderr</c> stream outputs, shows the value of a trailing expression (a cell ending in an expression
/// without semicolon) as the execute result, and turns <c>display(x)</c> calls into display outputs.</para>
/// <para>Limits of the console capture: <see cref="Console.SetOut"/> is process-wide, so while a cell runs the writes of
/// every thread in the process land in that cell (this is how output of the cell's own threads and tasks is caught),
/// and only one cell runs at a time in a process (executions of all sessions queue on one gate). Writes made after the
/// cell has finished, by threads it left running, go to the process's real console and are not part of any output.</para>
/// <para>Cancellation is cooperative: the token of the running cell is <c>KernelInvocationContext.Current.CancellationToken</c>
/// (and <see cref="CurrentCancellationToken"/>). A cell that ignores it is abandoned after <see cref="SessionOptions.AbandonGrace"/>:
/// the execution ends with an error, but .NET cannot stop a thread from outside, so the cell's thread keeps running in the
/// background until its code returns, using CPU, and may still change variables; its later output is discarded. The
/// session stays usable (the next cell continues from the last completed one), but a restart is the safe course.</para>
/// </remarks>
public sealed partial class InteractiveSession : IDisposable
{
    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);

    /// <summary>Namespaces every cell can use without a using directive.</summary>
    public static IReadOnlyList<string> DefaultUsings { get; } =
    [
        "System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Text", "System.Threading", "System.Threading.Tasks",
        "DimReduce", "DimReduce.Datasets", "DimReduce.Decomposition", "DimReduce.Preprocessing", "DimReduce.Neighbors",
        "DimReduce.Clustering", "DimReduce.Classification", "DimReduce.Pipelines", "DimReduce.Charts", "DimReduce.IO",
        "DimReduce.Interactive", "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.Formatting",
        // A type name imports its static members, as `using static` would: display(...), HTML(...).
        "Microsoft.DotNet.Interactive.Kernel",
    ];

    /// <summary>Assemblies every cell references: DimReduce, MathNet.Numerics, Microsoft.Data.Analysis, Plotly.NET (its C# API, and DynamicObj, so a cell can read a trace's properties), TorchSharp, the engine.</summary>
    public static IReadOnlyList<Assembly> DefaultAssemblies { get; } =
    [
        typeof(DataMatrix).Assembly,
        typeof(MathNet.Numerics.LinearAlgebra.Matrix<>).Assembly,
        typeof(Microsoft.Data.Analysis.DataFrame).Assembly,
        typeof(Plotly.NET.GenericChart).Assembly,
        typeof(Plotly.NET.CSharp.Chart).Assembly,
        typeof(DynamicObj.DynamicObj).Assembly,
        typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly,
        typeof(TorchSharp.torch).Assembly,
        typeof(System.Numerics.Tensors.TensorPrimitives).Assembly,
        typeof(InteractiveSession).Assembly,
    ];

    private readonly SessionOptions _options;
    private readonly List<MetadataReference> _references = [];
    private ScriptState<object?>? _state;
    private int _executionCount;
    private bool _disposed;

    /// <summary>Creates a session (cheap; the compiler warms up on the first cell).</summary>
    public InteractiveSession(SessionOptions? options = null)
    {
        _options = options ?? new SessionOptions();
        if (_options.AbandonGrace < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), _options.AbandonGrace, $"AbandonGrace is {_options.AbandonGrace}, but it must be zero or more.");
    }

    /// <summary>The formatters this session's outputs use; <c>Formatter.Register</c> in a cell adds to them.</summary>
    public FormatterRegistry Formatters { get; } = new();

    /// <summary>The number of executions so far (the last execution count).</summary>
    public int ExecutionCount => _executionCount;

    /// <summary>True once a cell has been abandoned; its thread may still be running.</summary>
    public bool HasAbandonedWork { get; private set; }

    /// <summary>The options the session was created with.</summary>
    public SessionOptions Options => _options;

    /// <summary>Outputs as they are produced (streams, displays, display updates, results, errors), raised on the thread that produced them.</summary>
    public event Action<SessionEvent>? Events;

    /// <summary>
    /// Reads a line of user input for <c>Console.ReadLine</c> (and <c>Kernel.GetInputAsync</c>) in a cell: called with the
    /// prompt and whether the input is a password. Null (the default): there is no input, and reading fails at once with
    /// a clear message. A Jupyter kernel sets it to send <c>input_request</c>.
    /// </summary>
    public Func<string, bool, string>? ReadInput { get; set; }

    /// <summary>The cancellation token of the cell running on this logical thread, or <see cref="CancellationToken.None"/> outside a cell.</summary>
    public static CancellationToken CurrentCancellationToken => CellExecution.Current?.CancellationToken ?? CancellationToken.None;

    internal void Raise(SessionEvent e) => Events?.Invoke(e);

    /// <summary>Runs one cell synchronously. See <see cref="ExecuteAsync"/>.</summary>
    public ExecutionResult Execute(string code, string kernelName = KernelNames.CSharp, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(code, kernelName, timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Runs one cell: magics first (an unsupported one fails the cell before anything runs), then each part in its kernel.
    /// </summary>
    /// <param name="code">The cell's source.</param>
    /// <param name="kernelName">The cell's kernel when its source has no selector line (from the cell's metadata); default C#.</param>
    /// <param name="timeout">Cancel the cell after this long (null: no limit).</param>
    /// <param name="cancellationToken">Cancels the cell (an interrupt).</param>
    public async Task<ExecutionResult> ExecuteAsync(string code, string kernelName = KernelNames.CSharp, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), t, $"timeout is {t}, but it must be positive (or null for no limit).");

        await ConsoleGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The timeout counts from the moment the cell's code starts, not while it compiles (a cold compiler takes seconds).
        bool timerStarted = false;
        void StartTimer()
        {
            if (timeout is { } limit && !timerStarted) cts.CancelAfter(limit);
            timerStarted = true;
        }
        int count = ++_executionCount;
        var execution = new CellExecution(this, count, cts.Token);
        var clock = Stopwatch.StartNew();
        var diagnostics = new List<CellDiagnostic>();
        var status = ExecutionStatus.Ok;
        TextWriter originalOut = Console.Out, originalError = Console.Error;
        TextReader originalIn = Console.In;
        try
        {
            Console.SetOut(new StreamCapture(execution, "stdout"));
            Console.SetError(new StreamCapture(execution, "stderr"));
            Console.SetIn(ReadInput is { } readInput ? new PromptInput(readInput) : new NoInput());
            var plan = CellPlan.Create(code, kernelName, _options.WorkingDirectory);
            if (plan.Errors.Count > 0)
            {
                status = ExecutionStatus.Error;
                execution.Add(NotebookOutput.Failure("UnsupportedMagic", string.Join("\n", plan.Errors), plan.Errors));
            }
            else
            {
                foreach (var notice in plan.Notices) execution.Add(NotebookOutput.Display(new() { [MimeTypes.PlainText] = notice }));
                foreach (var path in plan.References) _references.Add(MetadataReference.CreateFromFile(path));
                if (plan.About) execution.Add(NotebookOutput.Display(AboutMagic.Bundle()));
                try
                {
                    status = await PreparePackagesAsync(plan, execution, cts.Token).ConfigureAwait(false);
                    for (int p = 0; p < plan.Parts.Count && status == ExecutionStatus.Ok; p++)
                    {
                        var part = plan.Parts[p];
                        bool last = p == plan.Parts.Count - 1;
                        status = part.Kernel switch
                        {
                            KernelNames.Markdown => Show(execution, new MarkdownContent(part.Code)),
                            KernelNames.Html => Show(execution, new HtmlContent(part.Code)),
                            KernelNames.Mermaid => Show(execution, new MermaidContent(part.Code)),
                            _ => await RunCSharpAsync(execution, part.Code, last, diagnostics, timeout, StartTimer).ConfigureAwait(false),
                        };
                    }
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    // Cancelled while compiling, before the cell's code started.
                    status = ExecutionStatus.Cancelled;
                    string message = "The cell was interrupted before it ran.";
                    execution.Add(NotebookOutput.Failure("OperationCanceledException", message, [message]));
                }
                if (plan.Time && status is ExecutionStatus.Ok or ExecutionStatus.Error)
                    execution.Add(NotebookOutput.Display(new() { [MimeTypes.PlainText] = $"Wall time: {clock.Elapsed.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture)} ms" }));
            }
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            Console.SetIn(originalIn);
            execution.Close();
            ConsoleGate.Release();
        }
        return new ExecutionResult(count, status, execution.Snapshot(), diagnostics, clock.Elapsed);
    }

    private static ExecutionStatus Show(CellExecution execution, object value)
    {
        execution.Display(value, []);
        return ExecutionStatus.Ok;
    }

    private ScriptOptions? _baseOptions;
    private int _baseReferenceCount = -1;

    private ScriptOptions ScriptOptionsFor(int count)
    {
        // Rebuilt only when #r added a reference; otherwise only the file name (the cell's name in positions) changes.
        if (_baseOptions is null || _baseReferenceCount != _references.Count)
        {
            _baseOptions = BaseOptions();
            _baseReferenceCount = _references.Count;
        }
        return _baseOptions.WithFilePath($"cell {count}");
    }

    private ScriptOptions BaseOptions() =>
        ScriptOptions.Default
            .WithReferences(DefaultReferences.Value.Concat(_references))
            .WithImports(DefaultUsings)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_options.WorkingDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(_options.WorkingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithAllowUnsafe(true);

    private static readonly Lazy<ImmutableArray<MetadataReference>> DefaultReferences = new(() =>
    {
        var refs = new List<MetadataReference>();
        // The shared framework's public assemblies, so any System.* type a cell names compiles.
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var file in Directory.GetFiles(runtimeDir, "*.dll").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if ((name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("System.Private.", StringComparison.Ordinal))
                || name is "System" or "netstandard" or "mscorlib" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives")
            {
                if (IsManagedAssembly(file)) refs.Add(MetadataReference.CreateFromFile(file));
            }
        }
        refs.Add(MetadataReference.CreateFromFile(typeof(object).Assembly.Location));
        foreach (var assembly in DefaultAssemblies) refs.Add(MetadataReference.CreateFromFile(assembly.Location));
        return [.. refs];
    });

    private static bool IsManagedAssembly(string file)
    {
        try { AssemblyName.GetAssemblyName(file); return true; }
        catch (BadImageFormatException) { return false; }
    }

    private async Task<ExecutionStatus> RunCSharpAsync(CellExecution execution, string code, bool lastPart, List<CellDiagnostic> diagnostics, TimeSpan? timeout, Action startTimer)
    {
        var options = ScriptOptionsFor(execution.ExecutionCount);
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(code));
        Script<object?> script = _state is null ? CSharpScript.Create<object?>(source, options) : _state.Script.ContinueWith<object?>(source, options);

        var errors = script.Compile(execution.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            foreach (var d in errors)
            {
                var pos = d.Location.GetLineSpan().StartLinePosition;
                diagnostics.Add(new CellDiagnostic(pos.Line + 1, pos.Character + 1, d.Id, d.GetMessage(CultureInfo.InvariantCulture)));
            }
            execution.Add(NotebookOutput.Failure("CompilationError", diagnostics[0].ToString(), diagnostics.Select(d => d.ToString())));
            return ExecutionStatus.Error;
        }
        bool hasValue = HasTrailingValue(script.GetCompilation());

        // The cell runs on its own thread, so that a cell that ignores cancellation can be abandoned.
        var done = new TaskCompletionSource<ScriptState<object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = _state;
        var culture = _options.Culture;
        var thread = new Thread(() =>
        {
            CellExecution.Current = execution;
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            try
            {
                var task = previous is null
                    ? script.RunAsync(null, _ => true, CancellationToken.None)
                    : script.RunFromAsync(previous, _ => true, CancellationToken.None);
                task.ContinueWith(t =>
                {
                    if (t.IsFaulted) done.TrySetException(t.Exception!.InnerExceptions);
                    else if (t.IsCanceled) done.TrySetCanceled();
                    else done.TrySetResult(t.Result);
                }, TaskScheduler.Default);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, maxStackSize: 16 * 1024 * 1024)
        {
            IsBackground = true,
            Name = $"DimReduce cell {execution.ExecutionCount}",
        };
        startTimer();
        thread.Start();

        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (execution.CancellationToken.Register(() => cancelled.TrySetResult()))
        {
            if (await Task.WhenAny(done.Task, cancelled.Task).ConfigureAwait(false) != done.Task)
            {
                // Cancelled: give the cell the grace period to notice its token.
                await Task.WhenAny(done.Task, Task.Delay(_options.AbandonGrace)).ConfigureAwait(false);
                if (!done.Task.IsCompleted)
                {
                    HasAbandonedWork = true;
                    string why = timeout is { } t ? $"it ran past its timeout of {Seconds(t)}" : "it was interrupted";
                    string message =
                        $"The cell was cancelled ({why}) but did not stop within {Seconds(_options.AbandonGrace)}, so it has been abandoned. " +
                        "Its thread keeps running in the background until its code returns (.NET cannot stop a thread from outside): it may use CPU and change variables, " +
                        "and its output is discarded. To make long loops stoppable, check KernelInvocationContext.Current.CancellationToken in them. Restart the session to be safe.";
                    execution.Add(NotebookOutput.Failure("CellAbandoned", message, [message]));
                    return ExecutionStatus.Abandoned;
                }
            }
        }

        ScriptState<object?> state;
        try
        {
            state = await done.Task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Failed(execution, e, timeout);
        }
        // Keep the state even after an exception: what the cell defined before throwing stays usable, as in Polyglot.
        _state = state;
        if (state.Exception is { } exception) return Failed(execution, exception, timeout);
        if (hasValue && state.ReturnValue is not Microsoft.DotNet.Interactive.DisplayedValue)
        {
            var data = Formatters.Format(state.ReturnValue);
            execution.Add(lastPart ? NotebookOutput.Result(data, execution.ExecutionCount) : NotebookOutput.Display(data));
        }
        return ExecutionStatus.Ok;
    }

    private static ExecutionStatus Failed(CellExecution execution, Exception e, TimeSpan? timeout)
    {
        var output = ErrorOutput(e);
        if (!execution.CancellationToken.IsCancellationRequested || e is not OperationCanceledException)
        {
            execution.Add(output);
            return ExecutionStatus.Error;
        }
        // The cell stopped because it was asked to: say why rather than "A task was canceled."
        output.ErrorValue = timeout is { } t ? $"The cell was cancelled: it ran past its timeout of {Seconds(t)}." : "The cell was cancelled: it was interrupted.";
        output.Traceback[0] = $"{e.GetType().FullName}: {output.ErrorValue}";
        execution.Add(output);
        return ExecutionStatus.Cancelled;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    /// <summary>
    /// True when the submission ends in an expression without a semicolon whose type is not void: then the script's
    /// return value is the cell's value, even when it is null (Roslyn's own check is internal).
    /// </summary>
    private static bool HasTrailingValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Last();
        var last = tree.GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().LastOrDefault();
        if (last?.Statement is not ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement) return false;
        if (tree.GetRoot().ChildNodes().LastOrDefault() != last) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static NotebookOutput ErrorOutput(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && e.InnerException is not null) e = e.InnerException!;
        var traceback = new List<string> { $"{e.GetType().FullName}: {e.Message}" };
        traceback.AddRange(UserFrames(e));
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
            traceback.AddRange(UserFrames(inner));
        }
        return NotebookOutput.Failure(e.GetType().Name, e.Message, traceback);
    }

    [GeneratedRegex(@"Submission#\d+\.")]
    private static partial Regex SubmissionPrefix();

    [GeneratedRegex(@" in (?:.*[/\\])?(cell \d+):line ")]
    private static partial Regex CellFile();

    [GeneratedRegex(@"<<Initialize>>d__\d+\.MoveNext\(\)")]
    private static partial Regex CellBody();

    /// <summary>
    /// The stack frames down to the last one in a cell: frames of the library the cell called are kept (they say where
    /// it failed), the script host's frames below the cell are dropped, and compiler names become readable.
    /// </summary>
    internal static List<string> UserFrames(Exception e)
    {
        var lines = (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("--- End of stack trace", StringComparison.Ordinal)).ToList();
        int lastCell = lines.FindLastIndex(l => l.Contains("Submission#", StringComparison.Ordinal));
        if (lastCell >= 0) lines = lines[..(lastCell + 1)];
        return lines.Select(l => "   " + CellFile().Replace(CellBody().Replace(SubmissionPrefix().Replace(l, ""), "<cell>"), " in $1:line ")).ToList();
    }

    /// <summary>Releases the script state. A cell still running (abandoned) is not stopped.</summary>
    public void Dispose()
    {
        _disposed = true;
        _state = null;
    }
}
