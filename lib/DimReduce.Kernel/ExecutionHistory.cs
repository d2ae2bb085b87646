using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DimReduce.Kernel;

/// <summary>
/// The inputs (and text outputs) of the cells a kernel ran with <c>store_history</c>, answering Jupyter
/// <c>history_request</c>s: <c>tail</c>, <c>range</c> and <c>search</c> (an anchored glob, as IPython's sqlite GLOB).
/// </summary>
/// <remarks>History lives in memory for the life of the kernel process; the session number is 1.</remarks>
internal sealed class ExecutionHistory
{
    public const int Session = 1;
    private readonly List<(int Line, string Input, string? Output)> _entries = [];
    private readonly object _gate = new();

    public void Add(int line, string input)
    {
        lock (_gate) _entries.Add((line, input, null));
    }

    public void SetOutput(int line, string? output)
    {
        lock (_gate)
        {
            int i = _entries.FindLastIndex(e => e.Line == line);
            if (i >= 0) _entries[i] = _entries[i] with { Output = output };
        }
    }

    public JsonArray Query(JsonObject request)
    {
        bool output = request["output"]?.GetValue<bool>() ?? false;
        string access = request["hist_access_type"]?.GetValue<string>() ?? "tail";
        List<(int Line, string Input, string? Output)> picked;
        lock (_gate)
        {
            switch (access)
            {
                case "range":
                {
                    int session = Int(request, "session", 0);
                    int start = Int(request, "start", 1), stop = Int(request, "stop", int.MaxValue);
                    picked = session is 0 or Session || session < 0
                        ? _entries.Where(e => e.Line >= start && e.Line < stop).ToList()
                        : [];
                    break;
                }
                case "search":
                {
                    var glob = Glob(request["pattern"]?.GetValue<string>() ?? "*");
                    var matches = _entries.Where(e => glob.IsMatch(e.Input)).ToList();
                    if (request["unique"]?.GetValue<bool>() == true)
                    {
                        // Keep the last run of each distinct input, in order of those last runs.
                        var seen = new HashSet<string>(StringComparer.Ordinal);
                        var unique = new List<(int, string, string?)>();
                        for (int i = matches.Count - 1; i >= 0; i--)
                            if (seen.Add(matches[i].Input)) unique.Add(matches[i]);
                        unique.Reverse();
                        matches = unique;
                    }
                    int n = Int(request, "n", 0);
                    picked = n > 0 && matches.Count > n ? matches[^n..] : matches;
                    break;
                }
                default:
                {
                    int n = Int(request, "n", 10);
                    picked = n >= 0 && _entries.Count > n ? _entries[^n..] : [.. _entries];
                    break;
                }
            }
        }
        var history = new JsonArray();
        foreach (var (line, input, text) in picked)
        {
            JsonNode entry = output ? new JsonArray(input, text) : JsonValue.Create(input);
            history.Add(new JsonArray(Session, line, entry));
        }
        return history;
    }

    private static int Int(JsonObject request, string name, int fallback) =>
        request[name] is JsonValue v && v.TryGetValue(out int i) ? i : fallback;

    /// <summary>A glob as sqlite's GLOB reads it (whole string, case-sensitive): <c>*</c>, <c>?</c>, <c>[...]</c>.</summary>
    internal static Regex Glob(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': sb.Append("(?s:.*)"); break;
                case '?': sb.Append("(?s:.)"); break;
                case '[':
                    int close = pattern.IndexOf(']', i + 2);
                    if (close < 0) { sb.Append(@"\["); break; }
                    string set = pattern[(i + 1)..close];
                    sb.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]).Replace(@"\-", "-") : Regex.Escape(set).Replace(@"\-", "-")).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
