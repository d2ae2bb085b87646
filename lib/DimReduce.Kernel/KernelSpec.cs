using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;

namespace DimReduce.Kernel;

/// <summary>
/// Writes the kernelspec (<c>kernel.json</c>) that tells Jupyter front ends how to start this kernel, into a Jupyter
/// data directory's <c>kernels/NAME</c> folder, as <c>jupyter kernelspec install</c> does.
/// </summary>
/// <remarks>Kernel specs: https://jupyter-client.readthedocs.io/en/stable/kernels.html#kernel-specs.</remarks>
public static partial class KernelSpec
{
    /// <summary>Defaults shared by docs, code and tests.</summary>
    public static class Defaults
    {
        /// <summary>The kernel name (the kernelspec folder's name): <c>dimreduce-csharp</c>.</summary>
        public const string Name = "dimreduce-csharp";

        /// <summary>The name front ends show: <c>C# (DimReduce)</c>.</summary>
        public const string DisplayName = "C# (DimReduce)";

        /// <summary>The kernel name Polyglot Notebooks (.NET Interactive) wrote into notebooks: <c>.net-csharp</c> (for the opt-in alias).</summary>
        public const string PolyglotName = ".net-csharp";

        /// <summary>The display name of the Polyglot alias: <c>.NET (C#) on DimReduce</c>.</summary>
        public const string PolyglotDisplayName = ".NET (C#) on DimReduce";
    }

    /// <summary>
    /// The per-user kernels folder: <c>$JUPYTER_DATA_DIR/kernels</c> when set, else <c>~/.local/share/jupyter/kernels</c>
    /// on Linux (<c>$XDG_DATA_HOME/jupyter/kernels</c> when that is set), <c>~/Library/Jupyter/kernels</c> on macOS and
    /// <c>%APPDATA%\jupyter\kernels</c> on Windows, the folders jupyter_core and VS Code search.
    /// </summary>
    public static string UserKernelsDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } dataDir) return Path.Combine(dataDir, "kernels");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter", "kernels");
        string xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(xdg, "jupyter", "kernels");
    }

    /// <summary>The kernels folder under an installation prefix: <c>PREFIX/share/jupyter/kernels</c> (as <c>jupyter kernelspec install --prefix</c>).</summary>
    public static string PrefixKernelsDirectory(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
    }

    /// <summary>The <c>kernel.json</c> content for a command line that starts the kernel (<c>{connection_file}</c> is appended as <c>-f {connection_file}</c>).</summary>
    /// <param name="command">The program and its first arguments, e.g. <c>["/usr/bin/dotnet", "/abs/DimReduce.Cli.dll", "kernel"]</c>.</param>
    /// <param name="displayName">The name front ends show.</param>
    public static JsonObject Create(IReadOnlyList<string> command, string displayName = Defaults.DisplayName)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0) throw new ArgumentException("command is empty, but it must name the program that starts the kernel.", nameof(command));
        var argv = new JsonArray([.. command.Select(a => (JsonNode)JsonValue.Create(a))]);
        argv.Add("-f");
        argv.Add("{connection_file}");
        return new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = displayName,
            ["language"] = KernelNames.CSharp,
            ["interrupt_mode"] = "message",
            ["env"] = new JsonObject { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
    }

    /// <summary>Writes <c>kernelsDirectory/name/kernel.json</c> (replacing an earlier one) and returns the kernelspec folder.</summary>
    /// <param name="kernelsDirectory">A Jupyter <c>kernels</c> folder (see <see cref="UserKernelsDirectory"/>, <see cref="PrefixKernelsDirectory"/>).</param>
    /// <param name="command">The program and its first arguments (see <see cref="Create"/>).</param>
    /// <param name="name">The kernel name: letters, digits, <c>-</c>, <c>.</c> and <c>_</c>.</param>
    /// <param name="displayName">The name front ends show.</param>
    public static string Install(string kernelsDirectory, IReadOnlyList<string> command, string name = Defaults.Name, string displayName = Defaults.DisplayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kernelsDirectory);
        ArgumentNullException.ThrowIfNull(name);
        if (!ValidName().IsMatch(name))
            throw new ArgumentException($"name is '{name}', but a kernel name may hold only letters, digits, '-', '.' and '_' (Jupyter's rule); use e.g. '{Defaults.Name}'.", nameof(name));
        var spec = Create(command, displayName);
        string folder = Path.Combine(kernelsDirectory, name.ToLowerInvariant());
        Directory.CreateDirectory(folder);
        string json = spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        AtomicFile.WriteAllText(Path.Combine(folder, "kernel.json"), json);
        return folder;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex ValidName();
}
