namespace DimReduce.Neighbors;

/// <summary>How <see cref="NearestNeighbors"/>, <see cref="NnDescent"/> and UMAP measure the distance between two rows.</summary>
/// <remarks>The definitions are scikit-learn's and umap-learn's (<c>sklearn.metrics.pairwise_distances</c>, <c>pynndescent.distances</c>).</remarks>
public enum NeighborMetric
{
    /// <summary>Straight-line distance, sqrt(sum_j (a_j - b_j)^2).</summary>
    Euclidean,

    /// <summary>1 - cos(angle between a and b); a zero row has distance 1 to everything.</summary>
    Cosine,

    /// <summary>City-block distance, sum_j |a_j - b_j|.</summary>
    Manhattan,

    /// <summary>Largest coordinate difference, max_j |a_j - b_j| (the L-infinity distance).</summary>
    Chebyshev,

    /// <summary>(sum_j |a_j - b_j|^p)^(1/p) with the exponent p given beside the metric (MinkowskiP, default 2, which is Euclidean; p = 1 is Manhattan).</summary>
    Minkowski,

    /// <summary>1 - Pearson correlation of a and b: the cosine distance of the rows after subtracting each row's mean; a constant row has distance 1 to everything.</summary>
    Correlation,
}
