namespace DimReduce.Neighbors;

/// <summary>
/// Approximate queries through a neighbour graph (pynndescent's <c>search</c>): the query starts from the points of
/// the leaf it falls into in a random projection tree, then repeatedly expands the closest unexpanded point,
/// measuring its graph neighbours, while that point is within (1 + epsilon) times the current k-th distance.
/// </summary>
internal sealed class SearchIndex
{
    private readonly FloatRows _rows;
    private readonly DataMatrix _data;
    private readonly int[] _start, _columns;
    private readonly RandomProjectionTree _tree;
    private readonly TreeSpace _space;
    private readonly int _seed;

    private SearchIndex(FloatRows rows, DataMatrix data, int[] start, int[] columns, int leafSize, int seed)
    {
        _rows = rows;
        _data = data;
        _start = start;
        _columns = columns;
        _seed = seed;
        _space = TreeSpace.For(rows, seed);
        _tree = RandomProjectionTree.Build(_space, leafSize, Seeds.Create(seed, 999), keepPlanes: true);
    }

    /// <summary>An index whose search graph is a kNN graph plus its reverse edges.</summary>
    public static SearchIndex FromKnn(FloatRows rows, DataMatrix data, int[,] knn, int leafSize, int seed)
    {
        int n = knn.GetLength(0), k = knn.GetLength(1);
        var lists = new List<int>[n];
        for (int i = 0; i < n; i++) lists[i] = new List<int>(2 * k);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                int j = knn[i, c];
                if (j < 0 || j == i) continue;
                lists[i].Add(j);
                lists[j].Add(i);
            }
        var start = new int[n + 1];
        var columns = new List<int>(n * 2 * k);
        for (int i = 0; i < n; i++)
        {
            var distinct = lists[i].Distinct().Order();
            columns.AddRange(distinct);
            start[i + 1] = columns.Count;
        }
        return new SearchIndex(rows, data, start, columns.ToArray(), leafSize, seed);
    }

    /// <summary>An index whose search graph is given in CSR form (for UMAP, its symmetric fuzzy graph).</summary>
    public static SearchIndex FromGraph(FloatRows rows, DataMatrix data, int[] rowStart, int[] columns, int leafSize, int seed) =>
        new(rows, data, rowStart, columns, leafSize, seed);

    /// <summary>The <paramref name="k"/> nearest indexed rows of each query, exact distances, sorted by (distance, index).</summary>
    public NeighborResult Query(DataMatrix queries, int k, double epsilon)
    {
        int m = queries.Rows, n = _rows.Rows;
        var outIdx = new int[m, k];
        var outDist = new double[m, k];
        float scale = _rows.Metric switch
        {
            NeighborMetric.Euclidean => (float)((1 + epsilon) * (1 + epsilon)),
            NeighborMetric.Minkowski => (float)Math.Pow(1 + epsilon, _rows.P),
            _ => (float)(1 + epsilon),
        };
        // Cosine-like distances start at 0 for identical directions; the bound is applied to them as to the others.
        var visitedPool = new ThreadLocal<int[]>(() => new int[n]);
        Parallel.For(0, m, qi =>
        {
            var visited = visitedPool.Value!;
            int stamp = qi + 1;
            var q = _rows.PrepareQuery(queries.Row(qi));
            var heapD = new float[k];
            var heapI = new int[k];
            Array.Fill(heapD, float.PositiveInfinity);
            Array.Fill(heapI, -1);
            var frontier = new PriorityQueue<int, (float, int)>();
            int leaf = _tree.LeafOf(_space.Project(q));
            for (int t = _tree.LeafStart[leaf]; t < _tree.LeafStart[leaf + 1]; t++)
                Visit(_tree.Order[t]);
            if (heapI[0] < 0)
            {
                // A leaf smaller than k: seed with random points too (deterministic per query).
                var random = Seeds.Create(_seed, 3_000_000_000L + qi);
                for (int tries = 0; tries < 2 * k; tries++) Visit(random.Next(n));
            }
            while (frontier.TryDequeue(out int vertex, out var key))
            {
                if (key.Item1 >= scale * heapD[0] && heapI[0] >= 0) break;
                for (int p = _start[vertex]; p < _start[vertex + 1]; p++) Visit(_columns[p]);
            }

            var list = new (double D, int J)[k];
            int found = 0;
            for (int c = 0; c < k; c++)
                if (heapI[c] >= 0) list[found++] = (DistanceBlocks.Exact(queries.Row(qi), _data.Row(heapI[c]), _rows.Metric, _rows.P), heapI[c]);
            Array.Sort(list, 0, found);
            for (int c = 0; c < k; c++)
            {
                outIdx[qi, c] = c < found ? list[c].J : -1;
                outDist[qi, c] = c < found ? list[c].D : double.PositiveInfinity;
            }

            void Visit(int j)
            {
                if (visited[j] == stamp) return;
                visited[j] = stamp;
                float d = _rows.DistanceToQuery(q, j);
                if (heapI[0] >= 0 && !(d < scale * heapD[0])) return;
                NeighborHeap.Push(heapD, heapI, null, 0, k, d, j);
                frontier.Enqueue(j, (d, j));
            }
        });
        visitedPool.Dispose();
        return new NeighborResult(outIdx, outDist);
    }
}
