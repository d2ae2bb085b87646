namespace DimReduce.Manifold;

/// <summary>How <see cref="Tsne"/> computes its gradient.</summary>
public enum TsneMethod
{
    /// <summary>
    /// Barnes-Hut (van der Maaten 2014): P over the 3 x perplexity nearest neighbours, repulsion through a quadtree
    /// (octree in 3-D); O(N log N) per iteration. For 1 to 3 components.
    /// </summary>
    BarnesHut,

    /// <summary>Every pair (van der Maaten and Hinton 2008): O(N^2) time and memory; for small data (a few thousand points).</summary>
    Exact,
}
