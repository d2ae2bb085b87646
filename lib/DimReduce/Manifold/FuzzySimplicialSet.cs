namespace DimReduce.Manifold;

/// <summary>
/// UMAP's high-dimensional fuzzy simplicial set: membership strengths of each point's local fuzzy set, then their
/// fuzzy union into one symmetric graph.
/// </summary>
/// <remarks>
/// McInnes, Healy and Melville (2018), section 3.1: the local membership strength of the edge from x_i to its
/// neighbour x_j is w_ij = exp(-max(0, d(x_i, x_j) - rho_i) / sigma_i) (their eq. before Definition 9), and the
/// local sets are combined with the probabilistic t-conorm (fuzzy union) w = a + b - a b, where a = w_ij and
/// b = w_ji. As in umap-learn 0.5.3 (<c>fuzzy_simplicial_set</c>), SetOpMixRatio r blends union and intersection:
/// w = r (a + b - a b) + (1 - r) a b; r = 1 is the pure union of the paper. A point's own entry gets weight 0
/// (dropped), and a neighbour at distance at most rho_i (or with sigma_i = 0) gets weight 1, exactly as
/// umap-learn's <c>compute_membership_strengths</c>. Weights are computed in single precision like umap-learn's.
/// </remarks>
public static class FuzzySimplicialSet
{
    /// <summary>
    /// Directed membership strengths as triplets (row i, column knn[i, j], weight), one per kNN entry.
    /// </summary>
    /// <param name="indices">kNN indices (n x k).</param>
    /// <param name="distances">kNN distances (n x k).</param>
    /// <param name="sigmas">Bandwidths from <see cref="SmoothKnn.Compute"/>.</param>
    /// <param name="rhos">Offsets from <see cref="SmoothKnn.Compute"/>.</param>
    /// <param name="bipartite">True when the rows are new points and the columns training points, so no entry is a self-loop.</param>
    public static (int[] Rows, int[] Cols, float[] Values) MembershipStrengths(int[,] indices, float[,] distances, float[] sigmas, float[] rhos, bool bipartite = false)
    {
        int n = indices.GetLength(0), k = indices.GetLength(1);
        var rows = new int[n * k];
        var cols = new int[n * k];
        var vals = new float[n * k];
        Parallel.For(0, n, i =>
        {
            for (int j = 0; j < k; j++)
            {
                int t = i * k + j;
                float val;
                if (!bipartite && indices[i, j] == i) val = 0f;
                else if (distances[i, j] - rhos[i] <= 0f || sigmas[i] == 0f) val = 1f;
                else val = (float)Math.Exp(-((distances[i, j] - rhos[i]) / (double)sigmas[i]));
                rows[t] = i;
                cols[t] = indices[i, j];
                vals[t] = val;
            }
        });
        return (rows, cols, vals);
    }

