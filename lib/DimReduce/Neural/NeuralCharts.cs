using System.Globalization;
using Plotly.NET;

namespace DimReduce.Neural;

/// <summary>Charts for autoencoders, built on <see cref="Charts.Charts.ImageGrid"/>.</summary>
public static class NeuralCharts
{
    /// <summary>
    /// The decoded images of a 2-D latent grid (<see cref="Autoencoder.DecodeLatentGrid"/>), tiled as the grid:
    /// the first latent coordinate grows to the right, the second upwards; each image is captioned with its point.
    /// </summary>
    /// <param name="grid">The decoded grid.</param>
    /// <param name="width">Image width in pixels (28 for Fashion-MNIST).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart LatentSpaceGrid(LatentGrid grid, int width, int height, string title = "Decoded latent space (normal quantiles)")
    {
        ArgumentNullException.ThrowIfNull(grid);
        var titles = Enumerable.Range(0, grid.Latents.Rows)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"({grid.Latents[i, 0]:F1}, {grid.Latents[i, 1]:F1})")).ToArray();
        return Charts.Charts.ImageGrid(grid.Decoded, width, height, columns: grid.PerSide, titles: titles, title: title);
    }

    /// <summary>
    /// A denoising triptych: the first <paramref name="count"/> originals (top row), their noisy copies (middle) and the
    /// autoencoder's restorations (bottom), on one grey scale.
    /// </summary>
    /// <param name="originals">Clean images, one per row.</param>
    /// <param name="noisy">Corrupted copies, same shape.</param>
    /// <param name="restored">The model's output for the noisy copies, same shape.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="count">Images per row, 1 to the number of rows (default 8).</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart DenoisingTriptych(DataMatrix originals, DataMatrix noisy, DataMatrix restored, int width, int height, int count = 8,
        string title = "Original (top), noisy (middle), restored (bottom)")
    {
        ArgumentNullException.ThrowIfNull(originals);
        ArgumentNullException.ThrowIfNull(noisy);
        ArgumentNullException.ThrowIfNull(restored);
        if (noisy.Shape != originals.Shape)
            throw new ArgumentException($"noisy is {noisy.Rows} x {noisy.Columns}, but originals is {originals.Rows} x {originals.Columns}. Pass one noisy copy per original.", nameof(noisy));
        if (restored.Shape != originals.Shape)
            throw new ArgumentException($"restored is {restored.Rows} x {restored.Columns}, but originals is {originals.Rows} x {originals.Columns}. Pass model.Reconstruct(noisy).", nameof(restored));
        Check.Range(count, 1, originals.Rows, nameof(count), $"Show between 1 and {originals.Rows} images per row.");
        var first = Enumerable.Range(0, count).ToArray();
        var rows = new List<double[]>();
        foreach (var m in new[] { originals, noisy, restored })
            foreach (int i in first) rows.Add(m.Row(i).ToArray());
        var titles = new[] { "original", "noisy", "restored" }.SelectMany(t => Enumerable.Repeat(t, count)).ToArray();
        return Charts.Charts.ImageGrid(DataMatrix.FromRows(rows), width, height, columns: count, titles: titles, title: title);
    }
}
