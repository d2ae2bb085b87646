namespace DimReduce.Manifold;

/// <summary>
/// The Barnes-Hut space-partitioning tree of t-SNE (van der Maaten 2014, section 4.2): a quadtree in 2-D, an
/// octree in 3-D (a binary tree in 1-D), each cell split in 2^dim equal cubes, one point per leaf (exact duplicates
/// share a leaf). Each cell keeps its point count and centre of mass. The tree lives in flat arrays that are reused
/// from one gradient iteration to the next, so rebuilding it allocates nothing once they have grown.
/// </summary>
internal sealed class SpaceTree
{
    private const int MaxDepth = 60;
    private const int StackSize = 1024;

    private readonly int _dim, _fan;
    private double[] _center = [];   // cell centre, node * dim
    private double[] _half = [];     // half the cell's side
    private double[] _com = [];      // sum of positions while building, then centre of mass, node * dim
    private int[] _count = [];       // points in the cell
    private int[] _child = [];       // first of the fan children, or -1 for a leaf
    private int[] _point = [];       // a point of a leaf, or -1 when the leaf is empty
    private int _nodes;

    public SpaceTree(int dim)
    {
        if (dim is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(dim), dim, "The Barnes-Hut tree supports 1 to 3 dimensions.");
        _dim = dim;
        _fan = 1 << dim;
        Grow(1024);
    }

    /// <summary>Cells in use after the last <see cref="Build"/>.</summary>
    public int NodeCount => _nodes;

