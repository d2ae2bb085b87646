namespace DimReduce.Manifold;

/// <summary>The step of <see cref="Tsne"/>'s fit a <see cref="TsneProgress"/> comes from.</summary>
public enum TsneStage
{
    /// <summary>Nearest neighbours (Barnes-Hut) or all pairwise distances (exact).</summary>
    Neighbors,

    /// <summary>Binary search of each point's sigma and the joint probabilities P.</summary>
    Affinities,

    /// <summary>The starting layout (PCA or random).</summary>
    Initialization,

    /// <summary>An iteration of the early-exaggeration phase (P multiplied by <see cref="Tsne.EarlyExaggeration"/>, momentum 0.5).</summary>
    EarlyExaggeration,

    /// <summary>An iteration of the main phase (momentum 0.8).</summary>
    Optimization,
}
