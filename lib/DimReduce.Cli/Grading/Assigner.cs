using DimReduce.Interactive.Documents;

namespace DimReduce.Cli.Grading;

/// <summary>Generates student notebooks from the instructor's sources and checks committed copies against them.</summary>
internal static class Assigner
{
    private static readonly string[] SkippedFolders = ["bin", "obj", ".ipynb_checkpoints", ".git", "node_modules"];

    /// <summary>Notebooks under the given files or folders, with their path relative to the folder given (file name for files).</summary>
    public static List<(string Path, string Relative)> Collect(IEnumerable<string> paths)
    {
        var list = new List<(string, string)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                list.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => NotebookFile.IsNotebook(f) && !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(SkippedFolders.Contains))
                    .Order(StringComparer.Ordinal)
                    .Select(f => (f, Path.GetRelativePath(path, f))));
            }
            else if (File.Exists(path))
            {
                if (!NotebookFile.IsNotebook(path)) throw new ArgumentException($"'{path}' is not a notebook: pass .ipynb or .dib files, or folders.");
                list.Add((path, Path.GetFileName(path)));
            }
            else throw new FileNotFoundException($"'{path}' does not exist.", path);
        }
        if (list.Count == 0) throw new ArgumentException($"No .ipynb or .dib notebooks found in {string.Join(", ", paths)}.");
        return list;
    }

    /// <summary>The file text a notebook is written as (format by extension).</summary>
    public static string Text(Notebook notebook, string path) =>
        path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? DibFormat.WriteToString(notebook) : IpynbFormat.WriteToString(notebook);

    /// <summary>Result of one notebook: where it goes, and whether the file there already matched.</summary>
    public sealed record Generated(string Source, string Target, bool UpToDate, int Tests, double Points);

    /// <summary>Writes (or with <paramref name="check"/>, only compares) the student version of every source notebook.</summary>
    public static List<Generated> Run(IEnumerable<string> sources, string outDir, bool check, bool updateSource)
    {
        var results = new List<Generated>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, relative) in Collect(sources))
        {
            var assignment = Assignment.Load(path);
            if (updateSource && assignment.UpdateSourceMetadata()) NotebookFile.Write(assignment.Notebook, path);
            string target = Path.Combine(outDir, relative);
            if (!targets.Add(Path.GetFullPath(target)))
                throw new ArgumentException($"Two source notebooks would be written to '{target}'; give them different names.");
            string text = Text(assignment.Release(), target);
            bool upToDate = File.Exists(target) && File.ReadAllText(target).Replace("\r\n", "\n", StringComparison.Ordinal) == text.Replace("\r\n", "\n", StringComparison.Ordinal);
            if (!check && !upToDate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
                DimReduce.AtomicFile.WriteAllText(target, text);
            }
            results.Add(new Generated(path, target, upToDate, assignment.Tests.Count(), assignment.MaxPoints));
        }
        return results;
    }

    /// <summary>Notebooks in <paramref name="outDir"/> that no source produces (left over after a rename).</summary>
    public static List<string> Stale(string outDir, IEnumerable<Generated> generated)
    {
        if (!Directory.Exists(outDir)) return [];
        var made = generated.Select(g => Path.GetFullPath(g.Target)).ToHashSet(StringComparer.Ordinal);
        return Collect([outDir]).Select(c => c.Path).Where(p => !made.Contains(Path.GetFullPath(p))).ToList();
    }
}
