using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Preprocessing;

/// <summary>
/// Standardises each feature: z = (x - mean) / std, with the mean and (population) standard deviation learned
/// at <see cref="Fit"/>. The usual first step before PCA or an autoencoder, so that no feature dominates
/// because of its unit.
/// </summary>
/// <remarks>
/// Matches scikit-learn's <c>StandardScaler</c>: the variance divides by n (not n - 1); a feature whose variance is
/// zero up to rounding (<c>var &lt;= n eps var + (n mean eps)^2</c>, scikit-learn's <c>_is_constant_feature</c>) gets
/// scale 1, so it becomes 0 instead of NaN. The variance is computed in two passes with the
/// correction term of Chan, Golub and LeVeque (1983), as scikit-learn does.
/// </remarks>
/// <example>
/// <code>
/// var scaler = new StandardScaler();
/// var z = scaler.FitTransform(BundledSets.Wine().Features);
/// scaler.Save("scaler.json");
/// </code>
/// </example>
[ModelType("StandardScaler")]
public sealed class StandardScaler : IReducer, IInvertibleTransformer, IStateful
{
    /// <summary>Default option values.</summary>
    public static class Defaults
    {
        /// <summary>Subtract the mean: true.</summary>
        public const bool WithMean = true;

        /// <summary>Divide by the standard deviation: true.</summary>
        public const bool WithStd = true;
    }

    private double[]? _mean, _variance, _scale;

    /// <summary>Subtract each feature's mean (default true). With false, only the scale is applied.</summary>
    public bool WithMean { get; init; } = Defaults.WithMean;

    /// <summary>Divide each feature by its standard deviation (default true). With false, <see cref="Scale"/> is all ones.</summary>
    public bool WithStd { get; init; } = Defaults.WithStd;

    /// <summary>Each feature's mean at fit (computed even when <see cref="WithMean"/> is false, then not subtracted).</summary>
    public IReadOnlyList<double> Mean => Fitted(_mean, nameof(Mean));

    /// <summary>Each feature's population variance at fit (divides by n).</summary>
    public IReadOnlyList<double> Variance => Fitted(_variance, nameof(Variance));

    /// <summary>What each feature is divided by: the standard deviation, or 1 for constant features or when <see cref="WithStd"/> is false.</summary>
    public IReadOnlyList<double> Scale => Fitted(_scale, nameof(Scale));

    /// <summary>Number of features seen at fit.</summary>
    public int Features => Fitted(_mean, nameof(Features)).Length;

    /// <summary>Number of samples seen at fit.</summary>
    public int SamplesSeen { get; private set; }

    /// <summary>Learns each feature's mean and variance.</summary>
    /// <param name="x">Data, one row per sample; finite, at least one row.</param>
    public StandardScaler Fit(DataMatrix x)
    {
        Check.Data(x, nameof(x));
        int n = x.Rows, d = x.Columns;
        var data = x.Data;
        var sum = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) sum[j] += data[i * d + j];
        var mean = new double[d];
        for (int j = 0; j < d; j++) mean[j] = sum[j] / n;
        var squares = new double[d];
        var correction = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double t = data[i * d + j] - mean[j];
                squares[j] += t * t;
                correction[j] += t;
            }
        var variance = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            variance[j] = (squares[j] - correction[j] * correction[j] / n) / n;
            const double eps = 2.220446049250313e-16; // machine epsilon of double, 2^-52
            double bound = n * eps * variance[j] + (n * mean[j] * eps) * (n * mean[j] * eps);
            bool constant = variance[j] <= bound;
            scale[j] = !WithStd || constant ? 1.0 : Math.Sqrt(variance[j]);
        }
        _mean = mean;
        _variance = variance;
        _scale = scale;
        SamplesSeen = n;
        return this;
    }

    /// <summary>(x - mean) / scale, per feature (the mean only when <see cref="WithMean"/>).</summary>
    /// <param name="x">Data with the feature count seen at fit.</param>
    public DataMatrix Transform(DataMatrix x)
    {
        var mean = Fitted(_mean, nameof(Transform));
        Check.Features(x, mean.Length, nameof(x), nameof(StandardScaler));
        int n = x.Rows, d = x.Columns;
        var src = x.Data;
        var result = new double[src.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double v = src[i * d + j];
                if (WithMean) v -= mean[j];
                if (WithStd) v /= _scale![j];
                result[i * d + j] = v;
            }
        return new DataMatrix(n, d, result);
    }

    /// <summary>Fits, then transforms the same data.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);

    /// <summary>z * scale + mean: undoes <see cref="Transform"/> (exactly, up to rounding).</summary>
    /// <param name="z">Standardised data with the feature count seen at fit.</param>
    public DataMatrix InverseTransform(DataMatrix z)
    {
        var mean = Fitted(_mean, nameof(InverseTransform));
        Check.Features(z, mean.Length, nameof(z), nameof(StandardScaler));
        int n = z.Rows, d = z.Columns;
        var src = z.Data;
        var result = new double[src.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double v = src[i * d + j];
                if (WithStd) v *= _scale![j];
                if (WithMean) v += mean[j];
                result[i * d + j] = v;
            }
        return new DataMatrix(n, d, result);
    }

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Writes the fitted scaler to <paramref name="path"/> (JSON, numbers round-trip exactly).</summary>
    public void Save(string path)
    {
        Fitted(_mean, nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a scaler written by <see cref="Save"/>.</summary>
    public static StandardScaler Load(string path) => ModelFile.Load<StandardScaler>(path);

    JsonObject IStateful.GetState() => new()
    {
        ["withMean"] = WithMean,
        ["withStd"] = WithStd,
        ["samplesSeen"] = SamplesSeen,
        ["mean"] = State.Array(Fitted(_mean, nameof(Save))),
        ["variance"] = State.Array(_variance!),
        ["scale"] = State.Array(_scale!),
    };

    internal static StandardScaler FromState(JsonObject state)
    {
        var scaler = new StandardScaler
        {
            WithMean = state["withMean"]?.GetValue<bool>() ?? throw new InvalidDataException("The model state lacks \"withMean\"."),
            WithStd = state["withStd"]?.GetValue<bool>() ?? throw new InvalidDataException("The model state lacks \"withStd\"."),
        };
        scaler._mean = State.Doubles(state["mean"], "mean");
        scaler._variance = State.Doubles(state["variance"], "variance");
        scaler._scale = State.Doubles(state["scale"], "scale");
        scaler.SamplesSeen = State.Int(state["samplesSeen"], "samplesSeen");
        if (scaler._variance.Length != scaler._mean.Length || scaler._scale.Length != scaler._mean.Length)
            throw new InvalidDataException("The StandardScaler state has mean, variance and scale of different lengths.");
        return scaler;
    }

    private static double[] Fitted(double[]? value, string member)
    {
        Check.Fitted(value is not null, nameof(StandardScaler), member);
        return value!;
    }
}
