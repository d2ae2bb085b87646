using System.Globalization;

namespace DimReduce.Preprocessing;

/// <summary>
/// Corruptions for denoising autoencoders: the network sees the corrupted input and learns to rebuild the
/// clean one. Each returns a new matrix; the input is not changed.
/// </summary>
/// <remarks>
/// Vincent, Larochelle, Lajoie, Bengio and Manzagol, "Stacked Denoising Autoencoders", JMLR 11 (2010),
/// section 4.2: additive isotropic Gaussian noise, masking noise (a fraction of the elements forced to 0) and
/// salt-and-pepper noise (a fraction set to the minimum or maximum value by a fair coin flip). Each row draws
/// from its own random stream of the seed (stream = row + 1), so results do not depend on thread count.
/// </remarks>
/// <example>
/// <code>
/// var noisy = Noise.Gaussian(images, std: 0.3, seed: 42, clip: (0, 1));
/// var masked = Noise.Masking(images, fraction: 0.25, seed: 42);
/// </code>
/// </example>
public static class Noise
{
    /// <summary>x + std * n with n standard normal, independently per entry; optionally clipped.</summary>
    /// <param name="x">Data; finite, at least one row.</param>
    /// <param name="std">Noise standard deviation, 0 or more.</param>
    /// <param name="seed">Random seed; null draws one.</param>
    /// <param name="clip">Optional (low, high) range the result is clipped into, for example (0, 1) for scaled pixels.</param>
    public static DataMatrix Gaussian(DataMatrix x, double std, int? seed = null, (double Low, double High)? clip = null)
    {
        Check.Data(x, nameof(x));
        if (!(std >= 0) || !double.IsFinite(std))
            throw new ArgumentOutOfRangeException(nameof(std), std, F($"std is {std}, but it must be a finite number of at least 0. Pass for example 0.3 for pixels scaled to [0, 1]."));
        CheckClip(clip);
        int s = Seeds.Resolve(seed);
        var result = x.Clone();
        int d = x.Columns;
        var data = result.Data;
        for (int i = 0; i < x.Rows; i++)
        {
            var random = Seeds.Create(s, i + 1L);
            for (int j = 0; j < d; j++)
            {
                double v = data[i * d + j] + std * random.NextGaussian();
                data[i * d + j] = clip is { } c ? Math.Clamp(v, c.Low, c.High) : v;
            }
        }
        return result;
    }

    /// <summary>
    /// Masking noise: in each row, round(fraction * columns) entries chosen at random are set to 0.
    /// </summary>
    /// <param name="x">Data; finite, at least one row.</param>
    /// <param name="fraction">Share of each row's entries to zero, 0 to 1.</param>
    /// <param name="seed">Random seed; null draws one.</param>
    public static DataMatrix Masking(DataMatrix x, double fraction, int? seed = null) =>
        Corrupt(x, fraction, seed, nameof(fraction), (_, _) => 0.0);

    /// <summary>
    /// Salt-and-pepper noise: in each row, round(fraction * columns) entries chosen at random are set to
    /// <paramref name="low"/> or <paramref name="high"/> with equal probability.
    /// </summary>
    /// <param name="x">Data; finite, at least one row.</param>
    /// <param name="fraction">Share of each row's entries to corrupt, 0 to 1.</param>
    /// <param name="low">The "pepper" value (default 0).</param>
    /// <param name="high">The "salt" value (default 1; use 255 for raw pixels).</param>
    /// <param name="seed">Random seed; null draws one.</param>
    public static DataMatrix SaltAndPepper(DataMatrix x, double fraction, double low = 0.0, double high = 1.0, int? seed = null)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || !(low < high))
            throw new ArgumentOutOfRangeException(nameof(high), high, F($"low is {low} and high is {high}, but they must be finite with low < high. Pass for example low 0, high 1 (or 255 for raw pixels)."));
        return Corrupt(x, fraction, seed, nameof(fraction), (random, _) => random.Next(2) == 0 ? low : high);
    }

    private static DataMatrix Corrupt(DataMatrix x, double fraction, int? seed, string fractionName, Func<Random, double, double> value)
    {
        Check.Data(x, nameof(x));
        if (!(fraction >= 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(fractionName, fraction, F($"{fractionName} is {fraction}, but it must be between 0 and 1 (the share of entries corrupted in each row). Pass for example 0.25."));
        int s = Seeds.Resolve(seed);
        var result = x.Clone();
        int d = x.Columns;
        int k = (int)Math.Floor(fraction * d + 0.5);
        var data = result.Data;
        var order = new int[d];
        for (int i = 0; i < x.Rows; i++)
        {
            var random = Seeds.Create(s, i + 1L);
            for (int j = 0; j < d; j++) order[j] = j;
            // Partial Fisher-Yates: the first k positions become a uniform random k-subset.
            for (int t = 0; t < k; t++)
            {
                int r = t + random.Next(d - t);
                (order[t], order[r]) = (order[r], order[t]);
                data[i * d + order[t]] = value(random, data[i * d + order[t]]);
            }
        }
        return result;
    }

    private static void CheckClip((double Low, double High)? clip)
    {
        if (clip is { } c && !(double.IsFinite(c.Low) && double.IsFinite(c.High) && c.Low < c.High))
            throw new ArgumentOutOfRangeException(nameof(clip), clip, F($"clip is ({c.Low}, {c.High}), but it must be two finite numbers with low < high. Pass for example (0, 1), or null for no clipping."));
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
