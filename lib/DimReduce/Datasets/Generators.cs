using System.Globalization;

namespace DimReduce.Datasets;

/// <summary>
/// Synthetic data sets used in the chapter: Gaussian blobs (with and without a noise column), a
/// multivariate normal cloud, the swiss roll and the 3-D curve of the linear-autoencoder example.
/// Every generator takes <c>seed</c>; the same seed gives the same numbers on every run.
/// </summary>
/// <example>
/// <code>
/// var blobs = Generators.BlobsWithNoise(seed: 42);          // 30,000 x 10, labels = blob index
/// var cloud = Generators.MultivariateNormal([-1, 2], new double[,] { { 4, 2 }, { 2, 2 } }, 1000, seed: 42);
/// var roll = Generators.SwissRoll(2000, noise: 0.05, seed: 42);
/// </code>
/// </example>
public static class Generators
{
    /// <summary>Defaults of the generators, as the chapter uses them.</summary>
    public static class Defaults
    {
        /// <summary>Lower corner of the box the blob centres are drawn from (scikit-learn's default).</summary>
        public const double CenterBoxLow = -10.0;

        /// <summary>Upper corner of the box the blob centres are drawn from (scikit-learn's default).</summary>
        public const double CenterBoxHigh = 10.0;

        /// <summary>Sample count of the chapter's blobs-plus-noise data set.</summary>
        public const int NoisyBlobsSamples = 30_000;

        /// <summary>Informative feature count of the chapter's blobs-plus-noise data set.</summary>
        public const int NoisyBlobsFeatures = 9;

        /// <summary>Number of blobs in the chapter's blobs-plus-noise data set.</summary>
        public const int NoisyBlobsCenters = 8;

        /// <summary>Standard deviation of each blob in the chapter's blobs-plus-noise data set.</summary>
        public const double NoisyBlobsClusterStd = 2.0;

        /// <summary>Sample count of the 3-D curve (Geron's <c>generate_3d_data(m=60)</c>).</summary>
        public const int CurveSamples = 60;

        /// <summary>Noise level of the 3-D curve.</summary>
        public const double CurveNoise = 0.1;

        /// <summary>Weight of the first coordinate in the third one of the 3-D curve.</summary>
        public const double CurveWeight1 = 0.1;

        /// <summary>Weight of the second coordinate in the third one of the 3-D curve.</summary>
        public const double CurveWeight2 = 0.3;
    }

    /// <summary>
    /// Isotropic Gaussian blobs, like scikit-learn's <c>make_blobs</c>: <paramref name="centers"/> centres
    /// drawn uniformly from the box <paramref name="centerBox"/> in every coordinate, then points drawn from
    /// N(centre, clusterStd^2 I). The samples are split evenly; the first <c>samples % centers</c> blobs get
    /// one extra point. Labels are the blob index.
    /// </summary>
    /// <param name="samples">Total number of points, at least 1.</param>
    /// <param name="features">Number of coordinates, at least 1.</param>
    /// <param name="centers">Number of blobs, at least 1.</param>
    /// <param name="clusterStd">Standard deviation of every coordinate within a blob, 0 or more (the covariance is clusterStd^2 I).</param>
    /// <param name="centerBox">(low, high) bounds of the centres; default (-10, 10) as in scikit-learn.</param>
    /// <param name="shuffle">Shuffle the rows (default true, as scikit-learn); false keeps blob 0's points first.</param>
    /// <param name="seed">Random seed; null draws one.</param>
    /// <remarks>
    /// The numbers differ from scikit-learn's for the same seed (a different random generator); the
    /// distribution is the same. See <c>sklearn.datasets.make_blobs</c>.
    /// </remarks>
    public static Dataset Blobs(int samples, int features, int centers, double clusterStd,
        (double Low, double High)? centerBox = null, bool shuffle = true, int? seed = null)
    {
        Check.Range(samples, 1, int.MaxValue, nameof(samples), "Ask for at least one sample.");
        Check.Range(features, 1, int.MaxValue, nameof(features), "Ask for at least one feature.");
        Check.Range(centers, 1, int.MaxValue, nameof(centers), "Ask for at least one blob centre.");
        CheckStd(clusterStd, nameof(clusterStd));
        var (low, high) = centerBox ?? (Defaults.CenterBoxLow, Defaults.CenterBoxHigh);
        if (!(double.IsFinite(low) && double.IsFinite(high) && low < high))
            throw new ArgumentException(
                $"centerBox is ({F(low)}, {F(high)}), but it must be two finite numbers with low < high. Pass for example (-10, 10).",
                nameof(centerBox));
        checked { _ = samples * features; }

        int s = Seeds.Resolve(seed);
        var random = Seeds.Create(s);
        var c = new DataMatrix(centers, features);
        var cd = c.Data;
        for (int k = 0; k < cd.Length; k++) cd[k] = low + (high - low) * random.NextDouble();
        var result = Draw(samples, c, clusterStd, shuffle, random);
        return new Dataset("blobs", result.X, result.Labels, BlobNames(centers), null,
            string.Create(CultureInfo.InvariantCulture,
                $"generated: Generators.Blobs(samples: {samples}, features: {features}, centers: {centers}, clusterStd: {clusterStd}, centerBox: ({low}, {high}), seed: {s})"),
            "generated data, no licence needed");
    }

