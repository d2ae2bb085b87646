using DimReduce.Interactive;

namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>
/// Polyglot Notebooks' formatter API, acting on the running session's <see cref="FormatterRegistry"/>.
/// Registrations last for the session (a new session starts with the defaults).
/// </summary>
public static class Formatter
{
    private static FormatterRegistry Registry =>
        (CellExecution.Current ?? throw DisplayedValue.NoCell("Formatter")).Session.Formatters;

    /// <summary>Registers <paramref name="formatter"/> for <typeparamref name="T"/> and <paramref name="mimeType"/>.</summary>
    public static void Register<T>(Func<T, string> formatter, string mimeType = MimeTypes.PlainText) => Registry.Register(formatter, mimeType);

    /// <summary>Registers a formatter that writes to a <see cref="TextWriter"/>.</summary>
    public static void Register<T>(Action<T, TextWriter> formatter, string mimeType = MimeTypes.PlainText)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Registry.Register<T>(value =>
        {
            using var writer = new StringWriter();
            formatter(value, writer);
            return writer.ToString();
        }, mimeType);
    }

    /// <summary>Registers a formatter for a type given at run time.</summary>
    public static void Register(Type type, Func<object, string> formatter, string mimeType = MimeTypes.PlainText) => Registry.Register(type, formatter, mimeType);

    /// <summary>Removes the registered formatters of the running session.</summary>
    public static void ResetToDefault() => Registry.ResetToDefault();

    /// <summary>Most items shown for a sequence (default 20).</summary>
    public static int ListExpansionLimit
    {
        get => Registry.ListExpansionLimit;
        set => Registry.ListExpansionLimit = value;
    }
}

/// <summary>Display extension methods, as in Polyglot Notebooks.</summary>
public static class DisplayExtensions
{
    /// <summary>Shows the value as a new output of the running cell and returns a handle to update it.</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);

    /// <summary>Shows a string as the given mime type (for example <c>"&lt;b&gt;x&lt;/b&gt;".DisplayAs("text/html")</c>).</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) => mimeType switch
    {
        MimeTypes.Html => DisplayedValue.Show(new HtmlContent(value), []),
        MimeTypes.Markdown => DisplayedValue.Show(new MarkdownContent(value), []),
        _ => DisplayedValue.Show(value, [mimeType]),
    };

    /// <summary>The value formatted as <paramref name="mimeType"/> by the running session's formatters.</summary>
    public static string ToDisplayString(this object? value, string mimeType = MimeTypes.PlainText)
    {
        var registry = (CellExecution.Current ?? throw DisplayedValue.NoCell("ToDisplayString")).Session.Formatters;
        var bundle = registry.Format(value, mimeType);
        return bundle[mimeType]?.ToString() ?? bundle[MimeTypes.PlainText]?.ToString() ?? "";
    }
}
