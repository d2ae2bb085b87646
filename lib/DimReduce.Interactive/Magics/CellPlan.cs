using System.Text;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;

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
    public const string Supported = "#!csharp (#!c#, #!cs), #!markdown (#!md), #!html, #!time, #r \"nuget: Name[, Version]\" for bundled packages, #r \"file.dll\", #load \"file.csx\"";

    [GeneratedRegex("""^\s*#r\s+"\s*nuget\s*:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"]*?))?\s*"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex FileReference();

    [GeneratedRegex("""^\s*#i\s""")]
    private static partial Regex SourceDirective();

    public List<CellPart> Parts { get; } = [];
    public List<string> Notices { get; } = [];
    public List<string> Errors { get; } = [];
    public List<string> References { get; } = [];
    public bool Time { get; private set; }

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
                string text = string.Join("\n", lines[start..end]).Trim('\n', '\r');
                if (text.Trim().Length > 0) Parts.Add(new CellPart(kernel, text, start));
                break;
            default:
                Errors.Add($"The {kernel} kernel (#!{kernel}, line {start + 1}) is not supported: the DimReduce engine runs C# only, plus #!markdown and #!html. " +
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
        if (SourceDirective().IsMatch(trimmed))
        {
            Errors.Add($"#i (line {index + 1}) is not supported yet: the DimReduce engine cannot restore NuGet packages, so package sources have no use. Bundled packages need no #i.");
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
            "#!fsharp" or "#!pwsh" or "#!javascript" or "#!js" or "#!sql" or "#!kql" or "#!http" or "#!mermaid" => " (the engine runs C# only)",
            _ => "",
        };
        return $"The magic command {magic} (line {index + 1}) is not supported by the DimReduce engine{why}. Supported: {Supported}.";
    }

    private void NuGet(string id, string version, int index)
    {
        if (BundledPackages.Versions.TryGetValue(id, out var bundled))
        {
            if (version.Length > 0 && version != bundled)
                Notices.Add($"{id} {version} was requested; the engine's bundled {id} {bundled} is used instead.");
            return;
        }
        if (BundledPackages.IsSelf(id)) return;
        if (BundledPackages.Replacement(id) is { } notice)
        {
            Notices.Add(notice);
            return;
        }
        string v = version.Length > 0 ? $" version {version}" : "";
        Errors.Add($"#r \"nuget: {id}{(version.Length > 0 ? ", " + version : "")}\" (line {index + 1}): the package {id}{v} is not bundled with the DimReduce engine, " +
                   $"and restoring other NuGet packages is not supported yet. Bundled: {string.Join(", ", BundledPackages.Versions.Select(p => $"{p.Key} {p.Value}"))}. " +
                   "Reference a local assembly with #r \"path/to/file.dll\" instead.");
    }
}
