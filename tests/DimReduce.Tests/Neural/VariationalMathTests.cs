using DimReduce.Neural;
using TorchSharp;

namespace DimReduce.Tests.Neural;

public class VariationalMathTests
{
    [Fact]
    public void KlTermMatchesTheClosedFormWorkedByHand()
    {
        // mu = (0.5, -1), log sigma^2 = (0, ln 4):
        // KL = -0.5 * [(1 + 0 - 0.25 - 1) + (1 + ln 4 - 1 - 4)] = -0.5 * (-0.25 - 4 + ln 4) = 2.125 - 0.5 ln 4 = 1.4318528...
        double expected = 2.125 - 0.5 * Math.Log(4);
        Assert.Equal(expected, VariationalMath.KlDivergence([0.5, -1.0], [0.0, Math.Log(4)]), 1e-14);
        using var mu = torch.tensor(new double[] { 0.5, -1.0, 0, 0 }, [2, 2]);
        using var lv = torch.tensor(new double[] { 0.0, Math.Log(4), 0, 0 }, [2, 2]);
        using var kl = VariationalMath.KlPerSample(mu, lv);
        Assert.Equal(expected, kl[0].item<double>(), 1e-14);
        Assert.Equal(0.0, kl[1].item<double>(), 1e-14); // the prior itself: KL = 0
    }

    [Fact]
    public void KlAnnealingFollowsItsSchedule()
    {
        Assert.Equal(0.5, VariationalMath.KlWeight(KlAnnealing.None, 3, 10, beta: 0.5));
        double[] linear = Enumerable.Range(0, 6).Select(e => VariationalMath.KlWeight(KlAnnealing.Linear, e, 6, 2.0, warmupEpochs: 4)).ToArray();
        Assert.Equal([0.0, 0.5, 1.0, 1.5, 2.0, 2.0], linear);
        // 8 epochs, 2 cycles: length 4, rising over the first half of each.
        double[] cyclical = Enumerable.Range(0, 8).Select(e => VariationalMath.KlWeight(KlAnnealing.Cyclical, e, 8, 1.0, cycles: 2)).ToArray();
        Assert.Equal([0.0, 0.5, 1.0, 1.0, 0.0, 0.5, 1.0, 1.0], cyclical);
    }

    [Fact]
    public void KlRejectsMismatchedLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => VariationalMath.KlDivergence([0.0, 1.0], [0.0]));
        Assert.Equal("logVariance", e.ParamName);
        Assert.Contains("one log-variance per latent dimension", e.Message);
    }
}
