namespace DimReduce.Neighbors;

/// <summary>How <see cref="NearestNeighbors"/> measures the distance between two rows.</summary>
public enum NeighborMetric
{
    /// <summary>Straight-line distance, sqrt(sum_j (a_j - b_j)^2).</summary>
    Euclidean,

    /// <summary>1 - cos(angle between a and b); a zero row has distance 1 to everything.</summary>
    Cosine,

    /// <summary>City-block distance, sum_j |a_j - b_j|.</summary>
    Manhattan,
}
