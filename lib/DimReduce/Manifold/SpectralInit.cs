using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DimReduce.Neighbors;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Manifold;

/// <summary>
/// UMAP's spectral initialisation: the eigenvectors of the fuzzy graph's symmetric normalised Laplacian with the
/// smallest non-zero eigenvalues, one connected component at a time.
/// </summary>
/// <remarks>
/// McInnes, Healy and Melville (2018), section 3.2 ("spectral embedding to initialize"); umap-learn 0.5.3's
/// <c>spectral_layout</c> and <c>multi_component_layout</c>. With W the graph and D its degree matrix,
/// L = I - D^(-1/2) W D^(-1/2); the layout is eigenvectors 1..Components (eigenvector 0, proportional to
/// sqrt(degree), carries no information). umap-learn finds them with ARPACK (<c>eigsh</c>, tolerance 1e-4). Here:
/// <list type="bullet">
/// <item>up to <see cref="DenseLimit"/> points, libtorch's dense <c>eigh</c> of L (exact);</item>
/// <item>beyond that, Chebyshev-filtered subspace iteration (Zhou and Saad 2007) with Rayleigh-Ritz (in managed code,
/// so a large fit never loads libtorch) on
/// M = (I + D^(-1/2) W D^(-1/2)) / 2, whose largest eigenvalues are L's smallest. Between two Rayleigh-Ritz steps the
/// block is multiplied by a Chebyshev polynomial in M of degree <see cref="FilterDegree"/> that damps the spectrum
/// below the block's smallest Ritz value: plain subspace iteration gains a factor lambda_wanted / lambda_next per
/// product, which is close to 1 on UMAP graphs (their leading eigenvalues crowd near 1), while the filter gains
/// about exp(k sqrt(2 gap)) per k products. It stops when every wanted Ritz pair has residual below 1e-4 (ARPACK's
/// tolerance), counted from <see cref="MinProducts"/> products on, or after <see cref="MaxProducts"/>; when it stops
/// unconverged the layout is still a smooth start and a warning says so.</item>
/// </list>
/// Eigenvector signs are fixed (largest-magnitude entry positive). A graph with several connected components is
/// laid out as umap-learn does: each component's own spectral layout is scaled to half the distance to the nearest
/// other component's centre, and the centres are the unit vectors +-e_i when there are at most 2 Components of them,
/// otherwise a spectral embedding of the components' data centroids (affinity exp(-d^2)) scaled to a maximum of 1.
/// Components smaller than 2 Components points get uniform random positions around their centre.
/// </remarks>
public static class SpectralInit
{
    /// <summary>
    /// Largest component solved with the dense eigendecomposition: its cost grows as n^3 (over a second at the 1,797
    /// Digits points on two cores), while the subspace iteration costs a few hundred sparse products.
    /// </summary>
    public const int DenseLimit = 1000;

    /// <summary>Degree of the Chebyshev filter applied to the block between two Rayleigh-Ritz steps.</summary>
    public const int FilterDegree = 16;

    /// <summary>
    /// Sparse products before convergence counts: a small residual only shows that the Ritz pairs found are
    /// eigenpairs, not that none is missing, and an eigenvector with a small share of the random start (a weakly
    /// attached cluster) needs several filter passes to be picked up.
    /// </summary>
    public const int MinProducts = 6 * (FilterDegree + 1);

    /// <summary>Sparse products at most for larger components.</summary>
    public const int MaxProducts = 2000;

    /// <summary>Connected components of <paramref name="graph"/> (labels 0.. in order of first vertex).</summary>
    public static (int Count, int[] Labels) ConnectedComponents(FuzzyGraph graph)
    {
        int n = graph.Rows;
        var labels = new int[n];
        Array.Fill(labels, -1);
        int count = 0;
        var stack = new Stack<int>();
        for (int s = 0; s < n; s++)
        {
            if (labels[s] >= 0) continue;
            labels[s] = count;
            stack.Push(s);
            while (stack.Count > 0)
            {
                int v = stack.Pop();
                for (int p = graph.RowStartArray[v]; p < graph.RowStartArray[v + 1]; p++)
                {
                    int u = graph.ColumnArray[p];
                    if (labels[u] < 0) { labels[u] = count; stack.Push(u); }
                }
            }
            count++;
        }
        return (count, labels);
    }

