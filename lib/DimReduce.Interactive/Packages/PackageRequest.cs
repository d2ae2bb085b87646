using System.Text.RegularExpressions;

namespace DimReduce.Interactive.Packages;

/// <summary>One <c>#r "nuget: Id[, Version]"</c> line of a cell.</summary>
/// <param name="Id">The package id as written.</param>
/// <param name="Version">The version or range as written; empty for the latest stable version.</param>
/// <param name="Line">1-based line in the cell (0 when the request does not come from a cell line).</param>
internal sealed partial record PackageRequest(string Id, string Version, int Line)
{
    /// <summary>The version NuGet is asked for: the one written, or <c>*</c> (latest stable) when none was.</summary>
    public string VersionOrLatest => Version.Length > 0 ? Version : "*";

    /// <summary>The directive as the notebook wrote it (normalised spacing).</summary>
    public string Directive => $"#r \"nuget: {Id}{(Version.Length > 0 ? ", " + Version : "")}\"";

    /// <summary>The id and version for messages: <c>Newtonsoft.Json 13.0.3</c> or <c>Newtonsoft.Json (latest)</c>.</summary>
    public string Describe => Version.Length > 0 ? $"{Id} {Version}" : $"{Id} (latest version)";

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex IdPattern();

    // Versions (1.2.3-beta.1+meta), floating versions (1.*, *-*), and ranges ([1.0,2.0), (,3.0]).
    [GeneratedRegex(@"^(\*(-\*)?|[0-9A-Za-z.*+\-]+|[\[(]\s*[0-9A-Za-z.*+\-]*\s*(,\s*[0-9A-Za-z.*+\-]*\s*)?[\])])$")]
    private static partial Regex VersionPattern();

    /// <summary>True for a syntactically valid NuGet package id.</summary>
    public static bool IsValidId(string id) => id.Length <= 100 && IdPattern().IsMatch(id);

    /// <summary>True for something NuGet reads as a version, floating version or range.</summary>
    public static bool IsValidVersion(string version) => version.Length <= 100 && VersionPattern().IsMatch(version);
}
