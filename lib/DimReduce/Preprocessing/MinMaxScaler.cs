using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;

namespace DimReduce.Preprocessing;

/// <summary>
/// Rescales each feature linearly so that its minimum and maximum at <see cref="Fit"/> map to
/// <see cref="FeatureRange"/> (default 0 to 1): x' = x * scale + offset, with scale = (high - low) / (max - min)
/// and offset = low - min * scale. Typical before a sigmoid-output autoencoder.
/// </summary>
/// <remarks>
/// Matches scikit-learn's <c>MinMaxScaler</c> (<c>scale_</c> is <see cref="Scale"/>, <c>min_</c> is
/// <see cref="Offset"/>): a feature whose range is below 10 machine epsilons is treated as having range 1, so
/// it maps to <c>low - min</c> instead of dividing by zero. New data outside the fitted range maps outside
/// <see cref="FeatureRange"/> unless <see cref="Clip"/> is true.
/// </remarks>
/// <example>
/// <code>
/// var scaler = new MinMaxScaler { FeatureRange = (-1, 1) };
/// var scaled = scaler.FitTransform(x);
/// </code>
/// </example>
[ModelType("MinMaxScaler")]
public sealed class MinMaxScaler : IReducer, IInvertibleTransformer, IStateful
{
    /// <summary>Default option values.</summary>
    public static class Defaults
    {
        /// <summary>Lower end of the target range: 0.</summary>
        public const double RangeLow = 0.0;

        /// <summary>Upper end of the target range: 1.</summary>
        public const double RangeHigh = 1.0;

        /// <summary>Clip transformed values into the range: false.</summary>
        public const bool Clip = false;
    }

    private double[]? _dataMin, _dataMax, _scale, _offset;

    /// <summary>The target range (low, high), finite with low &lt; high; default (0, 1).</summary>
    public (double Low, double High) FeatureRange { get; init; } = (Defaults.RangeLow, Defaults.RangeHigh);

    /// <summary>Clip transformed values into <see cref="FeatureRange"/> (default false), for data beyond the fitted range.</summary>
    public bool Clip { get; init; } = Defaults.Clip;

    /// <summary>Each feature's minimum at fit.</summary>
    public IReadOnlyList<double> DataMin => Fitted(_dataMin, nameof(DataMin));

    /// <summary>Each feature's maximum at fit.</summary>
    public IReadOnlyList<double> DataMax => Fitted(_dataMax, nameof(DataMax));

    /// <summary>Each feature's range at fit (max - min).</summary>
    public IReadOnlyList<double> DataRange => Fitted(_dataMax, nameof(DataRange)).Select((max, j) => max - _dataMin![j]).ToArray();

    /// <summary>Per-feature factor: (high - low) / (max - min), with a zero range treated as 1.</summary>
    public IReadOnlyList<double> Scale => Fitted(_scale, nameof(Scale));

    /// <summary>Per-feature offset added after scaling: low - min * scale (scikit-learn's <c>min_</c>).</summary>
    public IReadOnlyList<double> Offset => Fitted(_offset, nameof(Offset));

    /// <summary>Number of features seen at fit.</summary>
    public int Features => Fitted(_dataMin, nameof(Features)).Length;

    /// <summary>Learns each feature's minimum and maximum.</summary>
    /// <param name="x">Data, one row per sample; finite, at least one row.</param>
    public MinMaxScaler Fit(DataMatrix x)
    {
        var (low, high) = FeatureRange;
        if (!(double.IsFinite(low) && double.IsFinite(high) && low < high))
            throw new ArgumentOutOfRangeException(nameof(FeatureRange), FeatureRange,
                string.Create(CultureInfo.InvariantCulture, $"FeatureRange is ({low}, {high}), but it must be two finite numbers with low < high. Pass for example (0, 1) or (-1, 1)."));
        Check.Data(x, nameof(x));
        int n = x.Rows, d = x.Columns;
        var data = x.Data;
        var min = new double[d];
        var max = new double[d];
        Array.Copy(data, min, d);
        Array.Copy(data, max, d);
        for (int i = 1; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double v = data[i * d + j];
                if (v < min[j]) min[j] = v;
                if (v > max[j]) max[j] = v;
            }
        var scale = new double[d];
        var offset = new double[d];
        for (int j = 0; j < d; j++)
        {
            double range = max[j] - min[j];
            if (range < 10 * 2.220446049250313e-16) range = 1.0; // scikit-learn's _handle_zeros_in_scale
            scale[j] = (high - low) / range;
            offset[j] = low - min[j] * scale[j];
        }
        _dataMin = min;
        _dataMax = max;
        _scale = scale;
        _offset = offset;
        return this;
    }

