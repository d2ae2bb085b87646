namespace DimReduce.Manifold;

/// <summary>
/// A sparse weighted graph in compressed sparse row (CSR) form: the 1-skeleton of UMAP's fuzzy simplicial set,
/// where the weight of edge (i, j) is the membership strength of the 1-simplex between points i and j.
/// Read-only: a notebook can list its edges, look up a weight, or turn a small graph into a dense matrix.
/// </summary>
/// <remarks>
/// Row i's entries are <c>ColumnIndices[RowStart[i] .. RowStart[i + 1]]</c> with matching <see cref="Weights"/>,
/// columns ascending, no zeros stored. The graph UMAP fits is symmetric (<see cref="Umap.Graph"/>); the graph
/// built for new points in <see cref="Umap.Transform"/> is bipartite (new points x training points).
/// </remarks>
public sealed class FuzzyGraph
{
    private readonly int[] _rowStart, _columns;
    private readonly double[] _weights;

    internal FuzzyGraph(int rows, int columns, int[] rowStart, int[] columnIndices, double[] weights)
    {
        Rows = rows;
        Columns = columns;
        _rowStart = rowStart;
        _columns = columnIndices;
        _weights = weights;
    }

    /// <summary>Number of rows (source vertices).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (target vertices); equals <see cref="Rows"/> for the fitted graph.</summary>
    public int Columns { get; }

    /// <summary>Number of stored (non-zero) entries; each undirected edge of a symmetric graph counts twice.</summary>
    public int EdgeCount => _weights.Length;

    /// <summary>Offsets of each row's entries, <see cref="Rows"/> + 1 values.</summary>
    public IReadOnlyList<int> RowStart => _rowStart;

    /// <summary>Column of each stored entry, row by row, ascending within a row.</summary>
    public IReadOnlyList<int> ColumnIndices => _columns;

    /// <summary>Weight of each stored entry, matching <see cref="ColumnIndices"/>.</summary>
    public IReadOnlyList<double> Weights => _weights;

    internal int[] RowStartArray => _rowStart;
    internal int[] ColumnArray => _columns;
    internal double[] WeightArray => _weights;

    /// <summary>The weight of edge (<paramref name="row"/>, <paramref name="column"/>), or 0 where none is stored.</summary>
    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row is {row}, but the graph has {Rows} rows. Pass 0 to {Rows - 1}.");
            if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column is {column}, but the graph has {Columns} columns. Pass 0 to {Columns - 1}.");
            int at = Array.BinarySearch(_columns, _rowStart[row], _rowStart[row + 1] - _rowStart[row], column);
            return at >= 0 ? _weights[at] : 0.0;
        }
    }

    /// <summary>Number of stored entries in <paramref name="row"/>.</summary>
    public int Degree(int row) => _rowStart[row + 1] - _rowStart[row];

    /// <summary>Every stored entry, row by row.</summary>
    public IEnumerable<GraphEdge> Edges()
    {
        for (int i = 0; i < Rows; i++)
            for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++)
                yield return new GraphEdge(i, _columns[p], _weights[p]);
    }

    /// <summary>The graph as a dense matrix (Rows x Columns); meant for small graphs in a notebook.</summary>
    public DataMatrix ToDense()
    {
        var m = new DataMatrix(Rows, Columns);
        for (int i = 0; i < Rows; i++)
            for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++)
                m.Data[i * Columns + _columns[p]] = _weights[p];
        return m;
    }

    /// <summary>Builds a CSR graph from triplets; duplicate (row, column) entries are summed (in triplet order) and zeros dropped.</summary>
    internal static FuzzyGraph FromTriplets(int rows, int columns, int[] from, int[] to, double[] weight)
    {
        var (rowStart, cols, vals) = SumTriplets(rows, from, to, weight);
        return new FuzzyGraph(rows, columns, rowStart, cols, vals);
    }

    /// <summary>
    /// Triplets as CSR rows, columns ascending: duplicate (row, column) entries summed from zero in triplet order, in
    /// the precision of <typeparamref name="T"/>, and entries whose sum is zero dropped.
    /// </summary>
    internal static (int[] RowStart, int[] Columns, T[] Values) SumTriplets<T>(int rows, int[] from, int[] to, T[] values)
        where T : struct, System.Numerics.INumber<T>
    {
        var (start, order) = SortTriplets(rows, from, to);
        var rowStart = new int[rows + 1];
        var cols = new int[order.Length];
        var vals = new T[order.Length];
        int count = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int s = start[i]; s < start[i + 1];)
            {
                int column = to[order[s]];
                T sum = T.Zero;
                for (; s < start[i + 1] && to[order[s]] == column; s++) sum += values[order[s]];
                if (T.IsZero(sum)) continue;
                cols[count] = column;
                vals[count++] = sum;
            }
            rowStart[i + 1] = count;
        }
        return (rowStart, cols[..count], vals[..count]);
    }

    /// <summary>
    /// The triplets in CSR order: <c>Start</c> (rows + 1 offsets) and, per slot, the index of the triplet in it,
    /// sorted by (row, column, triplet index). A counting sort by row, then each row sorted on its own.
    /// </summary>
    private static (int[] Start, int[] Order) SortTriplets(int rows, int[] from, int[] to)
    {
        var start = new int[rows + 1];
        foreach (int r in from) start[r + 1]++;
        for (int i = 0; i < rows; i++) start[i + 1] += start[i];
        var next = start[..rows];
        var order = new int[from.Length];
        for (int p = 0; p < from.Length; p++) order[next[from[p]]++] = p;
        Parallel.For(0, (rows + 1023) / 1024, block =>
        {
            var keys = new List<long>();
            for (int i = block * 1024, end = Math.Min(rows, i + 1024); i < end; i++)
            {
                int s0 = start[i], length = start[i + 1] - s0;
                if (length < 2) continue;
                keys.Clear();
                for (int s = s0; s < s0 + length; s++) keys.Add(((long)to[order[s]] << 32) | (uint)order[s]);
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys);
                span.Sort();
                for (int s = 0; s < length; s++) order[s0 + s] = (int)(uint)span[s];
            }
        });
        return (start, order);
    }
}
