using System.Globalization;

namespace DimReduce.Tests.Cli;

public class AutoencoderCliTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), "dimreduce-ae-cli-" + Guid.NewGuid().ToString("N") + "-" + name);

    [Theory]
    [InlineData("ae")]
    [InlineData("vae")]
    public void ReduceWithAnAutoencoderWritesOneCodeRowPerInputRow(string method)
    {
        string output = Temp("Z.csv");
        try
        {
            var r = CliRunner.Run("reduce", "--method", method, "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
                "--components", "2", "--epochs", "3", "--layers", "16,8", "--seed", "1", "--output", output);
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            var lines = File.ReadAllLines(output);
            Assert.Equal("c1,c2", lines[0]);
            Assert.Equal(179, lines.Length);
            Assert.All(lines.Skip(1), l => Assert.True(l.Split(',').All(v => double.IsFinite(double.Parse(v, CultureInfo.InvariantCulture)))));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void BadLayersAreReportedClearly()
    {
        var r = CliRunner.Run("reduce", "--method", "ae", "--input", CliRunner.DataFile("wine.csv"), "--label-column", "class",
            "--layers", "16,0", "--output", Temp("Z.csv"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--layers", r.Stderr + r.Stdout);
        Assert.Contains("positive whole numbers", r.Stderr + r.Stdout);
    }
}
