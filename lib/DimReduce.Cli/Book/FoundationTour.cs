using System.Diagnostics;
using System.Globalization;
using DimReduce.Classification;
using DimReduce.Clustering;
using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Pipelines;
using DimReduce.Preprocessing;
using static DimReduce.Charts.Charts;

namespace DimReduce.Cli.Book;

/// <summary>
/// The pages the book holds until the notebook engine renders the chapter's notebooks: each one runs
/// the library on the shipped data and reads its actual numbers. Quick mode shrinks sample sizes only.
/// </summary>
internal static class FoundationTour
{
    private const int Seed = 42;

    public static IReadOnlyList<BookPage> Build(bool quick, IProgress<string> progress)
    {
        var pages = new List<BookPage>();
        foreach (var (name, build) in new (string, Func<bool, BookPage>)[]
                 {
                     ("the PCA theorem", PcaTheorem), ("PCA in practice", PcaInPractice),
                     ("clustering", Clustering), ("images", Images),
                 })
        {
            var sw = Stopwatch.StartNew();
            pages.Add(build(quick));
            progress.Report($"{name}: {sw.Elapsed.TotalSeconds:0.0} s");
        }
        return pages;
    }

    private static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);

    private static BookPage PcaTheorem(bool quick)
    {
        int n = quick ? 1_000 : 10_000;
        var x = Generators.MultivariateNormal([-1.0, 2.0], new double[,] { { 4, 2 }, { 2, 2 } }, n, Seed);
        var eig = new Pca { Components = 2, Solver = PcaSolver.Covariance }.Fit(x);
        var svd = new Pca { Components = 2, Solver = PcaSolver.Svd }.Fit(x);
        double slope = eig.PrincipalAxes[0, 1] / eig.PrincipalAxes[0, 0];
        var one = new Pca { Components = 1 }.Fit(x);
        var back = one.InverseTransform(one.Transform(x));
        double sq = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 2; j++) sq += Math.Pow(x[i, j] - back[i, j], 2);

        var page = new BookPage("01-pca-theorem.html", "The PCA theorem, step by step",
            "A 2-D normal sample: covariance eigenpairs, the SVD giving the same axes, reconstruction error equal to the discarded eigenvalue.");
        page.Paragraph($"We draw {n:N0} points from a normal distribution with mean (-1, 2) and covariance [[4, 2], [2, 2]]. " +
                       "PCA centres the data on its mean, forms the covariance matrix as the average outer product of the centred rows, and takes its eigenvectors, sorted by eigenvalue, as the new axes.");
        page.Table(["quantity", "theory", "eigendecomposition of the covariance", "SVD of the centred data"],
        [
            ["first eigenvalue", F(3 + Math.Sqrt(5)), F(eig.ExplainedVariance[0]), F(svd.ExplainedVariance[0])],
            ["second eigenvalue", F(3 - Math.Sqrt(5)), F(eig.ExplainedVariance[1]), F(svd.ExplainedVariance[1])],
            ["slope of the first axis", F((Math.Sqrt(5) - 1) / 2), F(slope), F(svd.PrincipalAxes[0, 1] / svd.PrincipalAxes[0, 0])],
            ["share of variance on the first axis", F((3 + Math.Sqrt(5)) / 6), F(eig.ExplainedVarianceRatio[0]), F(svd.ExplainedVarianceRatio[0])],
        ]);
        page.Paragraph($"Both routes give the same axes (the SVD's right singular vectors are the covariance's eigenvectors, and its squared singular values over n - 1 are the eigenvalues). " +
                       $"The first axis has slope {F(slope)}, close to the golden-ratio value (sqrt 5 - 1) / 2 = 0.618 that the covariance implies.");
        page.Paragraph($"Keeping one component and mapping back about the mean, the mean squared distance between a point and its reconstruction is {F(sq / n)}; " +
                       $"the discarded eigenvalue times (n - 1) / n is {F(eig.ExplainedVariance[1] * (n - 1) / n)}. They agree, as the theorem says they must.");
        page.Note("Where the source material goes wrong: eigenvalues from a general (non-symmetric) eigen solver come back unsorted, so they must be sorted before the first one is called principal; " +
                  "the covariance is a sum of outer products (a matrix), not of squared scalars; and the projection and reconstruction are about the mean, not about the origin. " +
                  "The first axis has slope about 0.618, not \"close to one\".");
        page.Chart(ToPlotlyJson(Scatter2D(x, new int[n], ["sample"], "2-D normal sample", "x1", "x2")));
        return page;
    }

    private static BookPage PcaInPractice(bool quick)
    {
        var cancer = BundledSets.BreastCancer();
        var split = DataSplit.TrainTest(cancer.Labels, 0.3, Seed);
        var train = cancer.Subset(split.Train);
        var test = cancer.Subset(split.Test);

        var raw = new Pca { Components = 2 }.Fit(train.Features);
        var scaledPca = new Pca { Components = 30, Matrix = PcaMatrix.Correlation }.Fit(train.Features);
        var ninetyFive = new Pca { Components = 0.95, Matrix = PcaMatrix.Correlation }.Fit(train.Features);
        var topIdx = Enumerable.Range(0, cancer.Features.Columns).OrderByDescending(j => Math.Abs(raw.PrincipalAxes[0, j])).Take(2).ToArray();
        var top = topIdx.Select(j => cancer.FeatureNames[j]).ToArray();

        var page = new BookPage("02-pca-in-practice.html", "PCA in practice: breast cancer",
            "Scaling, covariance versus correlation, choosing components for 95% of variance, logistic regression on a held-out test set.");
        page.Paragraph($"Breast cancer Wisconsin: {cancer.Count} tumours, {cancer.Features.Columns} measurements. We split 70/30, stratified by diagnosis ({train.Count} training rows, {test.Count} test rows), and fit everything on the training rows only.");
        page.Paragraph($"On the raw measurements the first component explains {F(raw.ExplainedVarianceRatio[0] * 100, "0.0")}% of the variance: its largest weights are on '{top[0]}' ({F(raw.PrincipalAxes[0, topIdx[0]])}) and '{top[1]}' ({F(raw.PrincipalAxes[0, topIdx[1]])}), the features with the largest units. " +
                       $"PCA on the correlation matrix (the same as PCA after standard scaling) spreads it out: the first component explains {F(scaledPca.ExplainedVarianceRatio[0] * 100, "0.0")}%, and {ninetyFive.ComponentCount} components are needed for 95%.");
        page.Chart(ToPlotlyJson(ExplainedVariance(scaledPca.ExplainedVarianceRatio, "Explained variance, standardised breast cancer data")));

        var rows = new List<IReadOnlyList<string>>();
        void Row(string name, Pipeline pipeline)
        {
            pipeline.Fit(train.Features, train.Labels);
            var model = pipeline.Classifier as LogisticRegression;
            rows.Add([name, F(pipeline.Score(train.Features, train.Labels)), F(pipeline.Score(test.Features, test.Labels)),
                model is { Converged: false } ? $"no (stopped at {model.Iterations} iterations)" : "yes"]);
        }
        Row("raw features", new Pipeline(new LogisticRegression()));
        Row("standardised", new Pipeline(new StandardScaler(), new LogisticRegression()));
        Row("standardised, PCA to 2", new Pipeline(new StandardScaler(), new Pca { Components = 2 }, new LogisticRegression()));
        Row($"standardised, PCA to 95% ({ninetyFive.ComponentCount} components)", new Pipeline(new StandardScaler(), new Pca { Components = 0.95 }, new LogisticRegression()));
        page.Table(["features", "training accuracy", "test accuracy", "solver converged"], rows);
        page.Paragraph("Accuracy is reported on the held-out test rows; training accuracy is shown beside it only to make overfitting visible. " +
                       "Unscaled features slow the quasi-Newton solver down, which is one more reason to scale.");

        var scaler = new StandardScaler().Fit(train.Features);
        var xs = scaler.Transform(train.Features);
        var ts = scaler.Transform(test.Features);
        var methods = new (string Name, Func<IReducer> Make)[]
        {
            ("PCA (covariance)", () => new Pca { Components = 2 }),
            ("incremental PCA", () => new IncrementalPca { Components = 2, BatchSize = 50 }),
            ("randomized PCA", () => new Pca { Components = 2, Solver = PcaSolver.Randomized, Seed = Seed }),
            ("kernel PCA (rbf)", () => new KernelPca { Components = 2, Kernel = KernelType.Rbf, Gamma = 0.02 }),
        };
        var table = new List<IReadOnlyList<string>>();
        foreach (var (name, make) in methods)
        {
            var sw = Stopwatch.StartNew();
            var reducer = make();
            var z = reducer.FitTransform(xs);
            double ms = sw.Elapsed.TotalMilliseconds;
            table.Add([name, F(ms, "0.0"), F(Metrics.KnnAccuracy(z, train.Labels, reducer.Transform(ts), test.Labels, 5))]);
        }
        page.Heading("Four ways to two dimensions");
        page.Table(["method", "fit time (ms)", "5-NN test accuracy in 2-D"], table);
        page.Chart(ToPlotlyJson(Scatter2D(train, new Pca { Components = 2 }.FitTransform(xs), "Standardised breast cancer, first two principal components", "PC1", "PC2")));
        return page;
    }

    private static BookPage Clustering(bool quick)
    {
        var blobs = Generators.BlobsWithNoise(samples: quick ? 3_000 : 30_000, seed: Seed);
        var page = new BookPage("03-clustering.html", "Clustering after reduction",
            "Blobs with a noise column: what scaling does to the variances PCA ranks; k-means and its scores, each in its own space.");
        page.Paragraph($"{blobs.Count:N0} points in 9 dimensions around 8 centres (standard deviation 2, so covariance 4I), plus a tenth column of uniform noise.");
        var rows = new List<IReadOnlyList<string>>();
        DataMatrix? minMaxPlane = null;
        double minMaxNoiseLoading = double.NaN;
        foreach (var (name, scaler) in new (string, IReducer)[] { ("MinMax scaling", new MinMaxScaler()), ("standard scaling", new StandardScaler()) })
        {
            var xs = scaler.FitTransform(blobs.Features);
            var variances = Enumerable.Range(0, xs.Columns).Select(j => Variance(xs.Column(j))).ToArray();
            var pca = new Pca { Components = 2 }.Fit(xs);
            var z = pca.Transform(xs);
            var km = new KMeans { Clusters = 8, Seed = Seed }.Fit(z);
            double noiseLoading = Math.Max(Math.Abs(pca.PrincipalAxes[0, 9]), Math.Abs(pca.PrincipalAxes[1, 9]));
            rows.Add([name, F(variances[9], "0.0000"), F(variances[..9].Average(), "0.0000"), F(noiseLoading), F(Metrics.Silhouette(z, km.Labels)), F(Metrics.AdjustedRandIndex(blobs.Labels, km.Labels))]);
            if (minMaxPlane is null) { minMaxPlane = z; minMaxNoiseLoading = noiseLoading; }
        }
        page.Table(["scaling", "variance of the noise column", "mean variance of a blob column", "largest |loading| of the noise on PC1-PC2", "silhouette of k-means in the PCA plane", "ARI of k-means vs the true centres"], rows);
        page.Paragraph($"After MinMax scaling every column is squeezed into [0, 1]: the uniform noise column keeps a variance near 1/12 = 0.083 ({rows[0][1]}), more than a typical blob column ({rows[0][2]}), so a single column of noise is the widest feature. " +
                       (minMaxNoiseLoading < 0.5
                           ? $"The principal axes still follow the centres here (the noise loads at most {rows[0][3]} on the first two axes), because the 8 centres spread along combinations of the 9 blob columns whose joint variance is larger. "
                           : $"One of the first two principal axes follows the noise (loading {rows[0][3]}), so the plane spends a dimension on a column that carries no cluster information. ") +
                       "With standard scaling every column has variance 1 and the noise has no head start at all. " +
                       "The silhouette is computed in the 2-D PCA plane in both rows; inertia is not compared across spaces, since its scale depends on the space.");
        page.Note("The blobs are linearly separable: where PCA looks bad on them it is because of scaling or of the number of components kept, not because PCA is linear.");
        page.Chart(ToPlotlyJson(Scatter2D(blobs, minMaxPlane!, "Blobs after MinMax scaling, PCA to 2", "PC1", "PC2")));

        var wine = BundledSets.Wine();
        var zw = new Pipeline(new StandardScaler(), new Pca { Components = 2 }).FitTransform(wine.Features);
        var kw = new KMeans { Clusters = 3, Seed = Seed }.Fit(zw);
        var db = new Dbscan { Eps = 0.6, MinSamples = 5 }.Fit(zw);
        page.Heading("Wine");
        page.Table(["method on standardised Wine, PCA to 2", "clusters", "ARI", "NMI"],
        [
            ["k-means (k = 3)", "3", F(Metrics.AdjustedRandIndex(wine.Labels, kw.Labels)), F(Metrics.NormalizedMutualInformation(wine.Labels, kw.Labels))],
            ["DBSCAN (eps 0.6, min samples 5)", db.ClusterCount.ToString(CultureInfo.InvariantCulture) + $" (+{db.Labels.Count(l => l < 0)} noise)",
                F(Metrics.AdjustedRandIndex(wine.Labels, db.Labels)), F(Metrics.NormalizedMutualInformation(wine.Labels, db.Labels))],
        ]);
        page.Chart(ToPlotlyJson(Scatter2D(wine, zw, "Standardised Wine, PCA to 2, coloured by cultivar", "PC1", "PC2")));
        return page;
    }

    private static double Variance(double[] v)
    {
        double mean = v.Average();
        return v.Sum(a => (a - mean) * (a - mean)) / v.Length;
    }

    private static BookPage Images(bool quick)
    {
        var digits = BundledSets.Digits();
        var z = new Pca { Components = 2 }.FitTransform(digits.Features);
        var page = new BookPage("04-images.html", "Images: digits and Fashion-MNIST",
            "How much of the neighbourhood structure two principal components keep, and what 50 components reconstruct.");
        page.Table(["Digits, 1,797 x 64", "value"],
        [
            ["trustworthiness at 5 of PCA to 2", F(Metrics.Trustworthiness(digits.Features, z, 5))],
            ["5-NN accuracy (leave one out), 64 pixels", F(Metrics.KnnAccuracy(digits.Features, digits.Labels, 5))],
            ["5-NN accuracy (leave one out), PCA to 2", F(Metrics.KnnAccuracy(z, digits.Labels, 5))],
        ]);
        page.Paragraph("Two linear components keep the coarse layout but lose most of the local neighbourhoods: nearest-neighbour accuracy falls sharply. The later chapters' non-linear methods (UMAP, t-SNE, autoencoders) are judged by these same scores.");
        page.Chart(ToPlotlyJson(Scatter2D(digits, z, "Digits, PCA to 2", "PC1", "PC2")));

        var fashion = FashionMnist.Load(FashionMnistSize.Subset, scale: true);
        var train = quick ? fashion.Train.Subset(Enumerable.Range(0, 2_000).ToArray()) : fashion.Train;
        var pca = new Pca { Components = 50 }.Fit(train.Features);
        var originals = fashion.Test.Features.SelectRows(Enumerable.Range(0, 10).ToArray());
        var rebuilt = pca.InverseTransform(pca.Transform(originals));
        page.Heading("Fashion-MNIST");
        page.Paragraph($"PCA to 50 components fitted on {train.Count:N0} training images keeps {F(pca.ExplainedVarianceRatio.Sum() * 100, "0.0")}% of the pixel variance; " +
                       $"the mean squared error of the test images below is {F(Metrics.ReconstructionMse(originals, rebuilt), "0.0000")} (pixels scaled to 0-1).");
        page.Chart(ToPlotlyJson(ReconstructionGrid(originals, rebuilt, 28, 28, 10, "Test images (top) and their 50-component PCA reconstructions (bottom)")), 360);
        return page;
    }
}
