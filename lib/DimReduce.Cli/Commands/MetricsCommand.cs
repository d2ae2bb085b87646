using System.CommandLine;
using System.Globalization;
using DimReduce.IO;

namespace DimReduce.Cli.Commands;

/// <summary><c>dimreduce metrics --metric silhouette --input X.csv --labels y.csv</c>; the last line is <c>NAME=VALUE</c>.</summary>
internal static class MetricsCommand
{
    private static readonly string[] Names = ["silhouette", "davies-bouldin", "trustworthiness", "continuity", "ari", "nmi"];

    public static Command Create()
    {
        var metric = new Option<string>("--metric") { Description = "silhouette, davies-bouldin (need --input, --labels); trustworthiness, continuity (need --input, --embedding, --k); ari, nmi (need --labels, --labels-pred).", Required = true };
        metric.AcceptOnlyFromAmong(Names);
        var input = new Option<string?>("--input", "-i") { Description = "CSV of the data (one row per sample)." };
        var labels = new Option<string?>("--labels") { Description = "One label per line (integers or class names)." };
        var labelsPred = new Option<string?>("--labels-pred") { Description = "Predicted labels, one per line (for ari and nmi)." };
        var embedding = new Option<string?>("--embedding") { Description = "CSV of the embedding (for trustworthiness and continuity)." };
        var k = new Option<int>("--k") { Description = "Neighbours for trustworthiness and continuity.", DefaultValueFactory = _ => 5 };
        var labelColumn = new Option<string?>("--label-column") { Description = "A header column of --input to drop (or to use as labels when --labels is not given)." };

        var command = new Command("metrics", "Compute a quality measure and print NAME=VALUE as the last line.")
        {
            metric, input, labels, labelsPred, embedding, k, labelColumn,
        };
        command.SetAction(p => CliErrors.Run(() =>
        {
            string name = p.GetValue(metric)!;
            string Need(Option<string?> o) => p.GetValue(o) ?? throw new ArgumentException($"--metric {name} needs {o.Name}. Add {o.Name} FILE.");
            (DataMatrix X, int[]? Labels) Data()
            {
                var table = Csv.Read(Need(input), p.GetValue(labelColumn));
                int[]? fromColumn = table.Labels is null ? null : Csv.ParseLabels(table.Labels).Labels;
                return (table.Values, p.GetValue(labels) is { } file ? Csv.ReadLabels(file).Labels : fromColumn);
            }
            double value = name switch
            {
                "silhouette" => WithLabels(Data(), (x, y) => Metrics.Silhouette(x, y)),
                "davies-bouldin" => WithLabels(Data(), (x, y) => Metrics.DaviesBouldin(x, y)),
                "trustworthiness" => Metrics.Trustworthiness(Data().X, Csv.Read(Need(embedding)).Values, p.GetValue(k)),
                "continuity" => Metrics.Continuity(Data().X, Csv.Read(Need(embedding)).Values, p.GetValue(k)),
                "ari" => Metrics.AdjustedRandIndex(Csv.ReadLabels(Need(labels)).Labels, Csv.ReadLabels(Need(labelsPred)).Labels),
                "nmi" => Metrics.NormalizedMutualInformation(Csv.ReadLabels(Need(labels)).Labels, Csv.ReadLabels(Need(labelsPred)).Labels),
                _ => throw new ArgumentException($"--metric {name} is not known."),
            };
            Console.WriteLine($"{name}={value.ToString("R", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return command;
    }

    private static double WithLabels((DataMatrix X, int[]? Labels) data, Func<DataMatrix, int[], double> f) =>
        f(data.X, data.Labels ?? throw new ArgumentException("This metric needs labels: add --labels FILE (one label per line), or --label-column NAME to take them from the input."));
}
