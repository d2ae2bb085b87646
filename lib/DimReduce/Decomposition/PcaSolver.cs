namespace DimReduce.Decomposition;

/// <summary>How <see cref="Pca"/> computes the principal axes.</summary>
public enum PcaSolver
{
    /// <summary>
    /// Chooses for the data: <see cref="Covariance"/> when the data has at most
    /// <see cref="Pca.Defaults.CovarianceFeatureLimit"/> (1000) features; otherwise <see cref="Randomized"/> when
    /// Components is a count below 80% of min(samples, features); otherwise <see cref="Svd"/>.
    /// </summary>
    Auto,

    /// <summary>
    /// Eigendecomposition of the p x p covariance matrix X_c^T X_c / (n - 1), accumulated on libtorch over
    /// row chunks of the data (lower triangle only, no centred copy of the data). Exact, and the fastest choice
    /// when the feature count is moderate.
    /// </summary>
    Covariance,

    /// <summary>Thin SVD of the centred n x p data on libtorch (LAPACK): exact, the textbook route.</summary>
    Svd,

    /// <summary>
    /// Randomized truncated SVD (Halko, Martinsson and Tropp 2011): approximate, fast when few components
    /// of a large matrix are wanted. Up to <see cref="Pca.Defaults.CovarianceFeatureLimit"/> features it iterates on
    /// the p x p Gram matrix X_c^T X_c, formed once; above that on the data itself. Uses <see cref="Pca.Seed"/>, <see cref="Pca.PowerIterations"/> and
    /// <see cref="Pca.Oversamples"/>.
    /// </summary>
    Randomized,
}
