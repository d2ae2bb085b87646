namespace DimReduce;

/// <summary>A classifier that also gives the probability of each class (logistic regression, k-nearest neighbours).</summary>
public interface IProbabilisticClassifier : IClassifier
{
    /// <summary>One row per sample, one column per class in ascending label order; each row sums to 1.</summary>
    DataMatrix PredictProba(DataMatrix x);
}
