namespace DimReduce.Manifold;

/// <summary>A progress report of <see cref="Isomap"/>: the stage and how much of it is done.</summary>
/// <param name="Stage">The step running.</param>
/// <param name="Done">Units of the stage finished: source points whose shortest paths are known in
/// <see cref="IsomapStage.ShortestPaths"/>, else 0.</param>
/// <param name="Total">Units in the stage: the number of points in <see cref="IsomapStage.ShortestPaths"/>, else 1.</param>
public sealed record IsomapProgress(IsomapStage Stage, int Done, int Total);
