using System.Text.Json.Nodes;

namespace DimReduce.Tests.Cli;

public sealed class KernelCliTests
{
    [Fact]
    public void KernelInstall_Prefix_WritesASpecThatStartsThisBuild()
    {
        string prefix = Directory.CreateTempSubdirectory("dimreduce-kernelspec-").FullName;
        try
        {
            var r = CliRunner.Run("kernel", "install", "--prefix", prefix, "--name", "test-csharp");
            Assert.Equal(0, r.ExitCode);
            string file = Path.Combine(prefix, "share", "jupyter", "kernels", "test-csharp", "kernel.json");
            Assert.Contains(Path.GetDirectoryName(file)!, r.Stdout);
            var spec = JsonNode.Parse(File.ReadAllText(file))!;
            var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            Assert.True(Path.IsPathRooted(argv[0]) && File.Exists(argv[0]), argv[0]);
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "DimReduce.Cli.dll"), argv[1]);
            Assert.Equal(["kernel", "-f", "{connection_file}"], argv[2..]);
            Assert.Equal("C# (DimReduce)", spec["display_name"]!.GetValue<string>());
            Assert.Equal("csharp", spec["language"]!.GetValue<string>());
            Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Fact]
    public void KernelInstall_PolyglotAlias_AlsoInstallsDotNetCSharp()
    {
        string prefix = Directory.CreateTempSubdirectory("dimreduce-kernelspec-").FullName;
        try
        {
            var r = CliRunner.Run("kernel", "install", "--prefix", prefix, "--polyglot-alias");
            Assert.Equal(0, r.ExitCode);
            string kernels = Path.Combine(prefix, "share", "jupyter", "kernels");
            Assert.Equal([".net-csharp", "dimreduce-csharp"], Directory.GetDirectories(kernels).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            var alias = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, ".net-csharp", "kernel.json")))!;
            var main = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, "dimreduce-csharp", "kernel.json")))!;
            Assert.Equal(main["argv"]!.ToJsonString(), alias["argv"]!.ToJsonString());
            Assert.Equal(".NET (C#) on DimReduce", alias["display_name"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Theory]
    [InlineData("kernel", "--connection-file")]
    [InlineData("kernel install --user --prefix /tmp/x", "both --user and --prefix")]
    [InlineData("kernel install --prefix /tmp/x --name bad/name", "letters, digits")]
    [InlineData("kernel -f /nonexistent/connection.json", "does not exist")]
    public void Kernel_BadUsage_FailsWithOneLine(string args, string phrase)
    {
        var r = CliRunner.Run(args.Split(' '));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(phrase, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
