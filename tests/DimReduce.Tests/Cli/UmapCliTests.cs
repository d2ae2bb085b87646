using DimReduce.Datasets;
using DimReduce.IO;
using DimReduce.Manifold;
using DimReduce.Neighbors;

namespace DimReduce.Tests.Cli;

public class UmapCliTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("cli-umap").FullName, name);

    [Fact]
    public void Reduce_umap_writes_the_embedding_the_library_computes()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "umap", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--neighbors", "10", "--min-dist", "0.2", "--metric", "manhattan", "--epochs", "50", "--seed", "3", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var z = Csv.Read(output);
        Assert.Equal(new[] { "c1", "c2" }, z.ColumnNames);
        var expected = new Umap { Neighbors = 10, MinDist = 0.2, Metric = NeighborMetric.Manhattan, Epochs = 50, Seed = 3 }
            .FitTransform(BundledSets.Wine().Features);
        Assert.Equal(expected.ToArray(), z.Values.ToArray());
    }

    [Fact]
    public void Umap_with_too_many_neighbours_is_a_clear_error()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "umap", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--neighbors", "500", "--output", output);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Neighbors is 500", r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Unknown_metric_is_a_usage_error()
    {
        var r = CliRunner.Run("reduce", "--method", "umap", "--input", CliRunner.DataFile("wine.csv"), "--metric", "hamming", "--output", Temp("Z.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("hamming", r.Stderr);
    }

    /// <summary>A float64 C-order .npy file, as numpy.save writes it.</summary>
    private static string WriteNpy(DataMatrix x)
    {
        string path = Temp("X.npy");
        string header = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({x.Rows}, {x.Columns}), }}";
        header = header.PadRight(header.Length + (64 - (10 + header.Length + 1) % 64) % 64) + "\n";
        using var s = File.Create(path);
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        s.Write(BitConverter.GetBytes((ushort)header.Length));
        s.Write(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (double v in x.ToArray().Cast<double>()) s.Write(BitConverter.GetBytes(v));
        return path;
    }

    [Fact]
    public void Reduce_umap_reads_npy_and_takes_minkowski_p()
    {
        var x = BundledSets.Wine().Features;
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "umap", "--input", WriteNpy(x), "--metric", "minkowski", "--p", "3",
            "--epochs", "30", "--seed", "5", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var expected = new Umap { Metric = NeighborMetric.Minkowski, MinkowskiP = 3, Epochs = 30, Seed = 5 }.FitTransform(x);
        Assert.Equal(expected.ToArray(), Csv.Read(output).Values.ToArray());
    }

    [Fact]
    public void Minkowski_p_of_zero_is_a_clear_error()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "umap", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--metric", "minkowski", "--p", "0", "--output", output);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("MinkowskiP is 0", r.Stderr);
        Assert.False(File.Exists(output));
    }
}
