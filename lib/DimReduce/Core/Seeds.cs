namespace DimReduce;

/// <summary>
/// Random streams for stochastic estimators. With a seed the stream is fixed; without one a seed is
/// drawn (and the estimator exposes it as <c>SeedUsed</c>). Streams per chunk are derived from the seed
/// and the chunk index, so results do not depend on the thread count.
/// </summary>
public static class Seeds
{
    /// <summary>The given seed, or a fresh one drawn from the system's entropy.</summary>
    public static int Resolve(int? seed) => seed ?? Random.Shared.Next();

    /// <summary>A deterministic generator for <paramref name="seed"/> (and an optional stream index).</summary>
    public static Random Create(int seed, long stream = 0) =>
        new(stream == 0 ? seed : Mix(seed, stream));

    /// <summary>Mixes a seed and a stream index into a new 31-bit seed (SplitMix64 finaliser).</summary>
    public static int Mix(int seed, long stream)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // in (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