    /// <summary>
    /// Isotropic Gaussian blobs around given centres (one row of <paramref name="centers"/> per blob):
    /// points drawn from N(centre, clusterStd^2 I), the samples split evenly as in
    /// <see cref="Blobs(int, int, int, double, ValueTuple{double, double}?, bool, int?)"/>.
    /// </summary>
    /// <param name="samples">Total number of points, at least 1.</param>
    /// <param name="centers">The blob centres, one per row, finite.</param>
    /// <param name="clusterStd">Standard deviation of every coordinate within a blob, 0 or more.</param>
    /// <param name="shuffle">Shuffle the rows (default true).</param>
    /// <param name="seed">Random seed; null draws one.</param>
    public static Dataset Blobs(int samples, DataMatrix centers, double clusterStd, bool shuffle = true, int? seed = null)
    {
        Check.Range(samples, 1, int.MaxValue, nameof(samples), "Ask for at least one sample.");
        Check.Data(centers, nameof(centers));
        CheckStd(clusterStd, nameof(clusterStd));
        int s = Seeds.Resolve(seed);
        var result = Draw(samples, centers, clusterStd, shuffle, Seeds.Create(s));
        return new Dataset("blobs", result.X, result.Labels, BlobNames(centers.Rows), null,
            string.Create(CultureInfo.InvariantCulture,
                $"generated: Generators.Blobs(samples: {samples}, {centers.Rows} given centres, clusterStd: {clusterStd}, seed: {s})"),
            "generated data, no licence needed");
    }

