using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Decomposition;

/// <summary>What a PCA solver returns: axes (k x p, signs fixed), eigenvalues, ratios, singular values, noise variance and the training scores U_k Sigma_k (n x k; null when the Gram-matrix solvers were not asked for them).</summary>
internal sealed record PcaSolution(DataMatrix Axes, double[] Variance, double[] Ratio, double[] Singular, double Noise, DataMatrix? Scores)
{
    /// <summary>Whether the Gram matrix was formed by the exact integer route (<see cref="Dense.Gram"/>).</summary>
    public bool IntegerGram { get; init; }
}

/// <summary>
/// The PCA solvers, as pure functions of the data: the covariance and the Gram-matrix randomized solver read the
/// data chunk by chunk, the SVD and the tall randomized solver take the centred tensor X_c (n x p, float64). Each one orients
/// the axes by scikit-learn's u-based <c>svd_flip</c> rule, so they agree with each other and with scikit-learn.
/// </summary>
internal static class PcaSolvers
{
    /// <summary>
    /// Eigendecomposition of S = X_c^T X_c / (n - 1) (Jolliffe 2002, eq. 1.1.1), with X_c^T X_c formed chunk by
    /// chunk (<see cref="Dense.Gram"/>, no centred copy of the data). The scores X_c v_k equal
    /// sigma_k u_k, so their signs give the u-based orientation; they are computed once, for the kept axes only.
    /// </summary>
    public static PcaSolution Covariance(DataMatrix x, double[] mean, double[]? scale, Dense.IntegerScan? integers, double components, bool keepScores)
    {
        int n = x.Rows, p = x.Columns, r = Math.Min(n, p);
        using var scope = torch.NewDisposeScope();
        using var gram = Dense.Gram(x, mean, scale, integers);
        var cov = gram.Gram.div(n - 1);
        var (w, v) = torch.linalg.eigh(cov);
        var values = Dense.Values(w); // ascending
        var spectrum = new double[r];
        for (int k = 0; k < r; k++) spectrum[k] = Math.Max(values[p - 1 - k], 0);
        int kept = Resolve(components, spectrum);
        // The last `kept` columns of v, in descending eigenvalue order.
        var order = torch.arange(p - 1, p - 1 - kept, -1, ScalarType.Int64);
        var vk = v.index_select(1, order);
        var (signs, scores) = GramScores(x, mean, scale, gram, vk, keepScores);
        return Finish(Dense.Values(vk.t()), signs, scores, n, p, kept, spectrum, spectrum.Sum()) with { IntegerGram = gram.Integer };
    }

    /// <summary>Thin SVD X_c = U Sigma V^T; lambda_k = sigma_k^2 / (n - 1).</summary>
    public static PcaSolution Svd(Tensor xc, double components)
    {
        int n = (int)xc.shape[0], p = (int)xc.shape[1], r = Math.Min(n, p);
        using var scope = torch.NewDisposeScope();
        var (u, s, vh) = torch.linalg.svd(xc, fullMatrices: false);
        var sigma = Dense.Values(s);
        var spectrum = sigma.Select(v => v * v / (n - 1)).ToArray();
        int kept = Resolve(components, spectrum);
        var scores = u.narrow(1, 0, kept).mul(s.narrow(0, 0, kept));
        var values = Dense.Values(scores);
        return Finish(Dense.Values(vh.narrow(0, 0, kept)), Dense.ColumnSigns(values, n, kept), values, n, p, kept, spectrum, spectrum.Sum());
    }

