using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DimReduce;

/// <summary>
/// For every row, the sum of its Euclidean distances to the members of each cluster: the heart of the
/// silhouette. Exact, n(n-1)/2 distance evaluations, O(n d + 64 n) extra memory.
/// </summary>
/// <remarks>
/// The rows are reordered by cluster and stored feature by feature (structure of arrays, each
/// feature padded by one vector), so the members of a cluster are one contiguous range. Four query
/// rows of the same cluster are taken together against a run of later rows: each feature of 8
/// (AVX-512), 4 or 2 candidates is loaded once and used for the four rows, with a subtraction and a
/// fused multiply-add per feature, then an exact vector square root. The four distance vectors are
/// summed in registers per cluster range (the query rows' sums) and also added together into a
/// column of per-candidate sums (the candidates' sums for the query rows' cluster), so each pair is
/// measured once and credited to both rows; no distance matrix is ever written. The last vector of a
/// range is masked, so there is no scalar tail and no per-pair branch. Candidates are visited in
/// blocks small enough to stay in the level-2 cache while all rows of a work chunk pass over them.
/// Work is cut into chunks of sorted rows (never straddling two clusters) whose size does not depend
/// on the thread count, and the chunks' column sums are added in chunk order, so the result is the
/// same whatever the thread count. The vector widths (and the scalar path) run the same code and agree
/// to rounding (about 1e-15 relative).
/// </remarks>
internal static class ClusterDistanceSums
{
    /// <summary>Bytes of candidate features a block should occupy (a fraction of a 1 MB level-2 cache).</summary>
    private const int BlockBytes = 192 * 1024;

    /// <summary>The widest vector width (in doubles) this machine runs fast: 8, 4, 2 or 1 (scalar).</summary>
    internal static int BestWidth =>
        Vector512.IsHardwareAccelerated ? 8 :
        Vector256.IsHardwareAccelerated ? 4 :
        Vector128.IsHardwareAccelerated ? 2 : 1;

    /// <summary>Row-major n x k sums: entry (i, c) is sum over members j of cluster c of ||x_i - x_j||.</summary>
    public static double[] Compute(DataMatrix x, LabelCodes codes) => Compute(x, codes, BestWidth);

    /// <summary>
    /// As <see cref="Compute(DataMatrix, LabelCodes)"/> with a chosen vector width in doubles (8, 4, 2
    /// or 1 for scalar) and an optional cap on the threads (-1: no cap); tests use them to compare the
    /// paths and to check that the thread count does not change the result.
    /// </summary>
    internal static double[] Compute(DataMatrix x, LabelCodes codes, int width, int maxThreads = -1)
    {
        if (width is not (8 or 4 or 2 or 1))
            throw new ArgumentOutOfRangeException(nameof(width), width, $"width is {width}, but it must be 8, 4, 2 or 1 doubles: pass one of those.");
        int n = x.Rows, d = x.Columns, k = codes.Count;
        // Order rows by cluster (stable) and lay the features out feature by feature, each padded by a
        // full vector of zeros so a masked last vector never reads past the end.
        var start = new int[k + 1];
        for (int c = 0; c < k; c++) start[c + 1] = start[c] + codes.Counts[c];
        var fill = (int[])start.Clone();
        var order = new int[n];
        for (int i = 0; i < n; i++) order[fill[codes.Codes[i]]++] = i;
        int stride = n + 8;
        var cols = new double[(long)d * stride];
        for (int p = 0; p < n; p++)
        {
            int row = order[p] * d;
            for (int f = 0; f < d; f++) cols[(long)f * stride + p] = x.Data[row + f];
        }
        var cluster = new int[n];
        for (int c = 0; c < k; c++) Array.Fill(cluster, c, start[c], start[c + 1] - start[c]);

        // Fixed chunks of sorted rows, a multiple of 4 rows, never straddling two clusters.
        var chunks = new List<(int From, int To)>();
        int piece = Math.Max(256, n / 64) / 4 * 4;
        for (int c = 0; c < k; c++)
            for (int p = start[c]; p < start[c + 1]; p += piece)
                chunks.Add((p, Math.Min(start[c + 1], p + piece)));
        int block = Math.Max(64, BlockBytes / 8 / Math.Max(1, d) / 8 * 8);

        var sorted = new double[(long)n * k];
        var later = new double[chunks.Count][];
        var job = new Job(cols, stride, d, k, start, cluster, sorted, block);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        Parallel.For(0, chunks.Count, options, ci =>
        {
            var (from, to) = chunks[ci];
            later[ci] = width switch
            {
                8 => job.Chunk<W8, Vector512<double>>(from, to),
                4 => job.Chunk<W4, Vector256<double>>(from, to),
                2 => job.Chunk<W2, Vector128<double>>(from, to),
                _ => job.Chunk<W1, double>(from, to),
            };
        });
        // Each chunk's distances to later rows, credited to those rows in chunk order (deterministic).
        Parallel.For(0, (n + 4095) / 4096, options, b =>
        {
            int lo = b * 4096, hi = Math.Min(n, lo + 4096);
            for (int ci = 0; ci < chunks.Count; ci++)
            {
                int from = chunks[ci].From, c = cluster[from];
                var column = later[ci];
                for (int j = Math.Max(lo, from); j < hi; j++) sorted[(long)j * k + c] += column[j - from];
            }
        });
        var sums = new double[(long)n * k];
        for (int p = 0; p < n; p++)
            Array.Copy(sorted, (long)p * k, sums, (long)order[p] * k, k);
        return sums;
    }

