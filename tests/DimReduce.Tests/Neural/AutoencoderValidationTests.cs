using DimReduce.Datasets;
using DimReduce.Neural;
using DimReduce.Preprocessing;

namespace DimReduce.Tests.Neural;

public class AutoencoderValidationTests
{
    private static DataMatrix Wine() => BundledSets.Wine().Features;

    [Fact]
    public void ZeroWidthIsRejected()
    {
        var spec = new AutoencoderSpec { InputSize = 13, EncoderWidths = [8, 0], CodeSize = 2 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Autoencoder { Spec = spec }.Fit(Wine()));
        Assert.Equal("EncoderWidths", e.ParamName);
        Assert.Contains("EncoderWidths[1] is 0", e.Message);
        var code = Assert.Throws<ArgumentOutOfRangeException>(() => (new AutoencoderSpec { InputSize = 13, CodeSize = 0 }).Validate());
        Assert.Equal("CodeSize", code.ParamName);
    }

    [Fact]
    public void SigmoidOutputWithStandardisedDataIsRejected()
    {
        var standardized = new StandardScaler().FitTransform(Wine());
        var e = Assert.Throws<ArgumentException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(standardized: false) }.Fit(standardized));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("Sigmoid", e.Message);
        Assert.Contains("MinMaxScaler", e.Message);
        Assert.Contains("Activation.Linear", e.Message);
        // The MinMax-scaled data is fine with a sigmoid output.
        using var ok = new Autoencoder { Spec = AutoencoderSpec.Wine(standardized: false), Epochs = 1, Seed = 1 };
        ok.Fit(new MinMaxScaler().FitTransform(Wine()));
    }

    [Fact]
    public void NaNAndWrongSizesAreRejected()
    {
        var x = new StandardScaler().FitTransform(Wine());
        var bad = x.Clone();
        bad[3, 4] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(true) }.Fit(bad));
        Assert.Equal("x", nan.ParamName);
        Assert.Contains("NaN at row 3, column 4", nan.Message);

        var wrong = Assert.Throws<ArgumentException>(() => new Autoencoder { Spec = AutoencoderSpec.Deep10() }.Fit(x));
        Assert.Equal("x", wrong.ParamName);
        Assert.Contains("Spec.InputSize is 10", wrong.Message);

        using var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 1, Seed = 1 };
        ae.Fit(x);
        var encode = Assert.Throws<ArgumentException>(() => ae.Encode(x.SelectColumns([0, 1, 2])));
        Assert.Equal("x", encode.ParamName);
        Assert.Contains("fitted on 13", encode.Message);
        var decode = Assert.Throws<ArgumentException>(() => ae.Decode(x));
        Assert.Equal("z", decode.ParamName);
        var inf = x.SelectRows([0]);
        inf[0, 0] = double.PositiveInfinity;
        Assert.Contains("positive infinity", Assert.Throws<ArgumentException>(() => ae.Encode(inf)).Message);
    }

    [Fact]
    public void ReadingResultsBeforeFitNamesTheMethod()
    {
        using var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(true) };
        var e = Assert.Throws<InvalidOperationException>(() => ae.History);
        Assert.Contains("Autoencoder.History", e.Message);
        Assert.Contains("Call Fit", e.Message);
        Assert.Contains("Autoencoder.Encode", Assert.Throws<InvalidOperationException>(() => ae.Encode(Wine())).Message);
        Assert.Throws<InvalidOperationException>(() => ae.Save("never.json"));
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        var x = new StandardScaler().FitTransform(Wine());
        Assert.Equal("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(true), Epochs = 0 }.Fit(x)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(true), LearningRate = -1 }.Fit(x)).ParamName);
        Assert.Equal("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(true) with { Dropout = 1 } }.Fit(x)).ParamName);
        var bce = Assert.Throws<ArgumentException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(true), Loss = ReconstructionLoss.BinaryCrossEntropy }.Fit(x));
        Assert.Equal("Loss", bce.ParamName);
        Assert.Contains("Sigmoid", bce.Message);
        var spec = Assert.Throws<ArgumentNullException>(() => new Autoencoder().Fit(x));
        Assert.Equal("Spec", spec.ParamName);
        var conv = Assert.Throws<ArgumentException>(() => (AutoencoderSpec.Convolutional() with { InputSize = 100 }).Validate());
        Assert.Equal("InputSize", conv.ParamName);
        var sparse = Assert.Throws<ArgumentException>(() => (AutoencoderSpec.Wine(true) with { SparsityTarget = 0.05 }).Validate());
        Assert.Equal("SparsityTarget", sparse.ParamName);
        Assert.Contains("Activation.Sigmoid", sparse.Message);
        var empty = Assert.Throws<ArgumentException>(() => new Autoencoder { Spec = AutoencoderSpec.Wine(true) }.Fit(new DataMatrix(0, 13)));
        Assert.Equal("x", empty.ParamName);
        // Four cycles in four epochs: each would start at weight 0 and end before it rose, so the KL term never counts.
        var cycles = Assert.Throws<ArgumentOutOfRangeException>(() => new Autoencoder
        {
            Spec = AutoencoderSpec.DenseVae(13, 2, 8), Epochs = 4, KlAnnealing = KlAnnealing.Cyclical, KlCycles = 4,
        }.Fit(new MinMaxScaler().FitTransform(Wine())));
        Assert.Equal("KlCycles", cycles.ParamName);
        Assert.Contains("at most Epochs / 2 = 2 cycles", cycles.Message);
    }
}
