namespace DimReduce.Manifold;

/// <summary>The step of <see cref="Umap.Fit(DataMatrix, IProgress{UmapProgress}?, System.Threading.CancellationToken)"/> a progress report comes from.</summary>
public enum UmapStage
{
    /// <summary>The k-nearest-neighbour search.</summary>
    Neighbors,

    /// <summary>Smooth kNN distances, membership strengths and the fuzzy union.</summary>
    Graph,

    /// <summary>The initial layout (spectral, random or PCA).</summary>
    Initialization,

    /// <summary>One epoch of the stochastic gradient descent layout.</summary>
    Layout,
}
