using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;
using Microsoft.Data.Analysis;
using Plotly.NET;

namespace DimReduce.Interactive;

/// <summary>
/// Turns values into Jupyter mime bundles. Every bundle has <c>text/plain</c>; charts, data frames, sequences, records,
/// images, HTML and markdown add richer types. Formatters registered for a type replace the built-in output for their
/// mime type (a later registration wins over an earlier one for the same type and mime type).
/// </summary>
/// <remarks>
/// Built-in formats:
/// <list type="bullet">
/// <item><c>null</c>: <c>&lt;null&gt;</c>. Strings: the string itself. Numbers: invariant culture, shortest round-trip.</item>
/// <item>Plotly.NET <see cref="GenericChart"/>: <c>application/vnd.plotly.v1+json</c> (the figure as a JSON object),
/// <c>text/html</c> (a div plus a loader: <c>window.Plotly</c>, else require.js, else one script tag shared by all
/// charts, with a visible message if plotly.js cannot be loaded) and a one-line <c>text/plain</c> summary.</item>
/// <item><see cref="DataFrame"/>, sequences and dictionaries: an HTML table (records get one column per public property)
/// limited to <see cref="ListExpansionLimit"/> rows, and a <c>text/plain</c> list.</item>
/// <item><see cref="PngImage"/> and PNG <c>byte[]</c>: <c>image/png</c>. <see cref="HtmlContent"/>: <c>text/html</c>.
/// <see cref="MarkdownContent"/>: <c>text/markdown</c> plus its HTML rendering.</item>
/// </list>
/// </remarks>
public sealed class FormatterRegistry
{
    /// <summary>The plotly.js version Plotly.NET 6.0.0 writes figures for; the HTML fallback loads this version from the CDN.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    private readonly List<(Type Type, string MimeType, Func<object, string> Format)> _custom = [];
    private readonly object _gate = new();

    /// <summary>Most items shown for a sequence or rows for a table (default 20, as in Polyglot).</summary>
    public int ListExpansionLimit { get; set; } = 20;

    /// <summary>
    /// URLs tried first, in order, by a chart's HTML fallback to load plotly.js (for example a local <c>plotly.min.js</c>
    /// beside a built book); the pinned CDN copy is always tried last.
    /// </summary>
    public List<string> PlotlyJsUrls { get; } = [];

    /// <summary>
    /// URLs tried first, in order, by a mermaid diagram's HTML to load mermaid.js (for example a local <c>mermaid.min.js</c>
    /// beside a built book); the pinned CDN copy (mermaid 11.4.1 on jsdelivr) is always tried last.
    /// </summary>
    public List<string> MermaidJsUrls { get; } = [];

