using System.Reflection;
using DimReduce.Interactive.Magics;

namespace DimReduce.Interactive.Packages;

/// <summary>What the packages of one cell give: assemblies to reference, one-line notices, or errors that stop the cell.</summary>
internal sealed record PackageOutcome(IReadOnlyList<string> Assemblies, IReadOnlyList<string> Notices, IReadOnlyList<string> Errors);

/// <summary>
/// The NuGet state of one session: the <c>#i</c> sources and the packages loaded so far. Each cell's package
/// references are restored together, with every package the session loaded before (as Polyglot did), so that shared
/// dependencies resolve to one version.
/// </summary>
internal sealed class PackageSession
{
    private readonly List<string> _sources = [];
    private readonly Dictionary<string, (PackageRequest Request, string Resolved)> _requested = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _assemblyNames = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one restore may take (default <see cref="NuGetRestore.DefaultTimeout"/>).</summary>
    public TimeSpan Timeout { get; set; } = NuGetRestore.DefaultTimeout;

    /// <summary>The <c>#i</c> sources, in the order they were added.</summary>
    public IReadOnlyList<string> Sources => _sources;

    /// <summary>Every package loaded so far (requested ones and their dependencies) with its resolved version.</summary>
    public IReadOnlyDictionary<string, string> Loaded => _loaded;

    /// <summary>Adds a source for later restores (a repeated one is ignored).</summary>
    public void AddSource(string source)
    {
        if (!_sources.Contains(source, StringComparer.Ordinal)) _sources.Add(source);
    }

