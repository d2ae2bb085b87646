using DimReduce.Datasets;
using DimReduce.IO;
using DimReduce.Manifold;

namespace DimReduce.Tests.Cli;

/// <summary><c>dimreduce reduce --method tsne|isomap|mds</c>: the CLI writes what the library computes, and bad values are clear errors.</summary>
public class ManifoldCliTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("cli-manifold").FullName, name);

    [Fact]
    public void Reduce_tsne_writes_the_embedding_the_library_computes()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "tsne", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--perplexity", "12", "--epochs", "300", "--seed", "4", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var z = Csv.Read(output);
        Assert.Equal(new[] { "c1", "c2" }, z.ColumnNames);
        var expected = new Tsne { Perplexity = 12, Iterations = 300, Seed = 4 }.FitTransform(BundledSets.Wine().Features);
        Assert.Equal(expected.ToArray(), z.Values.ToArray());
    }

    [Fact]
    public void Reduce_isomap_and_mds_write_what_the_library_computes()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "isomap", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--neighbors", "8", "--components", "3", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var expected = new Isomap { Neighbors = 8, Components = 3 }.FitTransform(BundledSets.Wine().Features);
        Assert.Equal(expected.ToArray(), Csv.Read(output).Values.ToArray());

        r = CliRunner.Run("reduce", "--method", "mds", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--epochs", "50", "--seed", "2", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        expected = new Mds { MaxIterations = 50, Seed = 2 }.FitTransform(BundledSets.Wine().Features);
        Assert.Equal(expected.ToArray(), Csv.Read(output).Values.ToArray());
    }

    [Fact]
    public void Tsne_with_too_large_a_perplexity_is_a_clear_error()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "tsne", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--perplexity", "500", "--output", output);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Perplexity is 500, but the data has 178 samples", r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Isomap_with_a_disconnected_graph_names_neighbors()
    {
        string input = Temp("two.csv");
        File.WriteAllLines(input, Enumerable.Range(0, 20).Select(i => $"{i * 0.1},0").Concat(Enumerable.Range(0, 20).Select(i => $"{1000 + i * 0.1},0")));
        var r = CliRunner.Run("reduce", "--method", "isomap", "--input", input, "--neighbors", "3", "--output", Temp("Z.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Raise Neighbors", r.Stderr);
    }
}