    /// <summary>Rebuilds the tree over the n points of <paramref name="y"/> (row-major, n x dim).</summary>
    public void Build(ReadOnlySpan<double> y, int n)
    {
        int dim = _dim;
        Span<double> lo = stackalloc double[dim], hi = stackalloc double[dim];
        lo.Fill(double.PositiveInfinity);
        hi.Fill(double.NegativeInfinity);
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dim; d++)
            {
                double v = y[i * dim + d];
                if (v < lo[d]) lo[d] = v;
                if (v > hi[d]) hi[d] = v;
            }
        double half = 0;
        for (int d = 0; d < dim; d++) half = Math.Max(half, (hi[d] - lo[d]) / 2);
        half = half * (1 + 1e-3) + 1e-12;
        _nodes = 0;
        int root = Allocate(1);
        for (int d = 0; d < dim; d++) _center[root * dim + d] = (lo[d] + hi[d]) / 2;
        _half[root] = half;
        for (int i = 0; i < n; i++) Insert(i, y);
        for (int node = 0; node < _nodes; node++)
        {
            int c = _count[node];
            if (c > 0)
                for (int d = 0; d < dim; d++) _com[node * dim + d] /= c;
        }
    }

    private void Insert(int p, ReadOnlySpan<double> y)
    {
        int dim = _dim, node = 0, depth = 0;
        var yp = y.Slice(p * dim, dim);
        while (true)
        {
            if (_child[node] >= 0)
            {
                Add(node, yp);
                node = _child[node] + Orthant(node, yp);
                depth++;
                continue;
            }
            int q = _point[node];
            if (q < 0)
            {
                _point[node] = p;
                Add(node, yp);
                return;
            }
            if (depth >= MaxDepth || y.Slice(q * dim, dim).SequenceEqual(yp))
            {
                Add(node, yp); // a duplicate (or a cell too small to split): the leaf counts it
                return;
            }
            // Split the leaf: its contents move to the child that holds q, then p descends from here.
            int first = Allocate(_fan);
            double h = _half[node] / 2;
            for (int c = 0; c < _fan; c++)
            {
                int child = first + c;
                _half[child] = h;
                for (int d = 0; d < dim; d++)
                    _center[child * dim + d] = _center[node * dim + d] + (((c >> d) & 1) == 1 ? h : -h);
            }
            int cq = first + Orthant(node, y.Slice(q * dim, dim));
            _count[cq] = _count[node];
            for (int d = 0; d < dim; d++) _com[cq * dim + d] = _com[node * dim + d];
            _point[cq] = q;
            _child[node] = first;
            _point[node] = -1;
        }
    }

    private void Add(int node, ReadOnlySpan<double> yp)
    {
        _count[node]++;
        for (int d = 0; d < yp.Length; d++) _com[node * _dim + d] += yp[d];
    }

    private int Orthant(int node, ReadOnlySpan<double> yp)
    {
        int o = 0;
        for (int d = 0; d < yp.Length; d++)
            if (yp[d] >= _center[node * _dim + d]) o |= 1 << d;
        return o;
    }

    private int Allocate(int count)
    {
        if (_nodes + count > _count.Length) Grow(Math.Max(2 * _count.Length, _nodes + count));
        int first = _nodes;
        for (int t = first; t < first + count; t++)
        {
            _count[t] = 0;
            _child[t] = -1;
            _point[t] = -1;
            for (int d = 0; d < _dim; d++) _com[t * _dim + d] = 0;
        }
        _nodes += count;
        return first;
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _center, capacity * _dim);
        Array.Resize(ref _half, capacity);
        Array.Resize(ref _com, capacity * _dim);
        Array.Resize(ref _count, capacity);
        Array.Resize(ref _child, capacity);
        Array.Resize(ref _point, capacity);
    }

    /// <summary>
    /// The repulsive part of the gradient at point i (van der Maaten 2014, equation 5 and section 4.2): the sum
    /// over the other points j of t_ij w_ij (y_i - y_j), where a cell whose side over its distance from y_i is
    /// below <paramref name="theta"/> counts as its point count at its centre of mass. Here w = 1 / (1 + d^2 / dof)
    /// and t = w^((dof + 1) / 2) is the unnormalised Student-t similarity. Writes that sum to <paramref name="force"/>
    /// and returns Z_i = sum_j t_ij (the point's share of the normaliser Z).
    /// </summary>
    public double Repulsion(int i, ReadOnlySpan<double> y, double theta, double dof, Span<double> force)
    {
        return _dim == 2 && dof == 1.0 ? Repulsion2D(y[i * 2], y[i * 2 + 1], theta * theta, force) : RepulsionAny(i, y, theta * theta, dof, force);
    }

    private double Repulsion2D(double y0, double y1, double thetaSq, Span<double> force)
    {
        Span<int> stack = stackalloc int[StackSize];
        int sp = 0;
        stack[sp++] = 0;
        double z = 0, f0 = 0, f1 = 0;
        var com = _com;
        var count = _count;
        var child = _child;
        var half = _half;
        while (sp > 0)
        {
            int node = stack[--sp];
            int cnt = count[node];
            double d0 = y0 - com[2 * node], d1 = y1 - com[2 * node + 1];
            double d2 = d0 * d0 + d1 * d1;
            int first = child[node];
            if (first < 0)
            {
                if (d2 == 0) { z += cnt - 1; continue; } // the point itself (and exact duplicates: t = 1, no force)
            }
            else
            {
                double width = 2 * half[node];
                if (width * width >= thetaSq * d2)
                {
                    for (int c = 3; c >= 0; c--)
                        if (count[first + c] > 0) stack[sp++] = first + c;
                    continue;
                }
            }
            double t = 1.0 / (1.0 + d2);   // dof = 1: w = t
            z += cnt * t;
            double m = cnt * t * t;
            f0 += m * d0;
            f1 += m * d1;
        }
        force[0] = f0;
        force[1] = f1;
        return z;
    }

    private double RepulsionAny(int i, ReadOnlySpan<double> y, double thetaSq, double dof, Span<double> force)
    {
        int dim = _dim;
        Span<int> stack = stackalloc int[StackSize];
        Span<double> delta = stackalloc double[dim];
        var yi = y.Slice(i * dim, dim);
        force.Clear();
        int sp = 0;
        stack[sp++] = 0;
        double z = 0, exponent = (dof + 1) / 2;
        while (sp > 0)
        {
            int node = stack[--sp];
            int cnt = _count[node];
            double d2 = 0;
            for (int d = 0; d < dim; d++) { delta[d] = yi[d] - _com[node * dim + d]; d2 += delta[d] * delta[d]; }
            int first = _child[node];
            if (first < 0)
            {
                if (d2 == 0) { z += cnt - 1; continue; }
            }
            else
            {
                double width = 2 * _half[node];
                if (width * width >= thetaSq * d2)
                {
                    for (int c = _fan - 1; c >= 0; c--)
                        if (_count[first + c] > 0) stack[sp++] = first + c;
                    continue;
                }
            }
            double w = dof / (dof + d2);
            double t = dof == 1.0 ? w : Math.Pow(w, exponent);
            z += cnt * t;
            double m = cnt * t * w;
            for (int d = 0; d < dim; d++) force[d] += m * delta[d];
        }
        return z;
    }
}
