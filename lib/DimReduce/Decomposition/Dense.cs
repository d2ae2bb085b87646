using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TorchSharp;
using static TorchSharp.torch;

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
    public static double[] ColumnMeans(DataMatrix x)
    {
        var sums = ChunkedColumnSums(x, null);
        for (int j = 0; j < sums.Length; j++) sums[j] /= x.Rows;
        return sums;
    }

    /// <summary>Population (ddof 0) standard deviations around <paramref name="mean"/>, chunked as <see cref="ColumnMeans"/>.</summary>
    public static double[] ColumnStd(DataMatrix x, double[] mean)
    {
        var squares = ChunkedColumnSums(x, mean);
        for (int j = 0; j < squares.Length; j++) squares[j] = Math.Sqrt(squares[j] / x.Rows);
        return squares;
    }

    /// <summary>Column sums of x (mean null) or of (x - mean)^2.</summary>
    private static double[] ChunkedColumnSums(DataMatrix x, double[]? mean)
    {
        int n = x.Rows, p = x.Columns;
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        var partial = new double[chunks][];
        var data = x.Data;
        Parallel.For(0, chunks, c =>
        {
            var acc = new double[p];
            var tmp = mean is null ? null : new double[p];
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int i = c * ChunkRows; i < end; i++)
            {
                var row = new ReadOnlySpan<double>(data, i * p, p);
                if (tmp is null)
                {
                    TensorPrimitives.Add(acc, row, acc);
                }
                else
                {
                    TensorPrimitives.Subtract(row, mean, tmp);
                    TensorPrimitives.MultiplyAdd(tmp, tmp, acc, acc);
                }
            }
            partial[c] = acc;
        });
        var total = new double[p];
        foreach (var acc in partial) TensorPrimitives.Add(total, acc, total);
        return total;
    }

    /// <summary>
    /// A new float64 tensor holding (x - mean) / scale: the data is copied once and centred (and
    /// scaled) in place. The caller disposes it.
    /// </summary>
    public static Tensor Centered(DataMatrix x, double[] mean, double[]? scale)
    {
        var t = x.ToTensor();
        using (var m = torch.tensor(mean, ScalarType.Float64)) t.sub_(m);
        if (scale is not null)
        {
            using var s = torch.tensor(scale, ScalarType.Float64);
            t.div_(s);
        }
        return t;
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
