using System.Globalization;
using Xunit.Sdk;

namespace DimReduce.Tests.Support;

/// <summary>Array comparisons that, on failure, name the worst element, its index and both values.</summary>
public static class Approx
{
    /// <summary>|actual - expected| &lt;= atol + rtol * |expected| for every element.</summary>
    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double rtol = 1e-10, double atol = 0, string what = "array")
    {
        if (expected.Count != actual.Count)
            throw new XunitException($"{what}: expected {expected.Count} values, got {actual.Count}.");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double allowed = atol + rtol * Math.Abs(expected[i]);
            double diff = Math.Abs(actual[i] - expected[i]);
            double excess = double.IsNaN(diff) ? double.PositiveInfinity : diff - allowed;
            if (excess > worstExcess || (worst < 0 && excess > 0)) { worst = i; worstExcess = excess; }
        }
        if (worst >= 0)
            throw new XunitException(string.Create(CultureInfo.InvariantCulture,
                $"{what}: element {worst} differs: expected {expected[worst]:R}, actual {actual[worst]:R} (|diff| {Math.Abs(actual[worst] - expected[worst]):G3}, allowed {atol + rtol * Math.Abs(expected[worst]):G3} from rtol {rtol:G3}, atol {atol:G3})."));
    }

    /// <summary>Matrix version of <see cref="Equal(IReadOnlyList{double}, IReadOnlyList{double}, double, double, string)"/>; reports row and column.</summary>
    public static void Equal(DataMatrix expected, DataMatrix actual, double rtol = 1e-10, double atol = 0, string what = "matrix")
    {
        if (expected.Shape != actual.Shape)
            throw new XunitException($"{what}: expected shape {expected.Shape}, got {actual.Shape}.");
        try
        {
            Equal(expected.AsSpan().ToArray(), actual.AsSpan().ToArray(), rtol, atol, what);
        }
        catch (XunitException e) when (expected.Columns > 0)
        {
            var m = System.Text.RegularExpressions.Regex.Match(e.Message, @"element (\d+)");
            int k = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            throw new XunitException($"{e.Message} (row {k / expected.Columns}, column {k % expected.Columns})");
        }
    }

    /// <summary>Scalar comparison with the same tolerance rule.</summary>
    public static void Equal(double expected, double actual, double rtol = 1e-10, double atol = 0, string what = "value") =>
        Equal(new[] { expected }, new[] { actual }, rtol, atol, what);

    /// <summary>
    /// Compares two vectors up to sign: flips <paramref name="actual"/> if that brings it closer to <paramref name="expected"/>.
    /// </summary>
    public static void EqualUpToSign(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double rtol = 1e-10, double atol = 0, string what = "vector")
    {
        double dot = 0;
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++) dot += expected[i] * actual[i];
        Equal(expected, dot < 0 ? actual.Select(v => -v).ToArray() : actual, rtol, atol, what);
    }
}
