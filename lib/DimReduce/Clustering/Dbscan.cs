using DimReduce.Neighbors;

namespace DimReduce.Clustering;

/// <summary>
/// DBSCAN: density-based clustering that finds clusters of any shape and marks sparse rows as noise
/// (label -1). A row is a core sample when at least <see cref="MinSamples"/> rows (itself included) lie
/// within <see cref="Eps"/> of it; clusters are the groups of core samples linked through such
/// neighbourhoods, plus the non-core rows they reach.
/// </summary>
/// <remarks>
/// Ester, Kriegel, Sander and Xu (1996), "A density-based algorithm for discovering clusters in large
/// spatial databases with noise". Clusters are grown depth-first from the core samples in row order and
/// numbered in order of discovery, and a border row reachable from two clusters joins the first, exactly as
/// scikit-learn's DBSCAN, so the labels match it. Neighbourhoods come from
/// <see cref="NearestNeighbors.Radius"/>, one block of rows at a time, never an n x n matrix; the lists of
/// neighbours themselves are kept, so memory grows with the average neighbourhood size.
/// </remarks>
/// <example>
/// <code>
/// var dbscan = new Dbscan { Eps = 0.3, MinSamples = 10 }.Fit(x);
/// int noise = dbscan.Labels.Count(l => l == -1);
/// </code>
/// </example>
public sealed class Dbscan
{
    /// <summary>Default option values.</summary>
    public static class Defaults
    {
        /// <summary>Neighbourhood radius: 0.5.</summary>
        public const double Eps = 0.5;

        /// <summary>Rows (the row itself included) within Eps for a core sample: 5.</summary>
        public const int MinSamples = 5;
    }

    private int[]? _labels;
    private int[]? _core;

    /// <summary>The neighbourhood radius (inclusive); finite and greater than 0. Default 0.5.</summary>
    public double Eps { get; init; } = Defaults.Eps;

    /// <summary>Rows within <see cref="Eps"/>, counting the row itself, that make a core sample; at least 1. Default 5.</summary>
    public int MinSamples { get; init; } = Defaults.MinSamples;

    /// <summary>The distance; Euclidean by default.</summary>
    public NeighborMetric Metric { get; init; } = NeighborMetric.Euclidean;

    /// <summary>The cluster of each row, numbered 0, 1, ... in order of discovery; -1 marks noise.</summary>
    public int[] Labels { get { Check.Fitted(_labels is not null, nameof(Dbscan), nameof(Labels)); return _labels!; } }

    /// <summary>Indices of the core samples, ascending.</summary>
    public int[] CoreSampleIndices { get { Check.Fitted(_core is not null, nameof(Dbscan), nameof(CoreSampleIndices)); return _core!; } }

    /// <summary>Number of clusters found (noise not counted).</summary>
    public int ClusterCount { get { Check.Fitted(_labels is not null, nameof(Dbscan), nameof(ClusterCount)); return _labels!.Length == 0 ? 0 : _labels.Max() + 1; } }

    /// <summary>Clusters <paramref name="x"/> and returns this instance.</summary>
    public Dbscan Fit(DataMatrix x)
    {
        Check.Positive(Eps, nameof(Eps), "Pass the neighbourhood radius in the units of the data, for example 0.5 for standardised features.");
        Check.Range(MinSamples, 1, int.MaxValue, nameof(MinSamples), "Use at least 1 (5 is usual; about twice the feature count is a common rule).");
        if (!Enum.IsDefined(Metric))
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, $"Metric is {(int)Metric}, which is not a NeighborMetric. Use Euclidean, Cosine or Manhattan.");
        Check.Data(x, nameof(x));
        var neighbourhoods = NearestNeighbors.Radius(x, Eps, null, Metric);
        int n = x.Rows;
        var core = new bool[n];
        for (int i = 0; i < n; i++) core[i] = neighbourhoods[i].Length + 1 >= MinSamples;
        var labels = new int[n];
        Array.Fill(labels, -1);
        int label = 0;
        var stack = new Stack<int>();
        for (int start = 0; start < n; start++)
        {
            if (labels[start] != -1 || !core[start]) continue;
            // Depth-first search from a new core sample (scikit-learn's dbscan_inner).
            int i = start;
            while (true)
            {
                if (labels[i] == -1)
                {
                    labels[i] = label;
                    if (core[i])
                    {
                        // The row's own index comes first in scikit-learn's neighbourhood; it is already labelled.
                        foreach (int v in neighbourhoods[i])
                            if (labels[v] == -1) stack.Push(v);
                    }
                }
                if (stack.Count == 0) break;
                i = stack.Pop();
            }
            label++;
        }
        _labels = labels;
        _core = Enumerable.Range(0, n).Where(i => core[i]).ToArray();
        return this;
    }

    /// <summary>Fits and returns the labels.</summary>
    public int[] FitPredict(DataMatrix x) => Fit(x).Labels;
}
