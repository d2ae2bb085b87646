using System.Globalization;
using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.IO;

namespace DimReduce.Tests.Cli;

public class CliTests
{
    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("cli").FullName, name);

    [Fact]
    public void Reduce_pca_writes_the_embedding_the_library_computes()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "pca", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class", "--components", "2", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var z = Csv.Read(output);
        Assert.Equal(new[] { "c1", "c2" }, z.ColumnNames);
        var expected = new Pca { Components = 2 }.FitTransform(BundledSets.Wine().Features);
        Assert.Equal(expected.ToArray(), z.Values.ToArray());
    }

    [Theory]
    [InlineData("rpca")]
    [InlineData("ipca")]
    [InlineData("kpca")]
    public void Reduce_other_methods_write_one_row_per_input_row(string method)
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", method, "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class", "--components", "3", "--seed", "1", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal((178, 3), Csv.Read(output).Values.Shape);
    }

    [Fact]
    public void Variance_fraction_picks_enough_components()
    {
        string output = Temp("Z.csv");
        var r = CliRunner.Run("reduce", "--method", "pca", "--standardize", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class", "--components", "0.95", "--output", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var pca = new Pca { Components = 0.95, Matrix = PcaMatrix.Correlation }.Fit(BundledSets.Wine().Features);
        Assert.Equal(pca.ComponentCount, Csv.Read(output).Values.Columns);
    }

    [Fact]
    public void Missing_file_ragged_row_non_number_and_NaN_give_one_line_and_exit_1()
    {
        string dir = Directory.CreateTempSubdirectory("cli").FullName;
        var cases = new Dictionary<string, string>
        {
            ["ragged.csv"] = "a,b\n1,2\n3\n",
            ["text.csv"] = "a,b\n1,2\n3,abc\n",
            ["nan.csv"] = "a,b\n1,2\nNaN,4\n",
        };
        foreach (var (name, text) in cases) File.WriteAllText(Path.Combine(dir, name), text);
        var expected = new Dictionary<string, string>
        {
            ["missing.csv"] = "file not found",
            ["ragged.csv"] = "ragged row",
            ["text.csv"] = "'abc' is not a number",
            ["nan.csv"] = "the value is NaN",
        };
        foreach (var (name, phrase) in expected)
        {
            string output = Path.Combine(dir, "out-" + name);
            var r = CliRunner.Run("reduce", "--method", "pca", "--input", Path.Combine(dir, name), "--output", output);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains(phrase, r.Stderr);
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.False(File.Exists(output), "no output is written when the input is bad");
        }
    }

    [Fact]
    public void Too_many_components_is_a_clear_error()
    {
        var r = CliRunner.Run("reduce", "--method", "pca", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class", "--components", "20", "--output", Temp("Z.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Components", r.Stderr);
        Assert.Contains("20", r.Stderr);
    }

    [Fact]
    public void Unknown_method_is_a_usage_error()
    {
        var r = CliRunner.Run("reduce", "--method", "magic", "--input", "x.csv", "--output", "z.csv");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("magic", r.Stderr);
    }

    [Fact]
    public void Metrics_print_name_equals_value_last()
    {
        var wine = BundledSets.Wine();
        string labels = Temp("y.csv");
        File.WriteAllLines(labels, wine.Labels.Select(y => y.ToString(CultureInfo.InvariantCulture)));
        var r = CliRunner.Run("metrics", "--metric", "silhouette", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class", "--labels", labels);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("silhouette=" + Metrics.Silhouette(wine.Features, wine.Labels.ToArray()).ToString("R", CultureInfo.InvariantCulture), r.LastLine);

        string embedding = Temp("Z.csv");
        Csv.Write(embedding, new Pca { Components = 2 }.FitTransform(wine.Features));
        r = CliRunner.Run("metrics", "--metric", "trustworthiness", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class", "--embedding", embedding, "--k", "15");
        Assert.True(r.ExitCode == 0, r.Stderr);
        double t = double.Parse(r.LastLine.Split('=')[1], CultureInfo.InvariantCulture);
        Assert.Equal(Metrics.Trustworthiness(wine.Features, Csv.Read(embedding).Values, 15), t);

        string predicted = Temp("p.csv");
        File.WriteAllLines(predicted, wine.Labels.Select(y => ((y + 1) % 3).ToString(CultureInfo.InvariantCulture)));
        r = CliRunner.Run("metrics", "--metric", "ari", "--labels", labels, "--labels-pred", predicted);
        Assert.Equal("ari=1", r.LastLine); // a renumbering of the same partition
        r = CliRunner.Run("metrics", "--metric", "nmi", "--labels", labels, "--labels-pred", predicted);
        Assert.StartsWith("nmi=", r.LastLine);
        Assert.Equal(1.0, double.Parse(r.LastLine[4..], CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void Metric_without_its_input_says_which_option_is_missing()
    {
        var r = CliRunner.Run("metrics", "--metric", "trustworthiness", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("needs --embedding", r.Stderr);
    }
}
