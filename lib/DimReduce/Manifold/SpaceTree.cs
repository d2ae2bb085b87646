using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DimReduce.Manifold;

/// <summary>
/// The Barnes-Hut space-partitioning tree of t-SNE (van der Maaten 2014, section 4.2): a quadtree in 2-D, an
/// octree in 3-D (a binary tree in 1-D), each cell split in 2^dim equal cubes, one point per leaf (exact duplicates
/// share a leaf). Each cell keeps its point count and centre of mass in one 32-byte record, the records of
/// siblings side by side, so a traversal reads few cache lines. The points are inserted, and later visited, in
/// Morton (Z-curve) order, so consecutive points walk nearly the same cells. The arrays are reused from one
/// gradient iteration to the next: rebuilding allocates nothing once they have grown.
/// </summary>
internal sealed class SpaceTree
{
    private const int MaxDepth = 60;
    private const int StackSize = 1024;

    /// <summary>A cell: centre of mass (first two coordinates; the third lives in a side array), squared side, point count, first child (-1 for a leaf).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public double C0, C1, WidthSq;
        public int Count, FirstChild;
    }

    private readonly int _dim, _fan;
    private Node[] _nodes = [];
    private double[] _c2 = [];       // third coordinate of the centre of mass (3-D)
    private double[] _center = [];   // geometric centre of the cell, node * dim (building only)
    private double[] _half = [];     // half the cell's side (building only)
    private int[] _point = [];       // a point of a leaf, or -1 when the leaf is empty (building only)
    private int _used;
    private ulong[] _keys = [];
    private int[] _order = [];

    public SpaceTree(int dim)
    {
        if (dim is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(dim), dim, "The Barnes-Hut tree supports 1 to 3 dimensions.");
        _dim = dim;
        _fan = 1 << dim;
        Grow(1024);
    }

    /// <summary>Cells in use after the last <see cref="Build"/>.</summary>
    public int NodeCount => _used;

    /// <summary>The points in Morton order of the last <see cref="Build"/> (visit them in this order for cache locality).</summary>
    public ReadOnlySpan<int> Order => _order;

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

        SortByMorton(y, n, lo, half);

        _used = 0;
        int root = Allocate(1);
        for (int d = 0; d < dim; d++) _center[root * dim + d] = (lo[d] + hi[d]) / 2;
        _half[root] = half;
        foreach (int i in _order) Insert(i, y);
        for (int node = 0; node < _used; node++)
        {
            ref var cell = ref _nodes[node];
            int c = cell.Count;
            if (c > 0)
            {
                cell.C0 /= c;
                if (dim > 1) cell.C1 /= c;
                if (dim > 2) _c2[node] /= c;
            }
            double w = 2 * _half[node];
            cell.WidthSq = w * w;
        }
    }

    private void SortByMorton(ReadOnlySpan<double> y, int n, ReadOnlySpan<double> lo, double half)
    {
        if (_order.Length != n)
        {
            _order = new int[n];
            _keys = new ulong[n];
        }
        int dim = _dim, bits = dim == 2 ? 31 : 21;
        double scale = ((1UL << bits) - 1) / (2 * half);
        for (int i = 0; i < n; i++)
        {
            ulong key = 0;
            for (int d = 0; d < dim; d++)
            {
                ulong q = (ulong)Math.Max(0, (y[i * dim + d] - lo[d]) * scale);
                key |= (dim == 2 ? Spread2(q) : dim == 3 ? Spread3(q) : q) << d;
            }
            _keys[i] = key;
            _order[i] = i;
        }
        Array.Sort(_keys, _order);
    }

    /// <summary>Spreads the low 32 bits of v to the even bit positions (Morton code in 2-D).</summary>
    private static ulong Spread2(ulong v)
    {
        v &= 0xFFFFFFFFUL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFUL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFUL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        v = (v | (v << 2)) & 0x3333333333333333UL;
        v = (v | (v << 1)) & 0x5555555555555555UL;
        return v;
    }

    /// <summary>Spreads the low 21 bits of v to every third bit position (Morton code in 3-D).</summary>
    private static ulong Spread3(ulong v)
    {
        v &= 0x1FFFFFUL;
        v = (v | (v << 32)) & 0x1F00000000FFFFUL;
        v = (v | (v << 16)) & 0x1F0000FF0000FFUL;
        v = (v | (v << 8)) & 0x100F00F00F00F00FUL;
        v = (v | (v << 4)) & 0x10C30C30C30C30C3UL;
        v = (v | (v << 2)) & 0x1249249249249249UL;
        return v;
    }

    private void Insert(int p, ReadOnlySpan<double> y)
    {
        int dim = _dim, node = 0, depth = 0;
        var yp = y.Slice(p * dim, dim);
        while (true)
        {
            int first = _nodes[node].FirstChild;
            if (first >= 0)
            {
                Add(node, yp);
                node = first + Orthant(node, yp);
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
            first = Allocate(_fan);
            double h = _half[node] / 2;
            for (int c = 0; c < _fan; c++)
            {
                int child = first + c;
                _half[child] = h;
                for (int d = 0; d < dim; d++)
                    _center[child * dim + d] = _center[node * dim + d] + (((c >> d) & 1) == 1 ? h : -h);
            }
            int cq = first + Orthant(node, y.Slice(q * dim, dim));
            _nodes[cq] = _nodes[node];
            _nodes[cq].FirstChild = -1;
            _c2[cq] = _c2[node];
            _point[cq] = q;
            _nodes[node].FirstChild = first;
            _point[node] = -1;
        }
    }

    private void Add(int node, ReadOnlySpan<double> yp)
    {
        ref var cell = ref _nodes[node];
        cell.Count++;
        cell.C0 += yp[0];
        if (yp.Length > 1) cell.C1 += yp[1];
        if (yp.Length > 2) _c2[node] += yp[2];
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
        if (_used + count > _nodes.Length) Grow(Math.Max(2 * _nodes.Length, _used + count));
        int first = _used;
        for (int t = first; t < first + count; t++)
        {
            _nodes[t] = new Node { FirstChild = -1 };
            _c2[t] = 0;
            _point[t] = -1;
        }
        _used += count;
        return first;
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _nodes, capacity);
        Array.Resize(ref _c2, capacity);
        Array.Resize(ref _center, capacity * _dim);
        Array.Resize(ref _half, capacity);
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
        var nodes = _nodes;
        while (sp > 0)
        {
            ref readonly var cell = ref nodes[stack[--sp]];
            double d0 = y0 - cell.C0, d1 = y1 - cell.C1;
            double d2 = d0 * d0 + d1 * d1;
            int first = cell.FirstChild;
            if (first < 0)
            {
                if (d2 == 0) { z += cell.Count - 1; continue; } // the point itself (and exact duplicates: t = 1, no force)
            }
            else if (cell.WidthSq >= thetaSq * d2)
            {
                for (int c = 3; c >= 0; c--)
                    if (nodes[first + c].Count > 0) stack[sp++] = first + c;
                continue;
            }
            double t = 1.0 / (1.0 + d2);   // dof = 1: w = t
            double ct = cell.Count * t;
            z += ct;
            double m = ct * t;
            f0 += m * d0;
            f1 += m * d1;
        }
        force[0] = f0;
        force[1] = f1;
        return z;
    }

    /// <summary>Points per group of <see cref="RepulsionGroup2D"/>.</summary>
    public const int GroupSize = 8;

    /// <summary>
    /// <see cref="Repulsion"/> for 2-D (dof = 1) for the points <c>Order[start .. start + count)</c> at once (a group
    /// walk, Barnes 1990, "A modified tree code", J. Comput. Phys. 87:161): one traversal serves the group; a cell is
    /// taken whole only when the criterion holds for the nearest point of the group's bounding box, so every point
    /// gets an approximation at least as fine as its own walk would give. Writes each point's force and Z_i.
    /// </summary>
    public void RepulsionGroup2D(ReadOnlySpan<double> y, int start, int count, double theta, Span<double> negative, Span<double> rowZ)
    {
        double thetaSq = theta * theta;
        // The group's coordinates in two 4-lane vectors per axis (missing points padded with the last one; their results are dropped).
        Span<double> px = stackalloc double[GroupSize], py = stackalloc double[GroupSize];
        Span<int> stack = stackalloc int[StackSize];
        double bx0 = double.PositiveInfinity, bx1 = double.NegativeInfinity, by0 = double.PositiveInfinity, by1 = double.NegativeInfinity;
        for (int g = 0; g < GroupSize; g++)
        {
            int i = _order[start + Math.Min(g, count - 1)];
            px[g] = y[2 * i];
            py[g] = y[2 * i + 1];
            bx0 = Math.Min(bx0, px[g]); bx1 = Math.Max(bx1, px[g]);
            by0 = Math.Min(by0, py[g]); by1 = Math.Max(by1, py[g]);
        }
        var xa = Vector256.Create<double>(px[..4]); var xb = Vector256.Create<double>(px[4..]);
        var ya = Vector256.Create<double>(py[..4]); var yb = Vector256.Create<double>(py[4..]);
        var za = Vector256<double>.Zero; var zb = Vector256<double>.Zero;
        var fxa = Vector256<double>.Zero; var fxb = Vector256<double>.Zero;
        var fya = Vector256<double>.Zero; var fyb = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var nodes = _nodes;
        int sp = 0;
        stack[sp++] = 0;
        while (sp > 0)
        {
            ref readonly var cell = ref nodes[stack[--sp]];
            double c0 = cell.C0, c1 = cell.C1;
            int first = cell.FirstChild;
            if (first >= 0)
            {
                double dx = Math.Max(Math.Max(bx0 - c0, c0 - bx1), 0), dy = Math.Max(Math.Max(by0 - c1, c1 - by1), 0);
                if (cell.WidthSq >= thetaSq * (dx * dx + dy * dy))
                {
                    for (int c = 3; c >= 0; c--)
                        if (nodes[first + c].Count > 0) stack[sp++] = first + c;
                    continue;
                }
            }
            // t = 1 / (1 + d^2) for every point of the group; a point at the cell's centre of mass (itself, or an
            // exact duplicate in its leaf) gets t = 1 and no force, and must not count itself: Z gets count - 1.
            var cnt = Vector256.Create((double)cell.Count);
            var cx = Vector256.Create(c0); var cy = Vector256.Create(c1);
            var d0a = xa - cx; var d1a = ya - cy; var d2a = d0a * d0a + d1a * d1a;
            var d0b = xb - cx; var d1b = yb - cy; var d2b = d0b * d0b + d1b * d1b;
            var ta = one / (one + d2a); var tb = one / (one + d2b);
            var cta = cnt * ta; var ctb = cnt * tb;
            za += cta - (Vector256.Equals(d2a, Vector256<double>.Zero) & one);
            zb += ctb - (Vector256.Equals(d2b, Vector256<double>.Zero) & one);
            var ma = cta * ta; var mb = ctb * tb;
            fxa += ma * d0a; fya += ma * d1a;
            fxb += mb * d0b; fyb += mb * d1b;
        }
        Span<double> z = stackalloc double[GroupSize], fx = stackalloc double[GroupSize], fy = stackalloc double[GroupSize];
        za.CopyTo(z); zb.CopyTo(z[4..]);
        fxa.CopyTo(fx); fxb.CopyTo(fx[4..]);
        fya.CopyTo(fy); fyb.CopyTo(fy[4..]);
        for (int g = 0; g < count; g++)
        {
            int i = _order[start + g];
            negative[2 * i] = fx[g];
            negative[2 * i + 1] = fy[g];
            rowZ[i] = z[g];
        }
    }

    private double RepulsionAny(int i, ReadOnlySpan<double> y, double thetaSq, double dof, Span<double> force)
    {
        int dim = _dim;
        Span<int> stack = stackalloc int[StackSize];
        Span<double> delta = stackalloc double[3];
        var yi = y.Slice(i * dim, dim);
        force.Clear();
        int sp = 0;
        stack[sp++] = 0;
        double z = 0, exponent = (dof + 1) / 2;
        while (sp > 0)
        {
            int node = stack[--sp];
            ref readonly var cell = ref _nodes[node];
            delta[0] = yi[0] - cell.C0;
            double d2 = delta[0] * delta[0];
            if (dim > 1) { delta[1] = yi[1] - cell.C1; d2 += delta[1] * delta[1]; }
            if (dim > 2) { delta[2] = yi[2] - _c2[node]; d2 += delta[2] * delta[2]; }
            int first = cell.FirstChild;
            if (first < 0)
            {
                if (d2 == 0) { z += cell.Count - 1; continue; }
            }
            else if (cell.WidthSq >= thetaSq * d2)
            {
                for (int c = _fan - 1; c >= 0; c--)
                    if (_nodes[first + c].Count > 0) stack[sp++] = first + c;
                continue;
            }
            double w = dof / (dof + d2);
            double t = dof == 1.0 ? w : Math.Pow(w, exponent);
            z += cell.Count * t;
            double m = cell.Count * t * w;
            for (int d = 0; d < dim; d++) force[d] += m * delta[d];
        }
        return z;
    }
}
