using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace DimReduce.Decomposition;

/// <summary>
/// Dense building blocks shared by the decomposition estimators: deterministic column statistics,
/// centred libtorch copies of the data, conversions and the sign conventions of scikit-learn's
/// <c>svd_flip</c>.
/// </summary>
internal static class Dense
{
    private const int ChunkRows = 512;

    /// <summary>
    /// Column means, summed in fixed row chunks reduced in chunk order, so the result does not depend
    /// on the thread count.
    /// </summary>
    public static double[] ColumnMeans(DataMatrix x) => Scan(x, integers: false).Mean;

    /// <summary>What one pass over the data finds: the column means (as <see cref="ColumnMeans"/>) and, when asked for, the integer facts of <see cref="IntegerScan"/> (null when some value is not an integer).</summary>
    internal sealed record ColumnScan(double[] Mean, IntegerScan? Integers);

    /// <summary>
    /// One parallel pass over the data in fixed row chunks (<see cref="ChunkRows"/> rows, reduced in chunk order):
    /// the column sums, hence the means, exactly as <see cref="ColumnMeans"/> computes them, and, when
    /// <paramref name="integers"/> is set, whether every value is an integer (x == floor(x)) with the per-column
    /// minimum, maximum and largest magnitude that the exact integer Gram route needs. The integer test stops
    /// at the first fractional value; the sums go on.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static ColumnScan Scan(DataMatrix x, bool integers)
    {
        int n = x.Rows, p = x.Columns;
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        var mins = new double[chunks][];
        var maxs = new double[chunks][];
        var sums = new double[chunks][];
        int fractional = integers ? 0 : 1;
        var data = x.Data;
        Parallel.For(0, chunks, ci =>
        {
            var sum = new double[p];
            double[]? min = null, max = null;
            int first = ci * ChunkRows, end = Math.Min(n, first + ChunkRows);
            if (Volatile.Read(ref fractional) == 0)
            {
                min = new ReadOnlySpan<double>(data, first * p, p).ToArray();
                max = new ReadOnlySpan<double>(data, first * p, p).ToArray();
            }
            for (int i = first; i < end; i++)
            {
                var row = new ReadOnlySpan<double>(data, i * p, p);
                if (min is null || max is null)
                {
                    TensorPrimitives.Add(sum, row, sum);
                }
                else if (!AccumulateIntegerRow(row, sum, min, max) || Volatile.Read(ref fractional) != 0)
                {
                    Volatile.Write(ref fractional, 1);
                    min = max = null;
                }
            }
            sums[ci] = sum;
            mins[ci] = min!;
            maxs[ci] = max!;
        });
        var total = new double[p];
        for (int ci = 0; ci < chunks; ci++) TensorPrimitives.Add(total, sums[ci], total);
        var mean = new double[p];
        for (int j = 0; j < p; j++) mean[j] = total[j] / n;
        if (fractional != 0) return new ColumnScan(mean, null);
        var totalMin = mins[0];
        var totalMax = maxs[0];
        for (int ci = 1; ci < chunks; ci++)
        {
            TensorPrimitives.Min(totalMin, mins[ci], totalMin);
            TensorPrimitives.Max(totalMax, maxs[ci], totalMax);
        }
        double maxAbs = Math.Max(TensorPrimitives.MaxMagnitude(totalMin), TensorPrimitives.MaxMagnitude(totalMax));
        return new ColumnScan(mean, new IntegerScan(totalMin, totalMax, total, Math.Abs(maxAbs)));
    }

    /// <summary>Population (ddof 0) standard deviations around <paramref name="mean"/>, chunked as <see cref="ColumnMeans"/>.</summary>
    public static double[] ColumnStd(DataMatrix x, double[] mean)
    {
        var squares = ChunkedColumnSums(x, mean);
        for (int j = 0; j < squares.Length; j++) squares[j] = Math.Sqrt(squares[j] / x.Rows);
        return squares;
    }

