using System.Runtime.Intrinsics;

namespace DimReduce.Manifold;

/// <summary>
/// UMAP's layout optimisation: stochastic gradient descent on the fuzzy set cross entropy, sampling each edge in
/// proportion to its weight and repelling from randomly drawn points (negative sampling).
/// </summary>
/// <remarks>
/// McInnes, Healy and Melville (2018), section 3.2 and appendix C: with Phi(d) = 1 / (1 + a d^(2b)), the attractive
/// gradient along a sampled edge (j, k) is -2ab d^(2(b-1)) / (1 + a d^(2b)) (y_j - y_k) and the repulsive one from a
/// negative sample is 2 gamma b / ((0.001 + d^2)(1 + a d^(2b))) (y_j - y_k), each coordinate clipped to [-4, 4].
/// The schedule is umap-learn 0.5.3's (<c>make_epochs_per_sample</c>, <c>optimize_layout_euclidean</c>): edge e is
/// sampled every epochs_per_sample[e] = max(w) / w_e epochs, with NegativeSampleRate negative samples per positive
/// one, and the learning rate falls linearly, alpha = LearningRate (1 - epoch / epochs). Negative samples are drawn
/// with umap-learn's Tausworthe generator (<c>tau_rand_int</c>), reduced to a vertex by a multiply and a shift rather
/// than umap-learn's modulo. One difference in order: the repulsions of a positive sample's negative samples are all
/// computed from the point's position after its attraction and applied together, where umap-learn moves the point
/// after each one. The expected step is the same; the negative samples no longer wait on one another, and in two
/// dimensions they are computed eight at a time, which together make the layout about 40% faster. Coordinates and
/// the gradient arithmetic are single precision.
/// <para>
/// Two orders of the updates, both reproducible from the seed alone. Sequential: one pass over the edges per epoch with
/// one random stream, umap-learn's order. Parallel: each epoch is <see cref="Rounds"/> rounds; in a round every point
/// takes its next slice of its own edges, reading the other points' positions as they were at the start of the round
/// and moving only itself, so the points can be updated on all cores at once. The fuzzy graph is symmetric, so an
/// edge's tail is moved by the reverse edge in the tail's own turn; to keep umap-learn's pull, where edge (j, k) and
/// edge (k, j) each move both ends, a sampled edge moves its point twice (two attraction steps, the second from the
/// moved position). Each point draws its negative samples from its own stream, a hash of the seed, the round and the
/// point. Nothing depends on the thread count or on the order the threads run in, so a seed gives the same layout
/// whatever the machine's cores. umap-learn's <c>parallel=True</c> (Hogwild: threads read and write shared
/// coordinates as they go) is not reproducible; this is.
/// </para>
/// </remarks>
internal static class UmapLayout
{
    /// <summary>
    /// umap-learn's <c>make_epochs_per_sample</c>: epochs / (epochs w / max(w)) where that is positive, else -1.
    /// </summary>
    public static double[] EpochsPerSample(ReadOnlySpan<double> weights, int epochs)
    {
        double max = 0;
        foreach (double w in weights) max = Math.Max(max, w);
        var result = new double[weights.Length];
        for (int e = 0; e < weights.Length; e++)
        {
            double samples = epochs * (weights[e] / max);
            result[e] = samples > 0 ? epochs / samples : -1.0;
        }
        return result;
    }

