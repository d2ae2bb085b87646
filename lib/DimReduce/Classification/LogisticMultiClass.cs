namespace DimReduce.Classification;

/// <summary>How <see cref="LogisticRegression"/> handles more than one class.</summary>
public enum LogisticMultiClass
{
    /// <summary>
    /// scikit-learn's default <c>multi_class='auto'</c>: two classes get one logistic (sigmoid) function
    /// (<see cref="OneVsRest"/> with a single row of coefficients); three or more get <see cref="Multinomial"/>.
    /// </summary>
    Auto,

    /// <summary>One softmax model over all classes: one row of coefficients per class, trained jointly.</summary>
    Multinomial,

    /// <summary>
    /// One binary logistic model per class (that class against the rest), trained separately; with two
    /// classes a single model for the second class against the first.
    /// </summary>
    OneVsRest,
}