    /// <summary>Column sums of (x - mean)^2, chunked as <see cref="Scan"/>.</summary>
    private static double[] ChunkedColumnSums(DataMatrix x, double[] mean)
    {
        int n = x.Rows, p = x.Columns;
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        var partial = new double[chunks][];
        var data = x.Data;
        Parallel.For(0, chunks, c =>
        {
            var acc = new double[p];
            var tmp = new double[p];
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int i = c * ChunkRows; i < end; i++)
            {
                TensorPrimitives.Subtract(new ReadOnlySpan<double>(data, i * p, p), mean, tmp);
                TensorPrimitives.MultiplyAdd(tmp, tmp, acc, acc);
            }
            partial[c] = acc;
        });
        var total = new double[p];
        foreach (var acc in partial) TensorPrimitives.Add(total, acc, total);
        return total;
    }

    /// <summary>
    /// A new float64 tensor holding (x - mean) / scale, written by libtorch in one pass from a zero-copy view of
    /// x (no intermediate managed copy). The caller disposes it.
    /// </summary>
    public static Tensor Centered(DataMatrix x, double[] mean, double[]? scale)
    {
        using var view = new PinnedView(x);
        using var m = torch.tensor(mean, ScalarType.Float64);
        var t = view.Tensor.sub(m);
        if (scale is not null)
        {
            using var s = torch.tensor(scale, ScalarType.Float64);
            t.div_(s);
        }
        return t;
    }

    /// <summary>Target size of one centred row chunk in <see cref="Gram"/> and <see cref="CenteredScoresTransposed"/>: 16 MiB, so a chunk stays in the last-level cache while it is multiplied.</summary>
    private const long ChunkBytes = 16L << 20;

    /// <summary>
    /// Target width of the column blocks of <see cref="Gram"/>: 196 columns (4 blocks for 784 features,
    /// 62.5% of the full product's work). Narrower blocks do less arithmetic but make BLAS slower per operation;
    /// on 70,000 x 784 (2 cores) 196 was fastest: 0.78 s against 0.98 s for 96 and 1.17 s for one full product.
    /// </summary>
    private const int GramBlockWidth = 196;

    /// <summary>
    /// Target width of the column blocks of the integer route's float32 products: 112 columns (7 blocks for 784 features,
    /// 57% of the full product's work). On 70,000 x 784 (2 cores, MKL) widths from 96 to 144 ran the products in
    /// 370-385 ms, 196 in 400 ms and 64 or 224 in about 405 ms.
    /// </summary>
    private const int IntegerGramBlockWidth = 112;

    /// <summary>Rows per chunk for p features (at least 64).</summary>
    private static int GramChunkRows(int n, int p) => (int)Math.Min(n, Math.Max(64, ChunkBytes / (8L * p)));

    /// <summary>
    /// The Gram matrix X_c^T X_c (p x p, float64, symmetric) of the centred, optionally scaled, data
    /// X_c = (x - mean) / scale, without materialising X_c: rows are centred chunk by chunk into one small
    /// buffer (<see cref="ChunkBytes"/>), and each chunk adds its contribution to the lower triangle (and the diagonal blocks) only,
    /// as column-block products C[I, 0..I] += X_c[:, I]^T X_c[:, 0..I] on libtorch (BLAS gemm), which does
    /// about (b + 1) / (2 b) of the work of the full product for b blocks (BLAS's syrk, which libtorch does not expose, does half). The upper
    /// triangle is then mirrored from the lower one. Chunks are added in a fixed order, so the result does not depend on timing.
    /// The caller disposes the result.
    /// </summary>
    /// <remarks>
    /// With the integer facts of <see cref="Scan"/> (null when it found a fraction or was not asked), the exact integer
    /// route (<see cref="IntegerGram"/>) is tried first; <see cref="GramResult.Integer"/> says which route ran.
    /// </remarks>
    public static GramResult Gram(DataMatrix x, double[] mean, double[]? scale, IntegerScan? integers)
    {
        if (integers is not null && IntegerGram(x, scale, integers) is { } exact) return exact;
        return new GramResult(Float64CenteredGram(x, mean, scale), null, 0);
    }

    /// <summary>
    /// A centred Gram matrix (p x p, float64) and, from the integer route, its integer offset per column and a bound on
    /// the length of every shifted row, ||x_i - offset||_2 (null and 0 for the float64 route). Disposing it disposes
    /// the matrix.
    /// </summary>
    internal sealed record GramResult(Tensor Gram, double[]? Offset, double ShiftedRowBound) : IDisposable
    {
        /// <summary>Whether the exact integer route formed <see cref="Gram"/>.</summary>
        public bool Integer => Offset is not null;

        public void Dispose() => Gram.Dispose();
    }

    /// <summary>The float64 route of <see cref="Gram"/>, for any finite data.</summary>
    private static Tensor Float64CenteredGram(DataMatrix x, double[] mean, double[]? scale)
    {
        int n = x.Rows, p = x.Columns;
        int blocks = Math.Max(1, (p + GramBlockWidth - 1) / GramBlockWidth);
        int width = (p + blocks - 1) / blocks;
        var gram = torch.zeros(p, p, ScalarType.Float64);
        ForEachCenteredChunk(x, mean, scale, (_, chunk) =>
        {
            for (int start = 0; start < p; start += width)
            {
                int w = Math.Min(width, p - start);
                using var block = chunk.narrow(1, start, w);
                using var blockT = block.t();
                using var left = chunk.narrow(1, 0, start + w);
                using var rows = gram.narrow(0, start, w);
                using var target = rows.narrow(1, 0, start + w);
                target.addmm_(blockT, left);
            }
        });
        // The diagonal blocks were computed whole; keep the lower triangle and mirror it.
        using (gram)
        {
            using var lower = gram.tril();
            using var strict = gram.tril(-1);
            using var upper = strict.t();
            return lower.add(upper);
        }
    }

    /// <summary>Exactly representable integers in float32 (2^24) and float64 (2^53).</summary>
    private const double Float32Exact = 16777216.0, Float64Exact = 9007199254740992.0;

    /// <summary>Fewest rows per float32 chunk for which the integer route is worth taking.</summary>
    private const int IntegerMinChunkRows = 64;

    /// <summary>
    /// The integer facts of one scan of the data (<see cref="Scan"/>, when every value is an integer): per-column
    /// minimum, maximum and sum (exact for integers), and the largest magnitude.
    /// </summary>
    internal sealed record IntegerScan(double[] Min, double[] Max, double[] Sum, double MaxAbs);

    /// <summary>
    /// The centred Gram matrix X_c^T X_c, exactly as its float64 entries round, for data whose values are all
    /// integers of small magnitude (8-bit images and similar); null when the data does not qualify, and the caller
    /// takes the float64 route. With an integer offset c_j per column (the midpoint of its range, so the shifted
    /// values Y = X - c have magnitude at most M, 128 for 0..255 data), S = Y^T Y is accumulated over chunks of
    /// r rows with r M^2 &lt; 2^24: every product and every partial sum a float32 matrix product can form, in any
    /// order, is an integer of magnitude below 2^24, so float32 computes each chunk's S exactly, and adding the
    /// chunks in float64 stays exact while n M^2 &lt; 2^53. With the exact column sums T of Y, n X_c^T X_c =
    /// n S - T T^T (centring does not depend on the offset), whose terms are integers below 2^52 when n^2 M^2 &lt; 2^52,
    /// so the only rounding is the final division by n (and, with <paramref name="scale"/>, the division by
    /// scale_i scale_j). Chunks are added in row order, so the result is deterministic.
    /// </summary>
    private static GramResult? IntegerGram(DataMatrix x, double[]? scale, IntegerScan scan)
    {
        int n = x.Rows, p = x.Columns;
        if (scan.MaxAbs >= Float32Exact || (double)n * scan.MaxAbs >= Float64Exact) return null;
        var offset = new double[p];
        double m = 0, rowBound = 0;
        for (int j = 0; j < p; j++)
        {
            offset[j] = Math.Floor((scan.Min[j] + scan.Max[j]) / 2);
            double magnitude = Math.Max(scan.Max[j] - offset[j], offset[j] - scan.Min[j]);
            m = Math.Max(m, magnitude);
            rowBound += magnitude * magnitude;
        }
        double m2 = Math.Max(1, m * m);
        if (m2 >= Float32Exact / IntegerMinChunkRows || (double)n * n * m2 >= Float64Exact / 2) return null;
        int rows = (int)Math.Min(n, Math.Floor((Float32Exact - 1) / m2));

        int blocks = Math.Max(1, (p + IntegerGramBlockWidth - 1) / IntegerGramBlockWidth);
        int width = (p + blocks - 1) / blocks;
        // The block products C[I, 0..I] (w x (b + w) each) packed one after another in one float32 buffer, reused by
        // every chunk, and added to a packed float64 total with one contiguous add per chunk.
        var starts = new List<(int B, int W, long At)>();
        long packed = 0;
        for (int b = 0; b < p; b += width)
        {
            int w = Math.Min(width, p - b);
            starts.Add((b, w, packed));
            packed += (long)w * (b + w);
        }
        var gram = torch.zeros(p, p, ScalarType.Float64);
        using (var total = torch.zeros(packed, ScalarType.Float64))
        using (var products = torch.empty(packed, ScalarType.Float32))
        {
            ForEachShiftedChunk(x, offset, rows, (_, chunk) =>
            {
                foreach (var (b, w, at) in starts)
                {
                    using var columns = chunk.narrow(1, b, w);
                    using var columnsT = columns.t();
                    using var left = chunk.narrow(1, 0, b + w);
                    using var slot = products.narrow(0, at, (long)w * (b + w));
                    using var product = slot.view(w, b + w);
                    product.addmm_(columnsT, left, beta: 0);
                }
                total.add_(products);
            });
            foreach (var (b, w, at) in starts)
            {
                using var slot = total.narrow(0, at, (long)w * (b + w));
                using var block = slot.view(w, b + w);
                using var target = gram.narrow(0, b, w).narrow(1, 0, b + w);
                target.copy_(block);
            }
        }
        // T_j = sum_i (x_ij - c_j), exact; then (n S - T T^T) / n on the lower triangle, mirrored.
        var t = new double[p];
        for (int j = 0; j < p; j++) t[j] = scan.Sum[j] - n * offset[j];
        using (gram)
        {
            using var tt = torch.tensor(t, ScalarType.Float64);
            using var outer = tt.outer(tt);
            using var scaled = gram.mul(n);
            scaled.sub_(outer);
            scaled.div_(n);
            if (scale is not null)
            {
                using var s = torch.tensor(scale, ScalarType.Float64);
                using var ss = s.outer(s);
                scaled.div_(ss);
            }
            using var lower = scaled.tril();
            using var strict = scaled.tril(-1);
            using var upper = strict.t();
            return new GramResult(lower.add(upper), offset, Math.Sqrt(rowBound));
        }
    }

    /// <summary>
    /// Adds a row to the column sums and folds it into the column minima and maxima, in one vectorised pass; returns
    /// whether every value of the row is an integer (x == floor(x), false for NaN).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool AccumulateIntegerRow(ReadOnlySpan<double> row, Span<double> sum, Span<double> min, Span<double> max)
    {
        int i = 0;
        bool integral = true;
        if (Vector.IsHardwareAccelerated)
        {
            var rows = MemoryMarshal.Cast<double, Vector<double>>(row);
            var sums = MemoryMarshal.Cast<double, Vector<double>>(sum);
            var mins = MemoryMarshal.Cast<double, Vector<double>>(min);
            var maxs = MemoryMarshal.Cast<double, Vector<double>>(max);
            var equal = Vector<long>.AllBitsSet;
            for (int q = 0; q < rows.Length; q++)
            {
                var v = rows[q];
                sums[q] += v;
                mins[q] = Vector.Min(mins[q], v);
                maxs[q] = Vector.Max(maxs[q], v);
                equal &= Vector.Equals(v, Vector.Floor(v));
            }
            integral = Vector.EqualsAll(equal, Vector<long>.AllBitsSet);
            i = rows.Length * Vector<double>.Count;
        }
        for (; i < row.Length; i++)
        {
            double v = row[i];
            sum[i] += v;
            min[i] = Math.Min(min[i], v);
            max[i] = Math.Max(max[i], v);
            integral &= v == Math.Floor(v);
        }
        return integral;
    }

    /// <summary>
    /// The transposed scores (X_c V)^T = V^T X_c^T (k x n, row-major, one row per column of
    /// <paramref name="v"/>) of the centred, optionally scaled, data for a p x k tensor <paramref name="v"/>,
    /// computed chunk by chunk as <see cref="Gram"/> (no n x p copy). The k x n orientation keeps the
    /// product's long dimension in BLAS's fast position and each component's scores contiguous.
    /// </summary>
    public static double[] CenteredScoresTransposed(DataMatrix x, double[] mean, double[]? scale, Tensor v)
    {
        int n = x.Rows, k = (int)v.shape[1];
        var result = new double[(long)k * n];
        using var flat = torch.from_array(result);
        using var output = flat.view(k, n);
        using var vt = v.to_type(ScalarType.Float64).t().contiguous();
        ForEachCenteredChunk(x, mean, scale, (start, chunk) =>
        {
            using var chunkT = chunk.t();
            using var product = vt.matmul(chunkT);
            using var target = output.narrow(1, start, chunk.shape[0]);
            target.copy_(product);
        });
        return result;
    }

    /// <summary>Most rows per component that <see cref="ScoreSigns"/> recomputes in float64 before it gives up.</summary>
    private const int SignCandidateLimit = 4096;

    /// <summary>Rows per float32 chunk of <see cref="ScoreSigns"/>: 1,024 (3 MiB for 784 features; 1,024 ran 8% faster than 4,096 and 25% faster than 16,384 on 70,000 x 784).</summary>
    private const int SignChunkRows = 1024;

    /// <summary>
    /// The u-based signs of the scores X_c v_k (the sign of each component's score of largest magnitude, the first on
    /// ties: <see cref="RowSignsFirstMax"/> on the float64 scores) for data that took the integer route, at about
    /// two thirds of the cost of the float64 scores. Chunk by chunk, the rows are shifted by the integer offsets c in
    /// float32 (Y = x - c, exact) and multiplied by w = v / scale rounded to float32: s~_i = fl(y_i . w) - delta with
    /// delta = (mean - c) . w in float64. Y is exact, so |s~_i - s_i| &lt;= E = (gamma_p + 2u) ||y_i||_2 ||w||_2 for
    /// any summation order (Higham 2002, section 3.1; u = 2^-24, gamma_p = p u / (1 - p u)), with ||y_i||_2 bounded
    /// from the column ranges (<see cref="GramResult.ShiftedRowBound"/>). Only rows within 2E of the largest |s~| can
    /// hold the largest |s|: their scores are recomputed in float64, and they decide the sign. Null when the Gram
    /// matrix took the float64 route, or when some component has more than <see cref="SignCandidateLimit"/> such rows
    /// (scores all near zero); the caller then computes the float64 scores.
    /// </summary>
    public static double[]? ScoreSigns(DataMatrix x, double[] mean, double[]? scale, GramResult gram, Tensor v)
    {
        if (gram.Offset is not { } offset) return null;
        int n = x.Rows, p = x.Columns, k = (int)v.shape[1];
        var axes = Values(v); // p x k, row-major
        var w = new float[p * k]; // p x k: w_c = v_c / scale
        var norms = new double[k];
        var delta = new double[k];
        for (int j = 0; j < p; j++)
            for (int c = 0; c < k; c++)
            {
                double value = scale is null ? axes[j * k + c] : axes[j * k + c] / scale[j];
                w[j * k + c] = (float)value;
                norms[c] += value * value;
                delta[c] += (mean[j] - offset[j]) * value;
            }

        // The float32 scores, k x n in managed memory (each component's scores contiguous).
        var approx = new float[(long)k * n];
        using (var weights = torch.tensor(w, new long[] { p, k }, ScalarType.Float32))
        using (var flat = torch.from_array(approx))
        using (var output = flat.view(k, n))
        {
            ForEachShiftedChunk(x, offset, SignChunkRows, (start, chunk) =>
            {
                using var product = chunk.matmul(weights); // len x k
                using var productT = product.t();
                using var target = output.narrow(1, start, chunk.shape[0]);
                target.copy_(productT);
            });
        }

        double rowNorm = gram.ShiftedRowBound;
        const double u = 1.0 / (1 << 24);
        double gamma = p * u / (1 - p * u);
        var signs = new double[k];
        var candidates = new List<int>();
        var data = x.Data;
        for (int c = 0; c < k; c++)
        {
            var scores = new ReadOnlySpan<float>(approx, c * n, n);
            double largest = 0;
            foreach (float f in scores) largest = Math.Max(largest, Math.Abs(f - delta[c]));
            // The bound, with 1% and a float64 slack on top.
            double e = 1.01 * (gamma + 2 * u) * rowNorm * Math.Sqrt(norms[c]) + 1e-12 * (Math.Abs(delta[c]) + largest);
            double threshold = largest - 2 * e;
            candidates.Clear();
            for (int i = 0; i < n; i++)
                if (Math.Abs(scores[i] - delta[c]) >= threshold)
                {
                    if (candidates.Count == SignCandidateLimit) return null;
                    candidates.Add(i);
                }
            double best = -1, value = 0;
            foreach (int i in candidates)
            {
                double exact = 0;
                for (int j = 0; j < p; j++)
                {
                    double centred = data[(long)i * p + j] - mean[j];
                    if (scale is not null) centred /= scale[j];
                    exact += centred * axes[j * k + c];
                }
                if (Math.Abs(exact) > best) { best = Math.Abs(exact); value = exact; }
            }
            signs[c] = value < 0 ? -1 : 1;
        }
        return signs;
    }

    /// <summary>
    /// Calls <paramref name="body"/>(first row, chunk) for consecutive row chunks of (x - mean) / scale, in row
    /// order. The chunk tensor is a reused buffer, valid only during the call.
    /// </summary>
    private static void ForEachCenteredChunk(DataMatrix x, double[] mean, double[]? scale, Action<int, Tensor> body) =>
        ForEachChunk(x, mean, scale, GramChunkRows(x.Rows, x.Columns), ScalarType.Float64, body);

    /// <summary>
    /// Calls <paramref name="body"/>(first row, chunk) for consecutive chunks of at most <paramref name="rows"/> rows of
    /// x - <paramref name="offset"/> in float32, in row order: the integer route's exact copy of the data, in one
    /// reused buffer, valid only during the call.
    /// </summary>
    private static void ForEachShiftedChunk(DataMatrix x, double[] offset, int rows, Action<int, Tensor> body) =>
        ForEachChunk(x, offset, null, rows, ScalarType.Float32, body);

    /// <summary>
    /// The loop of <see cref="ForEachCenteredChunk"/> and <see cref="ForEachShiftedChunk"/>: rows are copied by libtorch
    /// into one reused buffer of <paramref name="type"/>, shifted and, with <paramref name="scale"/>, divided, in that type.
    /// </summary>
    private static void ForEachChunk(DataMatrix x, double[] shift, double[]? scale, int rows, ScalarType type, Action<int, Tensor> body)
    {
        int n = x.Rows, p = x.Columns;
        using var view = new PinnedView(x);
        using var m = torch.tensor(shift, type);
        using var s = scale is null ? null : torch.tensor(scale, type);
        using var buffer = torch.empty(Math.Min(n, rows), p, type);
        for (int start = 0; start < n; start += rows)
        {
            int len = Math.Min(rows, n - start);
            using var source = view.Tensor.narrow(0, start, len);
            using var chunk = buffer.narrow(0, 0, len);
            chunk.copy_(source);
            chunk.sub_(m);
            if (s is not null) chunk.div_(s);
            body(start, chunk);
        }
    }

    /// <summary>
    /// A read-only n x p float64 tensor over the matrix's own array (pinned while the view lives; no copy).
    /// Nothing may write through it: it is the caller's data.
    /// </summary>
    private sealed class PinnedView : IDisposable
    {
        private readonly Tensor _flat;

        public PinnedView(DataMatrix x)
        {
            _flat = torch.from_array(x.Data);
            Tensor = _flat.view(x.Rows, x.Columns);
        }

        public Tensor Tensor { get; }

        public void Dispose()
        {
            Tensor.Dispose();
            _flat.Dispose();
        }
    }

    /// <summary>A tensor's values (any shape) as a managed array.</summary>
    public static double[] Values(Tensor t)
    {
        using var c = t.to_type(ScalarType.Float64).contiguous();
        return c.data<double>().ToArray();
    }

    /// <summary>A 2-D tensor as a matrix.</summary>
    public static DataMatrix Matrix(Tensor t) => new((int)t.shape[0], (int)t.shape[1], Values(t));

    /// <summary>A matrix as a float64 tensor (a copy).</summary>
    public static Tensor Tensor(DataMatrix m) => m.ToTensor();

    /// <summary>A vector as a float64 tensor (a copy).</summary>
    public static Tensor Tensor(double[] v) => torch.tensor(v, ScalarType.Float64);

    /// <summary>
    /// Sign per column of a row-major rows x cols matrix so that the entry of largest magnitude
    /// (the first one on ties) becomes positive: scikit-learn's <c>svd_flip</c> with
    /// <c>u_based_decision=True</c> applied to U.
    /// </summary>
    public static double[] ColumnSigns(double[] u, int rows, int cols)
    {
        var signs = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            double best = -1, value = 0;
            for (int i = 0; i < rows; i++)
            {
                double v = u[i * cols + j];
                if (Math.Abs(v) > best) { best = Math.Abs(v); value = v; }
            }
            signs[j] = value < 0 ? -1 : 1;
        }
        return signs;
    }

    /// <summary>
    /// Sign per row of a row-major rows x cols matrix so that the entry of largest magnitude (the first one on
    /// ties) becomes positive: <see cref="ColumnSigns"/> applied to the transpose.
    /// </summary>
    public static double[] RowSignsFirstMax(double[] m, int rows, int cols)
    {
        var signs = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = new ReadOnlySpan<double>(m, i * cols, cols);
            double best = -1, value = 0;
            for (int j = 0; j < row.Length; j++)
                if (Math.Abs(row[j]) > best) { best = Math.Abs(row[j]); value = row[j]; }
            signs[i] = value < 0 ? -1 : 1;
        }
        return signs;
    }

    /// <summary>Sign per row so that each row's entry of largest magnitude is positive (<c>svd_flip</c>, v-based).</summary>
    public static double[] RowSigns(double[] v, int rows, int cols)
    {
        var signs = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = new ReadOnlySpan<double>(v, i * cols, cols);
            int k = TensorPrimitives.IndexOfMaxMagnitude(row);
            signs[i] = row[k] < 0 ? -1 : 1;
        }
        return signs;
    }

    /// <summary>Multiplies each column j of a row-major matrix by signs[j].</summary>
    public static void ScaleColumns(double[] m, int rows, int cols, double[] signs)
    {
        for (int i = 0; i < rows; i++)
            TensorPrimitives.Multiply(new ReadOnlySpan<double>(m, i * cols, cols), signs, new Span<double>(m, i * cols, cols));
    }

    /// <summary>Multiplies each row i of a row-major matrix by signs[i].</summary>
    public static void ScaleRows(double[] m, int cols, double[] signs)
    {
        for (int i = 0; i < signs.Length; i++)
        {
            var row = new Span<double>(m, i * cols, cols);
            TensorPrimitives.Multiply(row, signs[i], row);
        }
    }

    /// <summary>
    /// ((x - mean) / scale) @ axes^T, then divided column-wise by <paramref name="divisor"/> when given.
    /// Written with SIMD dot products row by row rather than on libtorch, whose matrix product can differ in
    /// the last bit from call to call: each output element has one fixed summation order, so a model gives
    /// bit-identical output on every call, whatever the thread count, and so does a saved and loaded copy.
    /// </summary>
    public static DataMatrix Project(DataMatrix x, double[] mean, double[]? scale, DataMatrix axes, double[]? divisor)
    {
        int n = x.Rows, p = x.Columns, k = axes.Rows;
        var z = new DataMatrix(n, k);
        var xd = x.Data;
        var ad = axes.Data;
        var zd = z.Data;
        Parallel.For(0, (n + ChunkRows - 1) / ChunkRows, () => new double[p], (c, _, tmp) =>
        {
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int i = c * ChunkRows; i < end; i++)
            {
                TensorPrimitives.Subtract(new ReadOnlySpan<double>(xd, i * p, p), mean, tmp);
                if (scale is not null) TensorPrimitives.Divide(tmp, scale, tmp);
                for (int j = 0; j < k; j++)
                {
                    double v = TensorPrimitives.Dot(tmp, new ReadOnlySpan<double>(ad, j * p, p));
                    zd[i * k + j] = divisor is null ? v : v / divisor[j];
                }
            }
            return tmp;
        }, _ => { });
        return z;
    }

    /// <summary>(z * multiplier) @ axes * scale + mean: the inverse of <see cref="Project"/> within the span of the axes (same fixed order per element).</summary>
    public static DataMatrix Unproject(DataMatrix z, double[] mean, double[]? scale, DataMatrix axes, double[]? multiplier)
    {
        int n = z.Rows, k = z.Columns, p = axes.Columns;
        var x = new DataMatrix(n, p);
        var zd = z.Data;
        var ad = axes.Data;
        var xd = x.Data;
        Parallel.For(0, (n + ChunkRows - 1) / ChunkRows, c =>
        {
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int i = c * ChunkRows; i < end; i++)
            {
                var row = new Span<double>(xd, i * p, p);
                for (int j = 0; j < k; j++)
                {
                    double w = multiplier is null ? zd[i * k + j] : zd[i * k + j] * multiplier[j];
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(ad, j * p, p), w, row, row);
                }
                if (scale is not null) TensorPrimitives.Multiply(row, scale, row);
                TensorPrimitives.Add(row, mean, row);
            }
        });
        return x;
    }

    /// <summary>Throws when z does not have <paramref name="components"/> columns (InverseTransform input).</summary>
    public static void CheckComponents(DataMatrix? z, int components, string paramName, string estimator)
    {
        if (z is null) throw new ArgumentNullException(paramName, $"{paramName} is null. Pass the reduced data, one row per sample.");
        if (z.Columns != components)
            throw new ArgumentException(
                $"{paramName} has {z.Columns} columns, but this {estimator} has {components} components. Pass data with one column per component, as returned by Transform.",
                paramName);
        if (z.Rows == 0) throw new ArgumentException($"{paramName} is empty (0 rows). Pass at least one row.", paramName);
        Check.Finite(z, paramName);
    }
}
