using System.Text;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;
using DimReduce.Interactive.Packages;

namespace DimReduce.Interactive.Magics;

/// <summary>One part of a cell that runs in one kernel.</summary>
/// <param name="Kernel">Canonical kernel name.</param>
/// <param name="Code">For C#: the code with magic lines blanked and as many leading newlines as the part's first line
/// number, so compiler positions are cell positions. For markdown and html: the text.</param>
/// <param name="FirstLine">0-based line in the cell where the part starts.</param>
internal sealed record CellPart(string Kernel, string Code, int FirstLine);

/// <summary>
/// A cell read for execution: split at kernel selector lines (<c>#!csharp</c>, <c>#!markdown</c>, <c>#!html</c> ...),
/// magic lines handled (<c>#!time</c>, <c>#r</c>) and replaced by empty lines, and every unsupported magic or kernel
/// collected as an error before anything runs.
/// </summary>
internal sealed partial class CellPlan
{
    /// <summary>The magics this engine understands (for the error that names an unsupported one).</summary>
    public const string Supported = "#!csharp (#!c#, #!cs), #!markdown (#!md), #!html, #!mermaid, #!time, #!about, #r \"nuget: Name[, Version]\", #i \"nuget: source\", #r \"file.dll\", #load \"file.csx\"";

    [GeneratedRegex("""^\s*#r\s+"\s*nuget\s*:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"]*?))?\s*"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex FileReference();

    [GeneratedRegex("""^\s*#i\s""")]
    private static partial Regex SourceDirective();

    [GeneratedRegex("""^\s*#i\s+"\s*nuget\s*:\s*(?<source>[^"]*?)\s*"\s*$""")]
    private static partial Regex NuGetSource();

    public List<CellPart> Parts { get; } = [];
    public List<string> Notices { get; } = [];
    public List<string> Errors { get; } = [];
    public List<string> References { get; } = [];
    /// <summary>Packages to restore (not bundled, not replaced by the engine), in the order the cell names them.</summary>
    public List<PackageRequest> Packages { get; } = [];
    /// <summary>Package sources added with <c>#i "nuget: ..."</c> (URLs, or full paths of local folders).</summary>
    public List<string> Sources { get; } = [];
    public bool Time { get; private set; }
    public bool About { get; private set; }

    public static CellPlan Create(string source, string kernelName, string workingDirectory)
    {
        var plan = new CellPlan();
        string[] lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var known = KernelNames.Lookup();
        string kernel = KernelNames.Canonical(kernelName);
        int start = 0;
        for (int i = 0; i <= lines.Length; i++)
        {
            if (i < lines.Length && !KernelNames.TryParseSelector(lines[i], known, out _)) continue;
            if (i > start) plan.AddPart(kernel, lines, start, i, workingDirectory);
            if (i < lines.Length)
            {
                KernelNames.TryParseSelector(lines[i], known, out kernel);
                lines[i] = "";
                start = i;   // the blanked selector line belongs to the new part, keeping line numbers
            }
        }
        return plan;
    }

    private void AddPart(string kernel, string[] lines, int start, int end, string workingDirectory)
    {
        switch (kernel)
        {
            case KernelNames.CSharp:
                var code = new StringBuilder(new string('\n', start));
                for (int i = start; i < end; i++)
                {
                    if (i > start) code.Append('\n');
                    code.Append(CSharpLine(lines[i], i, workingDirectory));
                }
                if (!string.IsNullOrWhiteSpace(code.ToString())) Parts.Add(new CellPart(kernel, code.ToString(), start));
                break;
            case KernelNames.Markdown:
            case KernelNames.Html:
            case KernelNames.Mermaid:
                string text = string.Join("\n", lines[start..end]).Trim('\n', '\r');
                if (text.Trim().Length > 0) Parts.Add(new CellPart(kernel, text, start));
                break;
            default:
                Errors.Add($"The {kernel} kernel (#!{kernel}, line {start + 1}) is not supported: the DimReduce engine runs C# only, plus #!markdown, #!html and #!mermaid. " +
                           "Rewrite the cell in C#, or keep it for Polyglot Notebooks.");
                break;
        }
    }

    private string CSharpLine(string line, int index, string workingDirectory)
    {
        string trimmed = line.Trim();
        if (trimmed.StartsWith("#!", StringComparison.Ordinal))
        {
            string magic = trimmed.Split(' ', 2)[0];
            if (magic == "#!time") { Time = true; return ""; }
            if (magic == "#!about") { About = true; return ""; }
            Errors.Add(Unsupported(magic, index));
            return "";
        }
        if (!trimmed.StartsWith('#')) return line;
        if (NuGetReference().Match(trimmed) is { Success: true } nuget)
        {
            NuGet(nuget.Groups["id"].Value, nuget.Groups["version"].Success ? nuget.Groups["version"].Value.Trim() : "", index);
            return "";
        }
        if (FileReference().Match(trimmed) is { Success: true } file)
        {
            string path = file.Groups["path"].Value;
            string full = Path.GetFullPath(Path.Combine(workingDirectory, path));
            if (File.Exists(full)) References.Add(full);
            else Errors.Add($"#r \"{path}\" (line {index + 1}): the file {full} does not exist. Paths are relative to the notebook's folder ({workingDirectory}).");
            return "";
        }
        if (NuGetSource().Match(trimmed) is { Success: true } source)
        {
            Source(source.Groups["source"].Value, index, workingDirectory);
            return "";
        }
        if (SourceDirective().IsMatch(trimmed))
        {
            Errors.Add($"{trimmed} (line {index + 1}) is not supported: #i takes a NuGet package source, as in #i \"nuget: https://example.org/v3/index.json\" or #i \"nuget: /path/to/folder\".");
            return "";
        }
        return line;   // #load, #nullable, #pragma ...: C# script directives Roslyn handles
    }

    private static string Unsupported(string magic, int index)
    {
        string why = magic switch
        {
            "#!share" or "#!set" or "#!value" => " (the engine has a single C# kernel, so variables are already shared between cells)",
            "#!connect" => " (the engine cannot connect other kernels)",
            "#!fsharp" or "#!pwsh" or "#!javascript" or "#!js" or "#!sql" or "#!kql" or "#!http" => " (the engine runs C# only)",
            _ => "",
        };
        return $"The magic command {magic} (line {index + 1}) is not supported by the DimReduce engine{why}. Supported: {Supported}.";
    }

    private void NuGet(string id, string version, int index)
    {
        string directive = $"#r \"nuget: {id}{(version.Length > 0 ? ", " + version : "")}\"";
        if (BundledPackages.Versions.TryGetValue(id, out var bundled))
        {
            if (version.Length > 0 && version != bundled)
                Notices.Add($"{id} {version} was requested; the engine's bundled {id} {bundled} runs instead (the engine has it loaded, and one process cannot load two versions of it).");
            return;
        }
        if (BundledPackages.IsSelf(id)) return;
        if (BundledPackages.Replacement(id) is { } notice)
        {
            Notices.Add(notice);
            return;
        }
        if (!PackageRequest.IsValidId(id))
        {
            Errors.Add($"{directive} (line {index + 1}): '{id}' is not a NuGet package id (letters, digits, '.', '-' and '_').");
            return;
        }
        if (version.Length > 0 && !PackageRequest.IsValidVersion(version))
        {
            Errors.Add($"{directive} (line {index + 1}): '{version}' is not a NuGet version or range (for example 13.0.3, 2.*, *-* or [1.0,2.0)).");
            return;
        }
        if (Packages.FirstOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) is { } same)
        {
            if (!same.Version.Equals(version, StringComparison.OrdinalIgnoreCase))
                Errors.Add($"{directive} (line {index + 1}): the cell already asks for {same.Id}{(same.Version.Length > 0 ? " " + same.Version : "")} on line {same.Line}; one session loads one version of a package.");
            return;
        }
        Packages.Add(new PackageRequest(id, version, index + 1));
    }

    private void Source(string source, int index, string workingDirectory)
    {
        if (source.Length == 0)
        {
            Errors.Add($"#i \"nuget:\" (line {index + 1}) names no source: give a feed URL or a folder, as in #i \"nuget: https://example.org/v3/index.json\".");
            return;
        }
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            Sources.Add(source);
            return;
        }
        string path = source.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(source).LocalPath : source;
        if (path.StartsWith('~')) path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        string full = Path.GetFullPath(Path.Combine(workingDirectory, path));
        if (Directory.Exists(full)) Sources.Add(full);
        else Errors.Add($"#i \"nuget: {source}\" (line {index + 1}): the folder {full} does not exist. A local source is a folder of .nupkg files, relative to the notebook's folder ({workingDirectory}); a remote one is an http(s) URL.");
    }
}
