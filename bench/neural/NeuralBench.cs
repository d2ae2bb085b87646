// Times DimReduce's Autoencoder on Fashion-MNIST beside bench/neural/neural_reference.py (PyTorch).
// Run from the repository root (full set in data/fashion-mnist):
//   dotnet run -c Release bench/neural/NeuralBench.cs [dense|cvae|all] [rows for cvae, default 12800]
// Same settings as the Python side: float32, Adam 1e-3, batch 256, 2 threads, one warm-up epoch, then two
// timed epochs; prints seconds per epoch (best) from the trainer's per-epoch progress reports.
#:project ../../lib/DimReduce/DimReduce.csproj
using System.Diagnostics;
using DimReduce;
using DimReduce.Datasets;
using DimReduce.Neural;

string what = args.Length > 0 ? args[0] : "dense";
int rows = args.Length > 1 ? int.Parse(args[1]) : 12800;
TorchRuntime.EnsureLoaded();
TorchSharp.torch.set_num_threads(2);
var x = FashionMnist.Load(FashionMnistSize.Full, "data/fashion-mnist", scale: true).Train.Features;
Console.WriteLine($"libtorch {TorchRuntime.Version} via TorchSharp, threads {TorchSharp.torch.get_num_threads()}, {x.Rows} x {x.Columns}");

void Run(string name, AutoencoderSpec spec, ReconstructionLoss loss, DataMatrix data)
{
    var times = new List<double>();
    TimeSpan last = TimeSpan.Zero;
    var progress = new Sync(p => { times.Add((p.Elapsed - last).TotalSeconds); last = p.Elapsed; });
    using var model = new Autoencoder { Spec = spec, Loss = loss, Epochs = 3, BatchSize = 256, LearningRate = 1e-3, Seed = 0 };
    var clock = Stopwatch.StartNew();
    model.Fit(data, null, progress);
    var timed = times.Skip(1).ToArray(); // the first epoch is the warm-up
    Console.WriteLine($"{name}: rows {data.Rows}, batches/epoch {(data.Rows + 255) / 256}, best {timed.Min():F2} s/epoch, " +
        $"all [{string.Join(", ", timed.Select(t => t.ToString("F2")))}], last loss {model.History.TrainLoss[^1]:F4}, total {clock.Elapsed.TotalSeconds:F1} s");
}

if (what is "dense" or "all")
    Run("dense", AutoencoderSpec.DenseImages(), ReconstructionLoss.MeanSquaredError, x);
if (what is "cvae" or "all")
    Run("cvae", AutoencoderSpec.ConvolutionalVae(), ReconstructionLoss.BinaryCrossEntropy, x.SelectRows(Enumerable.Range(0, rows).ToArray()));
return 0;

sealed class Sync(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
