using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using TorchSharp;

namespace DimReduce;

/// <summary>
/// A dense matrix of <see cref="double"/> values stored row by row: one row per sample, one column per
/// feature. It is the one matrix type of the library's public API; cheap adapters convert from
/// <c>double[,]</c>, <c>float[,]</c>, <c>double[][]</c>, a <see cref="DataFrame"/> and a TorchSharp tensor.
/// </summary>
/// <example>
/// <code>
/// var x = DataMatrix.FromRows(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } });
/// double v = x[1, 0]; // 3
/// </code>
/// </example>
public sealed class DataMatrix
{
    private readonly double[] _data;

    /// <summary>Creates a zero matrix of the given shape.</summary>
    public DataMatrix(int rows, int columns)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows is {rows}; it must be zero or more.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns is {columns}; it must be zero or more.");
        Rows = rows;
        Columns = columns;
        _data = new double[checked(rows * columns)];
    }

    /// <summary>Wraps a row-major array of <paramref name="rows"/> x <paramref name="columns"/> values (not copied).</summary>
    public DataMatrix(int rows, int columns, double[] rowMajor)
    {
        ArgumentNullException.ThrowIfNull(rowMajor);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows is {rows}; it must be zero or more.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns is {columns}; it must be zero or more.");
        if ((long)rows * columns != rowMajor.Length)
            throw new ArgumentException(
                $"rowMajor has {rowMajor.Length} values, but {rows} rows x {columns} columns need {(long)rows * columns}. Pass an array of exactly rows * columns values.",
                nameof(rowMajor));
        Rows = rows;
        Columns = columns;
        _data = rowMajor;
    }

    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>(Rows, Columns), as NumPy's <c>shape</c>.</summary>
    public (int Rows, int Columns) Shape => (Rows, Columns);

    /// <summary>Element at row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public double this[int row, int column]
    {
        get => _data[Index(row, column)];
        set => _data[Index(row, column)] = value;
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row is {row}, but the matrix has {Rows} rows (valid: 0 to {Rows - 1}).");
        if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column is {column}, but the matrix has {Columns} columns (valid: 0 to {Columns - 1}).");
        return row * Columns + column;
    }

    /// <summary>The values row by row, without a copy.</summary>
    public Span<double> AsSpan() => _data;

    /// <summary>One row, without a copy.</summary>
    public Span<double> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row is {row}, but the matrix has {Rows} rows (valid: 0 to {Rows - 1}).");
        return _data.AsSpan(row * Columns, Columns);
    }

    /// <summary>A copy of one column.</summary>
    public double[] Column(int column)
    {
        if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column is {column}, but the matrix has {Columns} columns (valid: 0 to {Columns - 1}).");
        var result = new double[Rows];
        for (int i = 0; i < Rows; i++) result[i] = _data[i * Columns + column];
        return result;
    }

    /// <summary>The backing row-major array (no copy). Internal code uses it for speed.</summary>
    internal double[] Data => _data;

    /// <summary>A deep copy.</summary>
    public DataMatrix Clone() => new(Rows, Columns, (double[])_data.Clone());

    /// <summary>The rows at the given indices, in that order, as a new matrix.</summary>
    public DataMatrix SelectRows(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var result = new DataMatrix(indices.Count, Columns);
        for (int k = 0; k < indices.Count; k++) Row(indices[k]).CopyTo(result.Row(k));
        return result;
    }

    /// <summary>The columns at the given indices, in that order, as a new matrix.</summary>
    public DataMatrix SelectColumns(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int c in indices)
            if ((uint)c >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(indices), c, $"column index {c} is out of range: the matrix has {Columns} columns.");
        var result = new DataMatrix(Rows, indices.Count);
        for (int i = 0; i < Rows; i++)
            for (int k = 0; k < indices.Count; k++)
                result._data[i * indices.Count + k] = _data[i * Columns + indices[k]];
        return result;
    }

    /// <summary>The transpose, as a new matrix.</summary>
    public DataMatrix Transpose()
    {
        var t = new DataMatrix(Columns, Rows);
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
                t._data[j * Rows + i] = _data[i * Columns + j];
        return t;
    }

    /// <summary>Copies into a new <c>double[,]</c>.</summary>
    public double[,] ToArray()
    {
        var a = new double[Rows, Columns];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
                a[i, j] = _data[i * Columns + j];
        return a;
    }

    /// <summary>Copies into a jagged array, one inner array per row.</summary>
    public double[][] ToJagged()
    {
        var a = new double[Rows][];
        for (int i = 0; i < Rows; i++) a[i] = Row(i).ToArray();
        return a;
    }

    /// <summary>Copies into a row-major <c>float[]</c>.</summary>
    public float[] ToFloatArray()
    {
        var a = new float[_data.Length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)_data[i];
        return a;
    }

    /// <summary>Copies a <c>double[,]</c>.</summary>
    public static DataMatrix FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int r = values.GetLength(0), c = values.GetLength(1);
        var m = new DataMatrix(r, c);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                m._data[i * c + j] = values[i, j];
        return m;
    }

    /// <summary>Copies a <c>float[,]</c>.</summary>
    public static DataMatrix FromArray(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int r = values.GetLength(0), c = values.GetLength(1);
        var m = new DataMatrix(r, c);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                m._data[i * c + j] = values[i, j];
        return m;
    }

    /// <summary>Copies rows given as arrays; every row must have the same length.</summary>
    /// <exception cref="ArgumentException">A row is null or its length differs from the first row's.</exception>
    public static DataMatrix FromRows(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return new DataMatrix(0, 0);
        int c = rows[0]?.Length ?? throw new ArgumentException("rows[0] is null. Every row must be an array of numbers.", nameof(rows));
        var m = new DataMatrix(rows.Count, c);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"rows[{i}] is null. Every row must be an array of numbers.", nameof(rows));
            if (row.Length != c)
                throw new ArgumentException(
                    $"rows[{i}] has {row.Length} values, but rows[0] has {c}. The rows are ragged: every row must have the same number of features.",
                    nameof(rows));
            row.CopyTo(m._data, i * c);
        }
        return m;
    }

    /// <summary>Copies rows given as <c>float</c> arrays; every row must have the same length.</summary>
    public static DataMatrix FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var d = new double[rows.Count][];
        for (int i = 0; i < rows.Count; i++)
            d[i] = rows[i] is null ? null! : Array.ConvertAll(rows[i], v => (double)v);
        return FromRows(d);
    }

    /// <summary>A single column matrix from a vector.</summary>
    public static DataMatrix FromColumn(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var m = new DataMatrix(values.Count, 1);
        for (int i = 0; i < values.Count; i++) m._data[i] = values[i];
        return m;
    }

    /// <summary>
    /// Copies the numeric columns of a <see cref="DataFrame"/> (all columns, or those named).
    /// Missing values become NaN, which estimators reject with a clear message.
    /// </summary>
    public static DataMatrix FromDataFrame(DataFrame frame, IReadOnlyList<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var cols = columns is null
            ? frame.Columns.ToList()
            : columns.Select(name => frame.Columns.IndexOf(name) >= 0
                ? frame.Columns[name]
                : throw new ArgumentException($"columns names '{name}', which the DataFrame does not have. Its columns are: {string.Join(", ", frame.Columns.Select(c => c.Name))}.", nameof(columns))).ToList();
        foreach (var col in cols)
            if (!IsNumeric(col.DataType))
                throw new ArgumentException(
                    $"Column '{col.Name}' holds {col.DataType.Name} values, not numbers. Pass only numeric columns (the columns argument selects them).",
                    nameof(frame));
        int rows = checked((int)frame.Rows.Count);
        var m = new DataMatrix(rows, cols.Count);
        for (int j = 0; j < cols.Count; j++)
            for (int i = 0; i < rows; i++)
            {
                object? v = cols[j][i];
                m._data[i * cols.Count + j] = v is null ? double.NaN : Convert.ToDouble(v, CultureInfo.InvariantCulture);
            }
        return m;
    }

    private static bool IsNumeric(Type t) =>
        t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) || t == typeof(short) ||
        t == typeof(byte) || t == typeof(sbyte) || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(decimal);

    /// <summary>A <see cref="DataFrame"/> with one <c>double</c> column per matrix column.</summary>
    /// <param name="columnNames">Column names; default <c>c1, c2, ...</c>.</param>
    public DataFrame ToDataFrame(IReadOnlyList<string>? columnNames = null)
    {
        if (columnNames is not null && columnNames.Count != Columns)
            throw new ArgumentException($"columnNames has {columnNames.Count} names, but the matrix has {Columns} columns. Pass one name per column.", nameof(columnNames));
        var frame = new DataFrame();
        for (int j = 0; j < Columns; j++)
            frame.Columns.Add(new DoubleDataFrameColumn(columnNames?[j] ?? $"c{j + 1}", Column(j)));
        return frame;
    }

    /// <summary>Copies a 2-D tensor (any floating or integer dtype, any device) into a new matrix.</summary>
    public static DataMatrix FromTensor(torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 2)
            throw new ArgumentException($"tensor has {tensor.dim()} dimensions (shape [{string.Join(", ", tensor.shape)}]); a DataMatrix needs exactly 2. Reshape it first, for example tensor.reshape(n, -1).", nameof(tensor));
        using var cpu = tensor.detach().to(torch.CPU).to_type(torch.ScalarType.Float64).contiguous();
        var data = cpu.data<double>().ToArray();
        return new DataMatrix((int)tensor.shape[0], (int)tensor.shape[1], data);
    }

    /// <summary>Copies the matrix into a new CPU tensor (float64 unless another type is asked for).</summary>
    public torch.Tensor ToTensor(torch.ScalarType dtype = torch.ScalarType.Float64)
    {
        var t = torch.tensor(_data, new long[] { Rows, Columns }, torch.ScalarType.Float64);
        return dtype == torch.ScalarType.Float64 ? t : t.to_type(dtype);
    }

    /// <summary>Copies a <c>double[,]</c>.</summary>
    public static implicit operator DataMatrix(double[,] values) => FromArray(values);

    /// <summary>Copies a <c>float[,]</c>.</summary>
    public static implicit operator DataMatrix(float[,] values) => FromArray(values);

    /// <summary>Copies a jagged array (rows must have equal length).</summary>
    public static implicit operator DataMatrix(double[][] rows) => FromRows(rows);

    /// <summary>A short description with the shape and the first rows.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"DataMatrix {Rows} x {Columns}");
        int shownRows = Math.Min(Rows, 5), shownCols = Math.Min(Columns, 8);
        for (int i = 0; i < shownRows; i++)
        {
            sb.AppendLine();
            sb.Append("  [");
            for (int j = 0; j < shownCols; j++)
            {
                if (j > 0) sb.Append(", ");
                sb.Append(_data[i * Columns + j].ToString("G6", CultureInfo.InvariantCulture));
            }
            if (shownCols < Columns) sb.Append(", ...");
            sb.Append(']');
        }
        if (shownRows < Rows) sb.AppendLine().Append("  ...");
        return sb.ToString();
    }
}