    /// <summary>x * scale + offset per feature, clipped into <see cref="FeatureRange"/> when <see cref="Clip"/> is true.</summary>
    /// <param name="x">Data with the feature count seen at fit.</param>
    public DataMatrix Transform(DataMatrix x)
    {
        var scale = Fitted(_scale, nameof(Transform));
        Check.Features(x, scale.Length, nameof(x), nameof(MinMaxScaler));
        int n = x.Rows, d = x.Columns;
        var src = x.Data;
        var result = new double[src.Length];
        var (low, high) = FeatureRange;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double v = src[i * d + j] * scale[j] + _offset![j];
                if (Clip) v = Math.Clamp(v, low, high);
                result[i * d + j] = v;
            }
        return new DataMatrix(n, d, result);
    }

    /// <summary>Fits, then transforms the same data.</summary>
    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);

    /// <summary>(z - offset) / scale: maps scaled data back to the original units.</summary>
    /// <param name="z">Scaled data with the feature count seen at fit.</param>
    public DataMatrix InverseTransform(DataMatrix z)
    {
        var scale = Fitted(_scale, nameof(InverseTransform));
        Check.Features(z, scale.Length, nameof(z), nameof(MinMaxScaler));
        int n = z.Rows, d = z.Columns;
        var src = z.Data;
        var result = new double[src.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                result[i * d + j] = (src[i * d + j] - _offset![j]) / scale[j];
        return new DataMatrix(n, d, result);
    }

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Writes the fitted scaler to <paramref name="path"/> (JSON, numbers round-trip exactly).</summary>
    public void Save(string path)
    {
        Fitted(_scale, nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a scaler written by <see cref="Save"/>.</summary>
    public static MinMaxScaler Load(string path) => ModelFile.Load<MinMaxScaler>(path);

    JsonObject IStateful.GetState() => new()
    {
        ["featureRange"] = State.Array([FeatureRange.Low, FeatureRange.High]),
        ["clip"] = Clip,
        ["dataMin"] = State.Array(Fitted(_dataMin, nameof(Save))),
        ["dataMax"] = State.Array(_dataMax!),
        ["scale"] = State.Array(_scale!),
        ["offset"] = State.Array(_offset!),
    };

    internal static MinMaxScaler FromState(JsonObject state)
    {
        var range = State.Doubles(state["featureRange"], "featureRange");
        if (range.Length != 2) throw new InvalidDataException("The MinMaxScaler state's \"featureRange\" must hold two numbers.");
        var scaler = new MinMaxScaler
        {
            FeatureRange = (range[0], range[1]),
            Clip = state["clip"]?.GetValue<bool>() ?? throw new InvalidDataException("The model state lacks \"clip\"."),
        };
        scaler._dataMin = State.Doubles(state["dataMin"], "dataMin");
        scaler._dataMax = State.Doubles(state["dataMax"], "dataMax");
        scaler._scale = State.Doubles(state["scale"], "scale");
        scaler._offset = State.Doubles(state["offset"], "offset");
        int d = scaler._dataMin.Length;
        if (scaler._dataMax.Length != d || scaler._scale.Length != d || scaler._offset.Length != d)
            throw new InvalidDataException("The MinMaxScaler state has arrays of different lengths.");
        return scaler;
    }

    private static double[] Fitted(double[]? value, string member)
    {
        Check.Fitted(value is not null, nameof(MinMaxScaler), member);
        return value!;
    }
}
