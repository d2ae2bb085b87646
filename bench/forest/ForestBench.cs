// DimReduce side of the random forest benchmark (see README.md); run by bench/forest/run.sh after
// forest_reference.py has written OUT_DIR/train.csv, test.csv and sklearn.json:
//   dotnet run -c Release bench/forest/ForestBench.cs OUT_DIR [REPEATS]
// Times RandomForestClassifier { Trees = 100 } fit (wall clock and process CPU time) and PredictProba on the same float32 data (a warm-up fit first,
// so the JIT is not timed), then prints both sides and the ratios.
#:project ../../lib/DimReduce/DimReduce.csproj
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce;
using DimReduce.Classification;

string dir = args[0];
int repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

(DataMatrix X, int[] Y) Read(string name)
{
    var rows = File.ReadLines(Path.Combine(dir, name)).Where(l => l.Length > 0)
        .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    return (DataMatrix.FromRows(rows.Select(r => r[..^1]).ToArray()), rows.Select(r => (int)r[^1]).ToArray());
}

var (x, y) = Read("train.csv");
var (xt, yt) = Read("test.csv");
new RandomForestClassifier { Trees = 10, Seed = 99 }.Fit(x, y).PredictProba(xt); // warm-up (JIT)

var fits = new List<double>();
var fitCpu = new List<double>();
var predicts = new List<double>();
var predictCpu = new List<double>();
var accuracies = new List<double>();
RandomForestClassifier? forest = null;
for (int r = 1; r <= repeats; r++)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    forest = new RandomForestClassifier { Trees = 100, Seed = r }.Fit(x, y);
    fits.Add(clock.Elapsed.TotalSeconds);
    fitCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    cpu = Process.GetCurrentProcess().TotalProcessorTime;
    clock.Restart();
    var proba = forest.PredictProba(xt);
    predicts.Add(clock.Elapsed.TotalSeconds);
    predictCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    int right = 0;
    for (int i = 0; i < xt.Rows; i++)
    {
        var row = proba.Row(i);
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        if (forest.Classes[best] == yt[i]) right++;
    }
    accuracies.Add(right / (double)xt.Rows);
}

string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
Console.WriteLine($"DimReduce ({Environment.ProcessorCount} cores, .NET {Environment.Version}): fit best {F(fits.Min())} s (all {string.Join(", ", fits.Select(F))}), CPU {F(fitCpu.Min())} s, " +
    $"predict_proba best {F(predicts.Min())} s (CPU {F(predictCpu.Min())} s), accuracy {accuracies.Average():0.0000}, mean depth {forest!.TreeDepths.Average():0.0}, mean leaves {forest.TreeLeafCounts.Average():0}");

var sk = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "sklearn.json")))!;
double skFit = sk["fit_seconds"]!.AsArray().Min(v => (double)v!);
double skCpu = sk["fit_cpu_seconds"]!.AsArray().Min(v => (double)v!);
double skPredict = sk["predict_proba_seconds"]!.AsArray().Min(v => (double)v!);
double skPredictCpu = sk["predict_proba_cpu_seconds"]!.AsArray().Min(v => (double)v!);
Console.WriteLine($"{x.Rows} x {x.Columns} train, {xt.Rows} test, 100 trees, best of {repeats}:");
Console.WriteLine($"  fit            DimReduce {F(fits.Min())} s   scikit-learn {F(skFit)} s   ratio DimReduce / scikit-learn {fits.Min() / skFit:0.00}");
Console.WriteLine($"  fit CPU time   DimReduce {F(fitCpu.Min())} s   scikit-learn {F(skCpu)} s   ratio DimReduce / scikit-learn {fitCpu.Min() / skCpu:0.00} (all threads; steadier than wall time on a busy machine)");
Console.WriteLine($"  predict_proba  DimReduce {F(predicts.Min())} s   scikit-learn {F(skPredict)} s   ratio DimReduce / scikit-learn {predicts.Min() / skPredict:0.00}");
Console.WriteLine($"  predict CPU    DimReduce {F(predictCpu.Min())} s   scikit-learn {F(skPredictCpu)} s   ratio DimReduce / scikit-learn {predictCpu.Min() / skPredictCpu:0.00}");
