using System.Numerics.Tensors;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace DimReduce.Neighbors;

/// <summary>
/// Pairwise distances computed one block of query rows at a time on libtorch (float64), so memory stays
/// at block x n values however many rows there are. Also exact single-pair distances in C#, which the
/// searches use to confirm candidates found through the fast (slightly rounded) block formula.
/// </summary>
internal static class DistanceBlocks
{
    /// <summary>About 4 million doubles (32 MB) per block.</summary>
    private const long BlockValues = 1L << 22;

    /// <summary>Rows per block when each row is compared with <paramref name="columns"/> others.</summary>
    public static int BlockRows(int columns, int rows) =>
        (int)Math.Clamp(BlockValues / Math.Max(1, columns), 16, Math.Max(16, rows));

    /// <summary>A row-major matrix as a float64 tensor (copied).</summary>
    public static Tensor ToTensor(DataMatrix x) => torch.tensor(x.Data, [x.Rows, x.Columns], ScalarType.Float64);

    /// <summary>Prepared right-hand side of the block products.</summary>
    public sealed class Reference : IDisposable
    {
        public Reference(DataMatrix x, NeighborMetric metric, double p = 2.0)
        {
            TorchRuntime.EnsureLoaded();
            Metric = metric;
            P = p;
            Rows = x.Rows;
            X = ToTensor(x);
            if (metric == NeighborMetric.Correlation)
            {
                var centred = X.sub(X.mean([1], keepdim: true));
                X.Dispose();
                X = centred;
            }
            if (metric is NeighborMetric.Cosine or NeighborMetric.Correlation)
            {
                using var norms = X.norm(1, keepdim: true);
                using var safe = norms.clamp_min(1e-300);
                var unit = X.div(safe);
                X.Dispose();
                X = unit;
            }
            XT = X.t().contiguous();
            SquaredNorms = X.pow(2).sum(1);
            Scale = ScaleOf(x, metric, p);
        }

        public NeighborMetric Metric { get; }

        /// <summary>The Minkowski exponent (used only by <see cref="NeighborMetric.Minkowski"/>).</summary>
        public double P { get; }
        public int Rows { get; }
        public Tensor X { get; }
        public Tensor XT { get; }
        public Tensor SquaredNorms { get; }

        /// <summary>Largest squared (or L1) norm among the rows, for the rounding bound.</summary>
        public double Scale { get; }

        /// <summary>
        /// Distances (in the comparable form: squared for Euclidean) from <paramref name="q"/>, already
        /// prepared by <see cref="Prepare"/>, to every reference row: a (q rows) x n tensor.
        /// </summary>
        public Tensor Block(Tensor q)
        {
            switch (Metric)
            {
                case NeighborMetric.Euclidean:
                {
                    // ||a||^2 + ||b||^2 - 2 a.b, clamped at 0 against rounding.
                    var d = q.mm(XT);
                    d.mul_(-2.0);
                    using (var qn = q.pow(2).sum(1, keepdim: true)) d.add_(qn);
                    d.add_(SquaredNorms.unsqueeze(0));
                    d.clamp_min_(0.0);
                    return d;
                }
                case NeighborMetric.Cosine:
                case NeighborMetric.Correlation:
                {
                    var d = q.mm(XT);
                    d.neg_().add_(1.0);
                    return d;
                }
                case NeighborMetric.Chebyshev:
                    return torch.cdist(q, X, p: double.PositiveInfinity);
                case NeighborMetric.Minkowski:
                    return torch.cdist(q, X, p: P);
                default:
                    return torch.cdist(q, X, p: 1.0);
            }
        }

        /// <summary>Copies query rows into a tensor in the form <see cref="Block"/> expects.</summary>
        public Tensor Prepare(DataMatrix queries, int start, int count)
        {
            var t = torch.tensor(queries.Data.AsSpan(start * queries.Columns, count * queries.Columns).ToArray(),
                [count, queries.Columns], ScalarType.Float64);
            if (Metric == NeighborMetric.Correlation)
            {
                using var raw = t;
                t = raw.sub(raw.mean([1], keepdim: true));
            }
            if (Metric is not (NeighborMetric.Cosine or NeighborMetric.Correlation)) return t;
            using var norms = t.norm(1, keepdim: true);
            using var safe = norms.clamp_min(1e-300);
            using (t) return t.div(safe);
        }

