namespace DimReduce.Neural;

/// <summary>A VAE's encoding of some rows: the posterior mean, log-variance and one sample z = mu + sigma * eps.</summary>
/// <param name="Mean">mu, one row per input row.</param>
/// <param name="LogVariance">log sigma^2, same shape.</param>
/// <param name="Sample">A reparameterised sample, same shape.</param>
public sealed record LatentEncoding(DataMatrix Mean, DataMatrix LogVariance, DataMatrix Sample);
