namespace DimReduce.Classification;

/// <summary>
/// Grows one CART classification tree with Gini impurity, depth first, as scikit-learn 1.2's
/// <c>DepthFirstTreeBuilder</c> with the <c>BestSplitter</c> does.
/// </summary>
/// <remarks>
/// <para>
/// Rows carry integer weights: a bootstrap sample is the count of times each row was drawn (rows drawn zero times
/// take no part), the form scikit-learn's forests use. Class counts, impurities and leaf frequencies are weighted;
/// <see cref="Options.MinSamplesSplit"/> and <see cref="Options.MinSamplesLeaf"/> count distinct rows, as there.
/// </para>
/// <para>
/// Gini impurity of a node with weighted class counts <c>n_k</c> and total <c>w</c> is <c>1 - sum_k (n_k / w)^2</c>
/// (Breiman et al., 1984, chapter 4). A split into left and right children minimises
/// <c>w_L G_L + w_R G_R</c>, which is the same as maximising the proxy <c>S_L / w_L + S_R / w_R</c> with
/// <c>S = sum_k n_k^2</c>; <c>S</c> is updated in O(1) as each row moves from right to left, in integers, so the
/// sweep is exact.
/// </para>
/// <para>
/// At each node up to <see cref="Options.MaxFeatures"/> features are drawn without replacement; features that
/// are constant in the node are skipped and do not count, as in scikit-learn. For each drawn feature the node's
/// rows are sorted by it once and swept left to right; a split may fall only between values that differ by more
/// than 1e-7 (scikit-learn's <c>FEATURE_THRESHOLD</c>), and the threshold is the midpoint of the two values
/// (the lower value when the midpoint rounds up to the higher). The first best split found wins ties.
/// </para>
/// <para>
/// A node becomes a leaf when it is pure (Gini at most machine epsilon), at <see cref="Options.MaxDepth"/>,
/// with fewer than <see cref="Options.MinSamplesSplit"/> or fewer than twice <see cref="Options.MinSamplesLeaf"/>
/// rows, or when no split leaves at least <see cref="Options.MinSamplesLeaf"/> rows on each side.
/// </para>
/// </remarks>
internal static class DecisionTreeBuilder
{
    /// <summary>How far a tree may grow; all values already validated.</summary>
    internal readonly record struct Options(int MaxDepth, int MinSamplesSplit, int MinSamplesLeaf, int MaxFeatures);

    private const double FeatureThreshold = 1e-7;
    private const double Epsilon = 2.220446049250313e-16; // np.finfo(np.float64).eps

    /// <summary>Grows a tree and returns it with its normalised mean-decrease-in-impurity importances.</summary>
    /// <param name="columns">Features column by column: feature f of row i at <c>columns[f * rows + i]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Number of features.</param>
    /// <param name="codes">Class code (0 to classes - 1) of each row.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="weights">Weight of each row (bootstrap count); rows of weight 0 are left out.</param>
    /// <param name="options">Growth limits.</param>
    /// <param name="random">The tree's own random stream (feature draws).</param>
    public static (DecisionTree Tree, double[] Importances) Grow(
        float[] columns, int rows, int features, int[] codes, int classes, int[] weights, Options options, Random random)
    {
        var g = new Grower(columns, rows, features, codes, classes, weights, options, random);
        return g.Run();
    }

    private sealed class Grower
    {
        private readonly float[] _columns;
        private readonly int _rows;
        private readonly int _features;
        private readonly int[] _codes;
        private readonly int _classes;
        private readonly int[] _weights;
        private readonly Options _options;
        private readonly Random _random;

        private readonly int[] _samples;     // distinct rows of positive weight; each node owns a range
        private readonly ulong[] _packed;    // scratch: the node's (value, row) pairs of one feature, sortable as integers
        private readonly float[] _keys;      // scratch: the node's values of one feature, sorted
        private readonly int[] _order;       // scratch: the node's rows, sorted along _keys
        private readonly int[] _permutation; // features, partly shuffled per node
        private readonly long[] _counts;     // weighted class counts of the node
        private readonly long[] _left;       // weighted class counts left of the sweep position
        private readonly double[] _importances;

