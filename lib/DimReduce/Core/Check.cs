using System.Globalization;

namespace DimReduce;

/// <summary>
/// Input checks shared by every estimator. Each failure is an <see cref="ArgumentException"/> (or
/// <see cref="ArgumentOutOfRangeException"/>) whose message names the parameter, the value, the rule and the fix.
/// </summary>
internal static class Check
{
    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>Not null, at least <paramref name="minRows"/> rows, at least one column, every value finite.</summary>
    public static DataMatrix Data(DataMatrix? x, string paramName, int minRows = 1)
    {
        Shape(x, paramName, minRows);
        Finite(x!, paramName);
        return x!;
    }

    /// <summary>
    /// <see cref="Data"/> without the finite test, for an estimator that learns finiteness from its own first pass over
    /// the data and calls <see cref="Finite"/> itself when that pass cannot tell.
    /// </summary>
    public static DataMatrix Shape(DataMatrix? x, string paramName, int minRows = 1)
    {
        if (x is null) throw new ArgumentNullException(paramName, $"{paramName} is null. Pass a DataMatrix with one row per sample.");
        if (x.Rows == 0 || x.Columns == 0)
            throw new ArgumentException(
                $"{paramName} is empty ({x.Rows} rows x {x.Columns} columns). Pass at least {minRows} row(s) and one feature column.",
                paramName);
        if (x.Rows < minRows)
            throw new ArgumentException(
                $"{paramName} has {x.Rows} row(s), but at least {minRows} are needed. Pass more samples.",
                paramName);
        return x;
    }

    /// <summary>Every value is finite (no NaN, no infinity).</summary>
    public static void Finite(DataMatrix x, string paramName)
    {
        var data = x.Data;
        if (AllFinite(data)) return;
        for (int k = 0; k < data.Length; k++)
        {
            double v = data[k];
            if (!double.IsFinite(v))
            {
                int row = k / x.Columns, col = k % x.Columns;
                string what = double.IsNaN(v) ? "NaN" : v > 0 ? "positive infinity" : "negative infinity";
                throw new ArgumentException(
                    $"{paramName} contains {what} at row {row}, column {col}. Every value must be a finite number: remove or impute missing values (for example with the column mean) before fitting.",
                    paramName);
            }
        }
    }

    /// <summary>Values per block of the parallel finite test: 512 KiB of doubles.</summary>
    private const int FiniteBlock = 1 << 16;

    /// <summary>Whether every value is finite: a vectorised test over blocks, in parallel for large arrays.</summary>
    private static bool AllFinite(double[] data)
    {
        if (data.Length <= FiniteBlock) return AllFinite(data.AsSpan());
        int blocks = (data.Length + FiniteBlock - 1) / FiniteBlock;
        int bad = 0;
        Parallel.For(0, blocks, (b, state) =>
        {
            int start = b * FiniteBlock;
            if (!AllFinite(data.AsSpan(start, Math.Min(FiniteBlock, data.Length - start))))
            {
                Volatile.Write(ref bad, 1);
                state.Stop();
            }
        });
        return bad == 0;
    }

    /// <summary>
    /// Whether every value of the span is finite. v - v is +0 for a finite v and NaN for NaN and the infinities, and a
    /// NaN stays in the running sum, so one comparison at the end decides.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(ReadOnlySpan<double> span)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && span.Length >= System.Numerics.Vector<double>.Count)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(span);
            var acc = System.Numerics.Vector<double>.Zero;
            foreach (var v in vectors) acc += v - v;
            if (!System.Numerics.Vector.EqualsAll(acc, System.Numerics.Vector<double>.Zero)) return false;
            i = vectors.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < span.Length; i++)
            if (!double.IsFinite(span[i])) return false;
        return true;
    }

    /// <summary>The matrix has the feature count the estimator was fitted with.</summary>
    public static DataMatrix Features(DataMatrix? x, int expected, string paramName, string estimator)
    {
        if (x is null) throw new ArgumentNullException(paramName, $"{paramName} is null. Pass a DataMatrix with one row per sample.");
        if (x.Columns != expected)
            throw new ArgumentException(
                $"{paramName} has {x.Columns} features, but this {estimator} was fitted on {expected}. Pass data with the same {expected} columns, in the same order, as at Fit.",
                paramName);
        if (x.Rows == 0)
            throw new ArgumentException($"{paramName} is empty (0 rows). Pass at least one row.", paramName);
        Finite(x, paramName);
        return x;
    }

    /// <summary>One label per row.</summary>
    public static IReadOnlyList<int> Labels(IReadOnlyList<int>? labels, int rows, string paramName, string dataName = "x")
    {
        if (labels is null) throw new ArgumentNullException(paramName, $"{paramName} is null. Pass one integer label per row of {dataName}.");
        if (labels.Count != rows)
            throw new ArgumentException(
                $"{paramName} has {labels.Count} labels, but {dataName} has {rows} rows. Pass exactly one label per row.",
                paramName);
        return labels;
    }

    /// <summary>An integer option within [min, max].</summary>
    public static void Range(int value, int min, int max, string paramName, string fix)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{paramName} is {value}, but it must be between {min} and {max}. {fix}");
    }

    /// <summary>A real option within [min, max] and finite.</summary>
    public static void Range(double value, double min, double max, string paramName, string fix)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{paramName} is {F(value)}, but it must be between {F(min)} and {F(max)}. {fix}");
    }

    /// <summary>A strictly positive finite option.</summary>
    public static void Positive(double value, string paramName, string fix)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{paramName} is {F(value)}, but it must be a finite number greater than 0. {fix}");
    }

    /// <summary>Throws the standard "not fitted" error when <paramref name="fitted"/> is false.</summary>
    public static void Fitted(bool fitted, string estimator, string member)
    {
        if (!fitted)
            throw new InvalidOperationException($"{estimator}.{member} is not available before fitting. Call Fit (or FitTransform) first.");
    }
}
