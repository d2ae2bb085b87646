using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace DimReduce.Interactive.Packages;

/// <summary>
/// Finds the native libraries of restored packages (their <c>runtimes/&lt;rid&gt;/native</c> folders) when a
/// <c>[DllImport]</c> or <see cref="NativeLibrary.Load(string, Assembly, DllImportSearchPath?)"/> of a package assembly
/// asks for them by name.
/// </summary>
/// <remarks>
/// The script host loads each referenced assembly into an <see cref="AssemblyLoadContext"/> of its own, and the runtime
/// raises <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/> on the context of the assembly whose import failed,
/// after its own probing. So every context an assembly is loaded into gets the handler (once), and the handler looks
/// in the registered folders for <c>name</c>, <c>libname.so</c>, <c>name.dll</c> and the like. A library the package's
/// own resolver or the normal probing finds is not affected. Limit: a native library that needs another one of the
/// package at load time is found by the system loader only if that one is loaded first (the folders are not on
/// <c>LD_LIBRARY_PATH</c>, which a running process cannot change).
/// </remarks>
internal static class NativeLibraries
{
    private static readonly object Gate = new();
    private static readonly List<string> Directories = [];
    private static readonly HashSet<AssemblyLoadContext> Hooked = [];
    private static bool _started;

    /// <summary>The registered folders (a copy).</summary>
    public static IReadOnlyList<string> Folders
    {
        get { lock (Gate) return [.. Directories]; }
    }

    /// <summary>Adds folders to search and starts watching assembly loads (once per process).</summary>
    public static void Register(IEnumerable<string> folders)
    {
        lock (Gate)
        {
            foreach (var f in folders)
                if (!Directories.Contains(f, StringComparer.Ordinal)) Directories.Add(f);
            if (_started) return;
            _started = true;
        }
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Hook(AssemblyLoadContext.GetLoadContext(e.LoadedAssembly));
        Hook(AssemblyLoadContext.Default);
        foreach (var context in AssemblyLoadContext.All.ToList()) Hook(context);
    }

    private static void Hook(AssemblyLoadContext? context)
    {
        if (context is null) return;
        lock (Gate)
        {
            if (!Hooked.Add(context)) return;
        }
        context.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        foreach (var path in Candidates(name))
        {
            if (NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    /// <summary>Existing files in the registered folders that a request for <paramref name="name"/> may mean.</summary>
    internal static IEnumerable<string> Candidates(string name)
    {
        if (Path.IsPathRooted(name)) yield break;
        string[] names = OperatingSystem.IsWindows() ? [name, name + ".dll"]
            : OperatingSystem.IsMacOS() ? [name, name + ".dylib", "lib" + name + ".dylib", "lib" + name]
            : [name, name + ".so", "lib" + name + ".so", "lib" + name];
        foreach (var dir in Folders)
        {
            foreach (var n in names)
            {
                string path = Path.Combine(dir, n);
                if (File.Exists(path)) yield return path;
            }
        }
    }
}
