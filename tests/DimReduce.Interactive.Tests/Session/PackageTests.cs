using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using DimReduce.Interactive.Documents;
using DimReduce.Interactive.Packages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OutputKind = DimReduce.Interactive.Documents.OutputKind;

namespace DimReduce.Interactive.Tests.Session;

/// <summary>
/// #r "nuget: ..." for packages the engine does not bundle (a real restore through dotnet restore), and #i sources.
/// The registry tests restore Humanizer.Core 2.14.1 (small, no dependencies) once; later runs read the restore cache.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dimreduce-packages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExecutionResult Ok(InteractiveSession session, string code)
    {
        var r = session.Execute(code);
        Assert.True(r.Succeeded, $"cell failed: {r.Error?.ErrorName}: {r.Error?.ErrorValue} {string.Join("\n", r.Error?.Traceback ?? [])}");
        return r;
    }

    private static string Failure(InteractiveSession session, string code, string errorName)
    {
        var r = session.Execute(code);
        Assert.Equal(ExecutionStatus.Error, r.Status);
        var error = r.Outputs.Last();
        Assert.Equal(OutputKind.Error, error.Kind);
        Assert.Equal(errorName, error.ErrorName);
        Assert.DoesNotContain(r.Outputs, o => o.Kind == OutputKind.Stream);   // nothing of the cell ran
        return error.ErrorValue!;
    }

    [Fact]
    public void A_package_that_is_not_bundled_is_restored_loaded_and_cached()
    {
        const string cell = "#r \"nuget: Humanizer.Core, 2.14.1\"\nusing Humanizer;\n\"SomePackageName\".Humanize()";
        using (var session = new InteractiveSession())
        {
            var r = Ok(session, cell);
            Assert.Equal("Some package name", r.Result!.GetText("text/plain"));
            Assert.StartsWith("Installed packages: Humanizer.Core 2.14.1", r.Outputs[0].GetText("text/plain"));
            Assert.Equal("2.14.1", session.LoadedPackages["Humanizer.Core"]);

            // Asked for again in the same session: nothing to restore, no notice.
            var again = Ok(session, "#r \"nuget: Humanizer.Core\"\n\"PascalCaseInput\".Underscore()");
            Assert.Equal(["pascal_case_input"], again.Outputs.Select(o => o.GetText("text/plain")));

            // Another version beside the loaded one is an error naming both.
            string error = Failure(session, "Console.WriteLine(1);\n#r \"nuget: Humanizer.Core, 2.8.26\"", "PackageRestoreError");
            Assert.Contains("#r \"nuget: Humanizer.Core, 2.8.26\" (line 2): Humanizer.Core 2.14.1 is already loaded in this session", error);
            Assert.Contains("restart the session", error);
        }
        // A new session reads the restore cache.
        using (var session = new InteractiveSession())
        {
            var r = Ok(session, cell);
            Assert.Equal("Installed packages: Humanizer.Core 2.14.1 (cached)", r.Outputs[0].GetText("text/plain"));
        }
    }

    [Fact]
    public void A_package_that_does_not_exist_fails_naming_it_the_version_the_sources_and_the_fix()
    {
        string feed = Directory.CreateDirectory(Path.Combine(_dir, "feed")).FullName;
        using var session = new InteractiveSession(new SessionOptions { WorkingDirectory = _dir });
        string error = Failure(session, "Console.WriteLine(\"must not run\");\n#i \"nuget: feed\"\n#r \"nuget: DimReduce.Tests.NoSuchPackage, 1.2.3\"", "PackageRestoreError");
        Assert.Contains("#r \"nuget: DimReduce.Tests.NoSuchPackage, 1.2.3\" (line 3): the package DimReduce.Tests.NoSuchPackage 1.2.3 could not be restored", error);
        Assert.Contains("NU1101", error);
        Assert.Contains(feed, error);                    // the #i source, in NuGet's list and in ours
        Assert.Contains("#i \"nuget: <feed URL or folder>\"", error);
        Assert.Equal([feed], session.PackageSources);
        Assert.Empty(session.LoadedPackages);
    }

    /// <summary>
    /// A package built here (a .nupkg is a zip with a .nuspec, an assembly under lib/ and a native library under
    /// runtimes/&lt;rid&gt;/native), served from a local folder named by #i: restored for real, its assembly loaded, and its
    /// [DllImport] of a library by a name only the package's native folder has resolved. The native library is a copy
    /// of the runtime's own libSystem.Native, whose SystemNative_GetPid the package calls.
    /// </summary>
    [Fact]
    public void A_package_from_an_i_folder_source_loads_with_its_native_library()
    {
        if (!OperatingSystem.IsLinux()) return;   // the copied native library is the Linux one (CI runs on Linux)
        string feed = Directory.CreateDirectory(Path.Combine(_dir, "feed")).FullName;
        string version = BuildPackage(feed, "DimReduce.Tests.NativeGreeter");

        // The feed's folder changes every run, and so would the cache folder: keep this one in the test's folder.
        // (Tests of one class run one at a time, and only this class restores packages.)
        string? cache = Environment.GetEnvironmentVariable(NuGetRestore.CacheVariable);
        Environment.SetEnvironmentVariable(NuGetRestore.CacheVariable, Path.Combine(_dir, "cache"));
        try
        {
            using var session = new InteractiveSession(new SessionOptions { WorkingDirectory = _dir });
            var r = Ok(session, $"#i \"nuget: {feed}\"\n#r \"nuget: DimReduce.Tests.NativeGreeter, {version}\"\nNativeGreeting.Greeter.Hello(\"native\")");
            Assert.Equal($"Installed packages: DimReduce.Tests.NativeGreeter {version}", r.Outputs[0].GetText("text/plain"));
            Assert.Equal("hello native", r.Result!.GetText("text/plain"));
            var pid = Ok(session, "NativeGreeting.Greeter.ProcessId() == Environment.ProcessId");
            Assert.Equal("True", pid.Result!.GetText("text/plain"));
            Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "cache")));   // the restore's project, published to the cache
        }
        finally
        {
            Environment.SetEnvironmentVariable(NuGetRestore.CacheVariable, cache);
        }
    }

    private static string BuildPackage(string feed, string id)
    {
        const string code = """
            namespace NativeGreeting
            {
                public static class Greeter
                {
                    public static string Hello(string name) => "hello " + name;
                    [System.Runtime.InteropServices.DllImport("drtestnative", EntryPoint = "SystemNative_GetPid")]
                    private static extern int GetPid();
                    public static int ProcessId() => GetPid();
                }
            }
            """;
        var compilation = CSharpCompilation.Create("NativeGreeter",
            [CSharpSyntaxTree.ParseText(code)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary, deterministic: true));
        using var dll = new MemoryStream();
        Assert.True(compilation.Emit(dll).Success);
        string native = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libSystem.Native.so");
        byte[] nativeBytes = File.ReadAllBytes(native);
        // The version follows the content, so NuGet's global packages folder never holds a stale copy under the same version.
        string hash = Convert.ToHexStringLower(SHA256.HashData([.. dll.ToArray(), .. nativeBytes]))[..10];
        string version = $"1.0.0-t{hash}";
        string nuspec = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{id}</id>
                <version>{version}</version>
                <authors>DimReduce tests</authors>
                <description>A package built by a test.</description>
              </metadata>
            </package>
            """;
        using var zip = ZipFile.Open(Path.Combine(feed, $"{id}.{version}.nupkg"), ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            using var s = zip.CreateEntry(name).Open();
            s.Write(bytes);
        }
        Add($"{id}.nuspec", Encoding.UTF8.GetBytes(nuspec));
        Add("lib/net8.0/NativeGreeter.dll", dll.ToArray());
        Add($"runtimes/{NuGetRestore.RuntimeIdentifiers[0]}/native/libdrtestnative.so", nativeBytes);
        return version;
    }

    [Fact]
    public void Sources_and_package_lines_are_read_before_anything_runs()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "feed"));
        using var session = new InteractiveSession(new SessionOptions { WorkingDirectory = _dir });
        Ok(session, "#i \"nuget: https://example.org/v3/index.json\"\n#i \"nuget:feed\"\n#i \"nuget: https://example.org/v3/index.json\"");
        Assert.Equal(["https://example.org/v3/index.json", Path.Combine(_dir, "feed")], session.PackageSources);

        Assert.Contains("the folder " + Path.Combine(_dir, "missing") + " does not exist", Failure(session, "#i \"nuget: missing\"", "UnsupportedMagic"));
        Assert.Contains("#i \"nuget:\" (line 1) names no source", Failure(session, "#i \"nuget:\"", "UnsupportedMagic"));
        Assert.Contains("'Bad/Id' is not a NuGet package id", Failure(session, "#r \"nuget: Bad/Id\"", "UnsupportedMagic"));
        Assert.Contains("'1.0 beta' is not a NuGet version", Failure(session, "#r \"nuget: Some.Package, 1.0 beta\"", "UnsupportedMagic"));
        Assert.Contains("the cell already asks for A.B 1.0 on line 1", Failure(session, "#r \"nuget: A.B, 1.0\"\n#r \"nuget: A.B, 2.0\"", "UnsupportedMagic"));
    }

    [Fact]
    public void The_generated_project_has_the_versions_the_sources_and_a_guard_against_central_versions()
    {
        string xml = NuGetRestore.ProjectXml([new PackageRequest("Humanizer.Core", "", 1), new PackageRequest("A&B", "[1.0,2.0)", 2)], ["https://example.org/v3/index.json", "/feeds/local"]);
        Assert.Contains($"<TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>", xml);
        Assert.Contains("<PackageReference Include=\"Humanizer.Core\" Version=\"*\" />", xml);
        Assert.Contains("<PackageReference Include=\"A&amp;B\" Version=\"[1.0,2.0)\" />", xml);
        Assert.Contains("<RestoreAdditionalProjectSources>https://example.org/v3/index.json;/feeds/local</RestoreAdditionalProjectSources>", xml);
        Assert.Contains("<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>", xml);

        // The cache key follows the set, not the order; sources and versions change it.
        var a = new PackageRequest("X", "1.0", 1);
        var b = new PackageRequest("Y", "", 2);
        Assert.Equal(NuGetRestore.Key([a, b], []), NuGetRestore.Key([b, a], []));
        Assert.NotEqual(NuGetRestore.Key([a, b], []), NuGetRestore.Key([a, b], ["/feed"]));
        Assert.NotEqual(NuGetRestore.Key([a], []), NuGetRestore.Key([a with { Version = "2.0" }], []));
    }

    [Fact]
    public void Assets_give_runtime_assemblies_rid_specific_replacements_and_native_folders()
    {
        string rid = NuGetRestore.RuntimeIdentifiers[0];      // e.g. linux-x64
        string family = NuGetRestore.RuntimeIdentifiers[1];   // e.g. linux
        string json = $$"""
            {
              "version": 3,
              "targets": {
                "net10.0": {
                  "Lib.A/1.0.0": {
                    "type": "package",
                    "compile": { "ref/net8.0/Lib.A.dll": {} },
                    "runtime": { "lib/net8.0/Lib.A.dll": {}, "lib/net8.0/Lib.A.Extra.dll": {} },
                    "runtimeTargets": {
                      "runtimes/{{rid}}/lib/net8.0/Lib.A.dll": { "assetType": "runtime", "rid": "{{rid}}" },
                      "runtimes/other-os/lib/net8.0/Lib.A.Extra.dll": { "assetType": "runtime", "rid": "other-os" },
                      "runtimes/{{family}}/native/liba.so": { "assetType": "native", "rid": "{{family}}" },
                      "runtimes/other-os/native/a.dll": { "assetType": "native", "rid": "other-os" }
                    }
                  },
                  "Lib.B/2.0.0": { "type": "package", "runtime": { "lib/net10.0/_._": {} } },
                  "Some.Project/1.0.0": { "type": "project" }
                }
              },
              "libraries": { "Lib.A/1.0.0": { "path": "lib.a/1.0.0" }, "Lib.B/2.0.0": { "path": "lib.b/2.0.0" } },
              "packageFolders": { "/packages/": {} }
            }
            """;
        var result = NuGetRestore.ReadAssets(json, "/project", fromCache: false);
        Assert.True(result.Succeeded);
        Assert.Equal(["Lib.A", "Lib.B"], result.Packages.Select(p => p.Id));
        var a = result.Packages[0];
        Assert.Equal(["/packages/lib.a/1.0.0/lib/net8.0/Lib.A.Extra.dll", $"/packages/lib.a/1.0.0/runtimes/{rid}/lib/net8.0/Lib.A.dll"],
            a.Assemblies.Select(p => p.Replace('\\', '/')));
        Assert.Equal([$"/packages/lib.a/1.0.0/runtimes/{family}/native"], a.NativeDirectories.Select(p => p.Replace('\\', '/')));
        Assert.Empty(result.Packages[1].Assemblies);

        var failed = NuGetRestore.ReadAssets("""
            { "version": 3, "targets": { "net10.0": {} }, "libraries": {}, "packageFolders": {},
              "logs": [ { "code": "NU1101", "level": "Error", "message": "Unable to find package Nope. No packages exist with this id in source(s): nuget.org", "libraryId": "Nope" },
                        { "code": "NU1603", "level": "Warning", "message": "a warning" } ] }
            """, "/project", fromCache: false);
        var error = Assert.Single(failed.Errors);
        Assert.Equal(("NU1101", "Nope"), (error.Code, error.PackageId));
    }

    [Fact]
    public void Restore_output_errors_are_read_when_there_is_no_assets_file()
    {
        var errors = NuGetRestore.OutputErrors("""
              Determining projects to restore...
            /tmp/x/Restore.csproj : error NU1301: Unable to load the service index for source https://example.org/v3/index.json. [/tmp/x/Restore.csproj]
            /tmp/x/Restore.csproj : error MSB4025: The project file could not be loaded.
            """);
        Assert.Equal(["NU1301", "MSB4025"], errors.Select(e => e.Code));
        Assert.Equal("Unable to load the service index for source https://example.org/v3/index.json.", errors[0].Message);
    }

    [Fact]
    public void Native_library_candidates_are_found_by_their_short_name()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "native")).FullName;
        string file = Path.Combine(folder, OperatingSystem.IsWindows() ? "drcandidate.dll" : OperatingSystem.IsMacOS() ? "libdrcandidate.dylib" : "libdrcandidate.so");
        File.WriteAllBytes(file, [0]);
        NativeLibraries.Register([folder]);
        Assert.Equal([file], NativeLibraries.Candidates("drcandidate"));
        Assert.Empty(NativeLibraries.Candidates("drnothing"));
    }

    [Fact]
    public async Task The_restore_process_is_stopped_when_the_cell_is_interrupted()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        string shell = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "cmd.exe" : "/bin/sh";
        string[] args = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ["/c", "ping -n 30 127.0.0.1"] : ["-c", "sleep 30"];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NuGetRestore.RunAsync(shell, args, _dir, TimeSpan.FromMinutes(1), cts.Token));
        var timedOut = await NuGetRestore.RunAsync(shell, args, _dir, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(-1, timedOut.ExitCode);
        Assert.Contains("did not finish within", timedOut.Output);
    }
}
