using System.Globalization;
using static TorchSharp.torch;

namespace DimReduce.Neural;

/// <summary>The closed-form pieces of a variational autoencoder: the KL term and the KL annealing schedules.</summary>
/// <remarks>
/// For a diagonal Gaussian posterior N(mu, sigma^2) and a standard normal prior, the KL divergence is
/// KL = -0.5 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2) (Kingma and Welling 2014, appendix B).
/// </remarks>
public static class VariationalMath
{
    /// <summary>KL(N(mu, diag(exp(logVariance))) || N(0, I)) of one sample, in nats.</summary>
    public static double KlDivergence(IReadOnlyList<double> mean, IReadOnlyList<double> logVariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        if (mean.Count != logVariance.Count)
            throw new ArgumentException($"logVariance has {logVariance.Count} values, but mean has {mean.Count}. Pass one log-variance per latent dimension.", nameof(logVariance));
        double kl = 0;
        for (int j = 0; j < mean.Count; j++)
            kl += 1 + logVariance[j] - mean[j] * mean[j] - Math.Exp(logVariance[j]);
        return -0.5 * kl;
    }

    /// <summary>The same KL term per row of a batch, as the trainer computes it (torch, differentiable).</summary>
    internal static Tensor KlPerSample(Tensor mean, Tensor logVariance) =>
        (1 + logVariance - mean.square() - logVariance.exp()).sum(1).mul(-0.5);

    /// <summary>
    /// The KL weight of epoch <paramref name="epoch"/> (0-based): <paramref name="beta"/> times the annealing factor.
    /// Linear: min(1, epoch / warmupEpochs), so 0 in the first epoch and 1 from epoch warmupEpochs on.
    /// Cyclical (Fu et al. 2019, "Cyclical Annealing Schedule", eq. 4 with R = 0.5): with cycle length
    /// L = epochs / cycles and tau = (epoch mod L) / L, the factor is min(1, tau / 0.5).
    /// </summary>
    public static double KlWeight(KlAnnealing annealing, int epoch, int epochs, double beta = 1.0, int warmupEpochs = 10, int cycles = 4)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"epoch is {epoch}, but it must be at least 0 (0-based).");
        switch (annealing)
        {
            case KlAnnealing.None:
                return beta;
            case KlAnnealing.Linear:
                if (warmupEpochs < 1) throw new ArgumentOutOfRangeException(nameof(warmupEpochs), warmupEpochs, $"warmupEpochs is {warmupEpochs}, but it must be at least 1. Use for example 10.");
                return beta * Math.Min(1.0, epoch / (double)warmupEpochs);
            case KlAnnealing.Cyclical:
                if (cycles < 1) throw new ArgumentOutOfRangeException(nameof(cycles), cycles, $"cycles is {cycles}, but it must be at least 1. Use for example 4.");
                if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"epochs is {epochs}, but it must be at least 1.");
                double length = epochs / (double)cycles;
                double tau = (epoch % length) / length;
                return beta * Math.Min(1.0, tau / 0.5);
            default:
                throw new ArgumentOutOfRangeException(nameof(annealing), annealing, string.Create(CultureInfo.InvariantCulture, $"Unknown KlAnnealing {annealing}."));
        }
    }
}
