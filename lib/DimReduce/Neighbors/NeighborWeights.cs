namespace DimReduce.Neighbors;

/// <summary>How the k neighbours' votes are weighted in <see cref="Classification.KNeighborsClassifier"/>.</summary>
public enum NeighborWeights
{
    /// <summary>Every neighbour counts once.</summary>
    Uniform,

    /// <summary>Each neighbour counts 1 / distance; neighbours at distance 0, if any, take all the weight.</summary>
    Distance,
}
