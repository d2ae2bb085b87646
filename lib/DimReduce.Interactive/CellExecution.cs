using System.Text;
using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive;

/// <summary>
/// The state of one running cell: its outputs, cancellation token and display handles. Code inside the cell finds it
/// through <see cref="Current"/> (an async-local value, so threads and tasks the cell starts see it too).
/// </summary>
internal sealed class CellExecution
{
    private static readonly AsyncLocal<CellExecution?> CurrentExecution = new();
    private readonly List<NotebookOutput> _outputs = [];
    private readonly object _gate = new();
    private bool _closed;

    public CellExecution(InteractiveSession session, int executionCount, CancellationToken token)
    {
        Session = session;
        ExecutionCount = executionCount;
        CancellationToken = token;
    }

    public static CellExecution? Current
    {
        get => CurrentExecution.Value;
        set => CurrentExecution.Value = value;
    }

    public InteractiveSession Session { get; }
    public int ExecutionCount { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>Outputs so far (a copy).</summary>
    public List<NotebookOutput> Snapshot()
    {
        lock (_gate) return [.. _outputs];
    }

    /// <summary>After this, writes and displays from threads the cell left behind are dropped instead of changing its result.</summary>
    public void Close()
    {
        lock (_gate) _closed = true;
    }

    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_closed) return;
            if (_outputs.Count > 0 && _outputs[^1] is { Kind: OutputKind.Stream } last && last.StreamName == stream) last.Text += text;
            else _outputs.Add(NotebookOutput.Stream(stream, text));
        }
        Session.Raise(new SessionEvent(SessionEventKind.Stream, NotebookOutput.Stream(stream, text), ExecutionCount));
    }

    public void Add(NotebookOutput output)
    {
        lock (_gate)
        {
            if (_closed) return;
            _outputs.Add(output);
        }
        var kind = output.Kind switch
        {
            OutputKind.ExecuteResult => SessionEventKind.Result,
            OutputKind.Error => SessionEventKind.Error,
            _ => SessionEventKind.Display,
        };
        Session.Raise(new SessionEvent(kind, output, ExecutionCount));
    }

    /// <summary>Shows a value as a new display and returns its id.</summary>
    public string Display(object? value, string[] mimeTypes)
    {
        string id = Guid.NewGuid().ToString("N");
        Add(NotebookOutput.Display(Session.Formatters.Format(value, mimeTypes), id));
        return id;
    }

    /// <summary>Removes the cell's outputs so far (Jupyter <c>clear_output</c>); with <paramref name="wait"/> a front end clears when the next output arrives.</summary>
    public void ClearOutput(bool wait)
    {
        lock (_gate)
        {
            if (_closed) return;
            _outputs.Clear();
        }
        Session.Raise(new SessionEvent(SessionEventKind.ClearOutput, NotebookOutput.Display([]), ExecutionCount) { Wait = wait });
    }

    /// <summary>Reads a line of input through the session's <see cref="InteractiveSession.ReadInput"/>, or fails at once when there is none.</summary>
    public string ReadInput(string prompt, bool password) =>
        Session.ReadInput is { } read ? read(prompt, password) : throw NoInput.Error();

    /// <summary>Replaces the display <paramref name="displayId"/> (in this cell's outputs while it runs; always as an event).</summary>
    public void Update(string displayId, object? value, string[] mimeTypes)
    {
        JsonObject data = Session.Formatters.Format(value, mimeTypes);
        var updated = NotebookOutput.Display(data, displayId);
        lock (_gate)
        {
            if (!_closed)
            {
                int i = _outputs.FindIndex(o => o.Kind == OutputKind.DisplayData && o.DisplayId == displayId);
                if (i >= 0) _outputs[i] = updated;
            }
        }
        Session.Raise(new SessionEvent(SessionEventKind.UpdateDisplay, updated, ExecutionCount));
    }
}

/// <summary>A writer that puts what it receives into a cell's outputs as one stream (<c>stdout</c> or <c>stderr</c>).</summary>
internal sealed class StreamCapture(CellExecution execution, string stream) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;
    public override void Write(char value) => execution.Write(stream, value.ToString());
    public override void Write(string? value) => execution.Write(stream, value ?? "");
    public override void Write(char[] buffer, int index, int count) => execution.Write(stream, new string(buffer, index, count));
    public override void Write(ReadOnlySpan<char> buffer) => execution.Write(stream, new string(buffer));
    public override void WriteLine(string? value) => execution.Write(stream, (value ?? "") + NewLine);
    public override void WriteLine() => execution.Write(stream, NewLine);
}

/// <summary>Standard input that asks the front end for each line (Jupyter <c>input_request</c>) through <see cref="InteractiveSession.ReadInput"/>.</summary>
internal sealed class PromptInput(Func<string, bool, string> readInput) : TextReader
{
    private string? _line;
    private int _position;

    public override string? ReadLine()
    {
        if (_line is not null)
        {
            string rest = _line[_position..];
            _line = null;
            return rest;
        }
        return Ask();
    }

    public override int Peek() => Fill() ? _line![_position] : -1;

    public override int Read()
    {
        if (!Fill()) return -1;
        char c = _line![_position++];
        return c;
    }

    public override string ReadToEnd() => throw new InvalidOperationException("Console.In.ReadToEnd would wait for input that never ends; read lines with Console.ReadLine instead.");

    private string Ask() => readInput("", false) ?? "";

    /// <summary>Console.Read sees the line followed by a newline, as it would from a terminal.</summary>
    private bool Fill()
    {
        if (_line is null || _position >= _line.Length)
        {
            _line = Ask() + "\n";
            _position = 0;
        }
        return true;
    }
}

/// <summary>Standard input for cells: there is none, so reading fails at once with a clear message instead of hanging.</summary>
internal sealed class NoInput : TextReader
{
    internal static InvalidOperationException Error() =>
        new("This notebook engine has no standard input: Console.ReadLine and Console.Read cannot be used in a cell. Set the value in code instead.");

    public override int Peek() => throw Error();
    public override int Read() => throw Error();
    public override string ReadLine() => throw Error();
    public override string ReadToEnd() => throw Error();
}
