using DimReduce.Datasets;
using DimReduce.Manifold;
using DimReduce.Neighbors;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Manifold;

/// <summary>Each UMAP step alone against umap-learn 0.5.3 (Fixtures/Manifold, written by make_manifold_fixtures.py).</summary>
public class UmapStageTests
{
    private static (int[,] Indices, float[,] Distances) StoredKnn(System.Text.Json.Nodes.JsonObject f)
    {
        int n = (int)f["rows"]!, k = (int)f["neighbors"]!;
        var idx = f["knnIndices"]!.Ints();
        var dist = f["knnDistances"]!.Doubles();
        var indices = new int[n, k];
        var distances = new float[n, k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) { indices[i, j] = idx[i * k + j]; distances[i, j] = (float)dist[i * k + j]; }
        return (indices, distances);
    }

    [Theory]
    [InlineData("euclidean")]
    [InlineData("cosine")]
    public void SmoothKnnDistancesMatchUmapLearn(string metric)
    {
        var f = Fixture.Load("Manifold", "umap_graph_digits300_" + metric);
        var (_, distances) = StoredKnn(f);
        var (sigmas, rhos) = SmoothKnn.Compute(distances, 15, localConnectivity: 1.0);
        Approx.Equal(f["rhos"]!.Doubles(), rhos.Select(v => (double)v).ToArray(), rtol: 1e-4, atol: 1e-6, what: "rho");
        Approx.Equal(f["sigmas"]!.Doubles(), sigmas.Select(v => (double)v).ToArray(), rtol: 1e-4, atol: 1e-6, what: "sigma");
    }