    /// <summary>
    /// The symmetric fuzzy graph from directed strengths: w = r (a + b - a b) + (1 - r) a b with a = w_ij, b = w_ji.
    /// </summary>
    /// <param name="n">Number of points.</param>
    /// <param name="rows">Triplet rows.</param>
    /// <param name="cols">Triplet columns.</param>
    /// <param name="values">Triplet weights (zeros are ignored).</param>
    /// <param name="setOpMixRatio">r in [0, 1]: 1 the fuzzy union, 0 the fuzzy intersection.</param>
    public static FuzzyGraph Symmetrize(int n, int[] rows, int[] cols, float[] values, double setOpMixRatio)
    {
        // The directed matrix A in CSR form, duplicates summed (as scipy's coo_matrix does) and zeros left out: a
        // zero a_ij and a missing one give the same union below.
        var (aStart, aCol, aVal) = FuzzyGraph.SumTriplets(n, rows, cols, values);
        int count = aCol.Length;
        // Its transpose: filled row by row of A, so each row of the transpose comes out in column order.
        var tStart = new int[n + 1];
        for (int p = 0; p < count; p++) tStart[aCol[p] + 1]++;
        for (int i = 0; i < n; i++) tStart[i + 1] += tStart[i];
        var tNext = tStart[..n];
        var tCol = new int[count];
        var tVal = new float[count];
        for (int i = 0; i < n; i++)
            for (int p = aStart[i]; p < aStart[i + 1]; p++)
            {
                int slot = tNext[aCol[p]]++;
                tCol[slot] = i;
                tVal[slot] = aVal[p];
            }
        // Each row of the result: the merge of row i of A (a_ij) and of its transpose (a_ji).
        float mix = (float)setOpMixRatio, rest = (float)(1.0 - setOpMixRatio);
        var rowStart = new int[n + 1];
        var outCol = new int[2 * count];
        var outVal = new double[2 * count];
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            int p = aStart[i], pEnd = aStart[i + 1], q = tStart[i], qEnd = tStart[i + 1];
            while (p < pEnd || q < qEnd)
            {
                int column;
                float aij = 0f, aji = 0f;
                if (q >= qEnd || (p < pEnd && aCol[p] < tCol[q])) { column = aCol[p]; aij = aVal[p++]; }
                else if (p >= pEnd || tCol[q] < aCol[p]) { column = tCol[q]; aji = tVal[q++]; }
                else { column = aCol[p]; aij = aVal[p++]; aji = tVal[q++]; }
                float prod = aij * aji;
                float union = aij + aji - prod;
                float value = mix * union + rest * prod;
                if (value == 0f) continue;
                outCol[m] = column;
                outVal[m++] = value;
            }
            rowStart[i + 1] = m;
        }
        return new FuzzyGraph(n, n, rowStart, outCol[..m], outVal[..m]);
    }

    /// <summary>
    /// Supervised UMAP: intersects the graph with the fuzzy set of the labels, as umap-learn 0.5.3's
    /// <c>discrete_metric_simplicial_set_intersection</c> (<c>fast_intersection</c>): an edge between points with
    /// different labels is scaled by exp(-farDist), one touching an unknown label (negative) by exp(-unknownDist);
    /// then, as umap-learn's <c>reset_local_connectivity</c>, each row is divided by its largest weight and the
    /// graph is symmetrised again by the fuzzy union w + w^T - w o w^T.
    /// </summary>
    /// <param name="graph">The symmetric fuzzy graph of the data.</param>
    /// <param name="labels">One label per point; a negative label means unknown.</param>
    /// <param name="farDist">Distance between different labels: umap-learn uses 2.5 / (1 - TargetWeight) (1e12 at TargetWeight 1).</param>
    /// <param name="unknownDist">Distance to an unknown label: 1, umap-learn's default.</param>
    public static FuzzyGraph IntersectWithLabels(FuzzyGraph graph, IReadOnlyList<int> labels, double farDist, double unknownDist = 1.0)
    {
        int n = graph.Rows;
        var start = graph.RowStartArray;
        var cols = graph.ColumnArray;
        var w = (double[])graph.WeightArray.Clone();
        float far = (float)Math.Exp(-farDist), unknown = (float)Math.Exp(-unknownDist);
        for (int i = 0; i < n; i++)
            for (int p = start[i]; p < start[i + 1]; p++)
            {
                int j = cols[p];
                // umap-learn multiplies float32 weights by float64 factors and stores float32.
                if (labels[i] < 0 || labels[j] < 0) w[p] = (float)(w[p] * unknown);
                else if (labels[i] != labels[j]) w[p] = (float)(w[p] * far);
            }
        // reset_local_connectivity: normalise each row by its maximum, then the fuzzy union with the transpose.
        var from = new List<int>(w.Length);
        var to = new List<int>(w.Length);
        var val = new List<float>(w.Length);
        for (int i = 0; i < n; i++)
        {
            double max = 0;
            for (int p = start[i]; p < start[i + 1]; p++) max = Math.Max(max, w[p]);
            for (int p = start[i]; p < start[i + 1]; p++)
            {
                if (w[p] == 0) continue;
                from.Add(i);
                to.Add(cols[p]);
                val.Add((float)(w[p] / max));
            }
        }
        return Symmetrize(n, from.ToArray(), to.ToArray(), val.ToArray(), 1.0);
    }
}
