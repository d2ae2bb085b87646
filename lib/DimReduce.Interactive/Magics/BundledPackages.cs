namespace DimReduce.Interactive.Magics;

/// <summary>
/// The NuGet packages the engine already references, which <c>#r "nuget: ..."</c> accepts at once, and the packages
/// Polyglot notebooks ask for that the engine replaces.
/// </summary>
/// <remarks>The versions must follow Directory.Packages.props; a test compares the two.</remarks>
public static class BundledPackages
{
    /// <summary>Package id (case-insensitive) to the version the engine ships.</summary>
    public static IReadOnlyDictionary<string, string> Versions { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["MathNet.Numerics"] = "5.0.0",
        ["Microsoft.Data.Analysis"] = "0.23.1",
        ["Plotly.NET"] = "6.0.0",
        ["Plotly.NET.CSharp"] = "0.14.0",
        ["TorchSharp"] = "0.107.0",
        ["libtorch-cpu-linux-x64"] = "2.10.0.0",
        ["System.Numerics.Tensors"] = "11.0.0",
    };

    /// <summary>Packages satisfied by the engine itself, with the line shown when a notebook asks for one.</summary>
    internal static string? Replacement(string id)
    {
        if (id.StartsWith("Microsoft.DotNet.Interactive", StringComparison.OrdinalIgnoreCase))
            return $"{id}: not needed, the DimReduce engine provides display, Formatter and KernelInvocationContext in the Microsoft.DotNet.Interactive namespaces.";
        if (id.Equals("Plotly.NET.Interactive", StringComparison.OrdinalIgnoreCase))
            return $"{id}: not needed, the DimReduce engine shows Plotly.NET charts itself (interactive plotly JSON plus an HTML fallback).";
        if (id.Equals("TorchSharp-cpu", StringComparison.OrdinalIgnoreCase) || id.StartsWith("libtorch-cpu", StringComparison.OrdinalIgnoreCase) && !Versions.ContainsKey(id))
            return $"{id}: not needed, the DimReduce engine ships TorchSharp {Versions["TorchSharp"]} with libtorch {Versions["libtorch-cpu-linux-x64"]} (CPU).";
        if (id.Equals("DimReduce", StringComparison.OrdinalIgnoreCase))
            return null;
        return null;
    }

    /// <summary>True for the DimReduce library itself, which the engine always references.</summary>
    internal static bool IsSelf(string id) => id.Equals("DimReduce", StringComparison.OrdinalIgnoreCase);
}
