namespace DimReduce.Decomposition;

/// <summary>Which matrix <see cref="Pca"/> decomposes.</summary>
public enum PcaMatrix
{
    /// <summary>The covariance matrix of the data: features keep their units (the usual PCA).</summary>
    Covariance,

    /// <summary>
    /// The correlation matrix: every feature is first scaled to unit (population) standard deviation, so PCA
    /// equals PCA after a standard scaler (scikit-learn's <c>StandardScaler</c> then <c>PCA</c>). Use it when
    /// features have different units.
    /// </summary>
    Correlation,
}
