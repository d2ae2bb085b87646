namespace DimReduce.Manifold;

/// <summary>A progress report of <see cref="Tsne"/>: the stage and, during the descent, the iteration just finished.</summary>
/// <param name="Stage">The step being reported.</param>
/// <param name="Iteration">Iterations finished (0 before the descent).</param>
/// <param name="Iterations">Total iterations (<see cref="Tsne.Iterations"/>).</param>
/// <param name="KlDivergence">KL(P || Q) at this iteration, computed every 50 iterations and at the last (null otherwise);
/// during early exaggeration it is measured against the exaggerated P, as scikit-learn reports it.</param>
/// <param name="GradientNorm">Norm of the gain-scaled gradient at the same iterations as <paramref name="KlDivergence"/>.</param>
/// <param name="Warning">A recoverable oddity found at this step, or null.</param>
public sealed record TsneProgress(TsneStage Stage, int Iteration, int Iterations, double? KlDivergence = null, double? GradientNorm = null, string? Warning = null);
