using DimReduce.Interactive.Documents;
using DimReduce.Interactive.Magics;
using DimReduce.Interactive.Packages;
using Microsoft.CodeAnalysis;

namespace DimReduce.Interactive;

// The NuGet side of a session: #i sources and #r "nuget: ..." restores (Packages/), kept out of InteractiveSession.cs.
public sealed partial class InteractiveSession
{
    private readonly PackageSession _packages = new();

    /// <summary>The package sources added with <c>#i "nuget: ..."</c> so far (URLs, or full paths of folders).</summary>
    public IReadOnlyList<string> PackageSources => _packages.Sources;

    /// <summary>The NuGet packages restored in this session (requested ones and their dependencies) with their resolved versions; bundled packages are not listed.</summary>
    public IReadOnlyDictionary<string, string> LoadedPackages => _packages.Loaded;

    /// <summary>
    /// Adds the cell's <c>#i</c> sources, restores its <c>#r "nuget: ..."</c> packages and references their assemblies.
    /// Returns <see cref="ExecutionStatus.Error"/> (after adding the error output) when a package cannot be restored.
    /// </summary>
    private async Task<ExecutionStatus> PreparePackagesAsync(CellPlan plan, CellExecution execution, CancellationToken cancellationToken)
    {
        foreach (var source in plan.Sources) _packages.AddSource(source);
        if (plan.Packages.Count == 0) return ExecutionStatus.Ok;
        var outcome = await _packages.RestoreAsync(plan.Packages, cancellationToken).ConfigureAwait(false);
        foreach (var notice in outcome.Notices) execution.Add(NotebookOutput.Display(new() { [MimeTypes.PlainText] = notice }));
        if (outcome.Errors.Count > 0)
        {
            execution.Add(NotebookOutput.Failure("PackageRestoreError", string.Join("\n", outcome.Errors), outcome.Errors));
            return ExecutionStatus.Error;
        }
        foreach (var path in outcome.Assemblies) _references.Add(MetadataReference.CreateFromFile(path));
        return ExecutionStatus.Ok;
    }
}