        private readonly List<int> _feature = new(256);
        private readonly List<double> _threshold = new(256);
        private readonly List<int> _leftChild = new(256);
        private readonly List<int> _rightChild = new(256);
        private readonly List<double> _values = new(256);
        private int _depth;

        public Grower(float[] columns, int rows, int features, int[] codes, int classes, int[] weights, Options options, Random random)
        {
            _columns = columns;
            _rows = rows;
            _features = features;
            _codes = codes;
            _classes = classes;
            _weights = weights;
            _options = options;
            _random = random;
            int m = 0;
            for (int i = 0; i < rows; i++) if (weights[i] > 0) m++;
            _samples = new int[m];
            m = 0;
            for (int i = 0; i < rows; i++) if (weights[i] > 0) _samples[m++] = i;
            _packed = new ulong[m];
            _keys = new float[m];
            _order = new int[m];
            _permutation = new int[features];
            for (int f = 0; f < features; f++) _permutation[f] = f;
            _counts = new long[classes];
            _left = new long[classes];
            _importances = new double[features];
        }

        private readonly record struct Pending(int Start, int End, int Depth, int Parent, bool IsLeft);

        private struct Split
        {
            public int Feature;
            public double Threshold;
            public int Position; // rows going left
            public double Proxy;
            public long LeftSquares, LeftWeight, RightSquares, RightWeight;
        }

        public (DecisionTree, double[]) Run()
        {
            var stack = new Stack<Pending>();
            stack.Push(new Pending(0, _samples.Length, 0, -1, false));
            double rootWeight = 0;
            while (stack.Count > 0)
            {
                var (start, end, depth, parent, isLeft) = stack.Pop();
                int node = _feature.Count;
                _feature.Add(-1);
                _threshold.Add(0);
                _leftChild.Add(-1);
                _rightChild.Add(-1);
                if (parent >= 0)
                {
                    if (isLeft) _leftChild[parent] = node;
                    else _rightChild[parent] = node;
                }
                _depth = Math.Max(_depth, depth);

                Array.Clear(_counts);
                long weight = 0;
                for (int p = start; p < end; p++)
                {
                    int s = _samples[p];
                    _counts[_codes[s]] += _weights[s];
                    weight += _weights[s];
                }
                long squares = 0;
                for (int c = 0; c < _classes; c++) squares += _counts[c] * _counts[c];
                if (node == 0) rootWeight = weight;
                double impurity = 1.0 - squares / ((double)weight * weight);
                int n = end - start;

                bool leaf = depth >= _options.MaxDepth
                    || n < _options.MinSamplesSplit
                    || n < 2L * _options.MinSamplesLeaf
                    || impurity <= Epsilon;
                Split split = default;
                if (!leaf) leaf = !BestSplit(start, end, weight, squares, ref split);
                if (leaf)
                {
                    _leftChild[node] = _values.Count / _classes;
                    for (int c = 0; c < _classes; c++) _values.Add(_counts[c] / (double)weight);
                    continue;
                }

                int mid = Partition(start, end, split.Feature, split.Threshold);
                _feature[node] = split.Feature;
                _threshold[node] = split.Threshold;
                // Mean decrease in impurity: w G - w_L G_L - w_R G_R = S_L / w_L + S_R / w_R - S / w.
                _importances[split.Feature] += split.Proxy - squares / (double)weight;
                stack.Push(new Pending(mid, end, depth + 1, node, false));
                stack.Push(new Pending(start, mid, depth + 1, node, true));
            }

            // scikit-learn: divide by the root's weight, then normalise to sum 1 (a single leaf keeps zeros).
            double total = 0;
            for (int f = 0; f < _features; f++) { _importances[f] /= rootWeight; total += _importances[f]; }
            if (total > 0)
                for (int f = 0; f < _features; f++) _importances[f] /= total;

            var tree = new DecisionTree([.. _feature], [.. _threshold], [.. _leftChild], [.. _rightChild], [.. _values], _classes, _depth);
            return (tree, _importances);
        }