    /// <summary>
    /// The spectral layout (n x <paramref name="dim"/>, row-major, before umap-learn's expansion to 10) and any warnings.
    /// </summary>
    public static double[] Layout(FuzzyGraph graph, DataMatrix data, NeighborMetric metric, int dim, Random random, List<string> warnings, double minkowskiP = 2.0)
    {
        int n = graph.Rows;
        var (count, labels) = ConnectedComponents(graph);
        if (count == 1)
        {
            var vectors = Eigenvectors(graph, dim, random, warnings);
            return vectors;
        }

        int largest = labels.GroupBy(l => l).Max(g => g.Count());
        warnings.Add($"The neighbour graph has {count} connected components (the largest has {largest} of {n} points). " +
            "Each component was laid out on its own around a separate centre, so distances between components mean little. " +
            "Raise Neighbors (or LocalConnectivity) to connect them.");
        var meta = ComponentCentres(data, metric, minkowskiP, labels, count, dim);
        var result = new double[n * dim];
        for (int c = 0; c < count; c++)
        {
            var members = Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray();
            double range = double.PositiveInfinity;
            for (int o = 0; o < count; o++)
            {
                double dist = 0;
                for (int d = 0; d < dim; d++) { double t = meta[c * dim + d] - meta[o * dim + d]; dist += t * t; }
                dist = Math.Sqrt(dist);
                if (dist > 0) range = Math.Min(range, dist);
            }
            range /= 2;
            if (members.Length < 2 * dim || members.Length <= dim + 1)
            {
                foreach (int i in members)
                    for (int d = 0; d < dim; d++)
                        result[i * dim + d] = random.NextDouble() * 2 * range - range + meta[c * dim + d];
                continue;
            }
            var sub = Subgraph(graph, members);
            var vectors = Eigenvectors(sub, dim, random, warnings);
            double max = 0;
            foreach (double v in vectors) max = Math.Max(max, Math.Abs(v));
            double expansion = max > 0 ? range / max : 0;
            for (int r = 0; r < members.Length; r++)
                for (int d = 0; d < dim; d++)
                    result[members[r] * dim + d] = vectors[r * dim + d] * expansion + meta[c * dim + d];
        }
        return result;
    }

    /// <summary>Eigenvectors 1..<paramref name="dim"/> of the symmetric normalised Laplacian of a connected graph (n x dim, row-major).</summary>
    public static double[] Eigenvectors(FuzzyGraph graph, int dim, Random random, List<string> warnings) =>
        Eigenvectors(graph, dim, random, warnings, graph.Rows <= DenseLimit);

    /// <summary>The subspace-iteration path whatever the size (for tests that compare it with the dense one).</summary>
    internal static double[] SubspaceEigenvectorsForTest(FuzzyGraph graph, int dim, Random random, List<string> warnings) =>
        Eigenvectors(graph, dim, random, warnings, dense: false);

    private static double[] Eigenvectors(FuzzyGraph graph, int dim, Random random, List<string> warnings, bool dense)
    {
        int n = graph.Rows;
        var invSqrtDegree = new double[n];
        for (int i = 0; i < n; i++)
        {
            double deg = 0;
            for (int p = graph.RowStartArray[i]; p < graph.RowStartArray[i + 1]; p++) deg += graph.WeightArray[p];
            invSqrtDegree[i] = 1 / Math.Sqrt(deg);
        }
        double[] vectors = dense
            ? DenseEigenvectors(graph, invSqrtDegree, dim)
            : LocalSubspaceEigenvectors(graph, invSqrtDegree, dim, random, warnings);
        // Fix the signs: the largest-magnitude entry of each vector positive.
        for (int d = 0; d < dim; d++)
        {
            int best = 0;
            for (int i = 1; i < n; i++) if (Math.Abs(vectors[i * dim + d]) > Math.Abs(vectors[best * dim + d])) best = i;
            if (vectors[best * dim + d] < 0) for (int i = 0; i < n; i++) vectors[i * dim + d] = -vectors[i * dim + d];
        }
        return vectors;
    }