    /// <summary>The shared, read-only inputs of the chunks and the row sums they fill.</summary>
    private sealed class Job(double[] cols, int stride, int d, int k, int[] start, int[] cluster, double[] sorted, int block)
    {
        /// <summary>
        /// Distances from sorted rows [from, to) (one cluster) to every later row. Adds each row's sums to
        /// its entries of <c>sorted</c>, and returns column[j - from] = sum over the chunk's rows p &lt; j
        /// of ||x_p - x_j|| (padded by a vector).
        /// </summary>
        public double[] Chunk<TW, TV>(int from, int to)
            where TW : struct, IWidth<TV>
            where TV : struct
        {
            int n = cluster.Length, own = cluster[from];
            var column = new double[n - from + 8];
            ref double c0 = ref MemoryMarshal.GetArrayDataReference(cols);
            // column[j - from] holds row j's credit. A byref must never point outside its array (the GC
            // would neither keep nor move the array for it), so the offset travels as a number.
            ref double t0 = ref MemoryMarshal.GetArrayDataReference(column);
            int full = from + (to - from) / 4 * 4;
            // Pairs inside each group of four query rows (the kernel starts after the group).
            for (int p = from; p < full; p += 4)
                for (int a = p; a < p + 3; a++)
                    for (int b = a + 1; b < p + 4; b++)
                    {
                        double dist = Distance(a, b);
                        sorted[(long)a * k + own] += dist;
                        Unsafe.Add(ref t0, b - from) += dist;
                    }
            // Candidate blocks in a fixed grid; every query row of the chunk passes over a block while it is cached.
            for (int jb = (from + 1) / block * block; jb < n; jb += block)
            {
                int je = Math.Min(n, jb + block);
                for (int p = from; p < to; p += p < full ? 4 : 1)
                {
                    int first = Math.Max(jb, p < full ? p + 4 : p + 1);
                    for (int c = first < je ? cluster[first] : k; c < k && start[c] < je; c++)
                    {
                        int lo = Math.Max(first, start[c]), hi = Math.Min(je, start[c + 1]);
                        if (lo >= hi) continue;
                        if (p < full)
                        {
                            Rows4<TW, TV>(ref c0, (nuint)stride, d, p, lo, hi, ref t0, from, out double s0, out double s1, out double s2, out double s3);
                            long at = (long)p * k + c;
                            sorted[at] += s0;
                            sorted[at + k] += s1;
                            sorted[at + 2 * k] += s2;
                            sorted[at + 3 * k] += s3;
                        }
                        else
                        {
                            sorted[(long)p * k + c] += Rows1<TW, TV>(ref c0, (nuint)stride, d, p, lo, hi, ref t0, from);
                        }
                    }
                }
            }
            return column;
        }

