using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Classification;

/// <summary>
/// A random forest: many decision trees, each grown on a bootstrap sample of the rows and choosing every split
/// among a random subset of the features, whose class frequencies are averaged. The tree ensemble the course
/// sets beside logistic regression to ask "how much class information is left in these reduced features?":
/// it needs no scaling, and it finds non-linear boundaries that a linear model misses.
/// Matches scikit-learn 1.2's <c>RandomForestClassifier(criterion='gini', max_features='sqrt')</c>.
/// </summary>
/// <remarks>
/// <para>
/// Breiman (2001), "Random Forests", <i>Machine Learning</i> 45(1), 5-32: each of the <see cref="Trees"/> trees is
/// a CART tree (Breiman, Friedman, Olshen and Stone, 1984) grown without pruning on a bootstrap sample (n rows
/// drawn with replacement; the count of each row is its weight, as in scikit-learn), splitting each node on the
/// best of <see cref="MaxFeatures"/> randomly drawn features by the decrease of Gini impurity
/// <c>G = 1 - sum_k p_k^2</c> (Breiman et al., 1984, chapter 4). Each candidate feature is sorted once per node and
/// swept, so a node of m rows costs O(MaxFeatures m log m).
/// </para>
/// <para>
/// <see cref="PredictProba"/> is the mean over the trees of the class frequencies in the leaf each row reaches
/// (scikit-learn's soft vote, not Breiman's majority vote); <see cref="Predict"/> takes its largest column, ties
/// to the smaller label. <see cref="FeatureImportances"/> is the mean decrease in impurity, or Gini importance
/// (Breiman et al., 1984; Louppe, Wehenkel, Sutera and Geurts, 2013, "Understanding variable importances in forests
/// of randomized trees"), not Breiman's (2001, section 10) permutation importance: per tree, the weighted
/// impurity decrease of every split summed per feature and normalised to 1, then averaged over the trees that
/// split at least once and normalised again, as scikit-learn does.
/// </para>
/// <para>
/// Features are read as 32-bit floats, as scikit-learn reads them; thresholds are midpoints between
/// neighbouring values. Determinism: tree t draws its bootstrap sample and its features from a random stream
/// derived from <see cref="SeedUsed"/> and t alone, and the trees are combined in index order, so the same
/// seed gives the same forest whatever the number of threads. The trees are grown in parallel.
/// </para>
/// <example>
/// <code>
/// var forest = new RandomForestClassifier { Trees = 200, Seed = 42 }.Fit(trainEmbedding, trainLabels);
/// double accuracy = forest.Score(testEmbedding, testLabels);
/// DataMatrix proba = forest.PredictProba(testEmbedding);
/// IReadOnlyList&lt;double&gt; importance = forest.FeatureImportances; // sums to 1
/// </code>
/// </example>
/// </remarks>
[ModelType("RandomForestClassifier")]
public sealed class RandomForestClassifier : IProbabilisticClassifier, IStateful
{
    /// <summary>The default value of every option (scikit-learn 1.2's defaults).</summary>
    public static class Defaults
    {
        /// <summary>Number of trees: 100.</summary>
        public const int Trees = 100;

        /// <summary>Depth limit: none (null), trees grow until their leaves are pure or too small to split.</summary>
        public static readonly int? MaxDepth = null;

        /// <summary>Fewest rows a node needs to be split: 2.</summary>
        public const int MinSamplesSplit = 2;

        /// <summary>Fewest rows in a leaf: 1.</summary>
        public const int MinSamplesLeaf = 1;

        /// <summary>Features drawn per split: null, meaning the square root of the feature count (rounded down, at least 1).</summary>
        public static readonly int? MaxFeatures = null;

        /// <summary>Grow each tree on a bootstrap sample: true.</summary>
        public const bool Bootstrap = true;
    }

    private DecisionTree[]? _trees;
    private int[]? _classes;
    private double[]? _importances;
    private int _features;
    private int _maxFeaturesUsed;
    private int _seedUsed;

    /// <summary>Number of trees; at least 1. Default 100. More trees give smoother probabilities and never overfit more, but cost time.</summary>
    public int Trees { get; init; } = Defaults.Trees;

    /// <summary>
    /// Largest depth of a tree (the root has depth 0); null or at least 1. Default null: grow until every leaf is
    /// pure or has too few rows to split (<see cref="MinSamplesSplit"/>, <see cref="MinSamplesLeaf"/>).
    /// </summary>
    public int? MaxDepth { get; init; } = Defaults.MaxDepth;

