using System.CommandLine;
using DimReduce.Cli.Commands;

namespace DimReduce.Cli;

/// <summary>The <c>dimreduce</c> command: reducers, metrics, data and benchmarks on files.</summary>
public static class Program
{
    /// <summary>Builds the command tree (also used by the tests).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("dimreduce: dimensionality reduction on CSV files, the course's data sets and benchmarks.");
        root.Subcommands.Add(ReduceCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(BookCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(KernelCommand.Create());
        root.Subcommands.Add(AssignCommand.Create());
        root.Subcommands.Add(GradeCommand.Create());
        root.Subcommands.Add(GradeCommand.CreateWorker());
        return root;
    }

    /// <summary>Entry point: exit code 0 on success, 1 on a user error (one line on stderr), 2 on bad usage.</summary>
    public static int Main(string[] args)
    {
        // Tables written to a file or pipe would wrap at 80 columns; give them room.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run 'dimreduce --help' for usage.");
            return 2;
        }
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
