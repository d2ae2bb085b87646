using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DimReduce.Neighbors;

/// <summary>
/// A random projection tree (Dasgupta and Freund 2008, as pynndescent builds them): each node splits its points by
/// the hyperplane halfway between two of them chosen at random, until a node holds at most LeafSize points.
/// Points in the same leaf are likely near each other, which seeds NN-descent and its queries.
/// </summary>
/// <remarks>
/// Euclidean-style trees split at the perpendicular bisector of the two points, normal x_l - x_r, offset
/// -normal . (x_l + x_r) / 2 (pynndescent's <c>euclidean_random_projection_split</c>); for angular metrics the
/// rows are unit length and the plane passes through the origin (<c>angular_random_projection_split</c>). A point
/// on the plane, or a split that leaves one side empty, is assigned at random, as in pynndescent.
/// </remarks>
internal sealed class RandomProjectionTree
{
    private RandomProjectionTree(int[] order, int[] leafStart, List<Node>? nodes, float[]? planes, int columns)
    {
        Order = order;
        LeafStart = leafStart;
        _nodes = nodes;
        _planes = planes;
        _columns = columns;
    }

    /// <summary>The points, permuted so that each leaf's points are contiguous.</summary>
    public int[] Order { get; }

    /// <summary>Leaf l holds Order[LeafStart[l] .. LeafStart[l + 1]].</summary>
    public int[] LeafStart { get; }

    private readonly List<Node>? _nodes;
    private readonly float[]? _planes;
    private readonly int _columns;

    /// <summary>An inner node (Plane >= 0: its hyperplane's row in the plane store) or a leaf (Plane = -1, Leaf = its number).</summary>
    private record struct Node(int Plane, float Offset, int Left, int Right, int Leaf);

    /// <summary>Builds one tree from <paramref name="random"/>; <paramref name="keepPlanes"/> keeps the hyperplanes for <see cref="LeafOf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RandomProjectionTree Build(TreeSpace data, int leafSize, Random random, bool keepPlanes)
    {
        int n = data.Rows, d = data.Columns;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var leaves = new List<(int Start, int End)>();
        var nodes = keepPlanes ? new List<Node>() : null;
        var planes = keepPlanes ? new List<float[]>() : null;
        var normal = new float[d];
        var side = new bool[n];

        // Depth-first with an explicit stack; each entry is a range of order and, when keeping nodes, the node slot to fill.
        var stack = new Stack<(int Start, int End, int Slot)>();
        if (nodes is not null) nodes.Add(default);
        stack.Push((0, n, 0));
        while (stack.Count > 0)
        {
            var (start, end, slot) = stack.Pop();
            int count = end - start;
            if (count <= leafSize)
            {
                if (nodes is not null) nodes[slot] = new Node(-1, 0, -1, -1, leaves.Count);
                leaves.Add((start, end));
                continue;
            }
            float offset = Hyperplane(data, order, start, end, random, normal);
            // Partition [start, end) by side, in place and stably enough to be deterministic.
            int leftCount = 0;
            for (int t = start; t < end; t++)
            {
                float margin = VectorKernels.Dot(normal, data.Row(order[t])) + offset;
                bool left = Math.Abs(margin) <= 1e-8f * Math.Max(1f, Math.Abs(offset)) ? random.Next(2) == 0 : margin > 0;
                side[t - start] = left;
                if (left) leftCount++;
            }
            if (leftCount == 0 || leftCount == count)
            {
                // Degenerate split (duplicates): assign at random.
                leftCount = 0;
                for (int t = 0; t < count; t++) { side[t] = random.Next(2) == 0; if (side[t]) leftCount++; }
                if (leftCount == 0 || leftCount == count)
                {
                    leftCount = count / 2;
                    for (int t = 0; t < count; t++) side[t] = t < leftCount;
                }
            }
            var buffer = new int[count];
            int l = 0, r = leftCount;
            for (int t = 0; t < count; t++) buffer[side[t] ? l++ : r++] = order[start + t];
            buffer.CopyTo(order, start);
            int leftSlot = 0, rightSlot = 0;
            if (nodes is not null)
            {
                leftSlot = nodes.Count;
                nodes.Add(default);
                rightSlot = nodes.Count;
                nodes.Add(default);
                nodes[slot] = new Node(planes!.Count, offset, leftSlot, rightSlot, -1);
                planes.Add((float[])normal.Clone());
            }
            stack.Push((start + leftCount, end, rightSlot));
            stack.Push((start, start + leftCount, leftSlot));
        }

        // Leaves numbered in the order of their ranges.
        leaves.Sort((a, b) => a.Start.CompareTo(b.Start));
        var leafStart = new int[leaves.Count + 1];
        for (int l = 0; l < leaves.Count; l++)
        {
            leafStart[l] = leaves[l].Start;
        }
        leafStart[leaves.Count] = n;
        float[]? flatPlanes = null;
        if (nodes is not null)
        {
            // Leaf numbers were assigned in creation order, which is also ascending start (depth-first, left first).
            flatPlanes = new float[planes!.Count * d];
            for (int p = 0; p < planes.Count; p++) planes[p].CopyTo(flatPlanes, p * d);
        }
        return new RandomProjectionTree(order, leafStart, nodes, flatPlanes, d);
    }

    /// <summary>The hyperplane between two random points of the range: writes its normal, returns its offset.</summary>
    private static float Hyperplane(TreeSpace data, int[] order, int start, int end, Random random, float[] normal)
    {
        int count = end - start;
        int a = random.Next(count), b = random.Next(count - 1);
        if (b >= a) b++;
        var left = data.Row(order[start + a]);
        var right = data.Row(order[start + b]);
        if (data.Angular)
        {
            TensorPrimitives.Subtract(left, right, normal);
            float norm = TensorPrimitives.Norm(normal);
            if (norm > 0) TensorPrimitives.Divide(normal, norm, normal);
            return 0f;
        }
        TensorPrimitives.Subtract(left, right, normal);
        float offset = 0;
        for (int j = 0; j < normal.Length; j++) offset -= normal[j] * (left[j] + right[j]) * 0.5f;
        return offset;
    }

    /// <summary>The leaf a (prepared) query row falls into; needs a tree built with keepPlanes.</summary>
    public int LeafOf(ReadOnlySpan<float> query)
    {
        var nodes = _nodes ?? throw new InvalidOperationException("This tree was built without its hyperplanes.");
        int at = 0;
        while (nodes[at].Plane >= 0)
        {
            var node = nodes[at];
            float margin = VectorKernels.Dot(_planes.AsSpan(node.Plane * _columns, _columns), query) + node.Offset;
            at = margin > 0 ? node.Left : node.Right;
        }
        return nodes[at].Leaf;
    }
}
