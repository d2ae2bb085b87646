using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DimReduce.Neighbors;

/// <summary>
/// A single-precision copy of the rows, prepared for one metric, with the fast distance the approximate search
/// compares: Cosine rows are scaled to unit length and Correlation rows centred first, so both become 1 - a.b;
/// Minkowski compares sum |a_j - b_j|^p and takes the p-th root only in <see cref="ToDistance"/>.
/// </summary>
/// <remarks>
/// Single precision halves the memory traffic of the 784-wide Fashion-MNIST rows; the approximate search only
/// orders candidates with these values. Its final lists are re-measured in double precision
/// (<see cref="DistanceBlocks.Exact"/>), so the distances it returns are exact for the neighbours it found.
/// <para>
/// Euclidean rows wider than <see cref="TreeSpace.MaxColumns"/> whose values are all whole numbers from 0 to 255
/// (8-bit images such as Fashion-MNIST's) are kept as bytes instead: a quarter of the memory traffic, and distances
/// computed exactly in integers (||a||^2 + ||b||^2 - 2 a.b, with no cancellation error).
/// </para>
/// </remarks>
internal sealed class FloatRows
{
    private readonly float[]? _data;

    private float[]? _squaredNorms;

    /// <summary>The rows as bytes (byte mode) and their exact squared norms; null otherwise.</summary>
    private readonly byte[]? _bytes;
    private readonly int[]? _byteNorms;

    private FloatRows(byte[] bytes, int rows, int columns)
    {
        _bytes = bytes;
        var norms = new int[rows];
        Parallel.For(0, rows, i => norms[i] = ByteDot(bytes.AsSpan(i * columns, columns), bytes.AsSpan(i * columns, columns)));
        _byteNorms = norms;
        Rows = rows;
        Columns = columns;
        Metric = NeighborMetric.Euclidean;
        P = 2.0;
        PF = 2f;
    }

    private FloatRows(float[] data, int rows, int columns, NeighborMetric metric, double p)
    {
        _data = data;
        if (metric == NeighborMetric.Euclidean)
        {
            var norms = new float[rows];
            Parallel.For(0, rows, i => norms[i] = TensorPrimitives.Dot(data.AsSpan(i * columns, columns), data.AsSpan(i * columns, columns)));
            _squaredNorms = norms;
        }
        Rows = rows;
        Columns = columns;
        Metric = metric;
        P = p;
        PF = (float)p;
    }

    public int Rows { get; }
    public int Columns { get; }
    public NeighborMetric Metric { get; }
    public double P { get; }
    private float PF { get; }

    /// <summary>Whether the search trees should split by angle (unit-length rows).</summary>
    public bool Angular => Metric is NeighborMetric.Cosine or NeighborMetric.Correlation;

    /// <summary>Whether the rows are held as bytes (see the remarks).</summary>
    public bool Bytes => _bytes is not null;

    public static FloatRows From(DataMatrix x, NeighborMetric metric, double p)
    {
        int n = x.Rows, d = x.Columns;
        if (metric == NeighborMetric.Euclidean && d > TreeSpace.MaxColumns && AllBytes(x))
        {
            var bytes = new byte[(long)n * d];
            Parallel.For(0, n, i =>
            {
                var source = x.Row(i);
                var target = bytes.AsSpan(i * d, d);
                for (int j = 0; j < d; j++) target[j] = (byte)source[j];
            });
            return new FloatRows(bytes, n, d);
        }
        var data = new float[(long)n * d];
        Parallel.For(0, n, i => Prepare(x.Row(i), data.AsSpan(i * d, d), metric));
        return new FloatRows(data, n, d, metric, p);
    }

    /// <summary>Whether every value of <paramref name="x"/> is a whole number from 0 to 255.</summary>
    private static bool AllBytes(DataMatrix x)
    {
        int bad = 0;
        Parallel.For(0, x.Rows, (i, state) =>
        {
            foreach (double v in x.Row(i))
                if (!(v >= 0 && v <= 255 && v == Math.Floor(v)))
                {
                    Interlocked.Exchange(ref bad, 1);
                    state.Stop();
                    return;
                }
        });
        return bad == 0;
    }

