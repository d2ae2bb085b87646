namespace DimReduce;

/// <summary>
/// A reducer that learns its map from data and labels (linear discriminant analysis, supervised UMAP).
/// A <see cref="Pipelines.Pipeline"/> passes the labels to such a step when it is fitted.
/// </summary>
public interface ISupervisedReducer : ITransformer
{
    /// <summary>Learns the map from <paramref name="x"/> and one label per row; returns the same instance.</summary>
    ISupervisedReducer Fit(DataMatrix x, IReadOnlyList<int> labels);

    /// <summary>Fits with the labels, then transforms the same data.</summary>
    DataMatrix FitTransform(DataMatrix x, IReadOnlyList<int> labels);
}
