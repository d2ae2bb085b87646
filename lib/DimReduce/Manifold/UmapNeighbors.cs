using DimReduce.Neighbors;

namespace DimReduce.Manifold;

/// <summary>
/// The k-nearest-neighbour lists UMAP starts from, in umap-learn's layout: single-precision distances, and at fit
/// each point listed as its own first neighbour at distance 0.
/// </summary>
/// <remarks>
/// The search is exact (<see cref="NearestNeighbors.Exact"/>, blocked, ties by index), as umap-learn's own path for
/// fewer than 4,096 points. umap-learn switches to approximate random-projection trees with NN-descent
/// (pynndescent) above that size; this library stays exact, which is the same result at a higher cost
/// (practical up to a few tens of thousands of points).
/// </remarks>
internal static class UmapNeighbors
{
    /// <summary>Each row's <paramref name="k"/> nearest rows of <paramref name="x"/> itself, the row first (k includes it).</summary>
    public static (int[,] Indices, float[,] Distances) OfTraining(DataMatrix x, int k, NeighborMetric metric)
    {
        int n = x.Rows;
        var indices = new int[n, k];
        var distances = new float[n, k];
        var others = NearestNeighbors.Exact(x, k - 1, null, metric);
        for (int i = 0; i < n; i++)
        {
            indices[i, 0] = i;
            for (int j = 1; j < k; j++)
            {
                indices[i, j] = others.Indices[i, j - 1];
                distances[i, j] = (float)others.Distances[i, j - 1];
            }
        }
        return (indices, distances);
    }

    /// <summary>Each query row's <paramref name="k"/> nearest training rows.</summary>
    public static (int[,] Indices, float[,] Distances) OfQueries(DataMatrix train, DataMatrix queries, int k, NeighborMetric metric)
    {
        var found = NearestNeighbors.Exact(train, k, queries, metric);
        var distances = new float[queries.Rows, k];
        for (int i = 0; i < queries.Rows; i++)
            for (int j = 0; j < k; j++) distances[i, j] = (float)found.Distances[i, j];
        return (found.Indices, distances);
    }
}
