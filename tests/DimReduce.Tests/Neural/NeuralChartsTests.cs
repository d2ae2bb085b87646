using DimReduce.Datasets;
using DimReduce.Neural;
using DimReduce.Preprocessing;

namespace DimReduce.Tests.Neural;

public class NeuralChartsTests
{
    [Fact]
    public void LatentGridAndTriptychBecomeImageGrids()
    {
        var images = FashionMnist.Load(FashionMnistSize.Subset, scale: true).Train.Features.SelectRows(Enumerable.Range(0, 16).ToArray());
        using var vae = new Autoencoder { Spec = AutoencoderSpec.DenseVae(784, 2, 32), Loss = ReconstructionLoss.BinaryCrossEntropy, Epochs = 1, Seed = 1 };
        vae.Fit(images);
        var grid = vae.DecodeLatentGrid(perSide: 3);
        string json = DimReduce.Charts.Charts.ToPlotlyJson(NeuralCharts.LatentSpaceGrid(grid, 28, 28));
        Assert.Contains("(-1.6, 1.6)", json);
        Assert.Contains("(0.0, 0.0)", json); // the centre of a 3 x 3 grid is the prior mean // top-left cell: smallest first, largest second coordinate
        Assert.Contains("heatmap", json);

        var noisy = Noise.Gaussian(images, 0.3, seed: 2, clip: (0, 1));
        var restored = vae.Reconstruct(noisy);
        string triptych = DimReduce.Charts.Charts.ToPlotlyJson(NeuralCharts.DenoisingTriptych(images, noisy, restored, 28, 28, count: 4));
        Assert.Contains("restored", triptych);
        Assert.Contains("noisy", triptych);
        var e = Assert.Throws<ArgumentException>(() => NeuralCharts.DenoisingTriptych(images, noisy.SelectRows([0]), restored, 28, 28));
        Assert.Equal("noisy", e.ParamName);
    }
}