    [Theory]
    [InlineData("euclidean", NeighborMetric.Euclidean)]
    [InlineData("cosine", NeighborMetric.Cosine)]
    public void OwnNeighboursMatchUmapLearnsExactLists(string name, NeighborMetric metric)
    {
        var f = Fixture.Load("Manifold", "umap_graph_digits300_" + name);
        var (expectedIdx, expectedDist) = StoredKnn(f);
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 300).ToArray());
        var (indices, distances) = UmapNeighbors.OfTraining(x, 15, metric);
        int mismatched = 0;
        for (int i = 0; i < 300; i++)
            for (int j = 0; j < 15; j++)
            {
                Assert.True(Math.Abs(expectedDist[i, j] - distances[i, j]) <= 1e-5 * Math.Max(1, expectedDist[i, j]), $"distance [{i},{j}]: {expectedDist[i, j]} vs {distances[i, j]}");
                if (expectedIdx[i, j] != indices[i, j]) mismatched++;
            }
        // Only exact ties (integer pixel data) may be ordered differently.
        Assert.True(mismatched <= 30, $"{mismatched} neighbour indices differ");
    }

    [Theory]
    [InlineData("euclidean")]
    [InlineData("cosine")]
    public void FuzzyGraphMatchesUmapLearn(string metric)
    {
        var f = Fixture.Load("Manifold", "umap_graph_digits300_" + metric);
        var (indices, distances) = StoredKnn(f);
        var (sigmas, rhos) = SmoothKnn.Compute(distances, 15);
        var (rows, cols, vals) = FuzzySimplicialSet.MembershipStrengths(indices, distances, sigmas, rhos);
        var graph = FuzzySimplicialSet.Symmetrize(300, rows, cols, vals, 1.0);
        var er = f["graphRows"]!.Ints();
        var ec = f["graphCols"]!.Ints();
        var ev = f["graphValues"]!.Doubles();
        var edges = graph.Edges().ToArray();
        Assert.Equal(er.Length, edges.Length);
        Assert.Equal(er, edges.Select(e => e.From).ToArray());
        Assert.Equal(ec, edges.Select(e => e.To).ToArray());
        Approx.Equal(ev, edges.Select(e => e.Weight).ToArray(), rtol: 0, atol: 1e-5, what: "graph weight");
        // Symmetric, weights in (0, 1], no self-loops.
        foreach (var e in edges)
        {
            Assert.Equal(e.Weight, graph[e.To, e.From]);
            Assert.InRange(e.Weight, 1e-12, 1.0);
            Assert.NotEqual(e.From, e.To);
        }
    }

    [Fact]
    public void SetOpMixRatioZeroIsTheFuzzyIntersection()
    {
        // Two points list each other with 0.5 and 0.8; a third lists the first only.
        int[] rows = [0, 1, 2];
        int[] cols = [1, 0, 0];
        float[] vals = [0.5f, 0.8f, 0.4f];
        var union = FuzzySimplicialSet.Symmetrize(3, rows, cols, vals, 1.0);
        var inter = FuzzySimplicialSet.Symmetrize(3, rows, cols, vals, 0.0);
        Assert.Equal(0.5 + 0.8 - 0.4, union[0, 1], 6);
        Assert.Equal(0.4, union[0, 2], 6);
        Assert.Equal(0.4, inter[0, 1], 6);
        Assert.Equal(0.0, inter[0, 2]);
        Assert.Equal(2, inter.EdgeCount);
    }

    [Fact]
    public void GraphsFromTripletsSumDuplicatesAndKeepColumnsInOrder()
    {
        // Row 0 lists column 2 twice and column 1 once (out of order); a zero weight and an entry summing to zero drop out.
        int[] from = [0, 1, 0, 0, 2, 1, 1];
        int[] to = [2, 0, 1, 2, 2, 2, 2];
        double[] w = [0.25, 0.5, 0.125, 0.5, 0.0, 1.0, -1.0];
        var g = FuzzyGraph.FromTriplets(3, 3, from, to, w);
        Assert.Equal([0, 2, 3, 3], g.RowStart);
        Assert.Equal([1, 2, 0], g.ColumnIndices);
        Assert.Equal([0.125, 0.75, 0.5], g.Weights);

        // Symmetrize sums a point's duplicate entries before the union: a = 0.25 + 0.5, b = 0.5.
        var sym = FuzzySimplicialSet.Symmetrize(3, [0, 0, 2, 1], [2, 2, 0, 0], [0.25f, 0.5f, 0.5f, 0f], 1.0);
        Assert.Equal(0.75 + 0.5 - 0.375, sym[0, 2], 6);
        Assert.Equal(sym[0, 2], sym[2, 0]);
        Assert.Equal(0.0, sym[0, 1]);
        Assert.Equal(2, sym.EdgeCount);
    }

    [Fact]
    public void CurveParametersMatchFindAbParams()
    {
        var f = Fixture.Load("Manifold", "umap_ab");
        foreach (var c in f["cases"]!.AsArray())
        {
            var (a, b) = UmapCurve.FitAB((double)c!["spread"]!, (double)c["minDist"]!);
            Approx.Equal((double)c["a"]!, a, rtol: 1e-3, what: $"a at MinDist {c["minDist"]}");
            Approx.Equal((double)c["b"]!, b, rtol: 1e-3, what: $"b at MinDist {c["minDist"]}");
        }
    }

    [Fact]
    public void EpochsPerSampleIsMaxWeightOverWeight()
    {
        double[] w = [1.0, 0.5, 0.25, 0.0];
        var eps = UmapLayout.EpochsPerSample(w, 200);
        Assert.Equal([1.0, 2.0, 4.0, -1.0], eps);
    }

    [Fact]
    public void SpectralInitOfTwoComponentsWarnsAndSeparatesThem()
    {
        var blobs = Generators.Blobs(samples: 200, features: 5, centers: 2, clusterStd: 0.1, seed: 3);
        var umap = new Umap { Seed = 1, Epochs = 20, Neighbors = 5 };
        // Far-apart tight blobs with few neighbours give a graph of at least two components.
        umap.Fit(blobs.Features);
        Assert.Contains(umap.Warnings, w => w.Contains("connected components"));
        Assert.True(SpectralInit.ConnectedComponents(umap.Graph).Count >= 2);
    }

    [Fact]
    public void JacobiEigenvectorsOfASmallSymmetricMatrix()
    {
        const int m = 13;
        var random = new Random(9);
        var a = new double[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j <= i; j++) a[i * m + j] = a[j * m + i] = random.NextDouble() - 0.5;
        a[0] = a[m + 1] = 2.0;   // a near-repeated pair at the top
        var (values, vectors) = SpectralInit.SymmetricEigen(a, m);
        for (int c = 1; c < m; c++) Assert.True(values[c - 1] >= values[c]);
        for (int c = 0; c < m; c++)
        {
            for (int i = 0; i < m; i++)
            {
                double av = 0;
                for (int k = 0; k < m; k++) av += a[i * m + k] * vectors[k * m + c];
                Assert.Equal(values[c] * vectors[i * m + c], av, 1e-12);
            }
            for (int d = 0; d < m; d++)
            {
                double dot = 0;
                for (int k = 0; k < m; k++) dot += vectors[k * m + c] * vectors[k * m + d];
                Assert.Equal(c == d ? 1.0 : 0.0, dot, 1e-12);
            }
        }
        double trace = 0;
        for (int i = 0; i < m; i++) trace += a[i * m + i];
        Assert.Equal(trace, values.Sum(), 1e-12);
    }

    [Fact]
    public void DenseAndSubspaceEigenvectorsAgree()
    {
        var x = BundledSets.Digits().Features.SelectRows(Enumerable.Range(0, 400).ToArray());
        var umap = new Umap { Seed = 0, Epochs = 1 }.Fit(x);
        var graph = umap.Graph;
        Assert.Equal(1, SpectralInit.ConnectedComponents(graph).Count);
        var warnings = new List<string>();
        var dense = SpectralInit.Eigenvectors(graph, 2, new Random(1), warnings);
        var sub = SpectralInit.SubspaceEigenvectorsForTest(graph, 2, new Random(1), warnings);
        Assert.Empty(warnings);
        // Digits has a cluster of near-zero Laplacian eigenvalues (one per well-separated class), so the vectors
        // themselves are ill-determined (ARPACK's are too); compare what is determined: the Rayleigh quotients
        // v^T L v, which must equal the dense eigenvalues 1 and 2, and the residuals ||L v - (v^T L v) v||.
        var deg = new double[graph.Rows];
        foreach (var e in graph.Edges()) deg[e.From] += e.Weight;
        double[] LTimes(double[] v)
        {
            var r = (double[])v.Clone();
            foreach (var e in graph.Edges()) r[e.From] -= e.Weight / Math.Sqrt(deg[e.From] * deg[e.To]) * v[e.To];
            return r;
        }
        for (int d = 0; d < 2; d++)
        {
            var vd = Enumerable.Range(0, graph.Rows).Select(i => dense[i * 2 + d]).ToArray();
            var vs = Enumerable.Range(0, graph.Rows).Select(i => sub[i * 2 + d]).ToArray();
            double lambdaDense = vd.Zip(LTimes(vd)).Sum(t => t.First * t.Second);
            var lvs = LTimes(vs);
            double lambdaSub = vs.Zip(lvs).Sum(t => t.First * t.Second);
            Assert.Equal(1.0, vs.Sum(v => v * v), 8);
            Assert.True(Math.Abs(lambdaDense - lambdaSub) < 1e-6, $"eigenvalue {d + 1}: dense {lambdaDense}, subspace {lambdaSub}");
            double residual = Math.Sqrt(lvs.Zip(vs).Sum(t => (t.First - lambdaSub * t.Second) * (t.First - lambdaSub * t.Second)));
            Assert.True(residual < 2e-4, $"residual {residual} of eigenvector {d + 1}");
        }
    }

    [Fact]
    public void SubspaceEigenvectorsFindAWeaklyAttachedCluster()
    {
        // A 40 x 40 grid (1,600 points) and a clique of 20 points hung on one corner by an edge of weight 1e-4: the
        // clique's indicator is an eigenvector with a Laplacian eigenvalue far below the grid's, which a random start
        // holds only a small share of. The filtered subspace iteration must find it, and the next one, as dense eigh does.
        const int side = 40, grid = side * side, clique = 20, n = grid + clique;
        var edges = new List<(int, int, double)>();
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
            {
                int v = r * side + c;
                if (c + 1 < side) edges.Add((v, v + 1, 1.0));
                if (r + 1 < side) edges.Add((v, v + side, 1.0));
            }
        for (int a = grid; a < n; a++)
            for (int b = a + 1; b < n; b++) edges.Add((a, b, 1.0));
        edges.Add((0, grid, 1e-4));
        var rowsOf = Enumerable.Range(0, n).Select(_ => new List<(int Col, double W)>()).ToArray();
        foreach (var (a, b, w) in edges) { rowsOf[a].Add((b, w)); rowsOf[b].Add((a, w)); }
        var start = new int[n + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (int i = 0; i < n; i++)
        {
            foreach (var (col, w) in rowsOf[i].OrderBy(t => t.Col)) { cols.Add(col); vals.Add(w); }
            start[i + 1] = cols.Count;
        }
        var graph = new FuzzyGraph(n, n, start, cols.ToArray(), vals.ToArray());
        var warnings = new List<string>();
        var sub = SpectralInit.SubspaceEigenvectorsForTest(graph, 2, new Random(7), warnings);
        Assert.Empty(warnings);

        var deg = new double[n];
        foreach (var e in graph.Edges()) deg[e.From] += e.Weight;
        var l = new double[n, n];
        for (int i = 0; i < n; i++) l[i, i] = 1;
        foreach (var e in graph.Edges()) l[e.From, e.To] -= e.Weight / Math.Sqrt(deg[e.From] * deg[e.To]);
        var exact = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(l)
            .Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(v => v.Real).OrderBy(v => v).ToArray();
        for (int d = 0; d < 2; d++)
        {
            var v = Enumerable.Range(0, n).Select(i => sub[i * 2 + d]).ToArray();
            double rayleigh = 0;
            for (int i = 0; i < n; i++)
            {
                double lv = 0;
                for (int p = graph.RowStartArray[i]; p < graph.RowStartArray[i + 1]; p++)
                    lv -= graph.WeightArray[p] / Math.Sqrt(deg[i] * deg[graph.ColumnArray[p]]) * v[graph.ColumnArray[p]];
                rayleigh += v[i] * (v[i] + lv);
            }
            Assert.True(Math.Abs(rayleigh - exact[d + 1]) < 1e-7, $"eigenvalue {d + 1}: subspace {rayleigh:G6}, dense {exact[d + 1]:G6}");
        }
        // The first eigenvector separates the clique from the grid.
        double cliqueMean = Enumerable.Range(grid, clique).Average(i => sub[i * 2]);
        double gridMean = Enumerable.Range(0, grid).Average(i => sub[i * 2]);
        Assert.True(Math.Abs(cliqueMean) > 5 * Math.Abs(gridMean), $"clique mean {cliqueMean:G4}, grid mean {gridMean:G4}");
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("0.9")]
    public void LabelIntersectionMatchesUmapLearn(string targetWeight)
    {
        var f = Fixture.Load("Manifold", "umap_graph_digits300_euclidean");
        var s = Fixture.Load("Manifold", "umap_supervised_digits");
        var (indices, distances) = StoredKnn(f);
        var (sigmas, rhos) = SmoothKnn.Compute(distances, 15);
        var (rows, cols, vals) = FuzzySimplicialSet.MembershipStrengths(indices, distances, sigmas, rhos);
        var graph = FuzzySimplicialSet.Symmetrize(300, rows, cols, vals, 1.0);
        var expected = s[targetWeight]!;
        var supervised = FuzzySimplicialSet.IntersectWithLabels(graph, s["labels"]!.Ints(), (double)expected["farDist"]!);
        var edges = supervised.Edges().ToArray();
        Assert.Equal(expected["rows"]!.Ints(), edges.Select(e => e.From).ToArray());
        Assert.Equal(expected["cols"]!.Ints(), edges.Select(e => e.To).ToArray());
        Approx.Equal(expected["values"]!.Doubles(), edges.Select(e => e.Weight).ToArray(), rtol: 0, atol: 1e-5, what: "supervised graph weight");
    }
}