    /// <summary>
    /// Randomized subspace iteration on the Gram matrix, for data with few enough features that the p x p matrix
    /// C = X_c^T X_c is cheap to form (<see cref="Dense.Gram"/>, once). With X_c = U Sigma V^T,
    /// C = V Sigma^2 V^T, so Halko, Martinsson and Tropp (2011), Algorithm 4.4 (randomized subspace iteration,
    /// re-orthonormalising after every product), applied to C gives a basis Q of span(C^(q+1) Omega), the same
    /// subspace of right singular vectors that the tall route's q power iterations on X_c reach
    /// (X_c^T (X_c X_c^T)^q X_c Omega = C^(q+1) Omega); every product is then p x p x l instead of n x p x l.
    /// The Rayleigh-Ritz step (section 5.1, in its eigenvalue form) diagonalises the small l x l matrix
    /// Q^T C Q = W Theta W^T: the axes are Q W and sigma_k^2 = theta_k. The Gaussian test matrix Omega comes from
    /// <paramref name="seed"/>; the total variance is trace(C) / (n - 1).
    /// </summary>
    public static PcaSolution RandomizedGram(DataMatrix x, double[] mean, double[]? scale, Dense.IntegerScan? integers, int components, int oversamples, int? powerIterations, int seed, bool keepScores)
    {
        int n = x.Rows, p = x.Columns, r = Math.Min(n, p);
        int l = Math.Min(components + oversamples, r);
        int iterations = powerIterations ?? (components < 0.1 * r ? 7 : 4);
        using var scope = torch.NewDisposeScope();
        using var result = Dense.Gram(x, mean, scale, integers);
        var gram = result.Gram;
        var q = torch.linalg.qr(gram.matmul(Gaussian(p, l, seed))).Q;
        for (int it = 0; it < iterations; it++)
            q = torch.linalg.qr(gram.matmul(q)).Q;
        var t = q.t().matmul(gram).matmul(q);
        t = t.add(t.t()).mul_(0.5);
        var (theta, w) = torch.linalg.eigh(t); // ascending
        var thetas = Dense.Values(theta);
        var order = torch.arange(l - 1, l - 1 - components, -1, ScalarType.Int64);
        var vk = q.matmul(w.index_select(1, order));
        var variance = new double[components];
        for (int k = 0; k < components; k++) variance[k] = Math.Max(thetas[l - 1 - k], 0) / (n - 1);
        double totalVariance = gram.trace().item<double>() / (n - 1);
        var (signs, scores) = GramScores(x, mean, scale, result, vk, keepScores);
        var solution = Finish(Dense.Values(vk.t()), signs, scores, n, p, components, variance, totalVariance);
        // Only the leading eigenvalues are known: the noise variance is the mean of what the kept ones leave.
        double noise = components < r ? (totalVariance - variance.Sum()) / (r - components) : 0;
        return solution with { Noise = noise, IntegerGram = result.Integer };
    }

    /// <summary>
    /// Randomized subspace iteration on the centred data itself (Halko, Martinsson and Tropp 2011, Algorithm 4.4,
    /// QR after every product) and the direct SVD of B = Q^T X_c (Algorithm 5.1), for data with many features.
    /// The Gaussian test matrix comes from <paramref name="seed"/>.
    /// </summary>
    public static PcaSolution Randomized(Tensor xc, int components, int oversamples, int? powerIterations, int seed, double totalVariance)
    {
        int n = (int)xc.shape[0], p = (int)xc.shape[1], r = Math.Min(n, p);
        int l = Math.Min(components + oversamples, r);
        int iterations = powerIterations ?? (components < 0.1 * r ? 7 : 4);
        using var scope = torch.NewDisposeScope();
        var y = xc.matmul(Gaussian(p, l, seed));
        for (int it = 0; it < iterations; it++)
        {
            var q1 = Orthonormal(y);
            var z = xc.t().matmul(q1);
            var (q2, _) = torch.linalg.qr(z);
            y = xc.matmul(q2);
        }
        var q = Orthonormal(Orthonormal(y));
        var b = q.t().matmul(xc);
        var (ub, s, vh) = torch.linalg.svd(b, fullMatrices: false);
        var u = q.matmul(ub.narrow(1, 0, components));
        var scores = u.mul(s.narrow(0, 0, components));
        var sigma = Dense.Values(s.narrow(0, 0, components));
        var variance = sigma.Select(v => v * v / (n - 1)).ToArray();
        var values = Dense.Values(scores);
        var solution = Finish(Dense.Values(vh.narrow(0, 0, components)), Dense.ColumnSigns(values, n, components), values, n, p, components, variance, totalVariance);
        // Only the leading eigenvalues are known: the noise variance is the mean of what the kept ones leave.
        double noise = components < r ? (totalVariance - variance.Sum()) / (r - components) : 0;
        return solution with { Noise = noise };
    }

