using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DimReduce.Interactive.Packages;

/// <summary>A package of a successful restore: its resolved version, the assemblies to reference and load, and the
/// folders that hold its native libraries for this platform.</summary>
internal sealed record RestoredPackage(string Id, string Version, IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeDirectories);

/// <summary>One error NuGet logged (from <c>project.assets.json</c>, or the restore's output when there is no assets file).</summary>
internal sealed record RestoreError(string Code, string Message, string? PackageId);

/// <summary>What a restore gave: every package of the closure, or the errors.</summary>
internal sealed record RestoreResult(IReadOnlyList<RestoredPackage> Packages, IReadOnlyList<RestoreError> Errors, string ProjectDirectory, bool FromCache)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Restores NuGet packages for real, as Polyglot Notebooks did: a generated project that references the requested
/// packages, <c>dotnet restore</c>, then the compile-time and run-time assets read from <c>obj/project.assets.json</c>.
/// </summary>
/// <remarks>
/// <para>The project lives in a cache folder named after a hash of the package set, the sources and the target framework
/// (<see cref="CacheRoot"/>), so running the same cell again, in this or a later session, reads the cached assets file
/// without starting <c>dotnet</c>. A floating version (<c>*</c>, no version given) is resolved once per cache folder;
/// delete the folder to pick up a newer release. Packages themselves go to NuGet's global packages folder as usual.</para>
/// <para>The project is restored in a temporary folder and moved into the cache only when the restore succeeded, so two
/// processes restoring the same set never see a half-written folder. Empty <c>Directory.Build.props</c>,
/// <c>Directory.Build.targets</c> and a <c>Directory.Packages.props</c> that turns central package management off keep
/// the settings of any enclosing folder (a repository's central versions) out of it. Package sources are those of the
/// NuGet.Config files that apply to the cache folder (normally the user's), plus the <c>#i</c> sources as
/// <c>RestoreAdditionalProjectSources</c>.</para>
/// </remarks>
internal static class NuGetRestore
{
    /// <summary>How long one <c>dotnet restore</c> may run: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The environment variable that moves <see cref="CacheRoot"/>.</summary>
    public const string CacheVariable = "DIMREDUCE_NUGET_CACHE";