    /// <summary>Registers a formatter for <typeparamref name="T"/> (and types derived from it) for one mime type.</summary>
    /// <exception cref="ArgumentException"><paramref name="mimeType"/> is not of the form <c>type/subtype</c>.</exception>
    public void Register<T>(Func<T, string> formatter, string mimeType = MimeTypes.PlainText)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Register(typeof(T), o => formatter((T)o), mimeType);
    }

    /// <summary>Registers a formatter for <paramref name="type"/> (and derived types) for one mime type.</summary>
    public void Register(Type type, Func<object, string> formatter, string mimeType = MimeTypes.PlainText)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(formatter);
        CheckMimeType(mimeType, nameof(mimeType));
        lock (_gate) _custom.Add((type, mimeType, formatter));
    }

    /// <summary>Removes every registered formatter and restores the defaults.</summary>
    public void ResetToDefault()
    {
        lock (_gate) _custom.Clear();
        ListExpansionLimit = 20;
        PlotlyJsUrls.Clear();
        MermaidJsUrls.Clear();
    }

    /// <summary>
    /// The mime bundle of <paramref name="value"/>. With <paramref name="mimeTypes"/> given, only those types are kept
    /// (plus <c>text/plain</c>, which every output carries).
    /// </summary>
    public JsonObject Format(object? value, params string[] mimeTypes)
    {
        var bundle = BuiltIn(value);
        if (value is not null)
        {
            List<(Type Type, string MimeType, Func<object, string> Format)> custom;
            lock (_gate) custom = [.. _custom];
            // Most derived registered type first; among equals, the latest registration.
            var best = new Dictionary<string, (int Depth, int Order, Func<object, string> Format)>();
            for (int i = 0; i < custom.Count; i++)
            {
                var (type, mime, format) = custom[i];
                if (!type.IsInstanceOfType(value)) continue;
                int depth = Depth(type);
                if (!best.TryGetValue(mime, out var current) || depth > current.Depth || (depth == current.Depth && i > current.Order))
                    best[mime] = (depth, i, format);
            }
            foreach (var (mime, (_, _, format)) in best)
            {
                string text = format(value);
                bundle[mime] = IpynbFormat.IsJsonMimeType(mime) ? ParseJsonOrString(text) : text;
            }
        }
        if (mimeTypes is { Length: > 0 })
        {
            foreach (var m in mimeTypes) CheckMimeType(m, nameof(mimeTypes));
            foreach (var key in bundle.Select(p => p.Key).ToList())
            {
                if (key != MimeTypes.PlainText && !mimeTypes.Contains(key)) bundle.Remove(key);
            }
            foreach (var m in mimeTypes.Where(m => !bundle.ContainsKey(m)))
            {
                // Asked for a type the value has no formatter for: text types get the plain text.
                if (m.StartsWith("text/", StringComparison.Ordinal)) bundle[m] = bundle[MimeTypes.PlainText]?.DeepClone();
            }
        }
        return bundle;
    }

    /// <summary>The <c>text/plain</c> form of a value (what a trailing expression shows).</summary>
    public string ToPlainText(object? value) => Format(value)[MimeTypes.PlainText]?.GetValue<string>() ?? "";

    private static int Depth(Type t)
    {
        if (t.IsInterface) return 0;
        int d = 1;
        for (var b = t.BaseType; b is not null; b = b.BaseType) d++;
        return d;
    }

    private static void CheckMimeType(string mimeType, string paramName)
    {
        if (string.IsNullOrWhiteSpace(mimeType) || mimeType.Count(c => c == '/') != 1 || mimeType.StartsWith('/') || mimeType.EndsWith('/') || mimeType.Any(char.IsWhiteSpace))
            throw new ArgumentException($"Mime type '{mimeType}' is not of the form type/subtype (for example text/html).", paramName);
    }

    private static JsonNode? ParseJsonOrString(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return text; }
    }

    private JsonObject BuiltIn(object? value)
    {
        switch (value)
        {
            case null:
                return Plain("<null>");
            case string s:
                return Plain(s);
            case HtmlContent h:
                return new JsonObject { [MimeTypes.Html] = h.Html, [MimeTypes.PlainText] = h.Html };
            case MarkdownContent md:
                return new JsonObject
                {
                    [MimeTypes.Markdown] = md.Markdown,
                    [MimeTypes.Html] = Markdig.Markdown.ToHtml(md.Markdown),
                    [MimeTypes.PlainText] = md.Markdown,
                };
            case MermaidContent mermaid:
                return Mermaid.Bundle(mermaid.Source, MermaidJsUrls);
            case PngImage png:
                return new JsonObject { [MimeTypes.Png] = Convert.ToBase64String(png.Bytes), [MimeTypes.PlainText] = png.ToString() };
            case byte[] bytes when PngImage.IsPng(bytes):
                return BuiltIn(new PngImage(bytes));
            case GenericChart chart:
                return ChartBundle(chart);
            case DataFrame frame:
                return new JsonObject { [MimeTypes.Html] = DataFrameHtml(frame), [MimeTypes.PlainText] = DataFramePlain(frame) };
        }
        if (IsScalar(value.GetType())) return Plain(Scalar(value));
        if (value is IDictionary dict) return DictionaryBundle(dict);
        if (value is IEnumerable seq) return SequenceBundle(seq);
        var props = Members(value.GetType());
        if (!OverridesToString(value.GetType()) && props.Count > 0)
        {
            string plain = $"{FriendlyName(value.GetType())} {{ {string.Join(", ", props.Select(p => $"{p.Name} = {Short(p.Get(value))}"))} }}";
            var html = new StringBuilder("<table><thead><tr><th>property</th><th>value</th></tr></thead><tbody>");
            foreach (var p in props) html.Append("<tr><td>").Append(Enc(p.Name)).Append("</td><td>").Append(Enc(Short(p.Get(value)))).Append("</td></tr>");
            return new JsonObject { [MimeTypes.Html] = html.Append("</tbody></table>").ToString(), [MimeTypes.PlainText] = plain };
        }
        return Plain(value.ToString() ?? "");
    }

    private static JsonObject Plain(string text) => new() { [MimeTypes.PlainText] = text };

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid)
        || t == typeof(string) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(Half);

    private static string Scalar(object value) => value switch
    {
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private string Short(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        _ when IsScalar(value.GetType()) => Scalar(value),
        IEnumerable e => PlainList(e),
        _ => value.ToString() ?? "",
    };

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static bool OverridesToString(Type t) =>
        t.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } d && d != typeof(object) && d != typeof(ValueType);

    private static string FriendlyName(Type t) =>
        !t.IsGenericType ? t.Name : $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(FriendlyName))}>";

    private sealed record Member(string Name, Func<object, object?> Get);

    private static List<Member> Members(Type t)
    {
        var list = new List<Member>();
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length == 0 && p.CanRead) list.Add(new Member(p.Name, o => SafeGet(() => p.GetValue(o))));
        }
        foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Instance)) list.Add(new Member(f.Name, o => f.GetValue(o)));
        return list;
    }

    private static object? SafeGet(Func<object?> get)
    {
        try { return get(); }
        catch (Exception e) { return $"<{(e is TargetInvocationException { InnerException: { } inner } ? inner : e).GetType().Name}>"; }
    }

    private List<object?> Take(IEnumerable seq, out bool more)
    {
        var items = new List<object?>();
        more = false;
        foreach (var item in seq)
        {
            if (items.Count == ListExpansionLimit) { more = true; break; }
            items.Add(item);
        }
        return items;
    }

    private string PlainList(IEnumerable seq)
    {
        var items = Take(seq, out bool more);
        return "[" + string.Join(", ", items.Select(Short)) + (more ? ", ..." : "") + "]";
    }

    private JsonObject SequenceBundle(IEnumerable seq)
    {
        var items = Take(seq, out bool more);
        var html = new StringBuilder("<table><thead><tr><th><i>index</i></th>");
        // Records (objects with public members, not scalars) get one column per member, from the first item's type.
        var first = items.FirstOrDefault(i => i is not null);
        var members = first is not null && !IsScalar(first.GetType()) && first is not IEnumerable && !OverridesToStringOnly(first.GetType()) ? Members(first.GetType()) : [];
        if (members.Count > 0) foreach (var m in members) html.Append("<th>").Append(Enc(m.Name)).Append("</th>");
        else html.Append("<th>value</th>");
        html.Append("</tr></thead><tbody>");
        for (int i = 0; i < items.Count; i++)
        {
            html.Append("<tr><td>").Append(i).Append("</td>");
            if (members.Count > 0 && items[i] is { } item && first!.GetType().IsInstanceOfType(item))
                foreach (var m in members) html.Append("<td>").Append(Enc(Short(m.Get(item)))).Append("</td>");
            else html.Append("<td>").Append(Enc(Short(items[i]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (more) html.Append($"<p><i>(first {ListExpansionLimit} items shown)</i></p>");
        string plain = "[" + string.Join(", ", items.Select(Short)) + (more ? ", ..." : "") + "]";
        return new JsonObject { [MimeTypes.Html] = html.ToString(), [MimeTypes.PlainText] = plain };
    }

    // Records keep their members as columns even though the compiler overrides ToString; classes that only override
    // ToString (and expose nothing else useful) show as text.
    private static bool OverridesToStringOnly(Type t) => OverridesToString(t) && Members(t).Count == 0;

    private JsonObject DictionaryBundle(IDictionary dict)
    {
        var html = new StringBuilder("<table><thead><tr><th><i>key</i></th><th>value</th></tr></thead><tbody>");
        var plain = new List<string>();
        int n = 0;
        foreach (DictionaryEntry e in dict)
        {
            if (n++ == ListExpansionLimit) { plain.Add("..."); break; }
            html.Append("<tr><td>").Append(Enc(Short(e.Key))).Append("</td><td>").Append(Enc(Short(e.Value))).Append("</td></tr>");
            plain.Add($"[{Short(e.Key)}, {Short(e.Value)}]");
        }
        return new JsonObject { [MimeTypes.Html] = html.Append("</tbody></table>").ToString(), [MimeTypes.PlainText] = "{ " + string.Join(", ", plain) + " }" };
    }

    private string DataFrameHtml(DataFrame frame)
    {
        var html = new StringBuilder("<table><thead><tr><th><i>index</i></th>");
        foreach (var c in frame.Columns) html.Append("<th>").Append(Enc(c.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        long rows = Math.Min(frame.Rows.Count, ListExpansionLimit);
        for (long r = 0; r < rows; r++)
        {
            html.Append("<tr><td>").Append(r).Append("</td>");
            foreach (var c in frame.Columns) html.Append("<td>").Append(Enc(Short(c[r]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (frame.Rows.Count > rows) html.Append($"<p><i>{frame.Rows.Count} rows x {frame.Columns.Count} columns (first {rows} shown)</i></p>");
        return html.ToString();
    }

    private string DataFramePlain(DataFrame frame)
    {
        var sb = new StringBuilder().Append("DataFrame: ").Append(frame.Rows.Count).Append(" rows x ").Append(frame.Columns.Count).Append(" columns\n");
        sb.AppendJoin('\t', frame.Columns.Select(c => c.Name)).Append('\n');
        long rows = Math.Min(frame.Rows.Count, ListExpansionLimit);
        for (long r = 0; r < rows; r++) sb.AppendJoin('\t', frame.Columns.Select(c => Short(c[r]))).Append('\n');
        if (frame.Rows.Count > rows) sb.Append("...\n");
        return sb.ToString().TrimEnd('\n');
    }

    private JsonObject ChartBundle(GenericChart chart)
    {
        string json = DimReduce.Charts.Charts.ToPlotlyJson(chart);
        var figure = JsonNode.Parse(json)!.AsObject();
        return new JsonObject
        {
            [MimeTypes.Plotly] = figure,
            [MimeTypes.Html] = PlotlyHtml(json, figure),
            [MimeTypes.PlainText] = ChartSummary(figure),
        };
    }

    /// <summary>A one-line description of a plotly figure: trace count and types, title and axis titles.</summary>
    internal static string ChartSummary(JsonObject figure)
    {
        var traces = figure["data"] as JsonArray ?? [];
        var types = traces.Select(t => t?["type"] is JsonValue v && v.TryGetValue(out string? s) ? s : "scatter").ToList();
        var sb = new StringBuilder($"Plotly chart: {traces.Count} trace{(traces.Count == 1 ? "" : "s")}");
        if (types.Count > 0) sb.Append(" (").AppendJoin(", ", types).Append(')');
        if (TitleOf(figure["layout"]?["title"]) is { } title) sb.Append($", title '{title}'");
        if (TitleOf(figure["layout"]?["xaxis"]?["title"]) is { } x) sb.Append($", x-axis '{x}'");
        if (TitleOf(figure["layout"]?["yaxis"]?["title"]) is { } y) sb.Append($", y-axis '{y}'");
        return sb.ToString();
    }

    private static string? TitleOf(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) && s.Length > 0 => s,
        JsonObject o when o["text"] is JsonValue t && t.TryGetValue(out string? s) && s.Length > 0 => s,
        _ => null,
    };

    private string PlotlyHtml(string json, JsonObject figure)
    {
        string id = "dr-plot-" + Guid.NewGuid().ToString("N");
        int height = figure["layout"]?["height"] is JsonValue h && h.TryGetValue(out double hv) && hv > 0 ? (int)hv : 450;
        var urls = PlotlyJsUrls.Append($"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js").ToList();
        string urlsJson = JsonSerializer.Serialize(urls).Replace("</", "<\\/", StringComparison.Ordinal);
        string safeJson = json.Replace("</", "<\\/", StringComparison.Ordinal);
        return $$"""
            <div id="{{id}}" class="dr-plotly" style="width:100%;height:{{height}}px;"></div>
            <script type="text/javascript">
            (function () {
              var id = "{{id}}";
              var figure = {{safeJson}};
              var urls = {{urlsJson}};
              function draw(P) {
                var el = document.getElementById(id);
                if (el) P.newPlot(el, figure.data, figure.layout || {}, figure.config || { responsive: true });
              }
              function fail() {
                var el = document.getElementById(id);
                if (el) el.innerHTML = '<p style="color:#b00020;font-family:sans-serif">plotly.js could not be loaded, so the chart is not drawn; the chart data is in this output (application/vnd.plotly.v1+json).</p>';
              }
              if (window.Plotly) { draw(window.Plotly); return; }
              if (typeof require === "function" && require.config) {
                require.config({ paths: { plotly: urls.map(function (u) { return u.replace(/\.js$/, ""); }) } });
                require(["plotly"], draw, fail);
                return;
              }
              if (window.__dimreducePlotlyQueue) { window.__dimreducePlotlyQueue.push([draw, fail]); return; }
              window.__dimreducePlotlyQueue = [[draw, fail]];
              function settle(ok) {
                var queue = window.__dimreducePlotlyQueue || [];
                window.__dimreducePlotlyQueue = null;
                queue.forEach(function (c) { if (ok) c[0](window.Plotly); else c[1](); });
              }
              (function load(i) {
                var s = document.createElement("script");
                s.src = urls[i];
                s.onload = function () { settle(!!window.Plotly); };
                s.onerror = function () { if (i + 1 < urls.length) load(i + 1); else settle(false); };
                document.head.appendChild(s);
              })(0);
            })();
            </script>
            """;
    }
}
