namespace DimReduce.Manifold;

/// <summary>How <see cref="Umap"/> places the points before the layout optimisation starts.</summary>
public enum UmapInit
{
    /// <summary>Eigenvectors 1..Components of the graph's symmetric normalised Laplacian (umap-learn's default).</summary>
    Spectral,

    /// <summary>Uniform random positions in [-10, 10] per coordinate.</summary>
    Random,

    /// <summary>The first Components principal components of the data.</summary>
    Pca,
}
