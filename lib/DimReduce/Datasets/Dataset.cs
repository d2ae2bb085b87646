using Microsoft.Data.Analysis;

namespace DimReduce.Datasets;

/// <summary>
/// A labelled data set: a feature matrix (one row per sample), one integer label per row, the name of
/// each class and of each feature, and where the data came from.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a data set and checks that its parts agree in size.</summary>
    public Dataset(string name, DataMatrix features, IReadOnlyList<int> labels, IReadOnlyList<string> classNames,
        IReadOnlyList<string>? featureNames = null, string? source = null, string? licence = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(classNames);
        Check.Labels(labels, features.Rows, nameof(labels), nameof(features));
        featureNames ??= Enumerable.Range(1, features.Columns).Select(j => $"x{j}").ToArray();
        if (featureNames.Count != features.Columns)
            throw new ArgumentException(
                $"featureNames has {featureNames.Count} names, but features has {features.Columns} columns. Pass one name per column.",
                nameof(featureNames));
        foreach (int y in labels)
            if (y < 0 || y >= classNames.Count)
                throw new ArgumentException(
                    $"labels contains {y}, but there are {classNames.Count} class names (labels must be 0 to {classNames.Count - 1}). Pass one name per class.",
                    nameof(labels));
        Name = name;
        Features = features;
        Labels = labels.ToArray();
        ClassNames = classNames.ToArray();
        FeatureNames = featureNames.ToArray();
        Source = source ?? "";
        Licence = licence ?? "";
    }

    /// <summary>Short name, for example "wine".</summary>
    public string Name { get; }

    /// <summary>The features, one row per sample.</summary>
    public DataMatrix Features { get; }

    /// <summary>The class of each row, 0 to <c>ClassNames.Count - 1</c>.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The name of each feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Where the data came from.</summary>
    public string Source { get; }

    /// <summary>The data's licence.</summary>
    public string Licence { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Features.Rows;

    /// <summary>The class name of each row (for chart legends).</summary>
    public string[] LabelNames => Labels.Select(y => ClassNames[y]).ToArray();

    /// <summary>The rows at <paramref name="indices"/> as a new data set (same class and feature names).</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null) =>
        new(name ?? Name, Features.SelectRows(indices), indices.Select(i => Labels[i]).ToArray(), ClassNames, FeatureNames, Source, Licence);

    /// <summary>
    /// A <see cref="DataFrame"/> with one double column per feature and a last column <c>label</c> holding class names.
    /// </summary>
    public DataFrame ToDataFrame()
    {
        var frame = Features.ToDataFrame(FeatureNames);
        frame.Columns.Add(new StringDataFrameColumn("label", LabelNames));
        return frame;
    }

    /// <summary>
    /// Builds a data set from a <see cref="DataFrame"/>: <paramref name="labelColumn"/> gives the labels and every other
    /// column (all must be numeric) a feature. Undoes <see cref="ToDataFrame"/> when the class names are passed.
    /// </summary>
    /// <param name="frame">The frame.</param>
    /// <param name="labelColumn">Name of the label column: class names (strings) or integer labels 0 to k - 1.</param>
    /// <param name="classNames">The class names in label order. For a string column, null uses the distinct names sorted
    /// ordinally; for an integer column, null names classes "0", "1", ... up to the largest label.</param>
    /// <param name="name">Name of the data set (default "dataframe").</param>
    public static Dataset FromDataFrame(DataFrame frame, string labelColumn, IReadOnlyList<string>? classNames = null, string name = "dataframe")
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        int index = frame.Columns.IndexOf(labelColumn);
        if (index < 0)
            throw new ArgumentException(
                $"labelColumn is '{labelColumn}', but the DataFrame has no such column. Its columns are: {string.Join(", ", frame.Columns.Select(c => c.Name))}.",
                nameof(labelColumn));
        var column = frame.Columns[index];
        int rows = checked((int)frame.Rows.Count);
        var raw = new object?[rows];
        for (int i = 0; i < rows; i++)
            raw[i] = column[i] ?? throw new ArgumentException($"labelColumn '{labelColumn}' is missing a value at row {i}. Every row needs a label: drop or fill the row first.", nameof(labelColumn));
        int[] labels;
        IReadOnlyList<string> names;
        if (column.DataType == typeof(string))
        {
            names = classNames ?? raw.Select(v => (string)v!).Distinct().Order(StringComparer.Ordinal).ToArray();
            var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < names.Count; k++) lookup.TryAdd(names[k], k);
            labels = raw.Select((v, i) => lookup.TryGetValue((string)v!, out int y) ? y
                : throw new ArgumentException($"Row {i} has the label '{v}', which is not among classNames ({string.Join(", ", names)}). Pass every class name.", nameof(classNames))).ToArray();
        }
        else if (column.DataType == typeof(int) || column.DataType == typeof(long) || column.DataType == typeof(short) || column.DataType == typeof(byte))
        {
            labels = raw.Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            int max = labels.Length == 0 ? -1 : labels.Max();
            names = classNames ?? Enumerable.Range(0, max + 1).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            throw new ArgumentException(
                $"labelColumn '{labelColumn}' holds {column.DataType.Name} values; labels must be strings (class names) or integers. Convert the column first.",
                nameof(labelColumn));
        }
        var featureNames = frame.Columns.Where((_, j) => j != index).Select(c => c.Name).ToArray();
        var features = DataMatrix.FromDataFrame(frame, featureNames);
        return new Dataset(name, features, labels, names, featureNames, "DataFrame", null);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Count} samples x {Features.Columns} features, {ClassNames.Count} classes ({string.Join(", ", ClassNames.Take(10))}{(ClassNames.Count > 10 ? ", ..." : "")})";
}
