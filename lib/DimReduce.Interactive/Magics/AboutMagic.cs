using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace DimReduce.Interactive.Magics;

/// <summary>
/// What <c>#!about</c> shows: like Polyglot's (product name, version, build, links), with the engine's parts: the
/// DimReduce library, the Roslyn compiler and C# version, the .NET runtime and the operating system.
/// </summary>
internal static class AboutMagic
{
    public const string Product = "DimReduce notebook engine";

    /// <summary>The lines of the about box, as (label, value).</summary>
    public static List<(string Label, string Value)> Facts()
    {
        var csharp = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();
        return
        [
            ("Version", VersionOf(typeof(AboutMagic).Assembly)),
            ("Library", $"DimReduce {VersionOf(typeof(DataMatrix).Assembly)}"),
            ("Compiler", $"Roslyn scripting (Microsoft.CodeAnalysis.CSharp.Scripting) {VersionOf(typeof(CSharpCompilation).Assembly)}, C# {csharp}"),
            ("Runtime", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})"),
            ("System", RuntimeInformation.OSDescription),
            ("Compatibility", "Polyglot Notebooks' C# surface: .ipynb and .dib files, #r \"nuget: ...\", #i, #!time, display(), Formatter"),
            ("Documentation", "lib/DimReduce.Interactive/README.md in the DimReduce Notebooks repository"),
        ];
    }

    private static string VersionOf(Assembly assembly)
    {
        string? v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(v)) return assembly.GetName().Version?.ToString() ?? "unknown";
        int plus = v.IndexOf('+', StringComparison.Ordinal);   // drop the commit hash the SDK appends
        return plus > 0 ? v[..plus] : v;
    }

    /// <summary>The README on disk, when the engine runs from a checkout of the repository (a <c>file:</c> link), else null.</summary>
    private static string? ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "lib", "DimReduce.Interactive", "README.md");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    public static JsonObject Bundle()
    {
        var facts = Facts();
        var plain = new StringBuilder(Product).Append('\n');
        foreach (var (label, value) in facts) plain.Append(label).Append(": ").Append(value).Append('\n');

        string? readme = ReadmePath();
        var html = new StringBuilder("<div class=\"dr-about\" style=\"font-family:sans-serif\">");
        html.Append($"<p style=\"font-size:1.3em;font-weight:bold;margin:0 0 .4em 0\">{Product}</p><table>");
        foreach (var (label, value) in facts)
        {
            string cell = label == "Documentation" && readme is not null
                ? $"<a href=\"{WebUtility.HtmlEncode(new Uri(readme).AbsoluteUri)}\">{WebUtility.HtmlEncode(value)}</a>"
                : WebUtility.HtmlEncode(value);
            html.Append($"<tr><th style=\"text-align:left;padding-right:1em\">{label}</th><td style=\"text-align:left\">{cell}</td></tr>");
        }
        html.Append("</table></div>");
        return new JsonObject { [MimeTypes.Html] = html.ToString(), [MimeTypes.PlainText] = plain.ToString().TrimEnd('\n') };
    }
}
