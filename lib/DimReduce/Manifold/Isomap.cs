using System.Text.Json.Nodes;
using DimReduce.Neighbors;
using DimReduce.Persistence;

namespace DimReduce.Manifold;

/// <summary>
/// Isomap: an embedding that keeps geodesic distances, the lengths of shortest paths through the graph of each
/// point's nearest neighbours, so that a rolled-up sheet (the swiss roll) unrolls flat.
/// </summary>
/// <remarks>
/// Tenenbaum, de Silva and Langford (2000), "A Global Geometric Framework for Nonlinear Dimensionality Reduction",
/// Science 290:2319-2323. <see cref="Fit(DataMatrix)"/> runs the paper's three steps, faithful to scikit-learn 1.2.1's
/// <c>Isomap</c> (Euclidean metric, Dijkstra, dense eigensolver):
/// <list type="number">
/// <item>the <see cref="Neighbors"/> nearest neighbours of each point (exact search), an undirected graph weighted by distance;</item>
/// <item>shortest paths between all pairs by Dijkstra from every node, in parallel (<c>ShortestPaths</c>);</item>
/// <item>classical MDS of the geodesic distances (Torgerson 1952): the top eigenvectors of the double-centred
/// -1/2 G^2 on libtorch, scaled by the square roots of their eigenvalues (<c>ClassicalScaling</c>).</item>
/// </list>
/// <see cref="Transform"/> places new rows as scikit-learn does: the geodesic distance from a new row to training
/// row j is min over its neighbours t of (|x - x_t| + G[t, j]), then the same centring and projection (the
/// kernel trick of kernel PCA). Every step is deterministic (no seed): each eigenvector is flipped so its
/// largest-magnitude entry is positive, so compare with scikit-learn up to sign.
/// A disconnected neighbour graph has infinite geodesic distances; <see cref="Fit(DataMatrix)"/> then throws and suggests a
/// larger <see cref="Neighbors"/> (scikit-learn 1.2 instead joins the parts with extra edges and warns).
/// Memory: the n x n geodesic matrix is kept for <see cref="Transform"/> (8 n^2 bytes; 200 MB for 5,000 rows).
/// </remarks>
/// <example>
/// <code>
/// var roll = Generators.SwissRoll(1000, seed: 0);
/// var isomap = new Isomap { Neighbors = 10 };
/// DataMatrix flat = isomap.FitTransform(roll.Features);
/// </code>
/// </example>
[ModelType("Isomap")]
public sealed class Isomap : IReducer, IStateful
{
    /// <summary>Default values of the options (scikit-learn 1.2.1's).</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="Isomap.Neighbors"/>: 5.</summary>
        public const int Neighbors = 5;

