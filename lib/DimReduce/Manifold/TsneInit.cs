namespace DimReduce.Manifold;

/// <summary>The starting layout of <see cref="Tsne"/>.</summary>
public enum TsneInit
{
    /// <summary>The first principal components, scaled so the first has standard deviation 1e-4 (scikit-learn 1.2's "pca").</summary>
    Pca,

    /// <summary>Independent N(0, 1e-4^2) coordinates drawn from the seed.</summary>
    Random,
}
