using DimReduce.Interactive;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// Polyglot Notebooks' helpers, provided by the DimReduce engine so notebooks written for Polyglot compile unchanged:
/// every cell imports these statically, so <c>display(x)</c> and <c>HTML("...")</c> work without a prefix.
/// </summary>
/// <remarks>This is a small, source-compatible subset of Microsoft.DotNet.Interactive, not that library.</remarks>
public static class Kernel
{
    /// <summary>Shows <paramref name="value"/> as a new output of the running cell and returns a handle to update it.</summary>
    /// <param name="value">The value to show.</param>
    /// <param name="mimeTypes">Only these mime types (plus text/plain); all available ones when empty.</param>
    public static DisplayedValue display(object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);

    /// <summary>HTML to display as <c>text/html</c>.</summary>
    public static HtmlContent HTML(string html) => new(html ?? "");

    /// <summary>Markdown to display as <c>text/markdown</c>.</summary>
    public static MarkdownContent Markdown(string markdown) => new(markdown ?? "");

    /// <summary>Clears the running cell's outputs so far (Jupyter <c>clear_output</c>), e.g. to redraw a progress display.</summary>
    /// <param name="wait">Clear when the next output arrives rather than now, which avoids flicker.</param>
    public static void ClearOutput(bool wait = false) => (CellExecution.Current ?? throw DisplayedValue.NoCell("ClearOutput")).ClearOutput(wait);

    /// <summary>Asks the user for a line of input (a Jupyter <c>input_request</c>); fails at once when the front end allows no input.</summary>
    /// <param name="prompt">The prompt shown next to the input box.</param>
    public static Task<string> GetInputAsync(string prompt = "") =>
        Task.FromResult((CellExecution.Current ?? throw DisplayedValue.NoCell("GetInputAsync")).ReadInput(prompt ?? "", false));
}

/// <summary>A handle to a display: <see cref="Update"/> replaces what it shows (a Jupyter <c>update_display_data</c>).</summary>
public sealed class DisplayedValue
{
    private readonly CellExecution _execution;
    private readonly string[] _mimeTypes;

    private DisplayedValue(CellExecution execution, string displayId, string[] mimeTypes)
    {
        _execution = execution;
        DisplayId = displayId;
        _mimeTypes = mimeTypes;
    }

    /// <summary>The display id Jupyter front ends track the output by.</summary>
    public string DisplayId { get; }

    internal static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var execution = CellExecution.Current ?? throw NoCell("display");
        mimeTypes ??= [];
        return new DisplayedValue(execution, execution.Display(value, mimeTypes), mimeTypes);
    }

    /// <summary>Replaces the displayed value with <paramref name="value"/>, formatted with the same mime types.</summary>
    public void Update(object? value) => _execution.Update(DisplayId, value, _mimeTypes);

    internal static InvalidOperationException NoCell(string what) =>
        new($"{what} can only be used while a cell runs in the DimReduce engine (no cell is running on this thread).");
}

/// <summary>The context of the running cell: its cancellation token and display.</summary>
public sealed class KernelInvocationContext
{
    private readonly CellExecution _execution;

    private KernelInvocationContext(CellExecution execution) => _execution = execution;

    /// <summary>The running cell's context, or null outside a cell.</summary>
    public static KernelInvocationContext? Current => CellExecution.Current is { } e ? new KernelInvocationContext(e) : null;

    /// <summary>Cancelled when the cell is interrupted or runs past its timeout; check it in long loops.</summary>
    public CancellationToken CancellationToken => _execution.CancellationToken;

    /// <summary>Shows a value as an output of the running cell.</summary>
    public DisplayedValue Display(object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);
}
