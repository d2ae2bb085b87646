using DimReduce.Datasets;
using DimReduce.Tests.Support;

// Not DimReduce.Tests.Metrics: a namespace of that name would hide the Metrics class in sibling test namespaces.
namespace DimReduce.Tests.MetricTests;

public class MetricsTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Blobs = Fixture.Load("Metrics", "blobs_metrics");
    private static readonly DataMatrix X = Blobs["x"]!.Matrix();
    private static readonly int[] Truth = Blobs["truth"]!.Ints();
    private static readonly int[] Predicted = Blobs["predicted"]!.Ints();

    [Fact]
    public void Silhouette_matches_sklearn_on_blobs()
    {
        Approx.Equal(Blobs["silhouette_samples_truth"]!.Doubles(), DimReduce.Metrics.SilhouetteSamples(X, Truth), rtol: 1e-6, atol: 1e-12);
        Approx.Equal(Blobs["silhouette_truth"]!.GetValue<double>(), DimReduce.Metrics.Silhouette(X, Truth), rtol: 1e-6);
        Approx.Equal(Blobs["silhouette_samples_predicted"]!.Doubles(), DimReduce.Metrics.SilhouetteSamples(X, Predicted), rtol: 1e-6, atol: 1e-12);
        Approx.Equal(Blobs["silhouette_predicted"]!.GetValue<double>(), DimReduce.Metrics.Silhouette(X, Predicted), rtol: 1e-6);
    }

    [Fact]
    public void Silhouette_equals_a_direct_double_loop_across_chunk_boundaries()
    {
        // 1,203 rows, one cluster of 701 (several work chunks), odd sizes for the vector tails.
        var rng = new Random(8);
        int n = 1203;
        var x = new DataMatrix(n, 3);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i < 701 ? 2 : i < 1000 ? -1 : 7;
            for (int j = 0; j < 3; j++) x[i, j] = rng.NextGaussian() + labels[i];
        }
        var expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            var sum = new Dictionary<int, double>();
            var count = new Dictionary<int, int>();
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double d = 0;
                for (int f = 0; f < 3; f++) d += (x[i, f] - x[j, f]) * (x[i, f] - x[j, f]);
                sum[labels[j]] = sum.GetValueOrDefault(labels[j]) + Math.Sqrt(d);
                count[labels[j]] = count.GetValueOrDefault(labels[j]) + 1;
            }
            double a = sum[labels[i]] / count[labels[i]];
            double b = sum.Keys.Where(c => c != labels[i]).Min(c => sum[c] / count[c]);
            expected[i] = (b - a) / Math.Max(a, b);
        }
        Approx.Equal(expected, DimReduce.Metrics.SilhouetteSamples(x, labels), rtol: 1e-10, atol: 1e-13);
    }

    /// <summary>
    /// Clusters of 1, 2, 3, 299, 701 (several work chunks, a remainder after the groups of four query
    /// rows) and 395 rows in shuffled order; 24 features, so the candidates come in two cache blocks.
    /// </summary>
    private static (DataMatrix X, int[] Labels) OddClusters()
    {
        var rng = new Random(11);
        int[] sizes = [1, 2, 3, 299, 701, 395];
        var labels = sizes.SelectMany((size, c) => Enumerable.Repeat(c * 3 - 4, size)).OrderBy(_ => rng.Next()).ToArray();
        var x = new DataMatrix(labels.Length, 24);
        for (int i = 0; i < labels.Length; i++)
            for (int j = 0; j < 24; j++) x[i, j] = rng.NextGaussian() * (1 + j % 3) + labels[i] * (j % 5);
        return (x, labels);
    }

    [Fact]
    public void Cluster_distance_sums_equal_a_plain_loop_for_every_vector_width()
    {
        var (x, labels) = OddClusters();
        var codes = LabelCodes.From(labels);
        int n = x.Rows, k = codes.Count;
        var rows = x.ToJagged();
        var expected = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int f = 0; f < x.Columns; f++) s += (rows[i][f] - rows[j][f]) * (rows[i][f] - rows[j][f]);
                expected[i * k + codes.Codes[j]] += Math.Sqrt(s);
            }
        var wide = ClusterDistanceSums.Compute(x, codes, 8);
        foreach (int width in new[] { 8, 4, 2, 1 })
        {
            var sums = ClusterDistanceSums.Compute(x, codes, width);
            Approx.Equal(expected, sums, rtol: 1e-12, atol: 1e-12, $"sums with vector width {width} against the plain loop");
            Approx.Equal(wide, sums, rtol: 1e-12, atol: 1e-12, $"sums with vector width {width} against width 8");
        }
        // The default is the widest path this machine runs fast.
        Assert.Equal(ClusterDistanceSums.Compute(x, codes, ClusterDistanceSums.BestWidth), ClusterDistanceSums.Compute(x, codes));
    }

    [Fact]
    public void Cluster_distance_sums_do_not_depend_on_the_thread_count()
    {
        var (x, labels) = OddClusters();
        var codes = LabelCodes.From(labels);
        var many = ClusterDistanceSums.Compute(x, codes, ClusterDistanceSums.BestWidth);
        var one = ClusterDistanceSums.Compute(x, codes, ClusterDistanceSums.BestWidth, maxThreads: 1);
        var two = ClusterDistanceSums.Compute(x, codes, ClusterDistanceSums.BestWidth, maxThreads: 2);
        Assert.Equal(many, one); // bit for bit
        Assert.Equal(many, two);
    }

    [Fact]
    public void Cluster_distance_sums_reject_an_unknown_width()
    {
        var (x, labels) = OddClusters();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ClusterDistanceSums.Compute(x, LabelCodes.From(labels), 3));
        Assert.Equal("width", ex.ParamName);
        Assert.Contains("must be 8, 4, 2 or 1", ex.Message);
    }

    [Fact]
    public void Silhouette_of_a_case_worked_by_hand()
    {
        // Points 0 and 1 in cluster A, 4 in cluster B, on a line.
        // Point 0: a = |0-1| = 1, b = |0-4| = 4, s = (4-1)/4 = 0.75.
        // Point 1: a = 1, b = |1-4| = 3, s = (3-1)/3 = 2/3.
        // Point 4: alone in B, s = 0 by definition. Mean = (0.75 + 2/3 + 0) / 3 = 17/36.
        var x = DataMatrix.FromColumn([0.0, 1, 4]);
        int[] labels = [5, 5, -1]; // label values, noise included, are just cluster names
        Approx.Equal([0.75, 2.0 / 3, 0], DimReduce.Metrics.SilhouetteSamples(x, labels), rtol: 1e-12, atol: 1e-15);
        Approx.Equal(17.0 / 36, DimReduce.Metrics.Silhouette(x, labels), rtol: 1e-12);
    }

    [Fact]
    public void Davies_bouldin_ari_and_nmi_match_sklearn()
    {
        Approx.Equal(Blobs["davies_bouldin_truth"]!.GetValue<double>(), DimReduce.Metrics.DaviesBouldin(X, Truth), rtol: 1e-6);
        Approx.Equal(Blobs["davies_bouldin_predicted"]!.GetValue<double>(), DimReduce.Metrics.DaviesBouldin(X, Predicted), rtol: 1e-6);
        Approx.Equal(Blobs["ari"]!.GetValue<double>(), DimReduce.Metrics.AdjustedRandIndex(Truth, Predicted), rtol: 1e-6);
        Approx.Equal(Blobs["nmi"]!.GetValue<double>(), DimReduce.Metrics.NormalizedMutualInformation(Truth, Predicted), rtol: 1e-6);
        var shiftedTruth = Truth.Select(v => v + 10).ToArray();
        var shiftedPred = Predicted.Select(v => v * 3 - 4).ToArray();
        Approx.Equal(Blobs["ari_shifted_labels"]!.GetValue<double>(), DimReduce.Metrics.AdjustedRandIndex(shiftedTruth, shiftedPred), rtol: 1e-6);
        Approx.Equal(Blobs["nmi_shifted_labels"]!.GetValue<double>(), DimReduce.Metrics.NormalizedMutualInformation(shiftedTruth, shiftedPred), rtol: 1e-6);
    }

    [Fact]
    public void Label_scores_of_identical_and_single_cluster_labellings()
    {
        int[] a = [0, 0, 1, 1, 2];
        int[] renamed = [9, 9, 4, 4, 1];
        Assert.Equal(1.0, DimReduce.Metrics.AdjustedRandIndex(a, renamed));
        Assert.Equal(1.0, DimReduce.Metrics.NormalizedMutualInformation(a, renamed), 12);
        Assert.Equal(1.0, DimReduce.Metrics.NormalizedMutualInformation([3, 3, 3], [1, 1, 1]));
        Assert.Equal(0.0, DimReduce.Metrics.NormalizedMutualInformation([0, 0, 1, 1], [0, 0, 0, 0]));
    }

    [Fact]
    public void Inertia_with_and_without_centroids()
    {
        var x = DataMatrix.FromColumn([0.0, 2, 10, 14]);
        // Means 1 and 12: 1 + 1 + 4 + 4 = 10.
        Assert.Equal(10.0, DimReduce.Metrics.Inertia(x, [3, 3, 8, 8]), 12);
        Assert.Equal(1 + 1 + 0 + 16.0, DimReduce.Metrics.Inertia(x, [0, 0, 1, 1], DataMatrix.FromColumn([1.0, 10])), 12);
    }

    private static DataMatrix StandardScaled(DataMatrix x)
    {
        var result = x.Clone();
        for (int j = 0; j < x.Columns; j++)
        {
            var col = x.Column(j);
            double mean = col.Average();
            double sd = Math.Sqrt(col.Select(v => (v - mean) * (v - mean)).Average());
            if (sd == 0) sd = 1;
            for (int i = 0; i < x.Rows; i++) result[i, j] = (col[i] - mean) / sd;
        }
        return result;
    }

    [Fact]
    public void Trustworthiness_and_continuity_match_sklearn_on_digits()
    {
        var fix = Fixture.Load("Metrics", "digits_trustworthiness");
        var digits = BundledSets.Digits().Features;
        var scaled = StandardScaled(digits);
        var emb = fix["embedding"]!.Matrix();
        Approx.Equal(fix["trustworthiness_5"]!.GetValue<double>(), DimReduce.Metrics.Trustworthiness(scaled, emb), rtol: 1e-6);
        Approx.Equal(fix["trustworthiness_10"]!.GetValue<double>(), DimReduce.Metrics.Trustworthiness(scaled, emb, 10), rtol: 1e-6);
        Approx.Equal(fix["continuity_5"]!.GetValue<double>(), DimReduce.Metrics.Continuity(scaled, emb), rtol: 1e-6);
        Approx.Equal(fix["continuity_10"]!.GetValue<double>(), DimReduce.Metrics.Continuity(scaled, emb, 10), rtol: 1e-6);
        // Raw pixels tie exactly; ranks then follow the index, as a stable sort would.
        Approx.Equal(fix["raw_trustworthiness_5_ties_by_index"]!.GetValue<double>(),
            DimReduce.Metrics.Trustworthiness(digits, fix["raw_embedding"]!.Matrix()), rtol: 1e-12);
    }

    [Fact]
    public void An_affine_copy_has_trustworthiness_and_continuity_one()
    {
        var rng = new Random(2);
        var x = new DataMatrix(300, 3);
        for (int i = 0; i < 300; i++) for (int j = 0; j < 3; j++) x[i, j] = rng.NextGaussian();
        var y = new DataMatrix(300, 3);
        for (int i = 0; i < 300; i++)
        {
            // Rotation about the z axis, uniform scaling and a shift.
            y[i, 0] = 2.5 * (0.6 * x[i, 0] - 0.8 * x[i, 1]) + 7;
            y[i, 1] = 2.5 * (0.8 * x[i, 0] + 0.6 * x[i, 1]) - 3;
            y[i, 2] = 2.5 * x[i, 2] + 1;
        }
        Assert.Equal(1.0, DimReduce.Metrics.Trustworthiness(x, y, 7), 12);
        Assert.Equal(1.0, DimReduce.Metrics.Continuity(x, y, 7), 12);
    }

    [Fact]
    public void Knn_accuracy_on_wine_and_leave_one_out()
    {
        var wine = Fixture.Load("Metrics", "wine_knn");
        double acc = DimReduce.Metrics.KnnAccuracy(wine["train_x"]!.Matrix(), wine["train_y"]!.Ints(), wine["test_x"]!.Matrix(), wine["test_y"]!.Ints());
        Assert.Equal(wine["uniform5_score"]!.GetValue<double>(), acc, 12);
        // Leave-one-out on two separated groups: every point's neighbours share its label.
        var x = DataMatrix.FromColumn([0.0, 0.1, 0.2, 0.3, 10, 10.1, 10.2, 10.3]);
        Assert.Equal(1.0, DimReduce.Metrics.KnnAccuracy(x, [0, 0, 0, 0, 1, 1, 1, 1], 3));
        // With 7 neighbours each point sees 3 of its own group and 4 of the other.
        Assert.Equal(0.0, DimReduce.Metrics.KnnAccuracy(x, [0, 0, 0, 0, 1, 1, 1, 1], 7));
    }

    [Fact]
    public void Reconstruction_scores_match_sklearn()
    {
        var fix = Fixture.Load("Metrics", "reconstruction");
        var r = fix["reconstruction"]!.Matrix();
        Approx.Equal(fix["mse"]!.GetValue<double>(), DimReduce.Metrics.ReconstructionMse(X, r), rtol: 1e-10);
        Approx.Equal(fix["explained_variance"]!.GetValue<double>(), DimReduce.Metrics.ExplainedVariance(X, r), rtol: 1e-10);
        Approx.Equal(fix["r2"]!.GetValue<double>(), DimReduce.Metrics.RSquared(X, r), rtol: 1e-10);
        Assert.Equal(0.0, DimReduce.Metrics.ReconstructionMse(X, X));
        Assert.Equal(1.0, DimReduce.Metrics.ExplainedVariance(X, X));
    }

    [Fact]
    public void Bad_input_is_rejected_everywhere()
    {
        var x = DataMatrix.FromColumn([0.0, 1, 2, 3]);
        var nan = DataMatrix.FromColumn([0.0, double.NaN, 2, 3]);
        var inf = DataMatrix.FromColumn([0.0, double.NegativeInfinity, 2, 3]);
        var empty = new DataMatrix(0, 1);
        int[] two = [0, 0, 1, 1];

        // Silhouette and Davies-Bouldin: 2 <= distinct labels <= n - 1.
        foreach (Action<DataMatrix, int[]> f in new Action<DataMatrix, int[]>[]
                 { (a, l) => DimReduce.Metrics.Silhouette(a, l), (a, l) => DimReduce.Metrics.SilhouetteSamples(a, l), (a, l) => DimReduce.Metrics.DaviesBouldin(a, l) })
        {
            var one = Assert.Throws<ArgumentException>(() => f(x, [1, 1, 1, 1]));
            Assert.Equal("labels", one.ParamName);
            Assert.Contains("between 2 and n_samples - 1", one.Message);
            Assert.Equal("labels", Assert.Throws<ArgumentException>(() => f(x, [0, 1, 2, 3])).ParamName);
            Assert.Contains("has 3 labels", Assert.Throws<ArgumentException>(() => f(x, [0, 1, 1])).Message);
            Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => f(nan, two)).Message);
            Assert.Contains("infinity", Assert.Throws<ArgumentException>(() => f(inf, two)).Message);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => f(empty, [])).ParamName);
        }

        Assert.Equal("x", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.Inertia(nan, two)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.Inertia(x, [0])).ParamName);
        var cent = Assert.Throws<ArgumentException>(() => DimReduce.Metrics.Inertia(x, [0, 0, 1, 2], DataMatrix.FromColumn([0.0, 1])));
        Assert.Equal("labels", cent.ParamName);
        Assert.Contains("row index", cent.Message);
        Assert.Equal("centroids", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.Inertia(x, two, new DataMatrix(2, 2))).ParamName);

        foreach (Func<int[], int[], double> f in new Func<int[], int[], double>[] { DimReduce.Metrics.AdjustedRandIndex, DimReduce.Metrics.NormalizedMutualInformation })
        {
            var len = Assert.Throws<ArgumentException>(() => f([0, 1], [0]));
            Assert.Equal("predicted", len.ParamName);
            Assert.Contains("1 labels", len.Message);
            Assert.Equal("truth", Assert.Throws<ArgumentException>(() => f([], [])).ParamName);
            Assert.Equal("truth", Assert.Throws<ArgumentNullException>(() => f(null!, [0])).ParamName);
        }

        var big = new DataMatrix(10, 2);
        for (int i = 0; i < 10; i++) { big[i, 0] = i; big[i, 1] = i * i; }
        foreach (Func<DataMatrix, DataMatrix, int, double> f in new Func<DataMatrix, DataMatrix, int, double>[] { DimReduce.Metrics.Trustworthiness, DimReduce.Metrics.Continuity })
        {
            var k = Assert.Throws<ArgumentOutOfRangeException>(() => f(big, big, 5));
            Assert.Equal("neighbors", k.ParamName);
            Assert.Contains("less than n_samples / 2", k.Message);
            Assert.Equal("neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => f(big, big, 0)).ParamName);
            var rows = Assert.Throws<ArgumentException>(() => f(big, big.SelectRows([0, 1, 2]), 1));
            Assert.Equal("embedding", rows.ParamName);
            Assert.Contains("3 rows", rows.Message);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => f(nan, x, 1)).ParamName);
            Assert.Equal("embedding", Assert.Throws<ArgumentException>(() => f(x, inf, 1)).ParamName);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => f(empty, x, 1)).ParamName);
        }

        Assert.Equal("neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => DimReduce.Metrics.KnnAccuracy(x, two, 4)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.KnnAccuracy(x, [0, 1], 1)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.KnnAccuracy(nan, two, 1)).ParamName);
        Assert.Equal("testY", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.KnnAccuracy(x, two, x, [0], 1)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.KnnAccuracy(x, two, new DataMatrix(2, 3), [0, 1], 1)).ParamName);
        Assert.Equal("testX", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.KnnAccuracy(x, two, nan, two, 1)).ParamName);
        Assert.Equal("Neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => DimReduce.Metrics.KnnAccuracy(x, two, x, two, 5)).ParamName);

        foreach (Func<DataMatrix, DataMatrix, double> f in new Func<DataMatrix, DataMatrix, double>[] { DimReduce.Metrics.ReconstructionMse, DimReduce.Metrics.ExplainedVariance, DimReduce.Metrics.RSquared })
        {
            var shape = Assert.Throws<ArgumentException>(() => f(x, new DataMatrix(4, 2)));
            Assert.Equal("reconstruction", shape.ParamName);
            Assert.Contains("4 x 2", shape.Message);
            Assert.Equal("reconstruction", Assert.Throws<ArgumentException>(() => f(x, nan)).ParamName);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => f(inf, x)).ParamName);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => f(empty, empty)).ParamName);
        }
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => DimReduce.Metrics.ExplainedVariance(DataMatrix.FromColumn([1.0]), DataMatrix.FromColumn([1.0]))).ParamName);
    }
}
