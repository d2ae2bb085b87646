namespace DimReduce.Datasets;

/// <summary>Which copy of Fashion-MNIST <see cref="FashionMnist.Load"/> reads.</summary>
public enum FashionMnistSize
{
    /// <summary>
    /// The stratified subset shipped in the repository (<c>data/fashion-mnist-subset</c>): 1,000 images per
    /// class, 800 for training and 200 for testing (8,000 + 2,000). Quick to load; used by tests and quick mode.
    /// </summary>
    Subset,

    /// <summary>
    /// The full set, 70,000 images (60,000 train + 10,000 test), fetched on demand with
    /// <c>dimreduce data fetch fashion-mnist</c> or <see cref="FashionMnist.Fetch"/>.
    /// </summary>
    Full,
}
