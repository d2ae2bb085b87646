using DimReduce.Neural;

namespace DimReduce.Tests.Neural;

public class SequenceAutoencoderTests
{
    /// <summary>Sine waves of random phase and a frequency from 0.25 to 0.35 radians per step, 24 steps each.</summary>
    private static DataMatrix Waves(int n, int seed, int steps = 24)
    {
        var rng = new Random(seed);
        var x = new DataMatrix(n, steps);
        for (int i = 0; i < n; i++)
        {
            double phase = rng.NextDouble() * 2 * Math.PI, frequency = 0.25 + 0.1 * rng.NextDouble();
            for (int t = 0; t < steps; t++) x[i, t] = Math.Sin(frequency * t + phase);
        }
        return x;
    }

    private static SequenceAutoencoder Model(int epochs = 40, int? seed = 3) => new()
    {
        TimeSteps = 24, HiddenSize = 24, CodeSize = 4, Epochs = epochs, BatchSize = 32, LearningRate = 0.01, Seed = seed,
    };

    [Fact]
    public void LearnsToReconstructSineWavesAndFlagsOddSequences()
    {
        var train = Waves(256, 1);
        using var model = Model();
        model.Fit(train);

        // The loss falls, and held-out waves reconstruct far better than predicting zero (whose MSE is the mean power, about 0.5).
        Assert.True(model.History.TrainLoss[^1] < 0.25 * model.History.TrainLoss[0], $"loss {model.History.TrainLoss[0]} -> {model.History.TrainLoss[^1]}");
        var test = Waves(64, 2);
        double mse = model.ReconstructionErrors(test).Average();
        Assert.True(mse < 0.1, $"held-out reconstruction MSE {mse}");

        // A square wave is not like the training data: its error lies above the 99% threshold of the training errors.
        double threshold = model.AnomalyThreshold(train, 0.99);
        var odd = new DataMatrix(1, 24);
        for (int t = 0; t < 24; t++) odd[0, t] = t % 8 < 4 ? 1.5 : -1.5;
        double oddError = model.ReconstructionErrors(odd)[0];
        Assert.True(oddError > threshold, $"square wave error {oddError}, threshold {threshold}, held-out MSE {mse}");
        Assert.Equal([false, true], model.ReconstructionErrors(DataMatrix.FromRows([test.Row(0).ToArray(), odd.Row(0).ToArray()])).Select(e => e > threshold));

        var codes = model.Transform(test);
        Assert.Equal((64, 4), (codes.Rows, codes.Columns));
        var decoded = model.InverseTransform(codes);
        Assert.Equal((64, 24), (decoded.Rows, decoded.Columns));
    }

    [Fact]
    public void SameSeedGivesTheSameModelAndSaveLoadGivesTheSameOutputs()
    {
        var x = Waves(64, 4);
        using var a = Model(epochs: 2);
        using var b = Model(epochs: 2);
        a.Fit(x);
        b.Fit(x);
        Assert.Equal(a.History.TrainLoss, b.History.TrainLoss);
        Assert.Equal(a.Transform(x).AsSpan().ToArray(), b.Transform(x).AsSpan().ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"seq-ae-{Guid.NewGuid():N}.json");
        try
        {
            a.Save(path);
            using var loaded = SequenceAutoencoder.Load(path);
            Assert.Equal(a.Reconstruct(x).AsSpan().ToArray(), loaded.Reconstruct(x).AsSpan().ToArray());
            Assert.Equal(a.History.TrainLoss, loaded.History.TrainLoss);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BadInputGetsAClearError()
    {
        var x = Waves(8, 5);
        var wrongLength = new SequenceAutoencoder { TimeSteps = 20, Epochs = 1 };
        var e = Assert.Throws<ArgumentException>(() => wrongLength.Fit(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("TimeSteps x Features is 20 x 1 = 20", e.Message);

        var noSteps = new SequenceAutoencoder { Epochs = 1 };
        var r = Assert.Throws<ArgumentOutOfRangeException>(() => noSteps.Fit(x));
        Assert.Equal("TimeSteps", r.ParamName);

        var zeroCode = new SequenceAutoencoder { TimeSteps = 24, CodeSize = 0 };
        Assert.Equal("CodeSize", Assert.Throws<ArgumentOutOfRangeException>(() => zeroCode.Fit(x)).ParamName);

        var nan = Waves(8, 5);
        nan[3, 3] = double.NaN;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Model(epochs: 1).Fit(nan)).ParamName);

        var unfitted = Model();
        var f = Assert.Throws<InvalidOperationException>(() => unfitted.Transform(x));
        Assert.Contains("Encode", f.Message);

        using var fitted = Model(epochs: 1);
        fitted.Fit(x);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => fitted.Transform(new DataMatrix(2, 10))).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => fitted.Decode(new DataMatrix(2, 3))).ParamName);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var model = Model();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(Waves(16, 6), null, cts.Token));
        Assert.False(model.IsFitted);
    }
}
