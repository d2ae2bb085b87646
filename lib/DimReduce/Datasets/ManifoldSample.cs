namespace DimReduce.Datasets;

/// <summary>
/// Points sampled from a curve or surface, together with each point's position along it (the
/// "unrolled" coordinate a good non-linear reduction should recover, handy as a chart colour).
/// </summary>
/// <param name="Features">The points, one row per sample (3 columns for the swiss roll and the 3-D curve).</param>
/// <param name="Position">
/// Each point's intrinsic coordinate: the angle <c>t</c> of the swiss roll (between 1.5 pi and 4.5 pi), or the
/// angle of the 3-D curve (between -0.5 and 3 pi / 2 - 0.5).
/// </param>
public sealed record ManifoldSample(DataMatrix Features, double[] Position)
{
    /// <summary>Number of samples.</summary>
    public int Count => Features.Rows;
}
