namespace DimReduce.Manifold;

/// <summary>One stored entry of a <see cref="FuzzyGraph"/>: the membership strength of the edge from <paramref name="From"/> to <paramref name="To"/>.</summary>
/// <param name="From">Row (source vertex).</param>
/// <param name="To">Column (target vertex).</param>
/// <param name="Weight">Membership strength in (0, 1].</param>
public readonly record struct GraphEdge(int From, int To, double Weight);