        /// <summary>Finds the best split of the node's rows; false when no feature admits one.</summary>
        private bool BestSplit(int start, int end, long weight, long squares, ref Split best)
        {
            int n = end - start;
            int minLeaf = _options.MinSamplesLeaf;
            var keys = _keys.AsSpan(0, n);
            var order = _order.AsSpan(0, n);
            bool found = false;
            best.Proxy = double.NegativeInfinity;
            int visited = 0; // non-constant features examined
            for (int i = 0; i < _features && visited < _options.MaxFeatures; i++)
            {
                int j = i + _random.Next(_features - i);
                (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
                int f = _permutation[i];
                var column = _columns.AsSpan(f * _rows, _rows);

                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                var packed = _packed.AsSpan(0, n);
                for (int p = 0; p < n; p++)
                {
                    int s = _samples[start + p];
                    float v = column[s];
                    packed[p] = ((ulong)SortableBits(v) << 32) | (uint)s;
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
                if (max <= min + FeatureThreshold) continue; // constant here: does not count towards MaxFeatures
                visited++;
                // One integer sort of (value, row) pairs: faster than sorting values with rows alongside.
                packed.Sort();
                for (int p = 0; p < n; p++)
                {
                    ulong key = packed[p];
                    keys[p] = FromSortableBits((uint)(key >> 32));
                    order[p] = (int)(uint)key;
                }

                Array.Clear(_left);
                long leftWeight = 0, leftSquares = 0, rightWeight = weight, rightSquares = squares;
                int pos = 0;
                while (pos < n)
                {
                    // Move the row at pos, and every following row tied with it, to the left.
                    do
                    {
                        int s = order[pos];
                        int c = _codes[s];
                        long w = _weights[s];
                        long l = _left[c], r = _counts[c] - l;
                        leftSquares += (2 * l + w) * w;
                        rightSquares += (w - 2 * r) * w;
                        _left[c] = l + w;
                        leftWeight += w;
                        rightWeight -= w;
                        pos++;
                    }
                    while (pos < n && keys[pos] <= keys[pos - 1] + FeatureThreshold);
                    if (pos >= n) break;
                    if (pos < minLeaf || n - pos < minLeaf) continue;
                    double proxy = leftSquares / (double)leftWeight + rightSquares / (double)rightWeight;
                    if (proxy > best.Proxy)
                    {
                        double threshold = keys[pos - 1] / 2.0 + keys[pos] / 2.0;
                        if (threshold == keys[pos] || double.IsInfinity(threshold)) threshold = keys[pos - 1];
                        best = new Split
                        {
                            Feature = f,
                            Threshold = threshold,
                            Position = pos,
                            Proxy = proxy,
                            LeftSquares = leftSquares,
                            LeftWeight = leftWeight,
                            RightSquares = rightSquares,
                            RightWeight = rightWeight,
                        };
                        found = true;
                    }
                }
            }
            return found;
        }

        /// <summary>Maps a float to an unsigned integer whose order is the float's order (NaN excluded upstream).</summary>
        private static uint SortableBits(float v)
        {
            uint bits = BitConverter.SingleToUInt32Bits(v);
            return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
        }

        private static float FromSortableBits(uint u) =>
            BitConverter.UInt32BitsToSingle((u & 0x80000000u) != 0 ? u & 0x7FFFFFFFu : ~u);

        /// <summary>Reorders the node's rows so those with <c>x[feature] &lt;= threshold</c> come first; returns the split point.</summary>
        private int Partition(int start, int end, int feature, double threshold)
        {
            var column = _columns.AsSpan(feature * _rows, _rows);
            int i = start, j = end - 1;
            while (i <= j)
            {
                if (column[_samples[i]] <= threshold) i++;
                else
                {
                    (_samples[i], _samples[j]) = (_samples[j], _samples[i]);
                    j--;
                }
            }
            return i;
        }
    }
}
