namespace DimReduce.Datasets;

/// <summary>Fashion-MNIST's training and test parts.</summary>
/// <param name="Train">The training images (one row of 784 pixels per image) and their labels.</param>
/// <param name="Test">The test images and their labels.</param>
public sealed record FashionMnistSplit(Dataset Train, Dataset Test);
