namespace DimReduce.Neural;

/// <summary>The shape of one image for a convolutional autoencoder; a row of data holds its pixels channel by channel, row by row.</summary>
/// <param name="Channels">Colour channels (1 for grey scale).</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    /// <summary>28 x 28 grey scale, as MNIST and Fashion-MNIST.</summary>
    public static ImageShape Mnist { get; } = new(1, 28, 28);

    /// <summary>Pixels per image: Channels x Height x Width.</summary>
    public int Size => Channels * Height * Width;
}
