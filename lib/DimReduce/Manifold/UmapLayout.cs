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
/// with umap-learn's Tausworthe generator (<c>tau_rand_int</c>). Coordinates and the gradient arithmetic are single
/// precision. The loop runs sequentially (a fixed seed gives the same layout on every run) or, on request, in
/// parallel over ranges of edges without locks (Hogwild), as umap-learn's <c>parallel=True</c>.
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
    /// False: one pass over the edges in order, one random stream; the result is the same on every run. True: each
    /// epoch's edges are split into <see cref="ParallelChunks"/> contiguous ranges run concurrently without locks
    /// (Hogwild, Recht et al. 2011, as umap-learn's <c>parallel=True</c>), each range with its own random stream; the
    /// threads read and write shared coordinates as they go, so the result varies slightly from run to run.
    /// </param>
    public static void Optimize(float[] head, float[] tail, int dim, int[] heads, int[] tails, int vertices, double[] epochsPerSample,
        double a, double b, double gamma, double initialAlpha, double negativeSampleRate, int epochs, bool moveOther,
        Random random, Action<int>? afterEpoch = null, CancellationToken cancellation = default, bool parallel = false)
    {
        int edges = heads.Length;
        var state = new State
        {
            Head = head, Tail = tail, Dim = dim, Heads = heads, Tails = tails, Vertices = vertices,
            EpochsPerSample = epochsPerSample, EpochsPerNegative = new double[edges], NextNegative = new double[edges],
            NextSample = new double[edges], A = (float)a, B = (float)b,
            Attract = (float)(-2.0 * a * b), Repel = (float)(2.0 * gamma * b), MoveOther = moveOther,
        };
        for (int e = 0; e < edges; e++)
        {
            state.EpochsPerNegative[e] = epochsPerSample[e] / negativeSampleRate;
            state.NextNegative[e] = state.EpochsPerNegative[e];
            state.NextSample[e] = epochsPerSample[e];
        }
        int chunks = parallel ? ParallelChunks : 1;
        var rngs = new TauRandom[chunks];
        for (int c = 0; c < chunks; c++) rngs[c] = TauRandom.From(random);
        double alpha = initialAlpha;
        for (int n = 0; n < epochs; n++)
        {
            cancellation.ThrowIfCancellationRequested();
            float alphaF = (float)alpha;
            if (chunks == 1)
            {
                Epoch(state, 0, edges, n, alphaF, ref rngs[0]);
            }
            else
            {
                int epoch = n;
                Parallel.For(0, chunks, c =>
                {
                    int from = (int)((long)edges * c / chunks), to = (int)((long)edges * (c + 1) / chunks);
                    Epoch(state, from, to, epoch, alphaF, ref rngs[c]);
                });
            }
            alpha = initialAlpha * (1.0 - (double)n / epochs);
            afterEpoch?.Invoke(n + 1);
        }
    }

    /// <summary>Edge ranges per epoch in the parallel mode (several per core, so a slow thread does not hold the epoch back).</summary>
    public static int ParallelChunks => Math.Max(1, 4 * Environment.ProcessorCount);

    private sealed class State
    {
        public required float[] Head, Tail;
        public required int Dim, Vertices;
        public required int[] Heads, Tails;
        public required double[] EpochsPerSample, EpochsPerNegative, NextNegative, NextSample;
        public required float A, B, Attract, Repel;
        public required bool MoveOther;
    }

    /// <summary>One epoch over edges [from, to): attraction along each edge due, then its negative samples.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Epoch(State st, int from, int to, int n, float alpha, ref TauRandom rng)
    {
        float[] head = st.Head, tail = st.Tail;
        int dim = st.Dim;
        uint vertices = (uint)st.Vertices;
        float a = st.A, b = st.B, attract = st.Attract, repel = st.Repel;
        var nextSample = st.NextSample;
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
            float coeff = 0;
            if (d2 > 0)
            {
                float pb = MathF.Pow(d2, b);
                coeff = attract * (pb / d2) / (a * pb + 1f);   // -2ab d^(2(b-1)) / (1 + a d^(2b))
            }
            for (int d = 0; d < dim; d++)
            {
                float g = ClipF(coeff * (head[jo + d] - tail[ko + d]));
                head[jo + d] += g * alpha;
                if (st.MoveOther) tail[ko + d] += -g * alpha;
            }
            nextSample[e] += st.EpochsPerSample[e];

            int negatives = (int)((n - st.NextNegative[e]) / st.EpochsPerNegative[e]);
            for (int p = 0; p < negatives; p++)
            {
                int s = (int)(rng.Next() % vertices);
                int so = s * dim;
                d2 = 0;
                for (int d = 0; d < dim; d++)
                {
                    float diff = head[jo + d] - tail[so + d];
                    d2 += diff * diff;
                }
                if (d2 > 0)
                    coeff = repel / ((0.001f + d2) * (a * MathF.Pow(d2, b) + 1f));
                else if (j == s)
                    continue;
                else
                    coeff = 0;
                for (int d = 0; d < dim; d++)
                {
                    float g = coeff > 0 ? ClipF(coeff * (head[jo + d] - tail[so + d])) : 4f;
                    head[jo + d] += g * alpha;
                }
            }
            st.NextNegative[e] += negatives * st.EpochsPerNegative[e];
        }
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

        public uint Next()
        {
            _s0 = ((_s0 & 4294967294u) << 12) ^ (((_s0 << 13) ^ _s0) >> 19);
            _s1 = ((_s1 & 4294967288u) << 4) ^ (((_s1 << 2) ^ _s1) >> 25);
            _s2 = ((_s2 & 4294967280u) << 17) ^ (((_s2 << 3) ^ _s2) >> 11);
            return _s0 ^ _s1 ^ _s2;
        }
    }
}
