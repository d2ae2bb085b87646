using System.Numerics;

namespace DimReduce.Clustering;

/// <summary>
/// Squared Euclidean distances from rows to a few centres, vectorised over the centres: the centres are
/// stored feature-major (<c>t[j * Padded + c]</c>) so one SIMD lane holds one centre. Each lane sums
/// (x_j - c_j)^2 over j in feature order, exactly as a scalar loop does, so results do not depend on the
/// vector width.
/// </summary>
internal sealed class CentreDistances
{
    private static readonly int Width = Vector<double>.Count;

    private readonly double[] _t;

    /// <summary>Room for <paramref name="count"/> centres of <paramref name="features"/> features.</summary>
    public CentreDistances(int count, int features)
    {
        Count = count;
        Features = features;
        Padded = (count + Width - 1) / Width * Width;
        _t = new double[Padded * features];
    }

    /// <summary>Number of centres.</summary>
    public int Count { get; }

    /// <summary>Number of features.</summary>
    public int Features { get; }

    /// <summary>Centre count rounded up to a whole number of vectors (the length a distance buffer needs).</summary>
    public int Padded { get; }

    /// <summary>Stores the centres (row-major, Count x Features).</summary>
    public void Set(ReadOnlySpan<double> centres)
    {
        int k = Count, d = Features, kp = Padded;
        for (int c = 0; c < k; c++)
            for (int j = 0; j < d; j++) _t[j * kp + c] = centres[c * d + j];
    }

    /// <summary>Stores centre <paramref name="c"/> from <paramref name="row"/>.</summary>
    public void Set(int c, ReadOnlySpan<double> row)
    {
        for (int j = 0; j < Features; j++) _t[j * Padded + c] = row[j];
    }

    /// <summary>Writes the squared distance from <paramref name="row"/> to each centre into <paramref name="dist"/> (length <see cref="Padded"/>).</summary>
    public void Compute(ReadOnlySpan<double> row, Span<double> dist)
    {
        int d = Features, kp = Padded;
        var t = _t;
        int b = 0;
        for (; b + 2 * Width <= kp; b += 2 * Width)
        {
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            for (int j = 0; j < d; j++)
            {
                var xj = new Vector<double>(row[j]);
                var d0 = xj - new Vector<double>(t, j * kp + b);
                var d1 = xj - new Vector<double>(t, j * kp + b + Width);
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }
            acc0.CopyTo(dist.Slice(b));
            acc1.CopyTo(dist.Slice(b + Width));
        }
        for (; b < kp; b += Width)
        {
            var acc = Vector<double>.Zero;
            for (int j = 0; j < d; j++)
            {
                var diff = new Vector<double>(row[j]) - new Vector<double>(t, j * kp + b);
                acc += diff * diff;
            }
            acc.CopyTo(dist.Slice(b));
        }
    }

    /// <summary>
    /// Adds min(closest_i, squared distance from row i to centre t) over the rows, in row order, to
    /// <paramref name="potential"/>[t] (length <see cref="Padded"/>): the k-means++ potential of each candidate.
    /// </summary>
    public void Potentials(double[] x, int rows, double[] closest, Span<double> potential)
    {
        int d = Features, kp = Padded;
        var t = _t;
        for (int b = 0; b < kp; b += Width)
        {
            var sum = new Vector<double>(potential.Slice(b));
            for (int i = 0; i < rows; i++)
            {
                var acc = Vector<double>.Zero;
                int off = i * d;
                for (int j = 0; j < d; j++)
                {
                    var diff = new Vector<double>(x[off + j]) - new Vector<double>(t, j * kp + b);
                    acc += diff * diff;
                }
                sum += Vector.Min(new Vector<double>(closest[i]), acc);
            }
            sum.CopyTo(potential.Slice(b));
        }
    }

    /// <summary>
    /// Labels rows [start, end) of <paramref name="x"/> (row-major, Features wide) with the nearest centre,
    /// ties to the lower index, and when <paramref name="sums"/> is given adds each row to its centre's sum
    /// and count in row order.
    /// </summary>
    public void Assign(double[] x, int start, int end, int[] labels, double[]? sums, long[]? counts)
    {
        int d = Features, k = Count;
        Span<double> dist = Padded <= 256 ? stackalloc double[Padded] : new double[Padded];
        for (int i = start; i < end; i++)
        {
            var row = x.AsSpan(i * d, d);
            Compute(row, dist);
            int best = 0;
            double bestD = dist[0];
            for (int c = 1; c < k; c++)
                if (dist[c] < bestD) { bestD = dist[c]; best = c; }
            labels[i] = best;
            if (sums is not null)
            {
                var s = sums.AsSpan(best * d, d);
                for (int j = 0; j < s.Length; j++) s[j] += row[j];
                counts![best]++;
            }
        }
    }
}
