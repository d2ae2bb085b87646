using System.Globalization;

namespace DimReduce.Datasets;

/// <summary>
/// A stack of grey-scale images as stored in an IDX file: <see cref="Count"/> images of
/// <see cref="Height"/> x <see cref="Width"/> unsigned bytes, image after image, row after row.
/// </summary>
public sealed class IdxImages
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied); its length must be count * height * width.</summary>
    /// <exception cref="ArgumentException">A size is negative or the pixel count does not match.</exception>
    public IdxImages(int count, int height, int width, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"count is {count}; it must be 0 or more.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, $"height is {height}; it must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"width is {width}; it must be at least 1.");
        long expected = (long)count * height * width;
        if (pixels.LongLength != expected)
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"pixels has {pixels.LongLength} bytes, but {count} images of {height} x {width} need {expected}. Pass exactly count * height * width bytes."),
                nameof(pixels));
        Count = count;
        Height = height;
        Width = width;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows per image (28 for Fashion-MNIST).</summary>
    public int Height { get; }

    /// <summary>Columns per image (28 for Fashion-MNIST).</summary>
    public int Width { get; }

    /// <summary>Pixels per image: Height * Width.</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>All pixel values, image after image, each image row by row (not a copy).</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>, row by row (not a copy).</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index is {index}, but there are {Count} images (valid: 0 to {Count - 1}).");
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order, as a new stack.</summary>
    public IdxImages Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new byte[(long)indices.Count * PixelsPerImage];
        for (int k = 0; k < indices.Count; k++) Image(indices[k]).CopyTo(pixels.AsSpan(k * PixelsPerImage));
        return new IdxImages(indices.Count, Height, Width, pixels);
    }

    /// <summary>
    /// One row per image, one column per pixel (row-major: column r * Width + c is pixel (r, c)).
    /// Values are 0 to 255, or 0 to 1 when <paramref name="scale"/> is true (divided by 255).
    /// </summary>
    public DataMatrix ToDataMatrix(bool scale = false)
    {
        var data = new double[Pixels.Length];
        if (scale)
            for (int k = 0; k < data.Length; k++) data[k] = Pixels[k] / 255.0;
        else
            for (int k = 0; k < data.Length; k++) data[k] = Pixels[k];
        return new DataMatrix(Count, PixelsPerImage, data);
    }
}