    /// <summary>
    /// Drops weights below max(w) / epochs (they would be sampled less than once), as umap-learn does before the
    /// layout; returns the kept edges as (head, tail, weight) in row order.
    /// </summary>
    public static (int[] Heads, int[] Tails, double[] Weights) PruneEdges(FuzzyGraph graph, int epochs)
    {
        var w = graph.WeightArray;
        double max = 0;
        foreach (double v in w) max = Math.Max(max, v);
        // umap-learn compares single-precision weights with max / epochs.
        double threshold = (float)max / (double)epochs;
        var heads = new List<int>(w.Length);
        var tails = new List<int>(w.Length);
        var kept = new List<double>(w.Length);
        for (int i = 0; i < graph.Rows; i++)
            for (int p = graph.RowStartArray[i]; p < graph.RowStartArray[i + 1]; p++)
                if (!(w[p] < threshold))
                {
                    heads.Add(i);
                    tails.Add(graph.ColumnArray[p]);
                    kept.Add(w[p]);
                }
        return (heads.ToArray(), tails.ToArray(), kept.ToArray());
    }

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs of SGD, moving rows of <paramref name="head"/> (and of
    /// <paramref name="tail"/> when <paramref name="moveOther"/>, which for a fit is the same array).
    /// </summary>
    /// <param name="head">Coordinates of the points being placed (row-major, <paramref name="dim"/> per row); updated in place.</param>
    /// <param name="tail">Coordinates of the edge targets and negative samples; the same array as <paramref name="head"/> at fit.</param>
    /// <param name="dim">Embedding dimension.</param>
    /// <param name="heads">Edge sources (rows of <paramref name="head"/>).</param>
    /// <param name="tails">Edge targets (rows of <paramref name="tail"/>).</param>
    /// <param name="vertices">Rows of <paramref name="tail"/> that negative samples are drawn from.</param>
    /// <param name="epochsPerSample">From <see cref="EpochsPerSample"/>.</param>
    /// <param name="a">Curve parameter a.</param>
    /// <param name="b">Curve parameter b.</param>
    /// <param name="gamma">Repulsion strength.</param>
    /// <param name="initialAlpha">Learning rate at epoch 0.</param>
    /// <param name="negativeSampleRate">Negative samples per positive sample.</param>
    /// <param name="epochs">Epochs to run.</param>
    /// <param name="moveOther">Whether an attractive step also moves the edge target (true at fit, false at transform).</param>
    /// <param name="random">Source of the generator's state.</param>
    /// <param name="afterEpoch">Called with the number of epochs finished, after each epoch.</param>
    /// <param name="cancellation">Checked once per epoch.</param>
    /// <param name="parallel">
    /// False: one pass over the edges in order, one random stream. True: the points are updated concurrently in
    /// <see cref="Rounds"/> rounds per epoch, each from the others' positions at the start of the round (see the
    /// remarks). Both give the same result on every run.
    /// </param>
    public static void Optimize(float[] head, float[] tail, int dim, int[] heads, int[] tails, int vertices, double[] epochsPerSample,
        double a, double b, double gamma, double initialAlpha, double negativeSampleRate, int epochs, bool moveOther,
        Random random, Action<int>? afterEpoch = null, CancellationToken cancellation = default, bool parallel = false)
        => Optimize(head, tail, dim, heads, tails, vertices, epochsPerSample, a, b, gamma, initialAlpha, negativeSampleRate, epochs,
            moveOther, random, afterEpoch, cancellation, parallel, ParallelVertices);

    /// <summary><see cref="Optimize(float[], float[], int, int[], int[], int, double[], double, double, double, double, double, int, bool, Random, Action{int}?, CancellationToken, bool)"/> with the points per parallel work item given (tests show the result does not depend on it).</summary>
    internal static void Optimize(float[] head, float[] tail, int dim, int[] heads, int[] tails, int vertices, double[] epochsPerSample,
        double a, double b, double gamma, double initialAlpha, double negativeSampleRate, int epochs, bool moveOther,
        Random random, Action<int>? afterEpoch, CancellationToken cancellation, bool parallel, int pointsPerItem)
    {
        int edges = heads.Length, owners = head.Length / dim;
        int[]? order = null, partStart = null;
        if (parallel) (order, partStart) = PartOrder(heads, owners);
        var state = new State
        {
            Head = head, Tail = tail, Dim = dim, Heads = heads, Tails = Gather(tails, order), Vertices = vertices,
            EpochsPerSample = Gather(epochsPerSample, order), EpochsPerNegative = new double[edges], NextNegative = new double[edges],
            NextSample = new double[edges], A = (float)a, B = (float)b,
            Attract = (float)(-2.0 * a * b), Repel = (float)(2.0 * gamma * b), MoveOther = moveOther,
        };
        for (int e = 0; e < edges; e++)
        {
            state.EpochsPerNegative[e] = state.EpochsPerSample[e] / negativeSampleRate;
            state.NextNegative[e] = state.EpochsPerNegative[e];
            state.NextSample[e] = state.EpochsPerSample[e];
        }
        if (parallel)
        {
            state.PartStart = partStart;
            state.Key = ((ulong)(uint)random.Next() << 32) | (uint)random.Next();
            // At fit the points read each other's positions from a copy taken at the start of each round; at
            // transform they read the training points, which do not move.
            state.Snapshot = moveOther ? (float[])tail.Clone() : tail;
        }
        var rng = TauRandom.From(random);
        double alpha = initialAlpha;
        int items = (owners + pointsPerItem - 1) / pointsPerItem;
        for (int n = 0; n < epochs; n++)
        {
            cancellation.ThrowIfCancellationRequested();
            float alphaF = (float)alpha;
            if (!parallel)
            {
                Epoch(state, 0, edges, n, alphaF, ref rng);
            }
            else
            {
                for (int round = 0; round < Rounds; round++)
                {
                    int epoch = n, r = round;
                    Parallel.For(0, items, c =>
                    {
                        int from = c * pointsPerItem, to = Math.Min(owners, from + pointsPerItem);
                        if (dim == 2) OwnedRound2(state, from, to, epoch, r, alphaF);
                        else OwnedRound(state, from, to, epoch, r, alphaF);
                    });
                    if (moveOther) Array.Copy(head, state.Snapshot!, head.Length);
                }
            }
            alpha = initialAlpha * (1.0 - (double)n / epochs);
            afterEpoch?.Invoke(n + 1);
        }
    }

    /// <summary>Rounds per epoch in the parallel mode: each point takes a quarter of its edges per round.</summary>
    /// <remarks>
    /// The points read each other's positions as they were at the start of a round. With one round per epoch that
    /// copy is up to a whole epoch old, and trustworthiness on the 70,000 Fashion-MNIST images fell by 0.004 against
    /// the sequential layout; with four it is within 0.001, and each round streams its own stretch of the edge arrays.
    /// </remarks>
    internal const int Rounds = 4;

    /// <summary>Points per work item of the parallel mode (the result does not depend on it).</summary>
    private const int ParallelVertices = 512;

    /// <summary>
    /// The order of the edges in the parallel mode: round r holds, point by point, the r-th of <see cref="Rounds"/>
    /// slices of each point's edges (which come in head order); and where each point's slice starts, per round
    /// (<c>start[r * (owners + 1) + j]</c>).
    /// </summary>
    private static (int[] Order, int[] Start) PartOrder(int[] heads, int owners)
    {
        var rowStart = new int[owners + 1];
        for (int e = 0; e < heads.Length; e++)
        {
            if (e > 0 && heads[e] < heads[e - 1])
                throw new InvalidOperationException("The parallel layout needs the edges in head order.");
            rowStart[heads[e] + 1]++;
        }
        for (int i = 0; i < owners; i++) rowStart[i + 1] += rowStart[i];
        int stride = owners + 1;
        var start = new int[Rounds * stride];
        var order = new int[heads.Length];
        int at = 0;
        for (int r = 0; r < Rounds; r++)
            for (int j = 0; j <= owners; j++)
            {
                start[r * stride + j] = at;
                if (j == owners) continue;
                int length = rowStart[j + 1] - rowStart[j];
                for (int e = rowStart[j] + length * r / Rounds; e < rowStart[j] + length * (r + 1) / Rounds; e++) order[at++] = e;
            }
        return (order, start);
    }

    private static T[] Gather<T>(T[] values, int[]? order)
    {
        if (order is null) return values;
        var result = new T[order.Length];
        for (int e = 0; e < order.Length; e++) result[e] = values[order[e]];
        return result;
    }

    /// <summary>Attraction steps per sampled edge in the parallel mode: two at fit (the edge's own move and its reverse's move of this point), one at transform.</summary>
    private static int OwnSteps(State st) => st.MoveOther ? 2 : 1;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void OwnedRound2(State st, int from, int to, int n, int round, float alpha)
    {
        float[] head = st.Head, snap = st.Snapshot!;
        int[] tails = st.Tails, start = st.PartStart!;
        double[] nextSample = st.NextSample, epochsPerSample = st.EpochsPerSample;
        double[] nextNegative = st.NextNegative, epochsPerNegative = st.EpochsPerNegative;
        uint vertices = (uint)st.Vertices;
        float a = st.A, b = st.B, attract = st.Attract, repel = st.Repel;
        int steps = OwnSteps(st);
        int offset = round * (st.Head.Length / st.Dim + 1);
        for (int j = from; j < to; j++)
        {
            int e0 = start[offset + j], e1 = start[offset + j + 1];
            if (e0 == e1) continue;
            var random = TauRandom.For(st.Key, n * Rounds + round, j);
            float hx = head[2 * j], hy = head[2 * j + 1];
            for (int e = e0; e < e1; e++)
            {
                if (!(nextSample[e] <= n)) continue;
                int ko = 2 * tails[e];
                float tx = snap[ko], ty = snap[ko + 1];
                for (int step = 0; step < steps; step++)
                {
                    float dx = hx - tx, dy = hy - ty;
                    float d2 = dx * dx + dy * dy;
                    if (!(d2 > 0)) break;
                    float coeff = Attraction(d2, a, b, attract);
                    hx += ClipF(coeff * dx) * alpha;
                    hy += ClipF(coeff * dy) * alpha;
                }
                nextSample[e] += epochsPerSample[e];
                int negatives = (int)((n - nextNegative[e]) / epochsPerNegative[e]);
                var (rx, ry) = Repulsions(snap, hx, hy, j, negatives, vertices, a, b, repel, ref random);
                hx += rx * alpha;
                hy += ry * alpha;
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            head[2 * j] = hx;
            head[2 * j + 1] = hy;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void OwnedRound(State st, int from, int to, int n, int round, float alpha)
    {
        float[] head = st.Head, snap = st.Snapshot!;
        int dim = st.Dim;
        int[] tails = st.Tails, start = st.PartStart!;
        uint vertices = (uint)st.Vertices;
        float a = st.A, b = st.B, attract = st.Attract, repel = st.Repel;
        int steps = OwnSteps(st);
        Span<float> h = stackalloc float[dim];
        Span<float> push = stackalloc float[dim];
        int offset = round * (st.Head.Length / st.Dim + 1);
        for (int j = from; j < to; j++)
        {
            int e0 = start[offset + j], e1 = start[offset + j + 1];
            if (e0 == e1) continue;
            var random = TauRandom.For(st.Key, n * Rounds + round, j);
            int jo = j * dim;
            head.AsSpan(jo, dim).CopyTo(h);
            for (int e = e0; e < e1; e++)
            {
                if (!(st.NextSample[e] <= n)) continue;
                int ko = st.Tails[e] * dim;
                for (int step = 0; step < steps; step++)
                {
                    float d2 = 0;
                    for (int d = 0; d < dim; d++) { float diff = h[d] - snap[ko + d]; d2 += diff * diff; }
                    if (!(d2 > 0)) break;
                    float coeff = Attraction(d2, a, b, attract);
                    for (int d = 0; d < dim; d++) h[d] += ClipF(coeff * (h[d] - snap[ko + d])) * alpha;
                }
                st.NextSample[e] += st.EpochsPerSample[e];
                int negatives = (int)((n - st.NextNegative[e]) / st.EpochsPerNegative[e]);
                Repulsions(h, snap, j, negatives, vertices, a, b, repel, push, ref random);
                for (int d = 0; d < dim; d++) h[d] += push[d] * alpha;
                st.NextNegative[e] += negatives * st.EpochsPerNegative[e];
            }
            h.CopyTo(head.AsSpan(jo, dim));
        }
    }

    private sealed class State
    {
        public required float[] Head, Tail;
        public required int Dim, Vertices;
        public required int[] Heads, Tails;
        public required double[] EpochsPerSample, EpochsPerNegative, NextNegative, NextSample;
        public required float A, B, Attract, Repel;
        public required bool MoveOther;
        public int[]? PartStart;
        public float[]? Snapshot;
        public ulong Key;
    }

    /// <summary>One epoch over edges [from, to): attraction along each edge due, then its negative samples.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Epoch(State st, int from, int to, int n, float alpha, ref TauRandom rng)
    {
        if (st.Dim == 2)
        {
            Epoch2(st, from, to, n, alpha, ref rng);
            return;
        }
        float[] head = st.Head, tail = st.Tail;
        int dim = st.Dim;
        uint vertices = (uint)st.Vertices;
        float a = st.A, b = st.B, attract = st.Attract, repel = st.Repel;
        var nextSample = st.NextSample;
        Span<float> push = stackalloc float[dim];
        for (int e = from; e < to; e++)
        {
            if (!(nextSample[e] <= n)) continue;
            int j = st.Heads[e], k = st.Tails[e];
            int jo = j * dim, ko = k * dim;
            float d2 = 0;
            for (int d = 0; d < dim; d++)
            {
                float diff = head[jo + d] - tail[ko + d];
                d2 += diff * diff;
            }
            float coeff = d2 > 0 ? Attraction(d2, a, b, attract) : 0;
            for (int d = 0; d < dim; d++)
            {
                float g = ClipF(coeff * (head[jo + d] - tail[ko + d]));
                head[jo + d] += g * alpha;
                if (st.MoveOther) tail[ko + d] += -g * alpha;
            }
            nextSample[e] += st.EpochsPerSample[e];

            // The negative samples' repulsions, all from the same position, applied together.
            int negatives = (int)((n - st.NextNegative[e]) / st.EpochsPerNegative[e]);
            Repulsions(head.AsSpan(jo, dim), tail, j, negatives, vertices, a, b, repel, push, ref rng);
            for (int d = 0; d < dim; d++) head[jo + d] += push[d] * alpha;
            st.NextNegative[e] += negatives * st.EpochsPerNegative[e];
        }
    }

    /// <summary>
    /// <see cref="Epoch"/> for two dimensions, the common case: the same arithmetic with the coordinates in registers and
    /// the negative samples eight at a time (<see cref="Repulsion8"/>). The vector arithmetic is plain IEEE single
    /// precision with no fused operations, so machines with and without 256-bit vector units give the same layout.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Epoch2(State st, int from, int to, int n, float alpha, ref TauRandom rng)
    {
        float[] head = st.Head, tail = st.Tail;
        int[] heads = st.Heads, tails = st.Tails;
        double[] nextSample = st.NextSample, epochsPerSample = st.EpochsPerSample;
        double[] nextNegative = st.NextNegative, epochsPerNegative = st.EpochsPerNegative;
        uint vertices = (uint)st.Vertices;
        float a = st.A, b = st.B, attract = st.Attract, repel = st.Repel;
        bool moveOther = st.MoveOther;
        var random = rng; // in registers for the loop, written back at the end
        for (int e = from; e < to; e++)
        {
            if (!(nextSample[e] <= n)) continue;
            int j = heads[e];
            int jo = 2 * j, ko = 2 * tails[e];
            float hx = head[jo], hy = head[jo + 1];
            float dx = hx - tail[ko], dy = hy - tail[ko + 1];
            float d2 = dx * dx + dy * dy;
            float coeff = d2 > 0 ? Attraction(d2, a, b, attract) : 0;
            float gx = ClipF(coeff * dx) * alpha, gy = ClipF(coeff * dy) * alpha;
            hx += gx;
            hy += gy;
            head[jo] = hx;
            head[jo + 1] = hy;
            if (moveOther)
            {
                tail[ko] -= gx;
                tail[ko + 1] -= gy;
            }
            nextSample[e] += epochsPerSample[e];

            // The negative samples' repulsions, all from the same position, applied together.
            int negatives = (int)((n - nextNegative[e]) / epochsPerNegative[e]);
            var (rx, ry) = Repulsions(tail, hx, hy, j, negatives, vertices, a, b, repel, ref random);
            head[jo] = hx + rx * alpha;
            head[jo + 1] = hy + ry * alpha;
            nextNegative[e] += negatives * epochsPerNegative[e];
        }
        rng = random;
    }

    /// <summary>The attractive gradient's coefficient -2ab d^(2(b-1)) / (1 + a d^(2b)) for a squared distance <paramref name="d2"/> &gt; 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static float Attraction(float d2, float a, float b, float attract)
    {
        float pb = MathF.Pow(d2, b);
        return attract * (pb / d2) / (a * pb + 1f);
    }

    /// <summary>
    /// Any number of dimensions: the summed clipped repulsions, written to <paramref name="push"/>, of
    /// <paramref name="negatives"/> negative samples drawn from <paramref name="random"/>, on the point at
    /// <paramref name="point"/> (number <paramref name="j"/>) from the rows of <paramref name="positions"/>: 4 per
    /// coordinate for a distinct point at distance 0, nothing for the point itself.
    /// </summary>
    private static void Repulsions(ReadOnlySpan<float> point, float[] positions, int j, int negatives, uint vertices, float a, float b, float repel,
        Span<float> push, ref TauRandom random)
    {
        int dim = point.Length;
        push.Clear();
        for (int p = 0; p < negatives; p++)
        {
            int s = random.Below(vertices);
            int so = s * dim;
            float d2 = 0;
            for (int d = 0; d < dim; d++) { float diff = point[d] - positions[so + d]; d2 += diff * diff; }
            if (d2 > 0)
            {
                float coeff = repel / ((0.001f + d2) * (a * MathF.Pow(d2, b) + 1f));
                for (int d = 0; d < dim; d++) push[d] += ClipF(coeff * (point[d] - positions[so + d]));
            }
            else if (j != s)
            {
                for (int d = 0; d < dim; d++) push[d] += 4f;
            }
        }
    }

    /// <summary>The summed repulsions of <paramref name="negatives"/> negative samples from (hx, hy), eight at a time (<see cref="Repulsion8"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static (float X, float Y) Repulsions(float[] positions, float hx, float hy, int j, int negatives, uint vertices, float a, float b, float repel, ref TauRandom random)
    {
        float rx = 0, ry = 0;
        for (int done = 0; done < negatives; done += Lanes)
        {
            var (px, py) = Repulsion8(positions, hx, hy, j, Math.Min(Lanes, negatives - done), vertices, a, b, repel, ref random);
            rx += px;
            ry += py;
        }
        return (rx, ry);
    }

    /// <summary>Negative samples per vector step of <see cref="Repulsion8"/>.</summary>
    private const int Lanes = 8;

    /// <summary>
    /// Up to eight negative samples (<paramref name="count"/>) at once, drawn in order from <paramref name="random"/>: the sums over them of the clipped
    /// repulsive gradient 2 gamma b / ((0.001 + d^2)(1 + a d^(2b))) (y_j - y_s), each term as the scalar loop computes it
    /// (4 per coordinate for a distinct point at distance 0, nothing for the point itself), with d^(2b) by <see cref="PowV"/>.
    /// The sums are taken in a fixed order, so the result is the same on every run.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static (float X, float Y) Repulsion8(float[] tail, float hx, float hy, int j, int count, uint vertices, float a, float b, float repel, ref TauRandom random)
    {
        Span<float> xs = stackalloc float[Lanes];
        Span<float> ys = stackalloc float[Lanes];
        Span<int> self = stackalloc int[Lanes];
        for (int q = 0; q < count; q++)
        {
            int s = random.Below(vertices);
            xs[q] = tail[2 * s];
            ys[q] = tail[2 * s + 1];
            self[q] = s == j ? -1 : 0;
        }
        // Unused lanes sit on the point itself, which contributes nothing.
        for (int q = count; q < Lanes; q++)
        {
            xs[q] = hx;
            ys[q] = hy;
            self[q] = -1;
        }
        var dx = Vector256.Create(hx) - Vector256.Create<float>(xs);
        var dy = Vector256.Create(hy) - Vector256.Create<float>(ys);
        var d2 = dx * dx + dy * dy;
        // Below 1e-30, d^(2b) is nothing beside 1: the clamp keeps PowV's argument normal.
        var pb = PowV(Vector256.Max(d2, Vector256.Create(1e-30f)), b);
        var coeff = Vector256.Create(repel) / ((Vector256.Create(0.001f) + d2) * (Vector256.Create(a) * pb + Vector256<float>.One));
        var four = Vector256.Create(4f);
        var gx = Vector256.Min(Vector256.Max(coeff * dx, -four), four);
        var gy = Vector256.Min(Vector256.Max(coeff * dy, -four), four);
        var apart = Vector256.GreaterThan(d2, Vector256<float>.Zero);
        var other = ~Vector256.Create<int>(self).AsSingle();
        gx = Vector256.ConditionalSelect(apart, gx, four & other);
        gy = Vector256.ConditionalSelect(apart, gy, four & other);
        return (Vector256.Sum(gx), Vector256.Sum(gy));
    }

    /// <summary>
    /// x^y for eight normal x &gt; 0 as 2^(y log2 x): log2 of the mantissa by a degree-7 polynomial (absolute error below
    /// 7e-7) and 2^f by a degree-5 one (relative error below 3e-7). With y log2 x rounded to single precision the
    /// relative error stays below 1e-5 while the result is a normal float; the exponent is held inside the normal
    /// range, so results below about 2^-125 come out as 2^-125 (nothing beside the 1 they are added to in the layout).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> PowV(Vector256<float> x, float y)
    {
        var bits = x.AsInt32();
        var exponent = Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(127));
        var t = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle() - Vector256<float>.One;
        var poly = Vector256.Create(0.0152517434877662f);
        poly = poly * t + Vector256.Create(-0.07835914089859039f);
        poly = poly * t + Vector256.Create(0.19230989104215723f);
        poly = poly * t + Vector256.Create(-0.32429658101906056f);
        poly = poly * t + Vector256.Create(0.47289391060271313f);
        poly = poly * t + Vector256.Create(-0.720458395299019f);
        poly = poly * t + Vector256.Create(1.4426592598924268f);
        var z = Vector256.Create(y) * (exponent + poly * t);
        z = Vector256.Min(Vector256.Max(z, Vector256.Create(-125f)), Vector256.Create(126f));
        var whole = Vector256.Floor(z);
        var f = z - whole;
        var p = Vector256.Create(0.0018943786365581972f);
        p = p * f + Vector256.Create(0.008940577783585674f);
        p = p * f + Vector256.Create(0.055876568506437685f);
        p = p * f + Vector256.Create(0.24013168363680754f);
        p = p * f + Vector256.Create(0.6931567788172274f);
        p = p * f + Vector256.Create(0.999999769479846f);
        return (p.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(whole), 23)).AsSingle();
    }

    private static float ClipF(float v) => v > 4f ? 4f : v < -4f ? -4f : v;

    /// <summary>umap-learn's three-component Tausworthe generator (<c>tau_rand_int</c>), on 32-bit unsigned state.</summary>
    internal struct TauRandom
    {
        private uint _s0, _s1, _s2;

        public static TauRandom From(Random random)
        {
            // Each component needs enough non-zero high bits (s0 > 1, s1 > 7, s2 > 15) to have full period.
            var r = new TauRandom
            {
                _s0 = (uint)random.Next() | 0x100u,
                _s1 = (uint)random.Next() | 0x100u,
                _s2 = (uint)random.Next() | 0x100u,
            };
            return r;
        }

        /// <summary>The generator of one point in one round of the parallel mode: its three state words are three chained SplitMix64 steps from a hash of (key, round, point).</summary>
        public static TauRandom For(ulong key, int round, int vertex)
        {
            ulong z = key ^ (((ulong)(uint)round << 32) | (uint)vertex) * 0x9E3779B97F4A7C15UL;
            var r = new TauRandom();
            z = Mix(z); r._s0 = (uint)z | 0x100u;
            z = Mix(z); r._s1 = (uint)z | 0x100u;
            z = Mix(z); r._s2 = (uint)z | 0x100u;
            return r;
        }

        /// <summary>One SplitMix64 step from <paramref name="z"/>: add the golden-ratio increment, then mix.</summary>
        private static ulong Mix(ulong z)
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>
        /// A draw reduced to [0, bound) by Lemire's multiply-shift (2019), which avoids a division; for bounds far
        /// below 2^32 its bias is as small as the modulo's.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public int Below(uint bound) => (int)(((ulong)Next() * bound) >> 32);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public uint Next()
        {
            _s0 = ((_s0 & 4294967294u) << 12) ^ (((_s0 << 13) ^ _s0) >> 19);
            _s1 = ((_s1 & 4294967288u) << 4) ^ (((_s1 << 2) ^ _s1) >> 25);
            _s2 = ((_s2 & 4294967280u) << 17) ^ (((_s2 << 3) ^ _s2) >> 11);
            return _s0 ^ _s1 ^ _s2;
        }
    }
}