        public void Dispose()
        {
            X.Dispose();
            XT.Dispose();
            SquaredNorms.Dispose();
        }
    }

    private static double ScaleOf(DataMatrix x, NeighborMetric metric, double p)
    {
        double max = 0;
        for (int i = 0; i < x.Rows; i++) max = Math.Max(max, ScaleOf(x.Row(i), metric, p));
        return max;
    }

    /// <summary>
    /// Bound on the rounding error of a comparable distance from the block formula, for a query whose
    /// squared (or L1) norm is <paramref name="queryScale"/>.
    /// </summary>
    public static double RoundingBound(double queryScale, double referenceScale, int columns) =>
        1e-12 * (4 + columns) * (queryScale + referenceScale) + 1e-300;

    /// <summary>The query's own scale (see <see cref="Reference.Scale"/>).</summary>
    public static double ScaleOf(ReadOnlySpan<double> row, NeighborMetric metric, double p = 2.0) =>
        metric switch
        {
            NeighborMetric.Euclidean => TensorPrimitives.Dot(row, row),
            NeighborMetric.Manhattan => TensorPrimitives.SumOfMagnitudes(row),
            NeighborMetric.Chebyshev => Math.Abs(TensorPrimitives.MaxMagnitude(row)),
            // ||a - b||_p <= d^max(0, 1/p - 1) (||a||_1 + ||b||_1).
            NeighborMetric.Minkowski => TensorPrimitives.SumOfMagnitudes(row) * Math.Pow(row.Length, Math.Max(0.0, 1.0 / p - 1.0)),
            _ => 2.0,
        };

    /// <summary>The exact distance between two rows, computed directly.</summary>
    public static double Exact(ReadOnlySpan<double> a, ReadOnlySpan<double> b, NeighborMetric metric, double p = 2.0)
    {
        switch (metric)
        {
            case NeighborMetric.Euclidean:
                return Math.Sqrt(VectorKernels.SquaredDistance(a, b));
            case NeighborMetric.Manhattan:
            {
                double s = 0;
                for (int j = 0; j < a.Length; j++) s += Math.Abs(a[j] - b[j]);
                return s;
            }
            case NeighborMetric.Chebyshev:
            {
                double s = 0;
                for (int j = 0; j < a.Length; j++) s = Math.Max(s, Math.Abs(a[j] - b[j]));
                return s;
            }
            case NeighborMetric.Minkowski:
            {
                double s = 0;
                for (int j = 0; j < a.Length; j++) s += Math.Pow(Math.Abs(a[j] - b[j]), p);
                return Math.Pow(s, 1.0 / p);
            }
            case NeighborMetric.Correlation:
            {
                // 1 - (a - mean a).(b - mean b) / (||a - mean a|| ||b - mean b||), as scipy's correlation.
                double ma = TensorPrimitives.Sum(a) / a.Length, mb = TensorPrimitives.Sum(b) / b.Length;
                double dot = 0, na = 0, nb = 0;
                for (int j = 0; j < a.Length; j++)
                {
                    double u = a[j] - ma, v = b[j] - mb;
                    dot += u * v;
                    na += u * u;
                    nb += v * v;
                }
                if (na == 0 || nb == 0) return 1.0;
                return 1.0 - dot / Math.Sqrt(na * nb);
            }
            default:
            {
                double na = TensorPrimitives.Norm(a), nb = TensorPrimitives.Norm(b);
                if (na == 0 || nb == 0) return 1.0;
                return 1.0 - TensorPrimitives.Dot(a, b) / (na * nb);
            }
        }
    }

    /// <summary>An exact distance in the comparable form of <see cref="Reference.Block"/> (squared for Euclidean).</summary>
    public static double Comparable(double distance, NeighborMetric metric) =>
        metric == NeighborMetric.Euclidean ? distance * distance : distance;
}