        private double Distance(int a, int b)
        {
            double s = 0;
            for (int f = 0; f < d; f++)
            {
                double diff = cols[(long)f * stride + a] - cols[(long)f * stride + b];
                s += diff * diff;
            }
            return Math.Sqrt(s);
        }
    }

    /// <summary>
    /// The distances from sorted rows q, q+1, q+2, q+3 to the candidates [lo, hi): their four sums come
    /// back in s0..s3, and each candidate's four distances are added to column[j].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4<TW, TV>(ref double cols, nuint stride, int d, int q, int lo, int hi, ref double column, int columnOffset,
        out double s0, out double s1, out double s2, out double s3)
        where TW : struct, IWidth<TV>
        where TV : struct
    {
        TV a0 = TW.Zero, a1 = TW.Zero, a2 = TW.Zero, a3 = TW.Zero;
        ref double x0 = ref Unsafe.Add(ref cols, q);
        int j = lo;
        while (j < hi)
        {
            TV e0 = TW.Zero, e1 = TW.Zero, e2 = TW.Zero, e3 = TW.Zero;
            nuint at = (nuint)j, qt = 0;
            for (int f = 0; f < d; f++, at += stride, qt += stride)
            {
                // e_r += (x_j - x_{q+r})^2 for this feature, W candidates at once.
                TV xj = TW.Load(ref cols, at);
                ref double xq = ref Unsafe.Add(ref x0, qt);
                TV u0 = TW.Sub(xj, TW.Splat(xq));
                TV u1 = TW.Sub(xj, TW.Splat(Unsafe.Add(ref xq, 1)));
                TV u2 = TW.Sub(xj, TW.Splat(Unsafe.Add(ref xq, 2)));
                TV u3 = TW.Sub(xj, TW.Splat(Unsafe.Add(ref xq, 3)));
                e0 = TW.Fma(u0, u0, e0);
                e1 = TW.Fma(u1, u1, e1);
                e2 = TW.Fma(u2, u2, e2);
                e3 = TW.Fma(u3, u3, e3);
            }
            e0 = TW.Sqrt(e0);
            e1 = TW.Sqrt(e1);
            e2 = TW.Sqrt(e2);
            e3 = TW.Sqrt(e3);
            if (hi - j < TW.Count)
            {
                // The last, partial vector: drop the lanes past the range.
                int keep = hi - j;
                e0 = TW.KeepFirst(e0, keep);
                e1 = TW.KeepFirst(e1, keep);
                e2 = TW.KeepFirst(e2, keep);
                e3 = TW.KeepFirst(e3, keep);
            }
            a0 = TW.Add(a0, e0);
            a1 = TW.Add(a1, e1);
            a2 = TW.Add(a2, e2);
            a3 = TW.Add(a3, e3);
            nuint cj = (nuint)(j - columnOffset);
            TW.Store(TW.Add(TW.Load(ref column, cj), TW.Add(TW.Add(e0, e1), TW.Add(e2, e3))), ref column, cj);
            j += TW.Count;
        }
        s0 = TW.Sum(a0);
        s1 = TW.Sum(a1);
        s2 = TW.Sum(a2);
        s3 = TW.Sum(a3);
    }

    /// <summary>As <see cref="Rows4"/> for the single sorted row q; returns its sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Rows1<TW, TV>(ref double cols, nuint stride, int d, int q, int lo, int hi, ref double column, int columnOffset)
        where TW : struct, IWidth<TV>
        where TV : struct
    {
        TV a0 = TW.Zero;
        ref double x0 = ref Unsafe.Add(ref cols, q);
        for (int j = lo; j < hi; j += TW.Count)
        {
            TV e0 = TW.Zero;
            nuint at = (nuint)j, qt = 0;
            for (int f = 0; f < d; f++, at += stride, qt += stride)
            {
                TV u0 = TW.Sub(TW.Load(ref cols, at), TW.Splat(Unsafe.Add(ref x0, qt)));
                e0 = TW.Fma(u0, u0, e0);
            }
            e0 = TW.Sqrt(e0);
            if (hi - j < TW.Count) e0 = TW.KeepFirst(e0, hi - j);
            a0 = TW.Add(a0, e0);
            nuint cj = (nuint)(j - columnOffset);
            TW.Store(TW.Add(TW.Load(ref column, cj), e0), ref column, cj);
        }
        return TW.Sum(a0);
    }

    /// <summary>The few vector operations the kernel needs, for one width; the JIT specialises and inlines them.</summary>
    private interface IWidth<TV> where TV : struct
    {
        static abstract int Count { get; }
        static abstract TV Zero { get; }
        static abstract TV Load(ref double source, nuint index);
        static abstract void Store(TV value, ref double destination, nuint index);
        static abstract TV Splat(double value);
        static abstract TV Add(TV a, TV b);
        static abstract TV Sub(TV a, TV b);
        static abstract TV Fma(TV a, TV b, TV c);
        static abstract TV Sqrt(TV a);
        /// <summary>The first <paramref name="lanes"/> lanes of a, the rest zero.</summary>
        static abstract TV KeepFirst(TV a, int lanes);
        static abstract double Sum(TV a);
    }

    private readonly struct W8 : IWidth<Vector512<double>>
    {
        public static int Count => 8;
        public static Vector512<double> Zero => Vector512<double>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(ref double s, nuint i) => Vector512.LoadUnsafe(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> v, ref double s, nuint i) => v.StoreUnsafe(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Splat(double v) => Vector512.Create(v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sqrt(Vector512<double> a) => Vector512.Sqrt(a);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> KeepFirst(Vector512<double> a, int lanes) =>
            Vector512.ConditionalSelect(Vector512.LessThan(Vector512<double>.Indices, Vector512.Create((double)lanes)), a, Vector512<double>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector512<double> a) => Vector512.Sum(a);
    }

    private readonly struct W4 : IWidth<Vector256<double>>
    {
        public static int Count => 4;
        public static Vector256<double> Zero => Vector256<double>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(ref double s, nuint i) => Vector256.LoadUnsafe(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> v, ref double s, nuint i) => v.StoreUnsafe(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Splat(double v) => Vector256.Create(v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sub(Vector256<double> a, Vector256<double> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sqrt(Vector256<double> a) => Vector256.Sqrt(a);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> KeepFirst(Vector256<double> a, int lanes) =>
            Vector256.ConditionalSelect(Vector256.LessThan(Vector256<double>.Indices, Vector256.Create((double)lanes)), a, Vector256<double>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector256<double> a) => Vector256.Sum(a);
    }

    private readonly struct W2 : IWidth<Vector128<double>>
    {
        public static int Count => 2;
        public static Vector128<double> Zero => Vector128<double>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Load(ref double s, nuint i) => Vector128.LoadUnsafe(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<double> v, ref double s, nuint i) => v.StoreUnsafe(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Splat(double v) => Vector128.Create(v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Sub(Vector128<double> a, Vector128<double> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Fma(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Sqrt(Vector128<double> a) => Vector128.Sqrt(a);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> KeepFirst(Vector128<double> a, int lanes) =>
            Vector128.ConditionalSelect(Vector128.LessThan(Vector128<double>.Indices, Vector128.Create((double)lanes)), a, Vector128<double>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector128<double> a) => Vector128.Sum(a);
    }

    /// <summary>The scalar path: one candidate at a time, same arithmetic.</summary>
    private readonly struct W1 : IWidth<double>
    {
        public static int Count => 1;
        public static double Zero => 0;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(ref double s, nuint i) => Unsafe.Add(ref s, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double v, ref double s, nuint i) => Unsafe.Add(ref s, i) = v;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Splat(double v) => v;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sub(double a, double b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sqrt(double a) => Math.Sqrt(a);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double KeepFirst(double a, int lanes) => lanes > 0 ? a : 0;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(double a) => a;
    }
}