    /// <summary>Simple names of the assemblies every cell already references: the shared framework's and the bundled ones.</summary>
    private static readonly Lazy<HashSet<string>> HostAssemblyNames = new(() =>
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var file in Directory.GetFiles(runtimeDir, "*.dll")) names.Add(Path.GetFileNameWithoutExtension(file));
        foreach (var a in InteractiveSession.DefaultAssemblies) names.Add(a.GetName().Name!);
        return names;
    });

    /// <summary>Restores the cell's packages (with those loaded before) and says what to reference.</summary>
    /// <exception cref="OperationCanceledException">The cell was interrupted during the restore.</exception>
    public async Task<PackageOutcome> RestoreAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        var errors = new List<string>();
        var fresh = new List<PackageRequest>();
        foreach (var r in requests)
        {
            if (_requested.TryGetValue(r.Id, out var before))
            {
                bool same = r.Version.Length == 0 || r.Version.Equals(before.Request.Version, StringComparison.OrdinalIgnoreCase) || r.Version.Equals(before.Resolved, StringComparison.OrdinalIgnoreCase);
                if (!same)
                    errors.Add($"{r.Directive} (line {r.Line}): {before.Request.Id} {before.Resolved} is already loaded in this session, and one session cannot load two versions of a package. " +
                               $"Ask for {before.Resolved} (or no version), or restart the session to load {r.Version}.");
                continue;
            }
            if (_loaded.TryGetValue(r.Id, out var asDependency) && (r.Version.Length == 0 || r.Version.Equals(asDependency, StringComparison.OrdinalIgnoreCase)))
            {
                _requested[r.Id] = (r, asDependency);
                continue;
            }
            fresh.Add(r);
        }
        if (errors.Count > 0 || fresh.Count == 0) return new PackageOutcome([], notices, errors);

        var all = _requested.Values.Select(v => v.Request).Concat(fresh).ToList();
        var result = await NuGetRestore.RestoreAsync(all, _sources, Timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) return new PackageOutcome([], notices, RestoreErrors(fresh, result));

        var assemblies = new List<string>();
        var natives = new List<string>();
        foreach (var package in result.Packages)
        {
            if (_loaded.TryGetValue(package.Id, out var loadedVersion))
            {
                if (!loadedVersion.Equals(package.Version, StringComparison.OrdinalIgnoreCase))
                    notices.Add($"{package.Id} {package.Version} is wanted by the packages of this cell, but {package.Id} {loadedVersion} is already loaded and is used; restart the session and ask for all packages in one cell to load them together.");
                continue;
            }
            _loaded[package.Id] = package.Version;
            if (BundledPackages.Versions.TryGetValue(package.Id, out var bundled))
            {
                if (!bundled.Equals(package.Version, StringComparison.OrdinalIgnoreCase))
                    notices.Add($"{package.Id} {package.Version} is a dependency of a requested package; the engine's bundled {package.Id} {bundled} runs instead.");
                continue;
            }
            if (BundledPackages.Replacement(package.Id) is not null) continue;   // the engine's own compatibility types stand in for it
            foreach (var path in package.Assemblies)
            {
                string name = Path.GetFileNameWithoutExtension(path);
                if (HostAssemblyNames.Value.Contains(name) || !_assemblyNames.Add(name)) continue;
                if (!IsManagedAssembly(path)) continue;
                assemblies.Add(path);
            }
            natives.AddRange(package.NativeDirectories);
        }
        if (natives.Count > 0) NativeLibraries.Register(natives);
        foreach (var r in fresh)
        {
            string resolved = result.Packages.FirstOrDefault(p => p.Id.Equals(r.Id, StringComparison.OrdinalIgnoreCase))?.Version ?? r.Version;
            _requested[r.Id] = (r, resolved);
        }
        notices.Add("Installed packages: " + string.Join(", ", fresh.Select(r => $"{NameOf(result, r)} {_requested[r.Id].Resolved}")) + (result.FromCache ? " (cached)" : ""));
        return new PackageOutcome(assemblies, notices, []);
    }

    private static string NameOf(RestoreResult result, PackageRequest r) =>
        result.Packages.FirstOrDefault(p => p.Id.Equals(r.Id, StringComparison.OrdinalIgnoreCase))?.Id ?? r.Id;

    private List<string> RestoreErrors(List<PackageRequest> fresh, RestoreResult result)
    {
        string sources = _sources.Count == 0
            ? "the sources of the NuGet.Config files (no #i sources in this session)"
            : $"the sources of the NuGet.Config files plus the #i sources {string.Join(", ", _sources)}";
        const string fix = "Check the id and version (on the feed, or with `dotnet package search`), add the source that has the package with #i \"nuget: <feed URL or folder>\", " +
                           "or reference a local assembly with #r \"path/to/file.dll\".";
        var errors = new List<string>();
        var unmatched = result.Errors.ToList();
        foreach (var r in fresh)
        {
            var mine = result.Errors.Where(e => (e.PackageId ?? "").Equals(r.Id, StringComparison.OrdinalIgnoreCase)
                || (e.PackageId is null && e.Message.Contains($"package {r.Id}", StringComparison.OrdinalIgnoreCase))).ToList();
            if (mine.Count == 0) continue;
            unmatched.RemoveAll(mine.Contains);
            errors.Add($"{r.Directive} (line {r.Line}): the package {r.Describe} could not be restored. NuGet: {string.Join(" ", mine.Select(Text))} Sources tried: {sources}. {fix}");
        }
        if (unmatched.Count > 0)
        {
            string asked = string.Join(", ", fresh.Select(r => r.Describe));
            errors.Add($"Restoring {asked} failed. NuGet: {string.Join(" ", unmatched.Select(Text))} Sources tried: {sources}. {fix} (The generated project was {result.ProjectDirectory}.)");
        }
        return errors;
    }

    private static string Text(RestoreError e) => (e.Code.Length > 0 ? e.Code + ": " : "") + e.Message.Trim().TrimEnd('.') + ".";

    private static bool IsManagedAssembly(string file)
    {
        try { AssemblyName.GetAssemblyName(file); return true; }
        catch (BadImageFormatException) { return false; }
        catch (FileNotFoundException) { return false; }
    }
}