    private static double[] DenseEigenvectors(FuzzyGraph graph, double[] invSqrtDegree, int dim)
    {
        int n = graph.Rows;
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            l[i * n + i] = 1;
            for (int p = graph.RowStartArray[i]; p < graph.RowStartArray[i + 1]; p++)
            {
                int j = graph.ColumnArray[p];
                l[i * n + j] -= invSqrtDegree[i] * graph.WeightArray[p] * invSqrtDegree[j];
            }
        }
        TorchRuntime.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var (_, v) = torch.linalg.eigh(torch.tensor(l, [n, n], ScalarType.Float64));
        var wanted = v.narrow(1, 1, dim).contiguous();
        return wanted.data<double>().ToArray();
    }

    /// <summary>
    /// <see cref="SubspaceEigenvectors"/> on the graph renumbered in breadth-first order (the first step of
    /// Cuthill-McKee), so that the rows a product reads for a vertex lie near each other in memory; the result is
    /// returned in the original numbering. Each product reads a random row of the block per edge otherwise, which
    /// made the products memory-latency bound on large graphs.
    /// </summary>
    private static double[] LocalSubspaceEigenvectors(FuzzyGraph graph, double[] invSqrtDegree, int dim, Random random, List<string> warnings)
    {
        int n = graph.Rows;
        var order = new int[n];       // order[new] = old
        var position = new int[n];    // position[old] = new
        Array.Fill(position, -1);
        int head = 0, tail = 0;
        for (int root = 0; root < n; root++)
        {
            if (position[root] >= 0) continue;
            position[root] = tail;
            order[tail++] = root;
            while (head < tail)
            {
                int v = order[head++];
                for (int p = graph.RowStartArray[v]; p < graph.RowStartArray[v + 1]; p++)
                {
                    int w = graph.ColumnArray[p];
                    if (position[w] >= 0) continue;
                    position[w] = tail;
                    order[tail++] = w;
                }
            }
        }
        var start = new int[n + 1];
        var cols = new int[graph.ColumnArray.Length];
        var vals = new double[cols.Length];
        var degree = new double[n];
        for (int r = 0; r < n; r++)
        {
            int v = order[r], at = start[r];
            int len = graph.RowStartArray[v + 1] - graph.RowStartArray[v];
            var pairs = new (int Col, double W)[len];
            for (int p = 0; p < len; p++)
            {
                int src = graph.RowStartArray[v] + p;
                pairs[p] = (position[graph.ColumnArray[src]], graph.WeightArray[src]);
            }
            Array.Sort(pairs, (x, y) => x.Col.CompareTo(y.Col));
            for (int p = 0; p < len; p++) { cols[at + p] = pairs[p].Col; vals[at + p] = pairs[p].W; }
            start[r + 1] = at + len;
            degree[r] = invSqrtDegree[v];
        }
        var renumbered = new FuzzyGraph(n, n, start, cols, vals);
        var local = SubspaceEigenvectors(renumbered, degree, dim, random, warnings);
        var result = new double[n * dim];
        for (int r = 0; r < n; r++)
            for (int d = 0; d < dim; d++) result[order[r] * dim + d] = local[r * dim + d];
        return result;
    }

    private static double[] SubspaceEigenvectors(FuzzyGraph graph, double[] invSqrtDegree, int dim, Random random, List<string> warnings)
    {
        int n = graph.Rows, want = dim + 1, m = Math.Min(n, want + 10);
        // Block X (n x m, row-major); the known top eigenvector sqrt(degree) starts column 0.
        var x = new double[n * m];
        for (int i = 0; i < n; i++)
        {
            x[i * m] = 1 / invSqrtDegree[i];
            for (int c = 1; c < m; c++) x[i * m + c] = random.NextGaussian();
        }
        Orthonormalize(x, n, m);
        var y = new double[n * m];
        var previous = new double[n * m];
        // The off-diagonal entries of M, W_ij / (2 sqrt(d_i d_j)), once for all products.
        var scaled = new double[graph.WeightArray.Length];
        Parallel.For(0, n, i =>
        {
            for (int p = graph.RowStartArray[i]; p < graph.RowStartArray[i + 1]; p++)
                scaled[p] = 0.5 * invSqrtDegree[i] * graph.WeightArray[p] * invSqrtDegree[graph.ColumnArray[p]];
        });
        Multiply(graph, scaled, x, y, m);
        var (values, converged) = RayleighRitz(x, y, n, m, want);
        int products = 1;
        while (products < MaxProducts)
        {
            // Damp [0, cut], the part of the spectrum below the block's smallest Ritz value; what lies above it
            // (the wanted eigenvalues near 1 among them) is amplified by the Chebyshev polynomial.
            ChebyshevFilter(graph, scaled, x, y, previous, m, values[m - 1]);
            products += FilterDegree;
            Orthonormalize(x, n, m);
            Multiply(graph, scaled, x, y, m);
            products++;
            (values, converged) = RayleighRitz(x, y, n, m, want);
            if (converged && products >= MinProducts) break;
        }
        if (!converged)
            warnings.Add($"The spectral initialisation of {n} points did not reach tolerance 1e-4 in {products} sparse products; the layout starts from the approximate eigenvectors, which is usually harmless. Use Init = UmapInit.Pca or Random to avoid it.");
        var result = new double[n * dim];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dim; d++) result[i * dim + d] = x[i * m + 1 + d];
        return result;
    }

    /// <summary>
    /// Replaces the block x by p(M) x, where M = (I + D^(-1/2) W D^(-1/2)) / 2 (spectrum in [0, 1]) and p is the
    /// Chebyshev polynomial of degree <see cref="FilterDegree"/> that stays within [-1, 1] on [0, <paramref name="cut"/>]
    /// and grows as fast as any polynomial of its degree above it, scaled so that p(1) = 1 (the scaled three-term
    /// recurrence of Zhou and Saad 2007, algorithm 3.2). y and previous are work blocks of the same size.
    /// </summary>
    private static void ChebyshevFilter(FuzzyGraph graph, double[] scaled, double[] x, double[] y, double[] previous, int m, double cut)
    {
        // Keep the damped interval inside (0, 1): its ends must differ from the top eigenvalue 1.
        cut = Math.Clamp(cut, 0.05, 1 - 1e-6);
        double e = cut / 2, c = cut / 2;          // half-width and centre of [0, cut]
        double sigma1 = e / (1 - c), sigma = sigma1;
        int length = x.Length;
        // Y1 = (sigma1 / e) (M - c I) X
        Multiply(graph, scaled, x, y, m);
        Array.Copy(x, previous, length);
        for (int t = 0; t < length; t++) y[t] = sigma1 / e * (y[t] - c * x[t]);
        for (int k = 2; k <= FilterDegree; k++)
        {
            double sigma2 = 1 / (2 / sigma1 - sigma);
            // Y_{k} = (2 sigma2 / e) (M - c I) Y_{k-1} - sigma sigma2 Y_{k-2}; x receives M Y_{k-1} first.
            Multiply(graph, scaled, y, x, m);
            double a = 2 * sigma2 / e, b = sigma * sigma2;
            for (int t = 0; t < length; t++)
            {
                double next = a * (x[t] - c * y[t]) - b * previous[t];
                previous[t] = y[t];
                y[t] = next;
            }
            sigma = sigma2;
        }
        Array.Copy(y, x, length);
    }

    /// <summary>
    /// y = ((I + D^(-1/2) W D^(-1/2)) / 2) x for a block of <paramref name="m"/> columns, with <paramref name="scaled"/>
    /// the off-diagonal entries W_ij / (2 sqrt(d_i d_j)) in the graph's order. Four columns at a time in vector
    /// registers; each element is the same sum, in the same order, as one column at a time.
    /// </summary>
    private static void Multiply(FuzzyGraph graph, double[] scaled, double[] x, double[] y, int m)
    {
        int n = graph.Rows;
        int[] start = graph.RowStartArray, columns = graph.ColumnArray;
        const int chunk = 1024;
        Parallel.For(0, (n + chunk - 1) / chunk, block =>
        {
            int to = Math.Min(n, (block + 1) * chunk);
            ref double x0 = ref MemoryMarshal.GetArrayDataReference(x);
            for (int i = block * chunk; i < to; i++)
            {
                var yi = y.AsSpan(i * m, m);
                int c = 0;
                for (; c + 4 <= m; c += 4)
                {
                    var acc = Vector256.Create(0.5) * Vector256.LoadUnsafe(ref x0, (nuint)(i * m + c));
                    for (int p = start[i]; p < start[i + 1]; p++)
                        acc += Vector256.Create(scaled[p]) * Vector256.LoadUnsafe(ref x0, (nuint)(columns[p] * m + c));
                    acc.StoreUnsafe(ref yi[c]);
                }
                for (; c < m; c++)
                {
                    double acc = 0.5 * x[i * m + c];
                    for (int p = start[i]; p < start[i + 1]; p++) acc += scaled[p] * x[columns[p] * m + c];
                    yi[c] = acc;
                }
            }
        });
    }

    /// <summary>
    /// Rayleigh-Ritz on span(x) given y = M x (x orthonormal): rotates x to the Ritz vectors, eigenvalues descending,
    /// and reports whether the first <paramref name="want"/> have residual ||M v - theta v|| below 1e-4. All in managed
    /// code: H = X^T Y summed over fixed row chunks in order (so the result does not depend on the thread count), its
    /// eigenvectors by cyclic Jacobi rotations (<see cref="SymmetricEigen"/>), then X V and Y V row by row.
    /// </summary>
    private static (double[] Values, bool Converged) RayleighRitz(double[] x, double[] y, int n, int m, int want)
    {
        var hSum = CrossProduct(x, y, n, m, upperOnly: false);
        var sym = new double[m * m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) sym[a * m + b] = 0.5 * (hSum[a * m + b] + hSum[b * m + a]);
        var (values, vectors) = SymmetricEigen(sym, m);
        int chunks = (n + Chunk - 1) / Chunk;
        var residuals = new double[chunks * want];
        Parallel.For(0, chunks, c =>
        {
            Span<double> nx = stackalloc double[m];
            Span<double> ny = stackalloc double[m];
            for (int i = c * Chunk, end = Math.Min(n, i + Chunk); i < end; i++)
            {
                nx.Clear();
                ny.Clear();
                for (int a = 0; a < m; a++)
                {
                    double xa = x[i * m + a], ya = y[i * m + a];
                    for (int b = 0; b < m; b++)
                    {
                        nx[b] += xa * vectors[a * m + b];
                        ny[b] += ya * vectors[a * m + b];
                    }
                }
                for (int b = 0; b < want; b++)
                {
                    double r = ny[b] - values[b] * nx[b];
                    residuals[c * want + b] += r * r;
                }
                nx.CopyTo(x.AsSpan(i * m, m));
            }
        });
        double worst = 0;
        for (int b = 0; b < want; b++)
        {
            double sum = 0;
            for (int c = 0; c < chunks; c++) sum += residuals[c * want + b];
            worst = Math.Max(worst, Math.Sqrt(sum));
        }
        return (values, worst < 1e-4);
    }

    /// <summary>
    /// Eigenvalues (descending) and eigenvectors (the columns of a row-major m x m matrix) of a small symmetric matrix,
    /// by cyclic Jacobi rotations (Golub and Van Loan, section 8.5), swept until the off-diagonal part is below
    /// rounding level.
    /// </summary>
    internal static (double[] Values, double[] Vectors) SymmetricEigen(double[] matrix, int m)
    {
        var a = (double[])matrix.Clone();
        var v = new double[m * m];
        for (int i = 0; i < m; i++) v[i * m + i] = 1;
        double total = 0;
        foreach (double e in a) total += e * e;
        for (int sweep = 0; sweep < 64; sweep++)
        {
            double off = 0;
            for (int p = 0; p < m; p++)
                for (int q = p + 1; q < m; q++) off += a[p * m + q] * a[p * m + q];
            if (off <= 1e-32 * total || off == 0) break;
            for (int p = 0; p < m; p++)
                for (int q = p + 1; q < m; q++)
                {
                    double apq = a[p * m + q];
                    if (apq == 0) continue;
                    double theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    // A := J^T A J on rows and columns p and q.
                    for (int k = 0; k < m; k++)
                    {
                        double akp = a[k * m + p], akq = a[k * m + q];
                        a[k * m + p] = c * akp - s * akq;
                        a[k * m + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < m; k++)
                    {
                        double apk = a[p * m + k], aqk = a[q * m + k];
                        a[p * m + k] = c * apk - s * aqk;
                        a[q * m + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < m; k++)
                    {
                        double vkp = v[k * m + p], vkq = v[k * m + q];
                        v[k * m + p] = c * vkp - s * vkq;
                        v[k * m + q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, m).OrderByDescending(i => a[i * m + i]).ThenBy(i => i).ToArray();
        var values = new double[m];
        var vectors = new double[m * m];
        for (int c = 0; c < m; c++)
        {
            values[c] = a[order[c] * m + order[c]];
            for (int k = 0; k < m; k++) vectors[k * m + c] = v[k * m + order[c]];
        }
        return (values, vectors);
    }

    /// <summary>Rows per chunk of the block sums: fixed, so that sums do not depend on the thread count.</summary>
    private const int Chunk = 4096;

    /// <summary>
    /// X^T Y for row-major n x m blocks (only the upper triangle when <paramref name="upperOnly"/>, for X^T X): each
    /// chunk of <see cref="Chunk"/> rows summed on its own, then the chunks added in order.
    /// </summary>
    private static double[] CrossProduct(double[] x, double[] y, int n, int m, bool upperOnly)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        var partial = new double[chunks * m * m];
        Parallel.For(0, chunks, c =>
        {
            var h = partial.AsSpan(c * m * m, m * m);
            for (int i = c * Chunk, end = Math.Min(n, i + Chunk); i < end; i++)
                for (int a = 0; a < m; a++)
                {
                    double xa = x[i * m + a];
                    for (int b = upperOnly ? a : 0; b < m; b++) h[a * m + b] += xa * y[i * m + b];
                }
        });
        var sum = new double[m * m];
        for (int c = 0; c < chunks; c++)
            for (int t = 0; t < m * m; t++) sum[t] += partial[c * m * m + t];
        return sum;
    }

    /// <summary>
    /// Orthonormalises the columns of a row-major n x m block by Cholesky QR, twice (CholeskyQR2, Fukaya et al. 2014):
    /// G = X^T X, G = R^T R, X := X R^(-1). Each pass reads the block twice, where Gram-Schmidt reads it once per pair of
    /// columns; the second pass restores orthogonality to rounding level. The Gram matrix is summed over fixed row
    /// chunks in order, so the result does not depend on the thread count. A rank-deficient block (a column that
    /// vanishes) falls back to modified Gram-Schmidt.
    /// </summary>
    private static void Orthonormalize(double[] x, int n, int m)
    {
        for (int pass = 0; pass < 2; pass++)
            if (!CholeskyQr(x, n, m))
            {
                GramSchmidt(x, n, m);
                return;
            }
    }

    private static bool CholeskyQr(double[] x, int n, int m)
    {
        var gram = CrossProduct(x, x, n, m, upperOnly: true);
        // Cholesky G = R^T R (upper R), in place in the upper triangle.
        var r = new double[m * m];
        for (int a = 0; a < m; a++)
        {
            double diag = gram[a * m + a];
            for (int p = 0; p < a; p++) diag -= r[p * m + a] * r[p * m + a];
            if (!(diag > 1e-24 * Math.Max(1.0, gram[a * m + a]))) return false;
            double raa = Math.Sqrt(diag);
            r[a * m + a] = raa;
            for (int b = a + 1; b < m; b++)
            {
                double v = gram[a * m + b];
                for (int p = 0; p < a; p++) v -= r[p * m + a] * r[p * m + b];
                r[a * m + b] = v / raa;
            }
        }
        // X := X R^(-1), row by row (forward substitution on x_i^T = q_i^T R).
        Parallel.For(0, (n + Chunk - 1) / Chunk, c =>
        {
            int to = Math.Min(n, (c + 1) * Chunk);
            for (int i = c * Chunk; i < to; i++)
            {
                var row = x.AsSpan(i * m, m);
                for (int b = 0; b < m; b++)
                {
                    double v = row[b];
                    for (int p = 0; p < b; p++) v -= row[p] * r[p * m + b];
                    row[b] = v / r[b * m + b];
                }
            }
        });
        return true;
    }

    private static void GramSchmidt(double[] x, int n, int m)
    {
        // Modified Gram-Schmidt on the columns of a row-major n x m block.
        for (int c = 0; c < m; c++)
        {
            for (int p = 0; p < c; p++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += x[i * m + c] * x[i * m + p];
                for (int i = 0; i < n; i++) x[i * m + c] -= dot * x[i * m + p];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += x[i * m + c] * x[i * m + c];
            norm = Math.Sqrt(norm);
            if (norm < 1e-300) { x[c] = 1; continue; }
            for (int i = 0; i < n; i++) x[i * m + c] /= norm;
        }
    }

    private static FuzzyGraph Subgraph(FuzzyGraph graph, int[] members)
    {
        var position = new Dictionary<int, int>(members.Length);
        for (int r = 0; r < members.Length; r++) position[members[r]] = r;
        var start = new int[members.Length + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (int r = 0; r < members.Length; r++)
        {
            int i = members[r];
            for (int p = graph.RowStartArray[i]; p < graph.RowStartArray[i + 1]; p++)
                if (position.TryGetValue(graph.ColumnArray[p], out int q)) { cols.Add(q); vals.Add(graph.WeightArray[p]); }
            start[r + 1] = cols.Count;
        }
        return new FuzzyGraph(members.Length, members.Length, start, cols.ToArray(), vals.ToArray());
    }

    private static double[] ComponentCentres(DataMatrix data, NeighborMetric metric, double minkowskiP, int[] labels, int count, int dim)
    {
        var meta = new double[count * dim];
        if (count <= 2 * dim)
        {
            int k = (count + 1) / 2;
            for (int c = 0; c < count; c++)
                meta[c * dim + (c % k)] = c < k ? 1 : -1;
            return meta;
        }
        int f = data.Columns;
        var centroids = new double[count * f];
        var sizes = new int[count];
        for (int i = 0; i < data.Rows; i++)
        {
            sizes[labels[i]]++;
            var row = data.Row(i);
            for (int j = 0; j < f; j++) centroids[labels[i] * f + j] += row[j];
        }
        for (int c = 0; c < count; c++) for (int j = 0; j < f; j++) centroids[c * f + j] /= sizes[c];
        var affinity = new double[count * count];
        for (int c = 0; c < count; c++)
            for (int o = 0; o < count; o++)
            {
                double d = DistanceBlocks.Exact(centroids.AsSpan(c * f, f), centroids.AsSpan(o * f, f), metric, minkowskiP);
                affinity[c * count + o] = Math.Exp(-d * d);
            }
        var weights = new List<double>();
        var cols = new List<int>();
        var start = new int[count + 1];
        for (int c = 0; c < count; c++)
        {
            for (int o = 0; o < count; o++) if (affinity[c * count + o] > 0) { cols.Add(o); weights.Add(affinity[c * count + o]); }
            start[c + 1] = cols.Count;
        }
        var g = new FuzzyGraph(count, count, start, cols.ToArray(), weights.ToArray());
        var invSqrt = new double[count];
        for (int c = 0; c < count; c++) invSqrt[c] = 1 / Math.Sqrt(Enumerable.Range(0, count).Sum(o => affinity[c * count + o]));
        var v = DenseEigenvectors(g, invSqrt, dim);
        // Laplacian eigenmaps: divide by sqrt(degree), then scale to a maximum of 1 (umap-learn's component_layout).
        for (int c = 0; c < count; c++) for (int d = 0; d < dim; d++) v[c * dim + d] *= invSqrt[c];
        double max = v.Max();
        if (max <= 0) max = v.Select(Math.Abs).Max();
        for (int t = 0; t < v.Length; t++) meta[t] = max > 0 ? v[t] / max : 0;
        return meta;
    }
}
