namespace DimReduce.Neural;

/// <summary>
/// Result of a learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
/// section 3.3): the loss of one mini-batch step at each rate of an exponential sweep.
/// </summary>
/// <param name="Rates">The learning rates, increasing geometrically.</param>
/// <param name="Losses">The training loss at each rate (NaN once training diverged).</param>
/// <param name="SmoothedLosses">Exponentially smoothed losses (factor 0.9, bias-corrected), as fast.ai plots them.</param>
/// <param name="Suggested">A rule-of-thumb rate: one tenth of the rate with the lowest smoothed loss.</param>
public sealed record LearningRateCurve(IReadOnlyList<double> Rates, IReadOnlyList<double> Losses, IReadOnlyList<double> SmoothedLosses, double Suggested);
