namespace DimReduce;

/// <summary>Anything that maps rows of data to new rows: a scaler, a reducer, a fitted pipeline step.</summary>
public interface ITransformer
{
    /// <summary>Maps each row of <paramref name="x"/> (same feature count as at fit) to the output space.</summary>
    DataMatrix Transform(DataMatrix x);
}

/// <summary>
/// An unsupervised estimator that learns a map from data alone: scalers, PCA and its relatives,
/// UMAP, t-SNE and autoencoders share it, so a notebook can swap one for another.
/// </summary>
public interface IReducer : ITransformer
{
    /// <summary>Learns the map from <paramref name="x"/> and returns the same instance.</summary>
    IReducer Fit(DataMatrix x);

    /// <summary>Fits, then transforms the same data.</summary>
    DataMatrix FitTransform(DataMatrix x);
}

/// <summary>A reducer whose map can be undone approximately (PCA, scalers, autoencoders).</summary>
public interface IInvertibleTransformer : ITransformer
{
    /// <summary>Maps rows of the output space back to the input space.</summary>
    DataMatrix InverseTransform(DataMatrix z);
}

/// <summary>A classifier that predicts an integer class per row.</summary>
public interface IClassifier
{
    /// <summary>Learns from <paramref name="x"/> and one label per row.</summary>
    IClassifier Fit(DataMatrix x, IReadOnlyList<int> labels);

    /// <summary>The predicted class of each row.</summary>
    int[] Predict(DataMatrix x);
}
