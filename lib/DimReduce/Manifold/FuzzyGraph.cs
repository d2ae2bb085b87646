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

    /// <summary>Builds a CSR graph from triplets; duplicate (row, column) entries are summed and zeros dropped.</summary>
    internal static FuzzyGraph FromTriplets(int rows, int columns, int[] from, int[] to, double[] weight)
    {
        var order = new int[from.Length];
        for (int p = 0; p < order.Length; p++) order[p] = p;
        Array.Sort(order, (p, q) => from[p] != from[q] ? from[p].CompareTo(from[q]) : to[p] != to[q] ? to[p].CompareTo(to[q]) : p.CompareTo(q));
        var start = new int[rows + 1];
        var cols = new List<int>(from.Length);
        var vals = new List<double>(from.Length);
        var rowOf = new List<int>(from.Length);
        for (int t = 0; t < order.Length; t++)
        {
            int p = order[t];
            if (cols.Count > 0 && rowOf[^1] == from[p] && cols[^1] == to[p]) vals[^1] += weight[p];
            else { rowOf.Add(from[p]); cols.Add(to[p]); vals.Add(weight[p]); }
        }
        var keepCols = new List<int>(cols.Count);
        var keepVals = new List<double>(cols.Count);
        for (int e = 0; e < cols.Count; e++)
        {
            if (vals[e] == 0) continue;
            start[rowOf[e] + 1]++;
            keepCols.Add(cols[e]);
            keepVals.Add(vals[e]);
        }
        for (int i = 0; i < rows; i++) start[i + 1] += start[i];
        return new FuzzyGraph(rows, columns, start, keepCols.ToArray(), keepVals.ToArray());
    }
}
