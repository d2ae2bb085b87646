namespace DimReduce.Manifold;

/// <summary>A progress report of <see cref="Umap"/>: the stage, and for the layout the epoch just finished.</summary>
/// <param name="Stage">The step being reported.</param>
/// <param name="Epoch">Epochs finished (0 before the layout starts).</param>
/// <param name="Epochs">Total layout epochs.</param>
/// <param name="Warning">A recoverable oddity found at this step (for example a disconnected graph), or null.</param>
public sealed record UmapProgress(UmapStage Stage, int Epoch, int Epochs, string? Warning = null);
