namespace DimReduce.Manifold;

/// <summary>How <see cref="Mds"/> finds the configuration.</summary>
public enum MdsMethod
{
    /// <summary>Metric MDS by SMACOF (de Leeuw 1977): iterative majorisation of the raw stress from random starts, as scikit-learn's <c>MDS(metric=True)</c>.</summary>
    Smacof,

    /// <summary>Classical (Torgerson 1952) scaling: the top eigenvectors of the double-centred -1/2 D^2; exact, no iterations, no seed.</summary>
    Classical,
}
