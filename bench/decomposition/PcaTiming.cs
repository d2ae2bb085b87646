// Times DimReduce's Pca on the 70,000 x 784 matrix written by pca_reference.py (run that first).
// Run from the repository root:   dotnet run bench/decomposition/PcaTiming.cs [components] [repeat]
// Prints the best wall-clock seconds of Fit over `repeat` runs for the Covariance and Randomized solvers.
#:project ../../lib/DimReduce/DimReduce.csproj
using System.Diagnostics;
using DimReduce;
using DimReduce.Decomposition;

int components = args.Length > 0 ? int.Parse(args[0]) : 50;
int repeat = args.Length > 1 ? int.Parse(args[1]) : 3;
const string path = "/tmp/dimreduce-pca-bench-70000x784.u8";
const int rows = 70000, cols = 784;
if (!File.Exists(path))
{
    Console.Error.WriteLine($"{path} is missing: run /usr/bin/python3 bench/decomposition/pca_reference.py first.");
    return 1;
}
var bytes = File.ReadAllBytes(path);
var data = new double[rows * cols];
for (int i = 0; i < data.Length; i++) data[i] = bytes[i];
var x = new DataMatrix(rows, cols, data);
Console.WriteLine($"libtorch {TorchRuntime.Version}, {Environment.ProcessorCount} cores, {rows} x {cols} float64");
foreach (var solver in new[] { PcaSolver.Covariance, PcaSolver.Randomized, PcaSolver.Svd })
{
    if (solver == PcaSolver.Svd && repeat < 0) continue;
    new Pca { Components = components, Solver = solver, Seed = 0 }.Fit(x); // warm-up
    double best = double.MaxValue;
    long peak = 0;
    for (int r = 0; r < (solver == PcaSolver.Svd ? 1 : repeat); r++)
    {
        var sw = Stopwatch.StartNew();
        new Pca { Components = components, Solver = solver, Seed = 0 }.Fit(x);
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
        peak = Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64);
    }
    Console.WriteLine($"DimReduce Pca Solver={solver} components={components}: {best:F3} s (process peak working set {peak / 1048576} MiB, input {(long)rows * cols * 8 / 1048576} MiB)");
}
return 0;