    /// <summary>The p x l Gaussian test matrix Omega, drawn in managed code from the seed (so identical on every run).</summary>
    private static Tensor Gaussian(int p, int l, int seed)
    {
        var random = Seeds.Create(seed);
        var omega = new double[p * l];
        for (int i = 0; i < omega.Length; i++) omega[i] = random.NextGaussian();
        return torch.tensor(omega, new long[] { p, l }, ScalarType.Float64);
    }

    /// <summary>
    /// An orthonormal basis of the columns of a tall n x l matrix by Cholesky QR (Q = Y R^-1 with R^T R = Y^T Y):
    /// two matrix products instead of Householder QR's slower panel updates on the tall matrix. Applied twice
    /// (CholeskyQR2, Fukaya et al. 2014) where orthogonality matters; falls back to Householder QR if Y^T Y is
    /// not numerically positive definite.
    /// </summary>
    private static Tensor Orthonormal(Tensor y)
    {
        var (l, info) = torch.linalg.cholesky_ex(y.t().matmul(y));
        if (info.item<int>() != 0) return torch.linalg.qr(y).Q;
        // Q = Y L^-T, solved as L Q^T = Y^T.
        return torch.linalg.solve_triangular(l, y.t(), upper: false).t();
    }

    /// <summary>
    /// The number of components: a count, or for a fraction f the scikit-learn rule
    /// searchsorted(cumsum(ratio), f, side='right') + 1.
    /// </summary>
    public static int Resolve(double components, double[] spectrum)
    {
        if (components >= 1) return (int)components;
        double total = spectrum.Sum(), cumulative = 0;
        int count = 0;
        for (int k = 0; k < spectrum.Length; k++)
        {
            cumulative += spectrum[k] / total;
            if (cumulative <= components) count++;
            else break;
        }
        return Math.Min(count + 1, spectrum.Length);
    }

    /// <summary>
    /// The scores X_c v_k of the Gram-matrix solvers' axes, computed once (as their k x n transpose, chunk by chunk):
    /// the u-based signs (the sign of each column's entry of largest magnitude, as <see cref="Dense.ColumnSigns"/>)
    /// and, when <paramref name="keepScores"/>, the n x k scores themselves. When only the signs are wanted and the
    /// Gram matrix took the integer route, <see cref="Dense.ScoreSigns"/> finds them in float32.
    /// </summary>
    private static (double[] Signs, double[]? Scores) GramScores(DataMatrix x, double[] mean, double[]? scale, Dense.GramResult gram, Tensor vk, bool keepScores)
    {
        int n = x.Rows, k = (int)vk.shape[1];
        if (!keepScores && Dense.ScoreSigns(x, mean, scale, gram, vk) is { } fast)
            return (fast, null);
        var transposed = Dense.CenteredScoresTransposed(x, mean, scale, vk);
        var signs = Dense.RowSignsFirstMax(transposed, k, n);
        if (!keepScores) return (signs, null);
        var scores = new double[(long)n * k];
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++) scores[i * k + j] = transposed[(long)j * n + i];
        return (signs, scores);
    }

    /// <summary>Fixes the signs (u-based) of the axes and of the scores (when given) and assembles the solution.</summary>
    private static PcaSolution Finish(double[] axes, double[] signs, double[]? scores, int n, int p, int kept, double[] spectrum, double total)
    {
        if (scores is not null) Dense.ScaleColumns(scores, n, kept, signs);
        Dense.ScaleRows(axes, p, signs);
        var variance = spectrum.Take(kept).ToArray();
        int r = Math.Min(n, p);
        double noise = kept < r && spectrum.Length > kept ? spectrum.Skip(kept).Take(r - kept).Average() : 0;
        return new PcaSolution(
            new DataMatrix(kept, p, axes),
            variance,
            variance.Select(v => v / total).ToArray(),
            variance.Select(v => Math.Sqrt(v * (n - 1))).ToArray(),
            noise,
            scores is null ? null : new DataMatrix(n, kept, scores));
    }
}
