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

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Count} samples x {Features.Columns} features, {ClassNames.Count} classes ({string.Join(", ", ClassNames.Take(10))}{(ClassNames.Count > 10 ? ", ..." : "")})";
}
