using System.Globalization;
using DimReduce.Datasets;

namespace DimReduce.Preprocessing;

/// <summary>
/// Stratified splits: every class is divided between the parts in the asked proportions, so each part has
/// the class mix of the whole.
/// </summary>
/// <example>
/// <code>
/// var split = DataSplit.Stratified(wine, 0.7, 0.15, 0.15, seed: 42);
/// var scaler = new StandardScaler().Fit(split.Train.Features);
/// </code>
/// </example>
public static class DataSplit
{
    /// <summary>
    /// Splits row indices into train, validation and test parts, class by class.
    /// </summary>
    /// <param name="labels">One class label per row (any integers).</param>
    /// <param name="trainFraction">Share of each class for training, greater than 0.</param>
    /// <param name="validationFraction">Share for validation, 0 or more (0: no validation part).</param>
    /// <param name="testFraction">Share for testing, 0 or more. The three fractions must sum to 1.</param>
    /// <param name="seed">Random seed; null draws one (returned as <see cref="SplitIndices.SeedUsed"/>).</param>
    /// <remarks>
    /// For a class of n rows, the validation part gets round(n * validationFraction) rows and the test part
    /// round(n * testFraction) rows (halves rounded up), but at least 1 each when its fraction is above 0; the
    /// training part gets the rest, at least 1. Which rows go where is a permutation of the class's rows drawn
    /// from a stream of the seed (stream = position of the class in ascending label order), so the split does
    /// not depend on other classes. Each part is returned sorted ascending, so rows keep their original order.
    /// </remarks>
    /// <exception cref="ArgumentException">A fraction is out of range, they do not sum to 1, or a class is too small to
    /// give every part at least one row.</exception>
    public static SplitIndices Stratified(IReadOnlyList<int> labels, double trainFraction, double validationFraction, double testFraction, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        CheckFraction(trainFraction, nameof(trainFraction));
        CheckFraction(validationFraction, nameof(validationFraction));
        CheckFraction(testFraction, nameof(testFraction));
        if (!(trainFraction > 0))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "trainFraction is 0, but the training part needs rows. Pass a fraction above 0, for example 0.7.");
        double total = trainFraction + validationFraction + testFraction;
        if (Math.Abs(total - 1) > 1e-9)
            throw new ArgumentException(
                F($"The fractions sum to {total} (train {trainFraction} + validation {validationFraction} + test {testFraction}), but they must sum to 1. Pass for example 0.7, 0.15, 0.15."),
                nameof(testFraction));
        if (labels.Count == 0)
            throw new ArgumentException("labels is empty. Pass one label per row of the data to split.", nameof(labels));

        int parts = 1 + (validationFraction > 0 ? 1 : 0) + (testFraction > 0 ? 1 : 0);
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var rows)) byClass[labels[i]] = rows = [];
            rows.Add(i);
        }
        foreach (var (label, rows) in byClass)
            if (rows.Count < parts)
                throw new ArgumentException(
                    F($"Class {label} has {rows.Count} sample(s), but a stratified split into {parts} parts needs at least {parts} per class (one per part). Remove or merge that class, collect more samples, or drop the validation part (validationFraction 0)."),
                    nameof(labels));

        int s = Seeds.Resolve(seed);
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        int classIndex = 0;
        foreach (var (_, rows) in byClass)
        {
            int n = rows.Count;
            int nValidation = Count(n, validationFraction);
            int nTest = Count(n, testFraction);
            // Never starve the training part: give rows back, test first, then validation.
            while (n - nValidation - nTest < 1)
            {
                if (nTest > 1 && nTest >= nValidation) nTest--;
                else nValidation--;
            }
            var random = Seeds.Create(s, ++classIndex);
            var order = rows.ToArray();
            for (int i = n - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            int nTrain = n - nValidation - nTest;
            train.AddRange(order.AsSpan(0, nTrain));
            validation.AddRange(order.AsSpan(nTrain, nValidation));
            test.AddRange(order.AsSpan(nTrain + nValidation, nTest));
        }
        train.Sort();
        validation.Sort();
        test.Sort();
        return new SplitIndices(train.ToArray(), validation.ToArray(), test.ToArray(), s);
    }

    /// <summary>A stratified train / test split (no validation part): <c>Stratified(labels, 1 - testFraction, 0, testFraction, seed)</c>.</summary>
    /// <param name="labels">One class label per row.</param>
    /// <param name="testFraction">Share of each class for testing, greater than 0 and less than 1 (for example 0.2).</param>
    /// <param name="seed">Random seed; null draws one.</param>
    public static SplitIndices TrainTest(IReadOnlyList<int> labels, double testFraction, int? seed = null)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                F($"testFraction is {testFraction}, but it must be greater than 0 and less than 1. Pass for example 0.2."));
        return Stratified(labels, 1 - testFraction, 0, testFraction, seed);
    }

    /// <summary>Splits a data set into train, validation and test parts, stratified by its labels.</summary>
    /// <param name="data">The data set.</param>
    /// <param name="trainFraction">Share of each class for training, greater than 0.</param>
    /// <param name="validationFraction">Share for validation, 0 or more.</param>
    /// <param name="testFraction">Share for testing, 0 or more; the three sum to 1.</param>
    /// <param name="seed">Random seed; null draws one.</param>
    public static DatasetSplit Stratified(Dataset data, double trainFraction, double validationFraction, double testFraction, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var indices = Stratified(data.Labels, trainFraction, validationFraction, testFraction, seed);
        return new DatasetSplit(
            data.Subset(indices.Train, data.Name + "-train"),
            data.Subset(indices.Validation, data.Name + "-validation"),
            data.Subset(indices.Test, data.Name + "-test"),
            indices);
    }

    private static int Count(int n, double fraction)
    {
        if (fraction <= 0) return 0;
        return Math.Max(1, (int)Math.Floor(n * fraction + 0.5));
    }

    private static void CheckFraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, F($"{name} is {value}, but it must be between 0 and 1. Pass a share such as 0.15."));
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
