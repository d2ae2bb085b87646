using TorchSharp;

namespace DimReduce;

/// <summary>
/// Access to libtorch (through TorchSharp), which runs the library's large dense work: the products
/// behind covariance and kernel matrices, SVDs and symmetric eigendecompositions.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<string> Loaded = new(() =>
    {
        try
        {
            // Touching torch runs its static constructor, which loads libLibTorchSharp and libtorch.
            using var probe = torch.ones(1);
            return torch.__version__;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            throw new InvalidOperationException(
                "libtorch could not be loaded through TorchSharp: " + inner.Message +
                (inner.Message.Contains("GLIBCXX", StringComparison.Ordinal)
                    ? " This system's libstdc++ is older than TorchSharp's native library expects. Build through the project's MSBuild files (Directory.Build.targets applies the fix to the output copy), or see README.md, 'TorchSharp on Debian 12'."
                    : " Check that the libtorch-cpu package was restored and copied to the output folder."),
                e);
        }
    });

    /// <summary>Loads libtorch if needed and returns its version; throws a clear error if it cannot load.</summary>
    public static string Version => Loaded.Value;

    /// <summary>Makes sure libtorch is loaded (called before any tensor work).</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;
}
