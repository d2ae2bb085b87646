namespace DimReduce.Manifold;

/// <summary>How <see cref="Umap"/> finds each point's nearest neighbours.</summary>
public enum UmapNeighborSearch
{
    /// <summary>Exact below <see cref="Umap.Defaults.ApproximateFrom"/> samples (4,096, umap-learn's threshold), approximate from there on.</summary>
    Auto,

    /// <summary>Always the exact search (<see cref="Neighbors.NearestNeighbors.Exact"/>): every distance computed.</summary>
    Exact,

    /// <summary>Always random projection trees and NN-descent (<see cref="Neighbors.NnDescent"/>).</summary>
    Approximate,
}
