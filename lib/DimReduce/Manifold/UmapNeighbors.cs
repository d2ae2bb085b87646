using DimReduce.Neighbors;

namespace DimReduce.Manifold;

/// <summary>
/// The k-nearest-neighbour lists UMAP starts from, in umap-learn's layout: single-precision distances, and at fit
/// each point listed as its own first neighbour at distance 0.
/// </summary>
/// <remarks>
/// Exact (<see cref="NearestNeighbors.Exact"/>, blocked, ties by index), as umap-learn's own path for fewer than
/// 4,096 points, or approximate (<see cref="NnDescent"/>: random projection trees and NN-descent, as umap-learn's
/// pynndescent) from there on. New points at <see cref="Umap.Transform"/> are searched the same way as the fit:
/// exactly, or through the fitted fuzzy graph (which holds every kNN edge and its reverse) from the leaf of a random
/// projection tree, as umap-learn queries pynndescent's search graph.
/// </remarks>
internal static class UmapNeighbors
{
    /// <summary>Each row's <paramref name="k"/> nearest rows of <paramref name="x"/> itself, the row first (k includes it).</summary>
    public static (int[,] Indices, float[,] Distances) OfTraining(DataMatrix x, int k, NeighborMetric metric, double p = 2.0, bool approximate = false, int seed = 0)
    {
        int n = x.Rows;
        var indices = new int[n, k];
        var distances = new float[n, k];
        var others = approximate
            ? new NnDescent { Neighbors = k - 1, Metric = metric, MinkowskiP = p, Seed = seed }.Fit(x).Graph
            : NearestNeighbors.Exact(x, k - 1, null, metric, p);
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

    /// <summary>Each query row's <paramref name="k"/> nearest training rows: exact, or through <paramref name="index"/> when given.</summary>
    public static (int[,] Indices, float[,] Distances) OfQueries(DataMatrix train, DataMatrix queries, int k, NeighborMetric metric, double p = 2.0, SearchIndex? index = null)
    {
        var found = index is not null ? index.Query(queries, k, NnDescent.Defaults.QueryEpsilon) : NearestNeighbors.Exact(train, k, queries, metric, p);
        var distances = new float[queries.Rows, k];
        for (int i = 0; i < queries.Rows; i++)
            for (int j = 0; j < k; j++) distances[i, j] = (float)found.Distances[i, j];
        return (found.Indices, distances);
    }

    /// <summary>The search index over the training rows whose graph is the fitted fuzzy graph.</summary>
    public static SearchIndex Index(DataMatrix train, FuzzyGraph graph, int k, NeighborMetric metric, double p, int seed) =>
        SearchIndex.FromGraph(FloatRows.From(train, metric, p), train, graph.RowStartArray, graph.ColumnArray, NnDescent.Defaults.LeafSizeFor(k), seed);
}
