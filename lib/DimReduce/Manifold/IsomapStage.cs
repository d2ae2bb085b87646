namespace DimReduce.Manifold;

/// <summary>The step of <see cref="Isomap.Fit(DataMatrix, IProgress{IsomapProgress}?, System.Threading.CancellationToken)"/> a progress report comes from.</summary>
public enum IsomapStage
{
    /// <summary>The k-nearest-neighbour graph (one report when it starts).</summary>
    Neighbors,

    /// <summary>Dijkstra from every point: reports as sources finish (about 100 in all).</summary>
    ShortestPaths,

    /// <summary>Classical scaling of the geodesic distances (one report when it starts).</summary>
    Scaling,
}
