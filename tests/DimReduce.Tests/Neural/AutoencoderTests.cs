using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Neural;
using DimReduce.Preprocessing;
using DimReduce.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace DimReduce.Tests.Neural;

public class AutoencoderTests
{
    private static DataMatrix Curve(int n = 300) => Generators.Curve3D(n, seed: 7).Features;

    private static DataMatrix WineStandardized() => new StandardScaler().FitTransform(BundledSets.Wine().Features);

    /// <summary>Largest principal angle between the column spaces of two 3 x k matrices.</summary>
    private static double LargestPrincipalAngle(double[,] a, double[,] b)
    {
        var qa = Matrix<double>.Build.DenseOfArray(a).QR().Q.SubMatrix(0, a.GetLength(0), 0, a.GetLength(1));
        var qb = Matrix<double>.Build.DenseOfArray(b).QR().Q.SubMatrix(0, b.GetLength(0), 0, b.GetLength(1));
        var s = (qa.TransposeThisAndMultiply(qb)).Svd().S;
        return Math.Acos(Math.Min(1.0, s.Minimum()));
    }

    [Fact]
    public void LinearAutoencoderSpansThePcaSubspace()
    {
        var x = Curve();
        var spec = new AutoencoderSpec { InputSize = 3, CodeSize = 2, CodeActivation = Activation.Linear, OutputActivation = Activation.Linear };
        using var ae = new Autoencoder
        {
            Spec = spec, Epochs = 1500, BatchSize = x.Rows, LearningRate = 0.02, Schedule = LearningRateSchedule.Cosine, Seed = 1,
        };
        ae.Fit(x);
        // The decoder is affine: its column space is spanned by Decode(e_k) - Decode(0).
        var d = ae.Decode(new double[,] { { 0, 0 }, { 1, 0 }, { 0, 1 } });
        var columns = new double[3, 2];
        for (int j = 0; j < 3; j++) { columns[j, 0] = d[1, j] - d[0, j]; columns[j, 1] = d[2, j] - d[0, j]; }
        var axes = new Pca { Components = 2 }.Fit(x) is Pca pca ? pca.PrincipalAxes.Transpose().ToArray() : throw new InvalidOperationException();
        double angle = LargestPrincipalAngle(columns, axes);
        Assert.True(angle < 0.01, $"largest principal angle between the decoder's span and PCA's plane is {angle} rad");
        // And the reconstruction error matches PCA's rank-2 error.
        double aeError = ae.ReconstructionErrors(x).Average();
        double pcaError = Metrics.ReconstructionMse(x, pca.InverseTransform(pca.Transform(x)));
        Assert.True(aeError < pcaError * 1.01 + 1e-6, $"autoencoder MSE {aeError} vs PCA {pcaError}");
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsAfterOneEpoch()
    {
        var x = WineStandardized();
        Autoencoder Make(int seed) => new()
        {
            Spec = AutoencoderSpec.WineDeep(standardized: true) with { Dropout = 0.1 },
            Epochs = 1, BatchSize = 16, Seed = seed, Corruption = InputCorruption.Gaussian, NoiseLevel = 0.1,
        };
        using var a = Make(3); a.Fit(x);
        using var b = Make(3); b.Fit(x);
        using var c = Make(4); c.Fit(x);
        Assert.Equal(a.FirstLayerWeights().AsSpan().ToArray(), b.FirstLayerWeights().AsSpan().ToArray());
        Assert.Equal(a.Encode(x).AsSpan().ToArray(), b.Encode(x).AsSpan().ToArray());
        Assert.Equal(a.History.TrainLoss, b.History.TrainLoss);
        Assert.NotEqual(a.FirstLayerWeights().AsSpan().ToArray(), c.FirstLayerWeights().AsSpan().ToArray());
    }

    [Fact]
    public void SameSeedGivesIdenticalInitialWeightsWhateverTheGlobalTorchSeed()
    {
        var x = WineStandardized();
        TorchSharp.torch.manual_seed(1);
        using var a = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 1, Seed = 9 };
        a.Fit(x);
        TorchSharp.torch.manual_seed(2);
        using var b = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 1, Seed = 9 };
        b.Fit(x);
        Assert.Equal(a.FirstLayerWeights().AsSpan().ToArray(), b.FirstLayerWeights().AsSpan().ToArray());
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("vae")]
    [InlineData("conv")]
    public void SaveThenLoadGivesIdenticalOutputs(string kind)
    {
        var images = FashionMnist.Load(FashionMnistSize.Subset, scale: true).Train.Features.SelectRows(Enumerable.Range(0, 64).ToArray());
        var spec = kind switch
        {
            "dense" => AutoencoderSpec.WineDeep(true) with { InputSize = 784, BatchNorm = true },
            "vae" => AutoencoderSpec.DenseVae(784, 2, 32),
            _ => AutoencoderSpec.Convolutional(codeSize: 8),
        };
        using var model = new Autoencoder { Spec = spec, Epochs = 1, BatchSize = 32, Seed = 5 };
        model.Fit(images);
        var path = Path.Combine(Path.GetTempPath(), $"ae-{kind}-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            using var loaded = Autoencoder.Load(path);
            Assert.Equal(model.Encode(images).AsSpan().ToArray(), loaded.Encode(images).AsSpan().ToArray());
            Assert.Equal(model.Reconstruct(images).AsSpan().ToArray(), loaded.Reconstruct(images).AsSpan().ToArray());
            Assert.Equal(model.History.TrainLoss, loaded.History.TrainLoss);
            Assert.Equal(spec.ToJson(), loaded.Spec.ToJson());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainingLossGoesDown()
    {
        var x = WineStandardized();
        using var ae = new Autoencoder { Spec = AutoencoderSpec.WineDeep(true), Epochs = 30, LearningRate = 5e-3, Seed = 2, ValidationFraction = 0.2 };
        ae.Fit(x);
        var h = ae.History;
        Assert.Equal(30, h.Epochs);
        Assert.Equal(30, h.ValidationLoss.Count);
        Assert.True(h.TrainLoss[^1] < 0.7 * h.TrainLoss[0], $"train loss {h.TrainLoss[0]} -> {h.TrainLoss[^1]}");
        Assert.True(h.ValidationLoss[^1] < h.ValidationLoss[0], $"validation loss {h.ValidationLoss[0]} -> {h.ValidationLoss[^1]}");
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        var x = WineStandardized();
        var train = x.SelectRows(Enumerable.Range(0, 30).ToArray());
        var validation = x.SelectRows(Enumerable.Range(100, 78).ToArray());
        // A wide net on 30 rows with a high rate overfits: the validation loss turns up and training stops early.
        using var ae = new Autoencoder
        {
            Spec = new AutoencoderSpec { InputSize = 13, EncoderWidths = [64], CodeSize = 8 },
            Epochs = 300, BatchSize = 8, LearningRate = 0.01, Patience = 5, Seed = 4,
        };
        var progress = new List<TrainingProgress>();
        ae.Fit(train, validation, new SyncProgress<TrainingProgress>(progress.Add));
        var h = ae.History;
        Assert.True(h.StoppedEarly, $"expected an early stop; ran {h.Epochs} epochs");
        Assert.True(h.RestoredBestWeights);
        Assert.Equal(h.BestEpoch + 1 + 5, h.Epochs);
        Assert.Equal(h.ValidationLoss.Min(), h.ValidationLoss[h.BestEpoch]);
        // The restored model's validation MSE is that of the best epoch, not of the last.
        double now = ae.ReconstructionErrors(validation).Average();
        Assert.Equal(h.ValidationLoss[h.BestEpoch], now, 1e-5 * now);
        Assert.NotEqual(h.ValidationLoss[^1], now, 1e-5 * now);
        Assert.Equal(h.Epochs, progress.Count);
        Assert.Contains("Early stop", progress[^1].Message);
    }

    [Fact]
    public void LearningRateFinderReturnsTheAskedCurve()
    {
        var x = WineStandardized();
        var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Seed = 1 };
        var curve = ae.FindLearningRate(x, 1e-5, 1.0, steps: 40);
        Assert.Equal(40, curve.Rates.Count);
        Assert.Equal(40, curve.Losses.Count);
        Assert.Equal(1e-5, curve.Rates[0], 1e-15);
        Assert.Equal(1.0, curve.Rates[^1], 1e-12);
        for (int k = 1; k < 40; k++) Assert.True(curve.Rates[k] > curve.Rates[k - 1]);
        Assert.InRange(curve.Suggested, 1e-6, 0.1);
        Assert.False(ae.IsFitted);
    }

    [Fact]
    public void LearningRateSchedulesFollowTheirFormulas()
    {
        var x = WineStandardized();
        using var step = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 5, LearningRate = 0.01, Schedule = LearningRateSchedule.Step, ScheduleStepSize = 2, ScheduleGamma = 0.5, Seed = 1 };
        step.Fit(x);
        Approx.Equal(new[] { 0.01, 0.01, 0.005, 0.005, 0.0025 }, step.History.LearningRates.ToArray(), 1e-12);
        using var cosine = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 4, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine, Optimizer = NeuralOptimizer.Sgd, Seed = 1 };
        cosine.Fit(x);
        Approx.Equal(new[] { 0.01, 0.005 * (1 + Math.Cos(Math.PI / 4)), 0.005, 0.005 * (1 + Math.Cos(3 * Math.PI / 4)) }, cosine.History.LearningRates.ToArray(), 1e-12);
    }

    [Fact]
    public void DenoisingAutoencoderRestoresFashionImagesBetterThanTheNoisyInput()
    {
        var split = FashionMnist.Load(FashionMnistSize.Subset, scale: true);
        var train = split.Train.Features.SelectRows(Enumerable.Range(0, 2000).ToArray());
        var test = split.Test.Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        using var dae = new Autoencoder
        {
            Spec = new AutoencoderSpec { InputSize = 784, EncoderWidths = [128], CodeSize = 64, OutputActivation = Activation.Sigmoid },
            Epochs = 4, BatchSize = 64, LearningRate = 2e-3, Corruption = InputCorruption.Gaussian, NoiseLevel = 0.3, Seed = 3,
        };
        dae.Fit(train);
        var noisy = Noise.Gaussian(test, 0.3, seed: 11, clip: (0, 1));
        var restored = dae.Reconstruct(noisy);
        double noisyMse = Metrics.ReconstructionMse(test, noisy);
        double restoredMse = Metrics.ReconstructionMse(test, restored);
        Assert.True(restoredMse < 0.8 * noisyMse, $"restored MSE {restoredMse} vs noisy input {noisyMse}");
    }

    [Fact]
    public void VaeTrainsOnImagesAndReportsReconstructionAndKlApart()
    {
        var images = FashionMnist.Load(FashionMnistSize.Subset, scale: true).Train.Features.SelectRows(Enumerable.Range(0, 256).ToArray());
        using var vae = new Autoencoder
        {
            Spec = AutoencoderSpec.ConvolutionalVae(), Loss = ReconstructionLoss.BinaryCrossEntropy, Epochs = 3, BatchSize = 64,
            KlAnnealing = KlAnnealing.Linear, KlWarmupEpochs = 2, ValidationFraction = 0.25, Seed = 8,
        };
        vae.Fit(images);
        var h = vae.History;
        Assert.Equal([0.0, 0.5, 1.0], h.KlWeight);
        Assert.Equal(3, h.TrainKlDivergence.Count);
        Assert.Equal(3, h.ValidationKlDivergence.Count);
        // Validation total = reconstruction + weight * KL.
        for (int e = 0; e < 3; e++)
            Assert.Equal(h.ValidationReconstruction[e] + h.KlWeight[e] * h.ValidationKlDivergence[e], h.ValidationLoss[e], 1e-3 * h.ValidationLoss[e]);
        Assert.True(h.TrainReconstruction[^1] < h.TrainReconstruction[0]);
        Assert.All(h.ValidationRoundedAccuracy, a => Assert.InRange(a, 0.0, 1.0));
        var enc = vae.EncodeDistribution(images.SelectRows([0, 1, 2]), seed: 1);
        Assert.Equal((3, 2), enc.Mean.Shape);
        Assert.Equal(vae.Transform(images.SelectRows([0, 1, 2])).AsSpan().ToArray(), enc.Mean.AsSpan().ToArray());
        var grid = vae.DecodeLatentGrid(perSide: 5);
        Assert.Equal((25, 784), grid.Decoded.Shape);
        Assert.Equal(-1.6448536269514729, grid.Values[0], 1e-9);
        Assert.Equal(0.0, grid.Values[2], 1e-12);
        Assert.Equal((32, 9), vae.FirstLayerWeights().Shape);
    }

    [Fact]
    public void AnomalyThresholdIsAQuantileOfTheTrainingErrors()
    {
        var x = WineStandardized();
        using var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 5, Seed = 1 };
        ae.Fit(x);
        var errors = ae.ReconstructionErrors(x);
        double t = ae.AnomalyThreshold(x, 0.9);
        int above = errors.Count(e => e > t);
        Assert.InRange(above, 17, 18); // 10% of 178 rows lie above the 0.9 quantile
        Assert.Equal(above, ae.IsAnomaly(x, t).Count(b => b));
        Assert.Equal(errors.Max(), ae.AnomalyThreshold(x, 1.0));
    }

    [Fact]
    public void FirstLayerWeightsKeepTheirSigns()
    {
        var x = WineStandardized();
        using var ae = new Autoencoder { Spec = AutoencoderSpec.WineDeep(true), Epochs = 2, Seed = 1 };
        ae.Fit(x);
        var w = ae.FirstLayerWeights();
        Assert.Equal((32, 13), w.Shape);
        Assert.Contains(w.AsSpan().ToArray(), v => v < 0);
        Assert.Contains(w.AsSpan().ToArray(), v => v > 0);
    }

    [Fact]
    public void CudaFallsBackToTheCpuWithAWarning()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // only meaningful on the CPU-only build that ships
        using var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 1, Seed = 1, Device = ComputeDevice.Cuda };
        ae.Fit(WineStandardized());
        Assert.Equal("cpu", ae.DeviceUsed);
        Assert.Contains(ae.Warnings, w => w.Contains("CUDA is not available", StringComparison.Ordinal));
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 5, Seed = 1 };
        Assert.ThrowsAny<OperationCanceledException>(() => ae.Fit(WineStandardized(), null, null, cts.Token));
        Assert.False(ae.IsFitted);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