    /// <summary>Row <paramref name="i"/> as single-precision values, written to <paramref name="target"/>.</summary>
    public void CopyRow(int i, Span<float> target)
    {
        if (_bytes is { } bytes)
        {
            var row = bytes.AsSpan(i * Columns, Columns);
            for (int j = 0; j < row.Length; j++) target[j] = row[j];
        }
        else
        {
            Row(i).CopyTo(target);
        }
    }

    /// <summary>Prepares one query row like the stored ones.</summary>
    public float[] PrepareQuery(ReadOnlySpan<double> row)
    {
        var q = new float[Columns];
        Prepare(row, q, Metric);
        return q;
    }

    private static void Prepare(ReadOnlySpan<double> source, Span<float> target, NeighborMetric metric)
    {
        if (metric == NeighborMetric.Correlation)
        {
            double mean = TensorPrimitives.Sum(source) / source.Length;
            for (int j = 0; j < source.Length; j++) target[j] = (float)(source[j] - mean);
        }
        else
        {
            for (int j = 0; j < source.Length; j++) target[j] = (float)source[j];
        }
        if (metric is NeighborMetric.Cosine or NeighborMetric.Correlation)
        {
            float norm = TensorPrimitives.Norm(target);
            if (norm > 0) TensorPrimitives.Divide(target, norm, target);
        }
    }

    /// <summary>
    /// Reorders the rows in place: afterwards row r holds what row <paramref name="perm"/>[r] held (cycle by cycle,
    /// one row of scratch memory).
    /// </summary>
    public void Permute(int[] perm)
    {
        if (_bytes is not null)
        {
            PermuteBytes(perm);
            return;
        }
        int n = Rows, d = Columns;
        var done = new bool[n];
        var buffer = new float[d];
        float[]? norms = _squaredNorms;
        for (int start = 0; start < n; start++)
        {
            if (done[start]) continue;
            _data.AsSpan(start * d, d).CopyTo(buffer);
            float savedNorm = norms?[start] ?? 0;
            int r = start;
            while (true)
            {
                done[r] = true;
                int src = perm[r];
                if (src == start)
                {
                    buffer.CopyTo(_data.AsSpan(r * d, d));
                    if (norms is not null) norms[r] = savedNorm;
                    break;
                }
                _data.AsSpan(src * d, d).CopyTo(_data.AsSpan(r * d, d));
                if (norms is not null) norms[r] = norms[src];
                r = src;
            }
        }
    }

    private void PermuteBytes(int[] perm)
    {
        int n = Rows, d = Columns;
        var bytes = _bytes!;
        var norms = _byteNorms!;
        var copy = (byte[])bytes.Clone();
        var normCopy = (int[])norms.Clone();
        Parallel.For(0, n, r =>
        {
            copy.AsSpan(perm[r] * d, d).CopyTo(bytes.AsSpan(r * d, d));
            norms[r] = normCopy[perm[r]];
        });
    }

    /// <summary>The prepared rows, row-major (not in byte mode).</summary>
    public float[] Values => _data ?? throw new InvalidOperationException("The rows are held as bytes; use CopyRow.");