    /// <summary>A node with fewer (distinct) rows than this becomes a leaf; at least 2. Default 2.</summary>
    public int MinSamplesSplit { get; init; } = Defaults.MinSamplesSplit;

    /// <summary>A split must leave at least this many (distinct) rows on each side; at least 1. Default 1.</summary>
    public int MinSamplesLeaf { get; init; } = Defaults.MinSamplesLeaf;

    /// <summary>
    /// Features drawn at random as split candidates at each node; 1 to the feature count, or null (default) for
    /// the square root of the feature count rounded down (scikit-learn's <c>'sqrt'</c>, the usual choice for
    /// classification). Features constant in a node do not count. The feature count gives bagged trees.
    /// </summary>
    public int? MaxFeatures { get; init; } = Defaults.MaxFeatures;

    /// <summary>Whether each tree sees a bootstrap sample (true, default) or every row once (false).</summary>
    public bool Bootstrap { get; init; } = Defaults.Bootstrap;

    /// <summary>Seed of the bootstrap samples and feature draws; null (default) draws one (see <see cref="SeedUsed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>Most threads used to grow the trees and to predict (tests set 1; results do not depend on it); 0 means all cores.</summary>
    internal int MaxParallelism { get; init; }

    /// <summary>The distinct labels seen at fit, ascending; column k of <see cref="PredictProba"/> is class <c>Classes[k]</c>.</summary>
    public IReadOnlyList<int> Classes => Fitted(_classes, nameof(Classes)).AsReadOnly();

    /// <summary>
    /// The mean decrease in impurity of each feature (one value per feature, non-negative, summing to 1; all zeros
    /// when no tree could split). Larger means the trees relied on that feature more. It favours features with many
    /// distinct values and says nothing about features that are useful but redundant with a used one.
    /// </summary>
    public IReadOnlyList<double> FeatureImportances => Fitted(_importances, nameof(FeatureImportances)).ToArray();

    /// <summary>The seed used: <see cref="Seed"/>, or the one drawn when it was null.</summary>
    public int SeedUsed { get { Fitted(_trees, nameof(SeedUsed)); return _seedUsed; } }

    /// <summary>Number of features seen at fit.</summary>
    public int FeatureCount { get { Fitted(_trees, nameof(FeatureCount)); return _features; } }

    /// <summary>The number of features drawn per split that was used (<see cref="MaxFeatures"/>, or its square-root default).</summary>
    public int MaxFeaturesUsed { get { Fitted(_trees, nameof(MaxFeaturesUsed)); return _maxFeaturesUsed; } }

    /// <summary>The depth of each tree (its deepest leaf), in tree order.</summary>
    public IReadOnlyList<int> TreeDepths => Fitted(_trees, nameof(TreeDepths)).Select(t => t.Depth).ToArray();

    /// <summary>The number of leaves of each tree, in tree order.</summary>
    public IReadOnlyList<int> TreeLeafCounts => Fitted(_trees, nameof(TreeLeafCounts)).Select(t => t.LeafCount).ToArray();

    /// <summary>Grows the forest on <paramref name="x"/> (one row per sample) and one label per row.</summary>
    /// <param name="x">Training data without NaN or infinity.</param>
    /// <param name="labels">One integer label per row (any integers; classes are their distinct values).</param>
    /// <returns>This instance, fitted.</returns>
    public RandomForestClassifier Fit(DataMatrix x, IReadOnlyList<int> labels)
    {
        Check.Range(Trees, 1, int.MaxValue, nameof(Trees), "Use at least one tree (100 is usual).");
        if (MaxDepth is int depth)
            Check.Range(depth, 1, int.MaxValue, nameof(MaxDepth), "Use a depth of at least 1, or null to grow the trees fully.");
        Check.Range(MinSamplesSplit, 2, int.MaxValue, nameof(MinSamplesSplit), "A split needs at least 2 rows (2 is the default).");
        Check.Range(MinSamplesLeaf, 1, int.MaxValue, nameof(MinSamplesLeaf), "A leaf needs at least 1 row (1 is the default).");
        if (MaxFeatures is int mf)
            Check.Range(mf, 1, int.MaxValue, nameof(MaxFeatures), "Draw at least 1 feature per split, or leave MaxFeatures null for the square root of the feature count.");
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        int n = x.Rows, p = x.Columns;
        int sqrt = Math.Max(1, (int)Math.Sqrt(p));
        if (MaxFeatures > p)
            throw new ArgumentOutOfRangeException(nameof(MaxFeatures), MaxFeatures,
                string.Create(CultureInfo.InvariantCulture,
                    $"MaxFeatures is {MaxFeatures}, but x has {p} features. MaxFeatures must be between 1 and the feature count: lower it to at most {p}, or leave it null for the square root ({sqrt})."));

        var codes = LabelCodes.From(labels);
        int classes = codes.Count;
        int seed = Seeds.Resolve(Seed);
        int maxFeatures = MaxFeatures ?? sqrt;
        var options = new DecisionTreeBuilder.Options(MaxDepth ?? int.MaxValue, MinSamplesSplit, MinSamplesLeaf, maxFeatures);

        // Column by column, as 32-bit floats (scikit-learn's trees read float32 too).
        var data = x.Data;
        var columns = new float[checked(n * p)];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < p; f++)
                columns[f * n + i] = (float)data[i * p + f];

