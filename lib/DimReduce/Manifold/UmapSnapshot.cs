namespace DimReduce.Manifold;

/// <summary>The layout after <paramref name="Epoch"/> epochs, kept when <see cref="Umap.KeepEvery"/> is set (for animations).</summary>
/// <param name="Epoch">Epochs finished when the copy was taken (0 is the initial layout).</param>
/// <param name="Embedding">The coordinates then (samples x components).</param>
public sealed record UmapSnapshot(int Epoch, DataMatrix Embedding);
