namespace DimReduce.Interactive.Documents;

/// <summary>
/// Kernel names and aliases as Polyglot Notebooks' .NET Interactive host knew them, used to tell a kernel
/// selector line (<c>#!csharp</c>, <c>#!c#</c>) from a magic command (<c>#!time</c>).
/// </summary>
/// <remarks>From dotnet/interactive docs/magic-commands.md: <c>csharp</c> (cs, C#, c#), <c>fsharp</c> (fs, F#, f#),
/// <c>pwsh</c> (powershell), <c>javascript</c> (js), <c>markdown</c> (md), plus html, http, mermaid, sql, kql, value.</remarks>
public static class KernelNames
{
    /// <summary><c>csharp</c>.</summary>
    public const string CSharp = "csharp";
    /// <summary><c>markdown</c>.</summary>
    public const string Markdown = "markdown";
    /// <summary><c>html</c>.</summary>
    public const string Html = "html";
    /// <summary><c>mermaid</c>.</summary>
    public const string Mermaid = "mermaid";
    /// <summary><c>raw</c>: the name this project gives raw cells when a format has no other way to say it.</summary>
    public const string Raw = "raw";

    private static readonly Dictionary<string, string[]> HostKernels = new(StringComparer.Ordinal)
    {
        ["csharp"] = ["cs", "C#", "c#"],
        ["fsharp"] = ["fs", "F#", "f#"],
        ["pwsh"] = ["powershell"],
        ["javascript"] = ["js"],
        ["markdown"] = ["md"],
        ["html"] = [],
        ["http"] = [],
        ["mermaid"] = [],
        ["sql"] = [],
        ["kql"] = [],
        ["value"] = [],
    };

    /// <summary>The host kernels' canonical names and aliases.</summary>
    public static IReadOnlyDictionary<string, string[]> Host => HostKernels;

    /// <summary>
    /// A lookup from every name and alias of the host kernels (plus any <paramref name="extra"/> ones, e.g. from a
    /// .dib file's <c>#!meta</c>) to the canonical name. Comparison is ordinal, as in Polyglot.
    /// </summary>
    public static Dictionary<string, string> Lookup(IEnumerable<(string Name, IEnumerable<string> Aliases)>? extra = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, aliases) in HostKernels)
        {
            map[name] = name;
            foreach (var a in aliases) map[a] = name;
        }
        if (extra is not null)
        {
            foreach (var (name, aliases) in extra)
            {
                map.TryAdd(name, name);
                foreach (var a in aliases) map.TryAdd(a, name);
            }
        }
        return map;
    }

    /// <summary>The canonical name of a host kernel name or alias (<c>c#</c> gives <c>csharp</c>); other names unchanged.</summary>
    public static string Canonical(string name) => Lookup().TryGetValue(name, out var canonical) ? canonical : name;

    /// <summary>
    /// If <paramref name="line"/> is a kernel selector (<c>#!name</c> with a known name or alias, nothing else on the
    /// line but spaces) returns the canonical kernel name.
    /// </summary>
    public static bool TryParseSelector(string line, IReadOnlyDictionary<string, string> known, out string kernelName)
    {
        kernelName = "";
        if (!line.StartsWith("#!", StringComparison.Ordinal)) return false;
        string word = line[2..].TrimEnd();
        if (word.Length == 0 || word.Contains(' ') || !known.TryGetValue(word, out var canonical)) return false;
        kernelName = canonical;
        return true;
    }
}
