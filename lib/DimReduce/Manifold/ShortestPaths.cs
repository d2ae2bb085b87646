namespace DimReduce.Manifold;

/// <summary>
/// Geodesic distances of Isomap (Tenenbaum et al. 2000, step 2): shortest paths in the undirected k-nearest-neighbour
/// graph by Dijkstra's algorithm from every node (as scikit-learn's <c>path_method="D"</c>), the sources in parallel.
/// Each source's row is computed by one thread alone, so the result does not depend on the thread count.
/// </summary>
internal static class ShortestPaths
{
    /// <summary>The undirected graph of the k-NN lists (edge i-j when j is among i's neighbours or i among j's), row-compressed.</summary>
    public static (int[] RowStart, int[] Columns, double[] Weights) Graph(int[,] indices, double[,] distances)
    {
        int n = indices.GetLength(0), k = indices.GetLength(1);
        var lists = new Dictionary<int, double>[n];
        for (int i = 0; i < n; i++) lists[i] = new Dictionary<int, double>();
        for (int i = 0; i < n; i++)
            for (int t = 0; t < k; t++)
            {
                int j = indices[i, t];
                double d = distances[i, t];
                Keep(lists[i], j, d);
                Keep(lists[j], i, d);
            }
        var rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + lists[i].Count;
        var cols = new int[rowStart[n]];
        var weights = new double[rowStart[n]];
        for (int i = 0; i < n; i++)
        {
            int p = rowStart[i];
            foreach (var (j, d) in lists[i].OrderBy(e => e.Key)) { cols[p] = j; weights[p++] = d; }
        }
        return (rowStart, cols, weights);

        static void Keep(Dictionary<int, double> list, int j, double d)
        {
            if (!list.TryGetValue(j, out double old) || d < old) list[j] = d;
        }
    }

    /// <summary>The connected components: a label per node (0, 1, ... in order of their lowest node) and their sizes.</summary>
    public static (int[] Labels, List<int> Sizes) Components(int n, int[] rowStart, int[] cols)
    {
        var labels = new int[n];
        Array.Fill(labels, -1);
        var sizes = new List<int>();
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++)
        {
            if (labels[s] >= 0) continue;
            int label = sizes.Count, size = 0;
            labels[s] = label;
            queue.Enqueue(s);
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                size++;
                for (int e = rowStart[u]; e < rowStart[u + 1]; e++)
                    if (labels[cols[e]] < 0) { labels[cols[e]] = label; queue.Enqueue(cols[e]); }
            }
            sizes.Add(size);
        }
        return (labels, sizes);
    }

    /// <summary>
    /// All-pairs shortest path lengths (n x n, row-major), Dijkstra from every node with a binary heap.
    /// <paramref name="sourcesDone"/> receives the count of finished sources, in increasing order, about 100 times.
    /// </summary>
    public static double[] AllPairs(int n, int[] rowStart, int[] cols, double[] weights, CancellationToken cancellation = default, Action<int>? sourcesDone = null)
    {
        var dist = new double[(long)n * n];
        int finished = 0, step = Math.Max(1, n / 100);
        var gate = new object();
        var options = new ParallelOptions { CancellationToken = cancellation };
        Parallel.For(0, n, options, () => new PriorityQueue<int, double>(), (source, _, heap) =>
        {
            var row = dist.AsSpan(source * n, n);
            row.Fill(double.PositiveInfinity);
            row[source] = 0;
            heap.Clear();
            heap.Enqueue(source, 0);
            while (heap.TryDequeue(out int u, out double du))
            {
                if (du > row[u]) continue; // a stale entry
                for (int e = rowStart[u]; e < rowStart[u + 1]; e++)
                {
                    int v = cols[e];
                    double alt = du + weights[e];
                    if (alt < row[v]) { row[v] = alt; heap.Enqueue(v, alt); }
                }
            }
            if (sourcesDone is not null)
                lock (gate)
                {
                    // Counted and reported under one lock, so the reports arrive in increasing order.
                    finished++;
                    if (finished % step == 0 || finished == n) sourcesDone(finished);
                }
            return heap;
        }, _ => { });
        return dist;
    }
}