    /// <summary>
    /// The chapter's data set for "PCA versus an autoencoder before k-means": <see cref="Blobs(int, int, int, double, ValueTuple{double, double}?, bool, int?)"/>
    /// (default 30,000 samples, 9 features, 8 centres, standard deviation 2, centres in (-10, 10)) plus one
    /// extra column named <c>noise</c> holding uniform noise that carries no class information.
    /// </summary>
    /// <param name="samples">Total number of points, default 30,000.</param>
    /// <param name="features">Number of informative (blob) features, default 9; the result has one more column.</param>
    /// <param name="centers">Number of blobs, default 8.</param>
    /// <param name="clusterStd">Standard deviation of each blob coordinate, default 2.</param>
    /// <param name="seed">Random seed; null draws one.</param>
    /// <remarks>
    /// <para>The noise column is uniform over [min, max), where min and max are the smallest and largest
    /// value found in any of the blob features, so it spreads as widely as the informative columns and an
    /// unscaled reduction cannot simply ignore it. Its values come from a separate random stream, so the
    /// blob columns equal <c>Blobs(samples, features, centers, clusterStd, seed: seed)</c> exactly.</para>
    /// <para>A standard deviation of 2 means the covariance of each blob is 4 I (variance = std^2). The source
    /// material draws the points with <c>np.random.multivariate_normal(centroid, c)</c> where <c>c</c> is the
    /// "std" 2, which wrongly uses 2 as a variance; this generator follows the documented meaning of
    /// <c>cluster_std</c> in scikit-learn's <c>make_blobs</c>.</para>
    /// </remarks>
    public static Dataset BlobsWithNoise(int samples = Defaults.NoisyBlobsSamples, int features = Defaults.NoisyBlobsFeatures,
        int centers = Defaults.NoisyBlobsCenters, double clusterStd = Defaults.NoisyBlobsClusterStd, int? seed = null)
    {
        int s = Seeds.Resolve(seed);
        var blobs = Blobs(samples, features, centers, clusterStd, seed: s);
        var x = blobs.Features.Data;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in x) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (!(max > min)) { min -= 0.5; max += 0.5; } // all points equal (clusterStd 0, one centre): use a unit-wide range
        var random = Seeds.Create(s, stream: 1);
        var result = new DataMatrix(samples, features + 1);
        var r = result.Data;
        for (int i = 0; i < samples; i++)
        {
            Array.Copy(x, i * features, r, i * (features + 1), features);
            r[i * (features + 1) + features] = min + (max - min) * random.NextDouble();
        }
        var names = blobs.FeatureNames.Append("noise").ToArray();
        return new Dataset("blobs-with-noise", result, blobs.Labels, blobs.ClassNames, names,
            string.Create(CultureInfo.InvariantCulture,
                $"generated: Generators.BlobsWithNoise(samples: {samples}, features: {features}, centers: {centers}, clusterStd: {clusterStd}, seed: {s}); noise column uniform over [{min:R}, {max:R})"),
            "generated data, no licence needed");
    }

    /// <summary>
    /// Draws <paramref name="samples"/> points from the multivariate normal N(<paramref name="mean"/>,
    /// <paramref name="covariance"/>): x = mean + L z with L the Cholesky factor of the covariance (L L^T = covariance)
    /// and z standard normal. The chapter uses mean (-1, 2) and covariance [[4, 2], [2, 2]].
    /// </summary>
    /// <param name="mean">The mean vector (length d, finite).</param>
    /// <param name="covariance">A d x d symmetric positive semi-definite matrix.</param>
    /// <param name="samples">Number of points, at least 1.</param>
    /// <param name="seed">Random seed; null draws one.</param>
    /// <returns>A <c>samples x d</c> matrix.</returns>
    /// <remarks>
    /// Semi-definite (singular) covariances are allowed: a zero pivot of the Cholesky factorisation gives a
    /// zero column of L, so the points lie in a lower-dimensional subspace. A matrix that is not symmetric
    /// (relative tolerance 1e-10) or has a negative pivot (not positive semi-definite) is rejected.
    /// </remarks>
    public static DataMatrix MultivariateNormal(IReadOnlyList<double> mean, double[,] covariance, int samples, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        int d = mean.Count;
        if (d == 0) throw new ArgumentException("mean is empty. Pass one value per dimension, for example [-1, 2].", nameof(mean));
        for (int j = 0; j < d; j++)
            if (!double.IsFinite(mean[j]))
                throw new ArgumentException($"mean[{j}] is {F(mean[j])}. Every mean value must be a finite number.", nameof(mean));
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
            throw new ArgumentException(
                $"covariance is {covariance.GetLength(0)} x {covariance.GetLength(1)}, but mean has {d} values. Pass a {d} x {d} covariance matrix.",
                nameof(covariance));
        Check.Range(samples, 1, int.MaxValue, nameof(samples), "Ask for at least one sample.");
        var l = Cholesky(covariance);
        var random = Seeds.Create(Seeds.Resolve(seed));
        var result = new DataMatrix(samples, d);
        var r = result.Data;
        var z = new double[d];
        for (int i = 0; i < samples; i++)
        {
            for (int j = 0; j < d; j++) z[j] = random.NextGaussian();
            for (int a = 0; a < d; a++)
            {
                double v = mean[a];
                for (int b = 0; b <= a; b++) v += l[a, b] * z[b];
                r[i * d + a] = v;
            }
        }
        return result;
    }

    /// <summary>
    /// The swiss roll, as scikit-learn's <c>make_swiss_roll</c>: t = 1.5 pi (1 + 2u), x = t cos t, y = 21 v,
    /// z = t sin t with u, v uniform on [0, 1), plus Gaussian noise of standard deviation <paramref name="noise"/>
    /// on every coordinate. <see cref="ManifoldSample.Position"/> holds t.
    /// </summary>
    /// <param name="samples">Number of points, at least 1.</param>
    /// <param name="noise">Standard deviation of the added noise, 0 or more (default 0).</param>
    /// <param name="seed">Random seed; null draws one.</param>
    /// <remarks>Marsland (2009), as used in scikit-learn's <c>make_swiss_roll</c>.</remarks>
    public static ManifoldSample SwissRoll(int samples, double noise = 0.0, int? seed = null)
    {
        Check.Range(samples, 1, int.MaxValue, nameof(samples), "Ask for at least one sample.");
        CheckStd(noise, nameof(noise));
        var random = Seeds.Create(Seeds.Resolve(seed));
        var t = new double[samples];
        var x = new DataMatrix(samples, 3);
        var d = x.Data;
        for (int i = 0; i < samples; i++) t[i] = 1.5 * Math.PI * (1 + 2 * random.NextDouble());
        for (int i = 0; i < samples; i++)
        {
            d[3 * i] = t[i] * Math.Cos(t[i]);
            d[3 * i + 1] = 21 * random.NextDouble();
            d[3 * i + 2] = t[i] * Math.Sin(t[i]);
        }
        if (noise > 0)
            for (int k = 0; k < d.Length; k++) d[k] += noise * random.NextGaussian();
        return new ManifoldSample(x, t);
    }

    /// <summary>
    /// The noisy 3-D curve of Geron's <i>Hands-On Machine Learning</i> (chapters 8 and 17,
    /// <c>generate_3d_data</c>), used to show that a linear autoencoder finds the same plane as PCA:
    /// angle = 3 pi / 2 * u - 0.5 (u uniform on [0, 1)),
    /// x0 = cos(angle) + sin(angle) / 2 + noise * n0 / 2,
    /// x1 = 0.7 sin(angle) + noise * n1 / 2,
    /// x2 = w1 x0 + w2 x1 + noise * n2, with n standard normal.
    /// <see cref="ManifoldSample.Position"/> holds the angle.
    /// </summary>
    /// <param name="samples">Number of points m, at least 1 (default 60, as the book).</param>
    /// <param name="noise">Noise level, 0 or more (default 0.1).</param>
    /// <param name="w1">Weight of x0 in x2 (default 0.1).</param>
    /// <param name="w2">Weight of x1 in x2 (default 0.3).</param>
    /// <param name="seed">Random seed; null draws one.</param>
    public static ManifoldSample Curve3D(int samples = Defaults.CurveSamples, int? seed = null, double noise = Defaults.CurveNoise,
        double w1 = Defaults.CurveWeight1, double w2 = Defaults.CurveWeight2)
    {
        Check.Range(samples, 1, int.MaxValue, nameof(samples), "Ask for at least one sample.");
        CheckStd(noise, nameof(noise));
        if (!double.IsFinite(w1)) throw new ArgumentOutOfRangeException(nameof(w1), w1, $"w1 is {F(w1)}, but it must be a finite number (default {F(Defaults.CurveWeight1)}).");
        if (!double.IsFinite(w2)) throw new ArgumentOutOfRangeException(nameof(w2), w2, $"w2 is {F(w2)}, but it must be a finite number (default {F(Defaults.CurveWeight2)}).");
        var random = Seeds.Create(Seeds.Resolve(seed));
        var angles = new double[samples];
        for (int i = 0; i < samples; i++) angles[i] = random.NextDouble() * 3 * Math.PI / 2 - 0.5;
        var x = new DataMatrix(samples, 3);
        var d = x.Data;
        // Drawn column by column, in the order of the book's code.
        for (int i = 0; i < samples; i++) d[3 * i] = Math.Cos(angles[i]) + Math.Sin(angles[i]) / 2 + noise * random.NextGaussian() / 2;
        for (int i = 0; i < samples; i++) d[3 * i + 1] = Math.Sin(angles[i]) * 0.7 + noise * random.NextGaussian() / 2;
        for (int i = 0; i < samples; i++) d[3 * i + 2] = d[3 * i] * w1 + d[3 * i + 1] * w2 + noise * random.NextGaussian();
        return new ManifoldSample(x, angles);
    }

    private static (DataMatrix X, int[] Labels) Draw(int samples, DataMatrix centers, double std, bool shuffle, Random random)
    {
        int k = centers.Rows, f = centers.Columns;
        var x = new DataMatrix(samples, f);
        var labels = new int[samples];
        var d = x.Data;
        int row = 0;
        for (int c = 0; c < k; c++)
        {
            int n = samples / k + (c < samples % k ? 1 : 0);
            for (int i = 0; i < n; i++, row++)
            {
                labels[row] = c;
                for (int j = 0; j < f; j++) d[row * f + j] = centers.Data[c * f + j] + std * random.NextGaussian();
            }
        }
        if (!shuffle) return (x, labels);
        var order = Enumerable.Range(0, samples).ToArray();
        for (int i = samples - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return (x.SelectRows(order), order.Select(i => labels[i]).ToArray());
    }

    /// <summary>Lower Cholesky factor of a symmetric positive semi-definite matrix (zero columns at zero pivots).</summary>
    internal static double[,] Cholesky(double[,] a)
    {
        int n = a.GetLength(0);
        double scale = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (!double.IsFinite(a[i, j]))
                    throw new ArgumentException($"covariance[{i}, {j}] is {F(a[i, j])}. Every covariance entry must be a finite number.", "covariance");
                scale = Math.Max(scale, Math.Abs(a[i, j]));
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(a[i, j] - a[j, i]) > 1e-10 * scale)
                    throw new ArgumentException(
                        $"covariance is not symmetric: covariance[{i}, {j}] is {F(a[i, j])} but covariance[{j}, {i}] is {F(a[j, i])}. A covariance matrix must equal its transpose: pass (C + C^T) / 2 if the difference is rounding.",
                        "covariance");
        double tol = 1e-12 * Math.Max(scale, double.Epsilon) * n;
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double pivot = a[j, j];
            for (int k = 0; k < j; k++) pivot -= l[j, k] * l[j, k];
            if (pivot < -tol)
                throw new ArgumentException(
                    $"covariance is not positive semi-definite (Cholesky pivot {j} is {F(pivot)} < 0), so no normal distribution has it. Check the entries: every variance must be at least as large as the covariances allow (|c_ij| <= sqrt(c_ii c_jj)), and the matrix must have no negative eigenvalue.",
                    "covariance");
            if (pivot <= tol)
            {
                // Zero pivot: a semi-definite direction, column j of L stays 0. That is only consistent when the
                // rest of column j is zero too; otherwise the matrix has a negative eigenvalue.
                for (int i = j + 1; i < n; i++)
                {
                    double v = a[i, j];
                    for (int k = 0; k < j; k++) v -= l[i, k] * l[j, k];
                    if (Math.Abs(v) > 1e-8 * scale)
                        throw new ArgumentException(
                            $"covariance is not positive semi-definite: after {j} Cholesky step(s) the variance left in direction {j} is 0 but its covariance with direction {i} is {F(v)}, so the matrix has a negative eigenvalue. Check that |c_ij| <= sqrt(c_ii c_jj) for every pair.",
                            "covariance");
                }
                continue;
            }
            double ljj = Math.Sqrt(pivot);
            l[j, j] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double v = a[i, j];
                for (int k = 0; k < j; k++) v -= l[i, k] * l[j, k];
                l[i, j] = v / ljj;
            }
        }
        return l;
    }

    private static void CheckStd(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {F(value)}, but it must be a finite number of at least 0 (a standard deviation).");
    }

    private static string[] BlobNames(int centers) =>
        Enumerable.Range(0, centers).Select(c => "blob " + c.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
