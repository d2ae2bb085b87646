using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Clustering;

/// <summary>
/// k-means clustering: finds <see cref="Clusters"/> centres so that the sum of squared distances from each
/// row to its nearest centre (the <see cref="Inertia"/>) is small.
/// </summary>
/// <remarks>
/// Lloyd (1982), "Least squares quantization in PCM": alternate assigning each row to its nearest centre
/// and moving each centre to the mean of its rows, until no label changes or the centres move less than
/// <see cref="Tolerance"/> x the mean feature variance (in total squared shift), as scikit-learn's KMeans
/// with <c>algorithm="lloyd"</c>. Starts come from greedy k-means++ (Arthur and Vassilvitskii 2007): each
/// new centre is the best (lowest potential) of 2 + ln(k) candidates drawn with probability proportional
/// to the squared distance to the nearest chosen centre. The run with the lowest inertia out of
/// <see cref="Init"/> starts is kept. An empty cluster takes the row farthest from its centre.
/// The starts run in parallel, one thread each (a single start runs its assignment in parallel over chunks
/// of rows instead); cluster sums are built per fixed chunk of rows and added in chunk order, and distances
/// are summed feature by feature, so a seed gives the same result whatever the thread count.
/// </remarks>
/// <example>
/// <code>
/// var kmeans = new KMeans { Clusters = 10, Seed = 0 }.Fit(digits.Features);
/// double ari = Metrics.AdjustedRandIndex(digits.Labels, kmeans.Labels);
/// </code>
/// </example>
[ModelType("KMeans")]
public sealed class KMeans : ITransformer, IStateful
{
    /// <summary>Default option values.</summary>
    public static class Defaults
    {
        /// <summary>Number of clusters: 8.</summary>
        public const int Clusters = 8;

        /// <summary>Number of k-means++ starts: 10 (scikit-learn's n_init).</summary>
        public const int Init = 10;

        /// <summary>Lloyd iterations per start: 300.</summary>
        public const int MaxIterations = 300;

        /// <summary>Relative tolerance on the centre shift: 1e-4.</summary>
        public const double Tolerance = 1e-4;
    }

    private const int ChunkRows = 1024;

    private DataMatrix? _centroids;
    private int[]? _labels;
    private double _inertia;
    private int _iterations;
    private int _seedUsed;

    /// <summary>Number of clusters k; 1 to the number of rows. Default 8.</summary>
    public int Clusters { get; init; } = Defaults.Clusters;

    /// <summary>Number of k-means++ starts; the best is kept. At least 1. Default 10. Ignored with <see cref="InitialCentroids"/>.</summary>
    public int Init { get; init; } = Defaults.Init;

    /// <summary>Largest number of Lloyd iterations per start; at least 1. Default 300.</summary>
    public int MaxIterations { get; init; } = Defaults.MaxIterations;

    /// <summary>Stop when the total squared centre shift is at most this times the mean feature variance; 0 or more. Default 1e-4.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Seed for k-means++; null draws one (see <see cref="SeedUsed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>Fixed starting centres (Clusters x features); when set, one Lloyd run starts from them and no seeding happens.</summary>
    public DataMatrix? InitialCentroids { get; init; }

    /// <summary>The cluster centres (Clusters x features).</summary>
    public DataMatrix Centroids { get { Check.Fitted(_centroids is not null, nameof(KMeans), nameof(Centroids)); return _centroids!; } }

    /// <summary>The cluster of each training row, 0 to Clusters - 1.</summary>
    public int[] Labels { get { Check.Fitted(_labels is not null, nameof(KMeans), nameof(Labels)); return _labels!; } }

    /// <summary>Sum of squared distances from each training row to its centre.</summary>
    public double Inertia { get { Check.Fitted(_centroids is not null, nameof(KMeans), nameof(Inertia)); return _inertia; } }

    /// <summary>Lloyd iterations of the kept run.</summary>
    public int Iterations { get { Check.Fitted(_centroids is not null, nameof(KMeans), nameof(Iterations)); return _iterations; } }

