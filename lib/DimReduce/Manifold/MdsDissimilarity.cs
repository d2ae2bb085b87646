namespace DimReduce.Manifold;

/// <summary>What the matrix passed to <see cref="Mds"/>'s Fit holds.</summary>
public enum MdsDissimilarity
{
    /// <summary>Rows of features; dissimilarities are their Euclidean distances.</summary>
    Euclidean,

    /// <summary>A square, symmetric matrix of dissimilarities with a zero diagonal.</summary>
    Precomputed,
}
