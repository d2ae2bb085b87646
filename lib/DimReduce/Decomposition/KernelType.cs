namespace DimReduce.Decomposition;

/// <summary>The kernel k(x, y) of <see cref="KernelPca"/>.</summary>
public enum KernelType
{
    /// <summary>k(x, y) = x . y: kernel PCA then equals ordinary PCA.</summary>
    Linear,

    /// <summary>Gaussian radial basis function k(x, y) = exp(-gamma ||x - y||^2).</summary>
    Rbf,

    /// <summary>k(x, y) = (gamma x . y + coef0)^degree.</summary>
    Polynomial,

    /// <summary>k(x, y) = tanh(gamma x . y + coef0) (not positive semi-definite for every gamma, coef0).</summary>
    Sigmoid,

    /// <summary>k(x, y) = x . y / (||x|| ||y||) (a zero row gives 0).</summary>
    Cosine,
}