    /// <summary>The seed used (the given <see cref="Seed"/> or the one drawn).</summary>
    public int SeedUsed { get { Check.Fitted(_centroids is not null, nameof(KMeans), nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>Clusters <paramref name="x"/> and returns this instance.</summary>
    /// <param name="x">The rows (n x d, finite), n at least <see cref="Clusters"/>.</param>
    public KMeans Fit(DataMatrix x)
    {
        Check.Range(Clusters, 1, int.MaxValue, nameof(Clusters), "Ask for at least one cluster.");
        Check.Range(Init, 1, int.MaxValue, nameof(Init), "Use at least one start (10 is usual).");
        Check.Range(MaxIterations, 1, int.MaxValue, nameof(MaxIterations), "Allow at least one iteration (300 is usual).");
        Check.Range(Tolerance, 0, double.MaxValue, nameof(Tolerance), "Use a small non-negative value such as 1e-4.");
        Check.Data(x, nameof(x));
        if (x.Rows < Clusters)
            throw new ArgumentException(
                $"x has {x.Rows} rows, but Clusters is {Clusters}. There must be at least as many rows as clusters: lower Clusters or pass more rows.",
                nameof(x));
        if (InitialCentroids is not null)
        {
            if (InitialCentroids.Rows != Clusters || InitialCentroids.Columns != x.Columns)
                throw new ArgumentException(
                    $"InitialCentroids is {InitialCentroids.Rows} x {InitialCentroids.Columns}, but Clusters is {Clusters} and x has {x.Columns} features. Pass one starting centre per cluster ({Clusters} x {x.Columns}).",
                    nameof(InitialCentroids));
            Check.Finite(InitialCentroids, nameof(InitialCentroids));
        }

        int seed = Seeds.Resolve(Seed);
        int n = x.Rows, d = x.Columns, k = Clusters;
        // Centre the data (as scikit-learn) for more accurate distances; the mean is added back at the end.
        var mean = new double[d];
        for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Row(i), mean);
        TensorPrimitives.Divide(mean, n, mean);
        var xc = new double[x.Data.Length];
        for (int i = 0; i < n; i++) TensorPrimitives.Subtract(x.Row(i), mean, xc.AsSpan(i * d, d));
        var centred = new DataMatrix(n, d, xc);
        double variance = 0;
        for (int j = 0; j < d; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += xc[i * d + j] * xc[i * d + j];
            variance += s / n;
        }
        double tol = variance / d * Tolerance;

        // Starts run in parallel, one thread each; each is sequential inside and the best is picked in start
        // order, so the result does not depend on the thread count.
        int starts = InitialCentroids is null ? Init : 1;
        var runs = new Run[starts];
        bool parallelStarts = starts > 1 && Environment.ProcessorCount > 1;
        void Start(int run)
        {
            double[] init;
            if (InitialCentroids is null)
                init = KMeansPlusPlus(centred, k, Seeds.Create(seed, run + 1));
            else
            {
                init = (double[])InitialCentroids.Data.Clone();
                for (int c = 0; c < k; c++) TensorPrimitives.Subtract(init.AsSpan(c * d, d), mean, init.AsSpan(c * d, d));
            }
            runs[run] = Lloyd(centred, init, k, MaxIterations, tol, parallel: !parallelStarts);
        }
        if (parallelStarts) Parallel.For(0, starts, Start);
        else for (int run = 0; run < starts; run++) Start(run);
        Run best = runs[0];
        for (int run = 1; run < starts; run++) if (runs[run].Inertia < best.Inertia) best = runs[run];

        var centres = best.Centres;
        for (int c = 0; c < k; c++) TensorPrimitives.Add(centres.AsSpan(c * d, d), mean, centres.AsSpan(c * d, d));
        _centroids = new DataMatrix(k, d, centres);
        _labels = best.Labels;
        _inertia = best.Inertia;
        _iterations = best.Iterations;
        _seedUsed = seed;
        return this;
    }

    /// <summary>Fits and returns the training labels.</summary>
    public int[] FitPredict(DataMatrix x) => Fit(x).Labels;

    /// <summary>The nearest centre (0 to Clusters - 1) of each row; ties go to the lower index.</summary>
    public int[] Predict(DataMatrix x)
    {
        Check.Fitted(_centroids is not null, nameof(KMeans), nameof(Predict));
        Check.Features(x, _centroids!.Columns, nameof(x), nameof(KMeans));
        var labels = new int[x.Rows];
        Assign(x, _centroids.Data, _centroids.Rows, labels);
        return labels;
    }

    /// <summary>The Euclidean distance from each row to each centre (rows x Clusters).</summary>
    public DataMatrix Transform(DataMatrix x)
    {
        Check.Fitted(_centroids is not null, nameof(KMeans), nameof(Transform));
        Check.Features(x, _centroids!.Columns, nameof(x), nameof(KMeans));
        int k = _centroids.Rows;
        var result = new DataMatrix(x.Rows, k);
        Parallel.For(0, x.Rows, i =>
        {
            for (int c = 0; c < k; c++) result.Data[i * k + c] = TensorPrimitives.Distance(x.Row(i), _centroids.Row(c));
        });
        return result;
    }

    private sealed record Run(double[] Centres, int[] Labels, double Inertia, int Iterations);

    /// <summary>Greedy k-means++ seeding (scikit-learn's <c>_kmeans_plusplus</c>): 2 + floor(ln k) candidates per centre.</summary>
    internal static double[] KMeansPlusPlus(DataMatrix x, int k, Random random)
    {
        int n = x.Rows, d = x.Columns;
        int trials = 2 + (int)Math.Log(k);
        var centres = new double[k * d];
        int first = random.Next(n);
        x.Row(first).CopyTo(centres.AsSpan(0, d));
        var closest = new double[n];
        for (int i = 0; i < n; i++) closest[i] = SquaredDistance(x.Row(i), x.Row(first));
        double potential = Sum(closest);
        var cumulative = new double[n];
        double running = 0;
        for (int i = 0; i < n; i++) { running += closest[i]; cumulative[i] = running; }
        var candidates = new int[trials];
        var distances = new CentreDistances(trials, d);
        var trialPotential = new double[distances.Padded];
        var data = x.Data;
        for (int c = 1; c < k; c++)
        {
            for (int t = 0; t < trials; t++)
            {
                double target = random.NextDouble() * potential;
                int idx = LowerBound(cumulative, target);
                candidates[t] = Math.Min(idx, n - 1);
                distances.Set(t, x.Row(candidates[t]));
            }
            // The potential of every candidate in one pass, each summed in row order.
            Array.Clear(trialPotential);
            distances.Potentials(data, n, closest, trialPotential);
            int bestTrial = -1;
            double bestPotential = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
                if (trialPotential[t] < bestPotential) { bestPotential = trialPotential[t]; bestTrial = t; }
            potential = bestPotential;
            var chosen = x.Row(candidates[bestTrial]);
            chosen.CopyTo(centres.AsSpan(c * d, d));
            if (c == k - 1) break;
            // Distances to the chosen centre, and the running sums the next draws search.
            running = 0;
            for (int i = 0; i < n; i++)
            {
                double v = SquaredDistance(data.AsSpan(i * d, d), chosen);
                double ci = v < closest[i] ? v : closest[i];
                closest[i] = ci;
                running += ci;
                cumulative[i] = running;
            }
        }
        return centres;
    }

    /// <summary>One Lloyd run from <paramref name="init"/> (scikit-learn's <c>_kmeans_single_lloyd</c>).</summary>
    internal static (double[] Centres, int[] Labels, double Inertia, int Iterations) LloydRun(DataMatrix x, double[] init, int k, int maxIterations, double tol)
    {
        var r = Lloyd(x, init, k, maxIterations, tol);
        return (r.Centres, r.Labels, r.Inertia, r.Iterations);
    }

    private static Run Lloyd(DataMatrix x, double[] init, int k, int maxIterations, double tol, bool parallel = true)
    {
        int n = x.Rows, d = x.Columns;
        var centres = (double[])init.Clone();
        var next = new double[k * d];
        var counts = new long[k];
        var labels = new int[n];
        var old = new int[n];
        Array.Fill(old, -1);
        var assigner = new Assigner(n, d, k, withSums: true);
        bool strict = false;
        int it = 0;
        for (; it < maxIterations; it++)
        {
            // E-step with the current centres, M-step into next.
            assigner.Run(x, centres, labels, next, counts, parallel);
            RelocateEmpty(x, centres, labels, next, counts, k);
            for (int c = 0; c < k; c++)
                if (counts[c] > 0) TensorPrimitives.Divide(next.AsSpan(c * d, d), counts[c], next.AsSpan(c * d, d));
                else centres.AsSpan(c * d, d).CopyTo(next.AsSpan(c * d, d));
            double shift = 0;
            for (int v = 0; v < centres.Length; v++) { double diff = next[v] - centres[v]; shift += diff * diff; }
            (centres, next) = (next, centres);
            if (labels.AsSpan().SequenceEqual(old)) { strict = true; break; }
            if (shift <= tol) break;
            labels.CopyTo(old, 0);
        }
        if (!strict) assigner.Run(x, centres, labels, null, null, parallel);
        double inertia = 0;
        for (int i = 0; i < n; i++) inertia += SquaredDistance(x.Row(i), centres.AsSpan(labels[i] * d, d));
        return new Run(centres, labels, inertia, Math.Min(it + 1, maxIterations));
    }

    /// <summary>Labels each row with its nearest centre (ties to the lower index).</summary>
    private static void Assign(DataMatrix x, double[] centres, int k, int[] labels) =>
        new Assigner(x.Rows, x.Columns, k, withSums: false).Run(x, centres, labels, null, null, parallel: true);

    /// <summary>
    /// Nearest-centre labelling over fixed chunks of <see cref="ChunkRows"/> rows, with per-chunk cluster sums
    /// and counts added in chunk order, so the result is the same run in parallel or not. Buffers are reused
    /// across iterations.
    /// </summary>
    private sealed class Assigner
    {
        private readonly int _n, _d, _k, _chunks;
        private readonly CentreDistances _distances;
        private readonly double[][]? _partSums;
        private readonly long[][]? _partCounts;

        public Assigner(int n, int d, int k, bool withSums)
        {
            _n = n; _d = d; _k = k;
            _chunks = (n + ChunkRows - 1) / ChunkRows;
            _distances = new CentreDistances(k, d);
            if (withSums)
            {
                _partSums = new double[_chunks][];
                _partCounts = new long[_chunks][];
                for (int c = 0; c < _chunks; c++) { _partSums[c] = new double[k * d]; _partCounts[c] = new long[k]; }
            }
        }

        public void Run(DataMatrix x, double[] centres, int[] labels, double[]? sums, long[]? counts, bool parallel)
        {
            _distances.Set(centres);
            if (parallel && _chunks > 1) Parallel.For(0, _chunks, c => Chunk(x, labels, c, sums is not null));
            else for (int c = 0; c < _chunks; c++) Chunk(x, labels, c, sums is not null);
            if (sums is null) return;
            Array.Clear(sums);
            Array.Clear(counts!);
            for (int chunk = 0; chunk < _chunks; chunk++)
            {
                TensorPrimitives.Add(sums, _partSums![chunk], sums);
                for (int c = 0; c < _k; c++) counts![c] += _partCounts![chunk][c];
            }
        }

        private void Chunk(DataMatrix x, int[] labels, int chunk, bool withSums)
        {
            int start = chunk * ChunkRows, end = Math.Min(_n, start + ChunkRows);
            double[]? s = withSums ? _partSums![chunk] : null;
            long[]? cnt = withSums ? _partCounts![chunk] : null;
            if (s is not null) { Array.Clear(s); Array.Clear(cnt!); }
            _distances.Assign(x.Data, start, end, labels, s, cnt);
        }
    }

    /// <summary>Gives each empty cluster the row farthest from its centre (as scikit-learn's <c>_relocate_empty_clusters_dense</c>).</summary>
    private static void RelocateEmpty(DataMatrix x, double[] centres, int[] labels, double[] sums, long[] counts, int k)
    {
        int empty = 0;
        for (int c = 0; c < k; c++) if (counts[c] == 0) empty++;
        if (empty == 0) return;
        int n = x.Rows, d = x.Columns;
        var far = Enumerable.Range(0, n)
            .Select(i => (D: SquaredDistance(x.Row(i), centres.AsSpan(labels[i] * d, d)), I: i))
            .OrderByDescending(p => p.D).ThenBy(p => p.I).Take(empty).Select(p => p.I).ToArray();
        int next = 0;
        for (int c = 0; c < k; c++)
        {
            if (counts[c] != 0) continue;
            int i = far[next++];
            int from = labels[i];
            TensorPrimitives.Subtract(sums.AsSpan(from * d, d), x.Row(i), sums.AsSpan(from * d, d));
            x.Row(i).CopyTo(sums.AsSpan(c * d, d));
            counts[c] = 1;
            counts[from] -= 1;
        }
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) { double diff = a[j] - b[j]; s += diff * diff; }
        return s;
    }

    private static double Sum(double[] values)
    {
        double s = 0;
        foreach (double v in values) s += v;
        return s;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Writes the fitted model (options, centres, labels) to <paramref name="path"/>.</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static KMeans Load(string path) => ModelFile.Load<KMeans>(path);

    JsonObject IStateful.GetState()
    {
        Check.Fitted(_centroids is not null, nameof(KMeans), nameof(Save));
        return new JsonObject
        {
            ["clusters"] = Clusters,
            ["init"] = Init,
            ["maxIterations"] = MaxIterations,
            ["tolerance"] = Tolerance,
            ["seedUsed"] = _seedUsed,
            ["centroids"] = State.Matrix(_centroids!),
            ["labels"] = State.Array(_labels!),
            ["inertia"] = _inertia,
            ["iterations"] = _iterations,
        };
    }

    internal static KMeans FromState(JsonObject state) =>
        new()
        {
            Clusters = State.Int(state["clusters"], "clusters"),
            Init = State.Int(state["init"], "init"),
            MaxIterations = State.Int(state["maxIterations"], "maxIterations"),
            Tolerance = State.Double(state["tolerance"], "tolerance"),
            Seed = State.Int(state["seedUsed"], "seedUsed"),
            _centroids = State.Matrix(state["centroids"], "centroids"),
            _labels = State.Ints(state["labels"], "labels"),
            _inertia = State.Double(state["inertia"], "inertia"),
            _iterations = State.Int(state["iterations"], "iterations"),
            _seedUsed = State.Int(state["seedUsed"], "seedUsed"),
        };
}
