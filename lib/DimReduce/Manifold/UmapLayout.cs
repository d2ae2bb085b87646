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
/// with umap-learn's Tausworthe generator (<c>tau_rand_int</c>). Unlike umap-learn's parallel (hogwild) mode this
/// loop is sequential, so a fixed seed gives the same layout on every run; coordinates are single precision.
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
    public static void Optimize(float[] head, float[] tail, int dim, int[] heads, int[] tails, int vertices, double[] epochsPerSample,
        double a, double b, double gamma, double initialAlpha, double negativeSampleRate, int epochs, bool moveOther,
        Random random, Action<int>? afterEpoch = null, CancellationToken cancellation = default)
    {
        int edges = heads.Length;
        var epochsPerNegative = new double[edges];
        var nextNegative = new double[edges];
        var nextSample = new double[edges];
        for (int e = 0; e < edges; e++)
        {
            epochsPerNegative[e] = epochsPerSample[e] / negativeSampleRate;
            nextNegative[e] = epochsPerNegative[e];
            nextSample[e] = epochsPerSample[e];
        }
        var rng = TauRandom.From(random);
        double alpha = initialAlpha;
        double attract = -2.0 * a * b, repel = 2.0 * gamma * b;
        for (int n = 0; n < epochs; n++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int e = 0; e < edges; e++)
            {
                if (!(nextSample[e] <= n)) continue;
                int j = heads[e], k = tails[e];
                int jo = j * dim, ko = k * dim;
                double d2 = 0;
                for (int d = 0; d < dim; d++)
                {
                    float diff = head[jo + d] - tail[ko + d];
                    d2 += diff * diff;
                }
                double coeff = 0;
                if (d2 > 0)
                {
                    double pb = Math.Pow(d2, b);
                    coeff = attract * (pb / d2) / (a * pb + 1.0);   // -2ab d^(2(b-1)) / (1 + a d^(2b))
                }
                for (int d = 0; d < dim; d++)
                {
                    double g = Clip(coeff * (head[jo + d] - tail[ko + d]));
                    head[jo + d] += (float)(g * alpha);
                    if (moveOther) tail[ko + d] += (float)(-g * alpha);
                }
                nextSample[e] += epochsPerSample[e];

                int negatives = (int)((n - nextNegative[e]) / epochsPerNegative[e]);
                for (int p = 0; p < negatives; p++)
                {
                    int s = (int)(rng.Next() % (uint)vertices);
                    int so = s * dim;
                    d2 = 0;
                    for (int d = 0; d < dim; d++)
                    {
                        float diff = head[jo + d] - tail[so + d];
                        d2 += diff * diff;
                    }
                    if (d2 > 0)
                        coeff = repel / ((0.001 + d2) * (a * Math.Pow(d2, b) + 1.0));
                    else if (j == s)
                        continue;
                    else
                        coeff = 0;
                    for (int d = 0; d < dim; d++)
                    {
                        double g = coeff > 0 ? Clip(coeff * (head[jo + d] - tail[so + d])) : 4.0;
                        head[jo + d] += (float)(g * alpha);
                    }
                }
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            alpha = initialAlpha * (1.0 - (double)n / epochs);
            afterEpoch?.Invoke(n + 1);
        }
    }

    private static double Clip(double v) => v > 4.0 ? 4.0 : v < -4.0 ? -4.0 : v;

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
