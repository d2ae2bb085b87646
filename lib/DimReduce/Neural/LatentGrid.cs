namespace DimReduce.Neural;

/// <summary>Decoded images over a regular grid of a 2-D latent space.</summary>
/// <param name="Latents">The grid points, one per row (PerSide x PerSide rows, 2 columns), row by row from the top.</param>
/// <param name="Decoded">The decoder's output for each grid point.</param>
/// <param name="PerSide">Points along each axis.</param>
/// <param name="Values">The coordinate values along each axis (normal quantiles).</param>
public sealed record LatentGrid(DataMatrix Latents, DataMatrix Decoded, int PerSide, IReadOnlyList<double> Values);
