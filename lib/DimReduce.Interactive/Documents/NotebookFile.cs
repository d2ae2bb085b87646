namespace DimReduce.Interactive.Documents;

/// <summary>Opens and saves notebooks by file extension (<c>.ipynb</c> or <c>.dib</c>), and converts between them.</summary>
public static class NotebookFile
{
    /// <summary>True when <paramref name="path"/> ends in <c>.ipynb</c> or <c>.dib</c> (any case).</summary>
    public static bool IsNotebook(string path) => Format(path) is not null;

    /// <summary>Reads a notebook; the format follows the extension.</summary>
    /// <exception cref="ArgumentException">The extension is neither .ipynb nor .dib.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Notebook Read(string path)
    {
        string format = Format(path) ?? throw Unsupported(path, nameof(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"Notebook '{path}' does not exist.", path);
        return format == ".dib" ? DibFormat.Read(path) : IpynbFormat.Read(path);
    }

    /// <summary>Writes a notebook atomically (temporary file, then move); the format follows the extension.</summary>
    public static void Write(Notebook notebook, string path)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        string format = Format(path) ?? throw Unsupported(path, nameof(path));
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The folder of '{path}' does not exist. Create it first.");
        if (format == ".dib") DibFormat.Write(notebook, path);
        else IpynbFormat.Write(notebook, path);
    }

    /// <summary>Converts <paramref name="source"/> to <paramref name="destination"/> (.dib to .ipynb or back, or the same format to normalise).</summary>
    public static Notebook Convert(string source, string destination)
    {
        if (Format(destination) is null) throw Unsupported(destination, nameof(destination));
        var notebook = Read(source);
        Write(notebook, destination);
        return notebook;
    }

    private static string? Format(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".ipynb" or ".dib" ? ext : null;
    }

    private static ArgumentException Unsupported(string path, string paramName) =>
        new($"'{path}' is not a notebook file: its extension must be .ipynb or .dib.", paramName);
}