    /// <summary>Row <paramref name="i"/> (not in byte mode).</summary>
    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Columns, Columns);

    /// <summary>The comparable distance between stored rows <paramref name="i"/> and <paramref name="j"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int i, int j)
    {
        if (_bytes is { } bytes)
        {
            int d = Columns;
            var norms = _byteNorms!;
            return norms[i] + norms[j] - 2 * ByteDot(bytes.AsSpan(i * d, d), bytes.AsSpan(j * d, d));
        }
        return Distance(i, Row(i), j);
    }

    /// <summary>The comparable distance between a prepared query row and stored row <paramref name="j"/>.</summary>
    public float DistanceToQuery(ReadOnlySpan<float> query, int j)
    {
        if (_bytes is { } bytes)
        {
            var row = bytes.AsSpan(j * Columns, Columns);
            float s = 0;
            for (int c = 0; c < row.Length; c++)
            {
                float diff = query[c] - row[c];
                s += diff * diff;
            }
            return s;
        }
        return Distance(query, Row(j));
    }

    /// <summary>
    /// sum_j a_j b_j of two byte rows, exact: 16 bytes at a time widened to 16-bit and multiplied and added in pairs
    /// into 32-bit lanes (each pair at most 2 x 255^2), so any row of up to 33,000 bytes sums within range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ByteDot(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int n = a.Length, j = 0, s = 0;
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && n >= 16)
        {
            var s0 = Vector256<int>.Zero;
            var s1 = Vector256<int>.Zero;
            for (; j <= n - 32; j += 32)
            {
                var a0 = System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pa, (nuint)j));
                var b0 = System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pb, (nuint)j));
                var a1 = System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pa, (nuint)(j + 16)));
                var b1 = System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pb, (nuint)(j + 16)));
                s0 += System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(a0, b0);
                s1 += System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(a1, b1);
            }
            for (; j <= n - 16; j += 16)
            {
                var a0 = System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pa, (nuint)j));
                var b0 = System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref pb, (nuint)j));
                s0 += System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(a0, b0);
            }
            s = Vector256.Sum(s0 + s1);
        }
        for (; j < n; j++) s += Unsafe.Add(ref pa, j) * Unsafe.Add(ref pb, j);
        return s;
    }

    /// <summary>
    /// The comparable distance between stored rows <paramref name="i"/> (whose row is <paramref name="rowI"/>) and
    /// <paramref name="j"/>. Euclidean uses ||a||^2 + ||b||^2 - 2 a.b with stored norms: one multiply-add per
    /// coordinate instead of a subtraction and a multiply-add, at the cost of some cancellation between near points
    /// (the final lists are re-measured exactly).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int i, ReadOnlySpan<float> rowI, int j)
    {
        if (_squaredNorms is { } norms)
            return Math.Max(0f, norms[i] + norms[j] - 2f * VectorKernels.Dot(rowI, Row(j)));
        return Distance(rowI, Row(j));
    }

    /// <summary>The comparable distance between two prepared rows (monotone in the true distance).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        switch (Metric)
        {
            case NeighborMetric.Euclidean:
                return VectorKernels.SquaredDistance(a, b);
            case NeighborMetric.Cosine:
            case NeighborMetric.Correlation:
            {
                // A zero row stays zero and so has distance 1 to everything, as the exact metric.
                return 1f - VectorKernels.Dot(a, b);
            }
            case NeighborMetric.Manhattan:
                return Manhattan(a, b);
            case NeighborMetric.Chebyshev:
                return Chebyshev(a, b);
            default:
            {
                float s = 0;
                for (int j = 0; j < a.Length; j++) s += MathF.Pow(MathF.Abs(a[j] - b[j]), PF);
                return s;
            }
        }
    }

    /// <summary>The true distance from a comparable one (square root for Euclidean, p-th root for Minkowski).</summary>
    public double ToDistance(float comparable) =>
        Metric switch
        {
            NeighborMetric.Euclidean => Math.Sqrt(Math.Max(0f, comparable)),
            NeighborMetric.Minkowski => Math.Pow(Math.Max(0f, comparable), 1.0 / P),
            NeighborMetric.Cosine or NeighborMetric.Correlation => Math.Max(0f, comparable),
            _ => comparable,
        };

    private static float Manhattan(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, j = 0;
        float s = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; j <= n - Vector<float>.Count; j += Vector<float>.Count)
                acc += Vector.Abs(new Vector<float>(a[j..]) - new Vector<float>(b[j..]));
            s = Vector.Sum(acc);
        }
        for (; j < n; j++) s += MathF.Abs(a[j] - b[j]);
        return s;
    }

    private static float Chebyshev(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, j = 0;
        float s = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; j <= n - Vector<float>.Count; j += Vector<float>.Count)
                acc = Vector.Max(acc, Vector.Abs(new Vector<float>(a[j..]) - new Vector<float>(b[j..])));
            for (int t = 0; t < Vector<float>.Count; t++) s = MathF.Max(s, acc[t]);
        }
        for (; j < n; j++) s = MathF.Max(s, MathF.Abs(a[j] - b[j]));
        return s;
    }
}
