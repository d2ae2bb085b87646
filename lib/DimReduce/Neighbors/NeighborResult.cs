namespace DimReduce.Neighbors;

/// <summary>
/// The k nearest neighbours of each query row: <see cref="Indices"/>[i, j] is the row (of the searched
/// data) of the j-th nearest neighbour of query i, <see cref="Distances"/>[i, j] its distance. Each row is
/// ordered by distance, ties by index.
/// </summary>
public sealed class NeighborResult
{
    internal NeighborResult(int[,] indices, double[,] distances)
    {
        Indices = indices;
        Distances = distances;
    }

    /// <summary>Neighbour row indices, one row per query, <see cref="Neighbors"/> columns.</summary>
    public int[,] Indices { get; }

    /// <summary>Distances matching <see cref="Indices"/>.</summary>
    public double[,] Distances { get; }

    /// <summary>Number of query rows.</summary>
    public int Queries => Indices.GetLength(0);

    /// <summary>Neighbours per query (k).</summary>
    public int Neighbors => Indices.GetLength(1);
}