        var trees = new DecisionTree[Trees];
        var importances = new double[Trees][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism > 0 ? MaxParallelism : -1 };
        Parallel.For(0, Trees, parallel, t =>
        {
            var random = Seeds.Create(seed, t);
            var weights = new int[n];
            if (Bootstrap)
                for (int k = 0; k < n; k++) weights[random.Next(n)]++;
            else
                Array.Fill(weights, 1);
            (trees[t], importances[t]) = DecisionTreeBuilder.Grow(columns, n, p, codes.Codes, classes, weights, options, random);
        });

        // scikit-learn: the mean over the trees that split at least once, normalised to sum 1.
        var mean = new double[p];
        int used = 0;
        for (int t = 0; t < trees.Length; t++)
        {
            if (trees[t].NodeCount <= 1) continue;
            used++;
            for (int f = 0; f < p; f++) mean[f] += importances[t][f];
        }
        double total = 0;
        if (used > 0)
        {
            for (int f = 0; f < p; f++) { mean[f] /= used; total += mean[f]; }
            if (total > 0)
                for (int f = 0; f < p; f++) mean[f] /= total;
        }

        _trees = trees;
        _classes = codes.Classes;
        _importances = mean;
        _features = p;
        _maxFeaturesUsed = maxFeatures;
        _seedUsed = seed;
        return this;
    }

    IClassifier IClassifier.Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels);

    /// <summary>
    /// The probability of each class (columns in <see cref="Classes"/> order) for each row: the mean over the trees
    /// of the class frequencies in the leaf the row reaches. Rows sum to 1.
    /// </summary>
    public DataMatrix PredictProba(DataMatrix x) => Probabilities(x, nameof(PredictProba));

    /// <summary>The predicted label of each row: the class with the largest <see cref="PredictProba"/> (ties go to the smaller label).</summary>
    public int[] Predict(DataMatrix x)
    {
        var proba = Probabilities(x, nameof(Predict));
        int k = _classes!.Length;
        var result = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = proba.Row(i);
            int best = 0;
            for (int c = 1; c < k; c++) if (row[c] > row[best]) best = c;
            result[i] = _classes[best];
        }
        return result;
    }

    /// <summary>The accuracy of <see cref="Predict"/> on <paramref name="x"/>: the fraction of rows whose label is right.</summary>
    public double Score(DataMatrix x, IReadOnlyList<int> labels)
    {
        Fitted(_trees, nameof(Score));
        Check.Features(x, _features, nameof(x), nameof(RandomForestClassifier));
        Check.Labels(labels, x.Rows, nameof(labels));
        return ClassificationMetrics.Accuracy(labels, Predict(x));
    }

    /// <summary>
    /// Writes the fitted forest (options, every tree) to <paramref name="path"/> (see <see cref="ModelFile"/>). Each tree's
    /// arrays are stored as strings of space-separated round-trip numbers; fully grown trees are large (100 trees on
    /// 8,000 rows of 10 classes take about 7 MB).
    /// </summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads a forest written by <see cref="Save"/>; it predicts bit for bit as the saved one did.</summary>
    public static RandomForestClassifier Load(string path) => ModelFile.Load<RandomForestClassifier>(path);

    /// <inheritdoc />
    public override string ToString() => _trees is null
        ? string.Create(CultureInfo.InvariantCulture, $"RandomForestClassifier(Trees={Trees}, not fitted)")
        : string.Create(CultureInfo.InvariantCulture,
            $"RandomForestClassifier(Trees={Trees}, {_classes!.Length} classes, {_features} features, MaxFeatures {_maxFeaturesUsed}, mean depth {_trees.Average(t => t.Depth):F1}, mean leaves {_trees.Average(t => t.LeafCount):F1})");

    private DataMatrix Probabilities(DataMatrix x, string method)
    {
        var trees = Fitted(_trees, method);
        Check.Features(x, _features, nameof(x), nameof(RandomForestClassifier));
        int n = x.Rows, p = _features, k = _classes!.Length;
        var data = x.Data;
        var proba = new double[n * k];
        const int Chunk = 64;
        int chunks = (n + Chunk - 1) / Chunk;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism > 0 ? MaxParallelism : -1 };
        // Tree by tree over a chunk of rows, so each tree stays in cache while it is used; every row still adds
        // its trees in index order, so the result does not depend on how the chunks are shared out.
        Parallel.For(0, chunks, parallel, chunk =>
        {
            int begin = chunk * Chunk, end = Math.Min(n, begin + Chunk);
            var rows = new float[(end - begin) * p];
            for (int i = begin; i < end; i++)
                for (int f = 0; f < p; f++) rows[(i - begin) * p + f] = (float)data[i * p + f];
            foreach (var tree in trees)
                for (int i = begin; i < end; i++)
                    tree.AddProbabilities(rows.AsSpan((i - begin) * p, p), proba.AsSpan(i * k, k));
            for (int i = begin * k; i < end * k; i++) proba[i] /= trees.Length;
        });
        return new DataMatrix(n, k, proba);
    }

    JsonObject IStateful.GetState()
    {
        var trees = Fitted(_trees, nameof(Save));
        return new JsonObject
        {
            ["trees"] = Trees,
            ["maxDepth"] = MaxDepth,
            ["minSamplesSplit"] = MinSamplesSplit,
            ["minSamplesLeaf"] = MinSamplesLeaf,
            ["maxFeatures"] = MaxFeatures,
            ["bootstrap"] = Bootstrap,
            ["seed"] = Seed,
            ["seedUsed"] = _seedUsed,
            ["maxFeaturesUsed"] = _maxFeaturesUsed,
            ["features"] = _features,
            ["classes"] = State.Array(_classes!),
            ["featureImportances"] = State.Array(_importances!),
            ["forest"] = new JsonArray(trees.Select(t => (JsonNode?)t.ToState()).ToArray()),
        };
    }

    internal static RandomForestClassifier FromState(JsonObject state)
    {
        var model = new RandomForestClassifier
        {
            Trees = State.Int(state["trees"], "trees"),
            MaxDepth = state["maxDepth"]?.GetValue<int>(),
            MinSamplesSplit = State.Int(state["minSamplesSplit"], "minSamplesSplit"),
            MinSamplesLeaf = State.Int(state["minSamplesLeaf"], "minSamplesLeaf"),
            MaxFeatures = state["maxFeatures"]?.GetValue<int>(),
            Bootstrap = state["bootstrap"]?.GetValue<bool>() ?? throw new InvalidDataException("The model state lacks \"bootstrap\"."),
            Seed = state["seed"]?.GetValue<int>(),
        };
        int features = State.Int(state["features"], "features");
        var classes = State.Ints(state["classes"], "classes");
        var importances = State.Doubles(state["featureImportances"], "featureImportances");
        var forest = state["forest"] as JsonArray ?? throw new InvalidDataException("The model state lacks \"forest\".");
        if (features < 1 || classes.Length < 1 || importances.Length != features || forest.Count != model.Trees)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The model state is inconsistent: {features} features, {classes.Length} classes, {importances.Length} importances, {forest.Count} trees (expected {model.Trees})."));
        model._trees = forest.Select((node, t) => DecisionTree.FromState(
            node as JsonObject ?? throw new InvalidDataException($"Tree {t} of the forest is not a JSON object."), features, classes.Length, t)).ToArray();
        model._classes = classes;
        model._importances = importances;
        model._features = features;
        model._maxFeaturesUsed = State.Int(state["maxFeaturesUsed"], "maxFeaturesUsed");
        model._seedUsed = State.Int(state["seedUsed"], "seedUsed");
        return model;
    }

    private static T Fitted<T>(T? value, string member) where T : class
    {
        Check.Fitted(value is not null, nameof(RandomForestClassifier), member);
        return value!;
    }
}
