using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Classification;

/// <summary>
/// A fitted CART classification tree (Breiman, Friedman, Olshen and Stone, 1984) in flat arrays, as scikit-learn
/// keeps its <c>tree_</c>: node 0 is the root, nodes are numbered in depth-first order, left child first.
/// An internal node sends a row left when <c>x[Feature] &lt;= Threshold</c> (the value read as a 32-bit float,
/// as scikit-learn does), right otherwise. A leaf has <c>Feature = -1</c> and keeps its class frequencies.
/// Grown by <see cref="DecisionTreeBuilder"/>.
/// </summary>
internal sealed class DecisionTree
{
    public DecisionTree(int[] feature, double[] threshold, int[] left, int[] right, double[] leafValues, int classes, int depth)
    {
        Feature = feature;
        Threshold = threshold;
        Left = left;
        Right = right;
        LeafValues = leafValues;
        Classes = classes;
        Depth = depth;
        _nodes = new Node[feature.Length];
        for (int i = 0; i < _nodes.Length; i++) _nodes[i] = new Node(feature[i], FloatThreshold(threshold[i]), left[i], right[i]);
        _rowLength = feature.Length == 0 ? 0 : feature.Max() + 1;
    }

    /// <summary>The shortest row the tree can read: one past the largest feature it splits on.</summary>
    private readonly int _rowLength;

    /// <summary>The same nodes packed in 16 bytes each, four to a cache line, for prediction.</summary>
    private readonly Node[] _nodes;

    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);

    /// <summary>
    /// The largest float not above <paramref name="t"/>: for every float v, <c>v &lt;= t</c> exactly when
    /// <c>v &lt;= FloatThreshold(t)</c>, so the packed nodes decide as the double thresholds do.
    /// </summary>
    internal static float FloatThreshold(double t)
    {
        float f = (float)t;
        return f > t ? MathF.BitDecrement(f) : f;
    }

    /// <summary>The split feature of each node; -1 marks a leaf.</summary>
    public int[] Feature { get; }

    /// <summary>The split threshold of each internal node (0 at a leaf).</summary>
    public double[] Threshold { get; }

    /// <summary>The left child of each internal node; for a leaf, its row in <see cref="LeafValues"/>.</summary>
    public int[] Left { get; }

    /// <summary>The right child of each internal node; -1 for a leaf.</summary>
    public int[] Right { get; }

    /// <summary>Leaves x classes: the (bootstrap-weighted) fraction of each class among the leaf's training rows.</summary>
    public double[] LeafValues { get; }

    /// <summary>Number of classes (columns of <see cref="LeafValues"/>).</summary>
    public int Classes { get; }

    /// <summary>Depth of the deepest leaf (0 for a single-node tree).</summary>
    public int Depth { get; }

    /// <summary>Number of nodes, internal and leaves.</summary>
    public int NodeCount => Feature.Length;

    /// <summary>Number of leaves.</summary>
    public int LeafCount => LeafValues.Length / Classes;

    /// <summary>The leaf (row of <see cref="LeafValues"/>) that <paramref name="row"/> falls into.</summary>
    public int Leaf(ReadOnlySpan<float> row)
    {
        // Indices were checked when the tree was built or loaded (children and features in range), and the caller
        // passes rows of the fitted feature count (checked once here), so the walk reads without bounds checks.
        if (row.Length < _rowLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"row has {row.Length} values, but the tree splits on feature {_rowLength - 1}."), nameof(row));
        ref Node first = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref float values = ref MemoryMarshal.GetReference(row);
        ref Node node = ref first;
        while (node.Feature >= 0)
            node = ref Unsafe.Add(ref first, Unsafe.Add(ref values, node.Feature) <= node.Threshold ? node.Left : node.Right);
        return node.Left;
    }

    /// <summary>Adds the class frequencies of the leaf that <paramref name="row"/> reaches to <paramref name="sum"/>.</summary>
    public void AddProbabilities(ReadOnlySpan<float> row, Span<double> sum)
    {
        var v = LeafValues.AsSpan(Leaf(row) * Classes, Classes);
        for (int c = 0; c < v.Length; c++) sum[c] += v[c];
    }

    /// <summary>
    /// The tree as a JSON object whose arrays are strings of space-separated numbers (doubles in round-trip form):
    /// a forest has hundreds of thousands of numbers, and one JSON line per number would make its file several
    /// times larger and slower to read.
    /// </summary>
    public JsonObject ToState() => new()
    {
        ["depth"] = Depth,
        ["feature"] = Numbers(Feature),
        ["threshold"] = Numbers(Threshold),
        ["left"] = Numbers(Left),
        ["right"] = Numbers(Right),
        ["values"] = Numbers(LeafValues),
    };

    /// <summary>Reads <see cref="ToState"/> back, checking that every index is in range so prediction cannot fail later.</summary>
    public static DecisionTree FromState(JsonObject state, int features, int classes, int index)
    {
        var feature = Parse(state, "feature", index, s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        var threshold = Parse(state, "threshold", index, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
        var left = Parse(state, "left", index, s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        var right = Parse(state, "right", index, s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        var values = Parse(state, "values", index, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
        int depth = State.Int(state["depth"], "depth");
        int nodes = feature.Length;
        InvalidDataException Bad(string what) => new(string.Create(CultureInfo.InvariantCulture, $"Tree {index} of the forest is inconsistent: {what}."));
        if (nodes == 0 || threshold.Length != nodes || left.Length != nodes || right.Length != nodes)
            throw Bad($"{nodes} features, {threshold.Length} thresholds, {left.Length} left and {right.Length} right children");
        if (values.Length % classes != 0)
            throw Bad($"{values.Length} leaf values for {classes} classes");
        int leaves = values.Length / classes;
        for (int i = 0; i < nodes; i++)
        {
            if (feature[i] >= features || feature[i] < -1) throw Bad($"node {i} splits on feature {feature[i]} of {features}");
            if (feature[i] == -1 ? left[i] < 0 || left[i] >= leaves : left[i] <= i || left[i] >= nodes || right[i] <= i || right[i] >= nodes)
                throw Bad($"node {i} has children {left[i]} and {right[i]}");
        }
        return new DecisionTree(feature, threshold, left, right, values, classes, depth);
    }

    private static string Numbers(int[] values) => string.Join(' ', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static string Numbers(double[] values) => string.Join(' ', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static T[] Parse<T>(JsonObject state, string name, int index, Func<string, T> parse)
    {
        string text = state[name]?.GetValue<string>()
            ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Tree {index} of the forest lacks \"{name}\"."));
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new T[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            try { result[i] = parse(parts[i]); }
            catch (FormatException) { throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Tree {index} of the forest: \"{name}\" entry {i} ('{parts[i]}') is not a number.")); }
            catch (OverflowException) { throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Tree {index} of the forest: \"{name}\" entry {i} ('{parts[i]}') is out of range.")); }
        }
        return result;
    }
}
