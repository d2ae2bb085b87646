using System.CommandLine;
using DimReduce.Datasets;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary><c>dimreduce data fetch fashion-mnist [--dir DIR]</c> and <c>dimreduce data list</c>.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var set = new Argument<string>("dataset") { Description = "The data set to fetch: fashion-mnist." };
        set.AcceptOnlyFromAmong("fashion-mnist");
        var dir = new Option<string?>("--dir") { Description = "Target folder (default: data/fashion-mnist under the repository, or $DIMREDUCE_DATA/fashion-mnist)." };
        var fetch = new Command("fetch", "Download and build a large data set (Fashion-MNIST: 70,000 images).") { set, dir };
        fetch.SetAction((p, ct) => Task.FromResult(CliErrors.Run(() =>
        {
            string target = p.GetValue(dir) ?? FashionMnist.ResolveDirectory(FashionMnistSize.Full);
            AnsiConsole.MarkupLine($"Fetching Fashion-MNIST into [bold]{Markup.Escape(target)}[/]");
            var progress = new SynchronousProgress(message => AnsiConsole.MarkupLine("  " + Markup.Escape(message)));
            var result = FashionMnist.Fetch(target, progress, ct);
            AnsiConsole.MarkupLine($"[green]done[/]: {Markup.Escape(result.ToString() ?? target)}");
            return 0;
        })));

        var list = new Command("list", "List the data sets the course uses, where they are and their licences.");
        list.SetAction(_ => CliErrors.Run(() =>
        {
            var table = new Table().AddColumns("data set", "shape", "source", "licence");
            foreach (var d in new[] { BundledSets.Wine(), BundledSets.BreastCancer(), BundledSets.Digits() })
                table.AddRow(d.Name, $"{d.Count} x {d.Features.Columns}", Markup.Escape(d.Source), Markup.Escape(d.Licence));
            AnsiConsole.Write(table);
            return 0;
        }));

        return new Command("data", "The course's data sets.") { fetch, list };
    }
}
