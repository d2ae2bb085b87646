using System.Globalization;
using System.Text;

namespace DimReduce.Classification;

/// <summary>Scores for predicted labels: accuracy and the confusion matrix.</summary>
public static class ClassificationMetrics
{
    /// <summary>The fraction of positions where <paramref name="predicted"/> equals <paramref name="truth"/> (0 to 1).</summary>
    /// <param name="truth">The true labels.</param>
    /// <param name="predicted">The predicted labels, as many as <paramref name="truth"/>.</param>
    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        CheckPair(truth, predicted);
        int right = 0;
        for (int i = 0; i < truth.Count; i++) if (truth[i] == predicted[i]) right++;
        return (double)right / truth.Count;
    }

    /// <summary>
    /// Counts of (true label, predicted label) pairs: entry [t, p] is the number of samples of class t predicted
    /// as p, so the diagonal holds the correct predictions (rows: truth, columns: prediction, as scikit-learn).
    /// </summary>
    /// <param name="truth">The true labels, 0 to classCount - 1.</param>
    /// <param name="predicted">The predicted labels, 0 to classCount - 1.</param>
    /// <param name="classCount">Number of classes; default: the largest label seen plus one.</param>
    public static int[,] ConfusionMatrix(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int? classCount = null)
    {
        CheckPair(truth, predicted);
        int seen = Math.Max(truth.Max(), predicted.Max()) + 1;
        int k = classCount ?? seen;
        if (classCount is int given && given < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), given, $"classCount is {given}, but it must be at least 1. Pass the number of classes, or leave it out.");
        CheckLabels(truth, k, nameof(truth), classCount is not null);
        CheckLabels(predicted, k, nameof(predicted), classCount is not null);
        var matrix = new int[k, k];
        for (int i = 0; i < truth.Count; i++) matrix[truth[i], predicted[i]]++;
        return matrix;
    }

    /// <summary>
    /// The confusion matrix as a fixed-width text table with class names on both axes (rows: true class,
    /// columns: predicted class), for notebooks and logs.
    /// </summary>
    /// <param name="matrix">A square matrix from <see cref="ConfusionMatrix"/>.</param>
    /// <param name="classNames">One name per class; default the class numbers.</param>
    public static string FormatConfusionMatrix(int[,] matrix, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int k = matrix.GetLength(0);
        if (k == 0 || matrix.GetLength(1) != k)
            throw new ArgumentException($"matrix is {matrix.GetLength(0)} x {matrix.GetLength(1)}, but a confusion matrix is square with at least one class. Pass the result of ConfusionMatrix.", nameof(matrix));
        if (classNames is not null && classNames.Count != k)
            throw new ArgumentException($"classNames has {classNames.Count} names, but the matrix has {k} classes. Pass one name per class.", nameof(classNames));
        var names = Enumerable.Range(0, k).Select(c => classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture)).ToArray();
        const string corner = "true \\ predicted";
        int first = Math.Max(corner.Length, names.Max(n => n.Length));
        int width = Math.Max(names.Max(n => n.Length),
            Enumerable.Range(0, k).SelectMany(i => Enumerable.Range(0, k).Select(j => matrix[i, j])).Max().ToString(CultureInfo.InvariantCulture).Length);
        var text = new StringBuilder();
        text.Append(corner.PadRight(first));
        foreach (var name in names) text.Append("  ").Append(name.PadLeft(width));
        text.AppendLine();
        for (int i = 0; i < k; i++)
        {
            text.Append(names[i].PadRight(first));
            for (int j = 0; j < k; j++) text.Append("  ").Append(matrix[i, j].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            text.AppendLine();
        }
        return text.ToString();
    }

    private static void CheckPair(IReadOnlyList<int>? truth, IReadOnlyList<int>? predicted)
    {
        if (truth is null) throw new ArgumentNullException(nameof(truth), "truth is null. Pass the true label of each sample.");
        if (predicted is null) throw new ArgumentNullException(nameof(predicted), "predicted is null. Pass the predicted label of each sample.");
        if (truth.Count == 0) throw new ArgumentException("truth is empty. Pass at least one label.", nameof(truth));
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"predicted has {predicted.Count} labels, but truth has {truth.Count}. Pass one prediction per true label.", nameof(predicted));
    }

    private static void CheckLabels(IReadOnlyList<int> labels, int k, string name, bool countGiven)
    {
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= k)
                throw new ArgumentException(
                    $"{name}[{i}] is {labels[i]}, but labels must be between 0 and {k - 1}{(countGiven ? $" for classCount {k}" : "")}. {(countGiven ? "Raise classCount or fix the label." : "Labels must be non-negative class numbers.")}",
                    name);
    }
}