    /// <summary>
    /// The folder of the generated projects: <c>$DIMREDUCE_NUGET_CACHE</c>, else <c>$XDG_CACHE_HOME/dimreduce/nuget</c>,
    /// else <c>~/.cache/dimreduce/nuget</c>, else (no home folder) the system temp folder's <c>dimreduce-nuget</c>.
    /// </summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } explicitRoot) return Path.GetFullPath(explicitRoot);
            if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "dimreduce", "nuget");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home.Length > 0 ? Path.Combine(home, ".cache", "dimreduce", "nuget") : Path.Combine(Path.GetTempPath(), "dimreduce-nuget");
        }
    }

    /// <summary>The target framework packages are restored for: the running runtime's (<c>net10.0</c>).</summary>
    public static string TargetFramework => $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    /// <summary>Runtime identifiers whose assets fit this process, most specific first (<c>linux-x64</c>, <c>linux</c>, <c>unix</c>, <c>any</c>).</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers { get; } = MakeRuntimeIdentifiers();

    private static List<string> MakeRuntimeIdentifiers()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var list = new List<string> { RuntimeInformation.RuntimeIdentifier };
        if (os == "linux" && RuntimeInformation.RuntimeIdentifier.StartsWith("linux-musl", StringComparison.Ordinal)) list.Add("linux-musl");
        list.AddRange([$"{os}-{arch}", os]);
        if (os != "win") list.Add("unix");
        list.Add("any");
        return list.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The cache folder name of a package set: a hash of the target framework, the sources and the packages.</summary>
    internal static string Key(IEnumerable<PackageRequest> packages, IEnumerable<string> sources)
    {
        var text = new StringBuilder(TargetFramework).Append('\n');
        foreach (var s in sources) text.Append("source ").Append(s).Append('\n');
        foreach (var p in packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase))
            text.Append(p.Id.ToLowerInvariant()).Append(' ').Append(p.VersionOrLatest.ToLowerInvariant()).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..20];
    }

    /// <summary>The generated project file's text.</summary>
    internal static string ProjectXml(IEnumerable<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        static string X(string s) => SecurityElement.Escape(s);
        var xml = new StringBuilder();
        xml.Append("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n");
        xml.Append($"    <TargetFramework>{TargetFramework}</TargetFramework>\n");
        xml.Append("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n");
        xml.Append("    <EnableDefaultItems>false</EnableDefaultItems>\n");
        xml.Append("    <NuGetAudit>false</NuGetAudit>\n");
        xml.Append("    <IsPackable>false</IsPackable>\n");
        if (sources.Count > 0) xml.Append($"    <RestoreAdditionalProjectSources>{X(string.Join(';', sources))}</RestoreAdditionalProjectSources>\n");
        xml.Append("  </PropertyGroup>\n  <ItemGroup>\n");
        foreach (var p in packages) xml.Append($"    <PackageReference Include=\"{X(p.Id)}\" Version=\"{X(p.VersionOrLatest)}\" />\n");
        xml.Append("  </ItemGroup>\n</Project>\n");
        return xml.ToString();
    }

    /// <summary>Restores <paramref name="packages"/> (from the cache when it has them) and reads their assets.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the restore process is killed).</exception>
    public static async Task<RestoreResult> RestoreAsync(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string root = CacheRoot;
        string dir = Path.Combine(root, Key(packages, sources));
        string assets = Path.Combine(dir, "obj", "project.assets.json");
        if (File.Exists(assets) && TryRead(assets, dir, fromCache: true) is { Succeeded: true } cached && cached.Packages.All(FilesExist)) return cached;

        Directory.CreateDirectory(root);
        string work = $"{dir}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(work);
        bool keep = false;
        try
        {
            File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(work, "Directory.Build.targets"), "<Project />\n");
            File.WriteAllText(Path.Combine(work, "Directory.Packages.props"),
                "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n</Project>\n");
            string project = Path.Combine(work, "Restore.csproj");
            File.WriteAllText(project, ProjectXml(packages, sources));

            var (exitCode, output) = await RunAsync(DotNetExecutable(), ["restore", project, "--nologo", "-v:q"], work, timeout, cancellationToken).ConfigureAwait(false);
            string workAssets = Path.Combine(work, "obj", "project.assets.json");
            var result = File.Exists(workAssets) ? TryRead(workAssets, work, fromCache: false) : null;
            if (result is null || (exitCode != 0 && result.Succeeded))
            {
                var errors = OutputErrors(output);
                if (errors.Count == 0) errors.Add(new RestoreError("", $"dotnet restore exited with code {exitCode}. Its output:\n{output.Trim()}", null));
                return new RestoreResult([], errors, work, false);
            }
            if (!result.Succeeded) return result;

            // Publish the folder to the cache; another process may have done so first.
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                Directory.Move(work, dir);
                return TryRead(assets, dir, fromCache: false) ?? result;
            }
            catch (IOException)
            {
                keep = !(File.Exists(assets) && TryRead(assets, dir, fromCache: false) is { Succeeded: true });
                return keep ? result : TryRead(assets, dir, fromCache: false)!;
            }
            catch (UnauthorizedAccessException)
            {
                keep = true;
                return result;
            }
        }
        finally
        {
            if (!keep && Directory.Exists(work))
            {
                try { Directory.Delete(work, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    }

    private static bool FilesExist(RestoredPackage p) => p.Assemblies.All(File.Exists) && p.NativeDirectories.All(Directory.Exists);

    private static RestoreResult? TryRead(string assetsPath, string projectDirectory, bool fromCache)
    {
        try { return ReadAssets(File.ReadAllText(assetsPath), projectDirectory, fromCache); }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or FormatException or KeyNotFoundException) { return null; }
    }

    /// <summary>
    /// Reads a <c>project.assets.json</c>: its error logs, or for every package of the <see cref="TargetFramework"/> graph
    /// the run-time assemblies (a <c>runtimes/&lt;rid&gt;/lib</c> file for the best matching runtime identifier replaces the
    /// portable file of the same name) and the folders of its native libraries for the best matching runtime identifier.
    /// NuGet has already chosen the nearest compatible framework folder (net8.0, netstandard2.0 ...) for each package.
    /// </summary>
    /// <remarks>Run-time (implementation) assemblies are also what the cell compiles against, because the script host
    /// loads exactly the files the compilation references; a package's <c>ref/</c> assemblies cannot be loaded.</remarks>
    internal static RestoreResult ReadAssets(string json, string projectDirectory, bool fromCache)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var errors = new List<RestoreError>();
        foreach (var log in root["logs"] as JsonArray ?? [])
        {
            if (log?["level"]?.GetValue<string>() != "Error") continue;
            errors.Add(new RestoreError(log["code"]?.GetValue<string>() ?? "", log["message"]?.GetValue<string>() ?? "", log["libraryId"]?.GetValue<string>()));
        }
        if (errors.Count > 0) return new RestoreResult([], errors, projectDirectory, fromCache);

        var folders = (root["packageFolders"] as JsonObject ?? []).Select(p => p.Key).ToList();
        var targets = root["targets"]!.AsObject();
        var target = (targets.FirstOrDefault(t => t.Key == TargetFramework).Value ?? targets.First(t => !t.Key.Contains('/')).Value)!.AsObject();
        var libraries = root["libraries"]!.AsObject();
        var packages = new List<RestoredPackage>();
        foreach (var (name, node) in target)
        {
            if (node?["type"]?.GetValue<string>() != "package") continue;
            int slash = name.IndexOf('/', StringComparison.Ordinal);
            string id = name[..slash], version = name[(slash + 1)..];
            string relative = libraries[name]?["path"]?.GetValue<string>() ?? $"{id.ToLowerInvariant()}/{version.ToLowerInvariant()}";
            string folder = folders.Select(f => Path.Combine(f, relative)).FirstOrDefault(Directory.Exists) ?? Path.Combine(folders.FirstOrDefault() ?? "", relative);

            var assemblies = new List<string>();
            foreach (var file in Keys(node["runtime"])) assemblies.Add(file);
            var runtimeTargets = (node["runtimeTargets"] as JsonObject ?? [])
                .Select(t => (Path: t.Key, Type: t.Value?["assetType"]?.GetValue<string>() ?? "", Rid: t.Value?["rid"]?.GetValue<string>() ?? ""))
                .ToList();
            string? BestRid(string type)
            {
                var rids = runtimeTargets.Where(t => t.Type == type).Select(t => t.Rid).ToHashSet(StringComparer.OrdinalIgnoreCase);
                return RuntimeIdentifiers.FirstOrDefault(rids.Contains);
            }
            if (BestRid("runtime") is { } runtimeRid)
            {
                foreach (var t in runtimeTargets.Where(t => t.Type == "runtime" && t.Rid.Equals(runtimeRid, StringComparison.OrdinalIgnoreCase)))
                {
                    assemblies.RemoveAll(a => Path.GetFileName(a).Equals(Path.GetFileName(t.Path), StringComparison.OrdinalIgnoreCase));
                    assemblies.Add(t.Path);
                }
            }
            var native = new List<string>();
            if (BestRid("native") is { } nativeRid)
            {
                foreach (var t in runtimeTargets.Where(t => t.Type == "native" && t.Rid.Equals(nativeRid, StringComparison.OrdinalIgnoreCase)))
                {
                    string dir = Path.GetDirectoryName(Path.Combine(folder, t.Path))!;
                    if (!native.Contains(dir)) native.Add(dir);
                }
            }
            foreach (var file in Keys(node["native"]))
            {
                string dir = Path.GetDirectoryName(Path.Combine(folder, file))!;
                if (!native.Contains(dir)) native.Add(dir);
            }
            packages.Add(new RestoredPackage(id, version,
                assemblies.Where(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(a => Path.GetFullPath(Path.Combine(folder, a))).ToList(), native));
        }
        return new RestoreResult(packages, [], projectDirectory, fromCache);
    }

    private static IEnumerable<string> Keys(JsonNode? node) =>
        (node as JsonObject ?? []).Select(p => p.Key).Where(k => !k.EndsWith("/_._", StringComparison.Ordinal) && k != "_._");

    /// <summary>Error lines of a restore's output (<c>... error NU1101: message [project]</c>) when no assets file says more.</summary>
    internal static List<RestoreError> OutputErrors(string output)
    {
        var errors = new List<RestoreError>();
        foreach (var line in output.Split('\n'))
        {
            int at = line.IndexOf(" error ", StringComparison.Ordinal);
            if (at < 0) continue;
            string rest = line[(at + 7)..].Trim();
            int colon = rest.IndexOf(':', StringComparison.Ordinal);
            string code = colon > 0 && !rest[..colon].Contains(' ') ? rest[..colon] : "";
            string message = (code.Length > 0 ? rest[(colon + 1)..] : rest).Trim();
            int bracket = message.LastIndexOf(" [", StringComparison.Ordinal);
            if (bracket > 0 && message.EndsWith(']')) message = message[..bracket];
            if (!errors.Any(e => e.Message == message)) errors.Add(new RestoreError(code, message, null));
        }
        return errors;
    }

    /// <summary>
    /// The <c>dotnet</c> executable that runs this process, so the restore uses the same SDK installation:
    /// <c>DOTNET_HOST_PATH</c> (set for processes the SDK starts), this process if it is <c>dotnet</c>, the <c>dotnet</c>
    /// beside the shared framework, <c>DOTNET_ROOT</c>, else <c>dotnet</c> on the PATH.
    /// </summary>
    internal static string DotNetExecutable()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } process && Path.GetFileName(process).Equals(exe, StringComparison.OrdinalIgnoreCase)) return process;
        // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        string? runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        string? rootDir = runtime is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        if (rootDir is not null && File.Exists(Path.Combine(rootDir, exe))) return Path.Combine(rootDir, exe);
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot && File.Exists(Path.Combine(dotnetRoot, exe))) return Path.Combine(dotnetRoot, exe);
        return exe;
    }

    /// <summary>Runs a process to completion, capturing stdout and stderr together; kills it on timeout or cancellation.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // Settings of a parent build (dotnet test, dotnet run) must not steer this one.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" }) info.Environment.Remove(name);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{fileName} could not be started ({e.Message}). Restoring NuGet packages needs the .NET SDK (the dotnet command).");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            cancellationToken.ThrowIfCancellationRequested();
            lock (output) return (-1, $"dotnet restore did not finish within {timeout.TotalSeconds:0} s and was stopped. Its output so far:\n{output}");
        }
        process.WaitForExit();   // drains the output events
        lock (output) return (process.ExitCode, output.ToString());
    }
}
