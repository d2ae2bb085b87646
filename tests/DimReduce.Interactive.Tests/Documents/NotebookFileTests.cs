using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Documents;

public sealed class NotebookFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dimreduce-docs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Convert_dib_to_ipynb_and_back_leaves_only_the_targets()
    {
        string dib = Path.Combine(_dir, "a.dib"), ipynb = Path.Combine(_dir, "b.ipynb"), back = Path.Combine(_dir, "c.dib");
        File.Copy(DibFormatTests.TestData("course.dib"), dib);
        NotebookFile.Convert(dib, ipynb);
        NotebookFile.Convert(ipynb, back);
        Assert.Equal(File.ReadAllBytes(dib), File.ReadAllBytes(back));
        Assert.Equal(["a.dib", "b.ipynb", "c.dib"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Unknown_extensions_and_missing_files_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => NotebookFile.Read(Path.Combine(_dir, "a.txt")));
        Assert.Equal("path", e.ParamName);
        Assert.Contains(".ipynb or .dib", e.Message);
        Assert.Throws<FileNotFoundException>(() => NotebookFile.Read(Path.Combine(_dir, "missing.ipynb")));
        Assert.Throws<DirectoryNotFoundException>(() => NotebookFile.Write(new Notebook(), Path.Combine(_dir, "no", "x.ipynb")));
        var c = Assert.Throws<ArgumentException>(() => NotebookFile.Convert(DibFormatTests.TestData("course.dib"), Path.Combine(_dir, "x.json")));
        Assert.Equal("destination", c.ParamName);
    }
}