        /// <summary>Default <see cref="Isomap.Components"/>: 2.</summary>
        public const int Components = 2;
    }

    private bool _fitted;
    private DataMatrix _train = null!;
    private double[] _geodesic = [];
    private ClassicalScaling.Result _scaling = null!;

    /// <summary>Nearest neighbours per point in the graph (the point itself not counted): 1 to samples - 1; default 5. Too small disconnects the graph; too large short-circuits the manifold.</summary>
    public int Neighbors { get; init; } = Defaults.Neighbors;

    /// <summary>Embedding dimension, 1 to samples - 1; default 2.</summary>
    public int Components { get; init; } = Defaults.Components;

    /// <summary>The fitted embedding (samples x <see cref="Components"/>).</summary>
    public DataMatrix Embedding { get { Check.Fitted(_fitted, nameof(Isomap), nameof(Embedding)); return new DataMatrix(_train.Rows, Components, (double[])_scaling.Embedding.Clone()); } }

    /// <summary>Eigenvalues of the double-centred -1/2 G^2 kept, descending (scikit-learn's <c>kernel_pca_.eigenvalues_</c>).</summary>
    public IReadOnlyList<double> Eigenvalues { get { Check.Fitted(_fitted, nameof(Isomap), nameof(Eigenvalues)); return _scaling.Eigenvalues.AsReadOnly(); } }

    /// <summary>The geodesic (shortest-path) distances between the training rows (samples x samples).</summary>
    public DataMatrix GeodesicDistances { get { Check.Fitted(_fitted, nameof(Isomap), nameof(GeodesicDistances)); return new DataMatrix(_train.Rows, _train.Rows, (double[])_geodesic.Clone()); } }

    /// <summary>Number of features seen at fit.</summary>
    public int FeatureCount { get { Check.Fitted(_fitted, nameof(Isomap), nameof(FeatureCount)); return _train.Columns; } }

    /// <summary>Fits the embedding of <paramref name="x"/> (finite, more rows than <see cref="Neighbors"/> and <see cref="Components"/>); returns this instance.</summary>
    public Isomap Fit(DataMatrix x) => Fit(x, CancellationToken.None);

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Fits, honouring <paramref name="cancellation"/> during the shortest paths; the estimator stays as it was when cancelled.</summary>
    public Isomap Fit(DataMatrix x, CancellationToken cancellation) => Fit(x, null, cancellation);

    /// <summary>
    /// Fits, reporting each stage to <paramref name="progress"/> (the shortest paths about 100 times, as sources
    /// finish, from worker threads, in increasing order) and honouring <paramref name="cancellation"/> between stages
    /// and during the shortest paths; the estimator stays as it was when cancelled.
    /// </summary>
    public Isomap Fit(DataMatrix x, IProgress<IsomapProgress>? progress, CancellationToken cancellation = default)
    {
        CheckOptions();
        Check.Data(x, nameof(x), minRows: 2);
        CheckAgainstSamples(x.Rows);
        int n = x.Rows;
        var train = x.Clone();

        // 1. The neighbour graph.
        progress?.Report(new IsomapProgress(IsomapStage.Neighbors, 0, 1));
        var knn = NearestNeighbors.Exact(train, Neighbors);
        var (rowStart, cols, weights) = ShortestPaths.Graph(knn.Indices, knn.Distances);
        var (_, sizes) = ShortestPaths.Components(n, rowStart, cols);
        if (sizes.Count > 1)
        {
            var shown = string.Join(", ", sizes.OrderDescending().Take(5)) + (sizes.Count > 5 ? ", ..." : "");
            throw new ArgumentException(
                $"Neighbors is {Neighbors}, but the {Neighbors}-nearest-neighbour graph of x falls into {sizes.Count} disconnected parts (sizes {shown}), so some geodesic distances are infinite. Raise Neighbors (for example to {Math.Min(n - 1, 2 * Neighbors)}) until the graph is connected, or remove outlying rows.",
                nameof(Neighbors));
        }
        cancellation.ThrowIfCancellationRequested();

        // 2. Geodesic distances, made exactly symmetric (paths summed in opposite orders can differ in the last bit).
        progress?.Report(new IsomapProgress(IsomapStage.ShortestPaths, 0, n));
        var g = ShortestPaths.AllPairs(n, rowStart, cols, weights, cancellation,
            progress is null ? null : done => progress.Report(new IsomapProgress(IsomapStage.ShortestPaths, done, n)));
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double m = 0.5 * (g[i * n + j] + g[j * n + i]);
                g[i * n + j] = m;
                g[j * n + i] = m;
            }

        // 3. Classical scaling of G.
        cancellation.ThrowIfCancellationRequested();
        progress?.Report(new IsomapProgress(IsomapStage.Scaling, 0, 1));
        var scaling = ClassicalScaling.Fit(g, n, Components);

        _train = train;
        _geodesic = g;
        _scaling = scaling;
        _fitted = true;
        return this;
    }

    /// <summary>Fits and returns <see cref="Embedding"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Embedding;

    /// <summary>
    /// Places new rows: geodesic distances through their <see cref="Neighbors"/> nearest training rows, then
    /// the centred kernel -1/2 G^2 projected on the fitted eigenvectors divided by sqrt(eigenvalue) (scikit-learn's
    /// <c>Isomap.transform</c>).
    /// </summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_fitted, nameof(Isomap), nameof(Transform));
        Check.Features(x, _train.Columns, nameof(x), nameof(Isomap));
        int n = _train.Rows, m = x.Rows, c = Components;
        var knn = NearestNeighbors.Exact(_train, Neighbors, x);
        var result = new double[m * c];
        var vectors = _scaling.Eigenvectors;
        var values = _scaling.Eigenvalues;
        var colMeans = _scaling.ColumnMeans;
        double grand = _scaling.GrandMean;
        Parallel.For(0, m, () => new double[n], (i, _, k) =>
        {
            // Geodesic distance to every training row through the nearest neighbours, then -1/2 G^2.
            Array.Fill(k, double.PositiveInfinity);
            for (int t = 0; t < Neighbors; t++)
            {
                int a = knn.Indices[i, t];
                double d = knn.Distances[i, t];
                var row = _geodesic.AsSpan(a * n, n);
                for (int j = 0; j < n; j++) k[j] = Math.Min(k[j], row[j] + d);
            }
            double rowMean = 0;
            for (int j = 0; j < n; j++) { k[j] = -0.5 * k[j] * k[j]; rowMean += k[j]; }
            rowMean /= n;
            for (int cc = 0; cc < c; cc++)
            {
                if (values[cc] == 0) continue;
                double s = 0;
                for (int j = 0; j < n; j++) s += (k[j] - colMeans[j] - rowMean + grand) * vectors[j * c + cc];
                result[i * c + cc] = s / Math.Sqrt(values[cc]);
            }
            return k;
        }, _ => { });
        return new DataMatrix(m, c, result);
    }

    /// <summary>Writes the fitted model (options and training rows; loading refits, which is deterministic, so the loaded model gives identical results).</summary>
    public void Save(string path)
    {
        Check.Fitted(_fitted, nameof(Isomap), nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static Isomap Load(string path) => ModelFile.Load<Isomap>(path);

    private void CheckOptions()
    {
        if (Neighbors < 1)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors, $"Neighbors is {Neighbors}, but it must be at least 1. Use, for example, Neighbors = 5 (more for noisy data).");
        if (Components < 1)
            throw new ArgumentOutOfRangeException(nameof(Components), Components, $"Components is {Components}, but it must be at least 1. Use, for example, Components = 2.");
    }

    private void CheckAgainstSamples(int samples)
    {
        if (Neighbors >= samples)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors,
                $"Neighbors is {Neighbors}, but the data has {samples} samples. Neighbors must be smaller than the sample count: lower Neighbors or pass more rows.");
        if (Components >= samples)
            throw new ArgumentOutOfRangeException(nameof(Components), Components,
                $"Components is {Components}, but the data has {samples} samples. Components must be smaller than the sample count: lower Components or pass more rows.");
    }

    JsonObject IStateful.GetState() => new()
    {
        ["neighbors"] = Neighbors,
        ["components"] = Components,
        ["train"] = State.Matrix(_train),
    };

    internal static Isomap FromState(JsonObject state) => new Isomap
    {
        Neighbors = State.Int(state["neighbors"], "neighbors"),
        Components = State.Int(state["components"], "components"),
    }.Fit(State.Matrix(state["train"], "train"));
}
