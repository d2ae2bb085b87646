using System.Globalization;
using System.IO.Compression;

namespace DimReduce.Datasets;

/// <summary>
/// The small real data sets shipped with the course (inside the library and under <c>data/</c>).
/// Source: the UCI Machine Learning Repository, as copied by scikit-learn 1.2.1; licence CC BY 4.0.
/// </summary>
public static class BundledSets
{
    private const string UciLicence = "CC BY 4.0 (UCI Machine Learning Repository)";

    /// <summary>Wine recognition: 178 wines x 13 chemical measurements, 3 cultivars.</summary>
    public static Dataset Wine() => Load("wine", "wine.csv", ["class_0", "class_1", "class_2"],
        "UCI Wine data set (Forina et al.), via scikit-learn 1.2.1 (sklearn/datasets/data/wine_data.csv)");

    /// <summary>Breast cancer Wisconsin (diagnostic): 569 tumours x 30 features; 0 = malignant, 1 = benign.</summary>
    public static Dataset BreastCancer() => Load("breast-cancer", "breast-cancer.csv", ["malignant", "benign"],
        "UCI Breast Cancer Wisconsin (Diagnostic) data set (Wolberg, Street, Mangasarian), via scikit-learn 1.2.1 (sklearn/datasets/data/breast_cancer.csv)");

    /// <summary>Optical recognition of handwritten digits: 1,797 images of 8 x 8 pixels (values 0-16), digits 0-9.</summary>
    public static Dataset Digits() => Load("digits", "digits.csv.gz", Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray(),
        "UCI Optical Recognition of Handwritten Digits (Alpaydin, Kaynak), test set, via scikit-learn 1.2.1 (sklearn/datasets/data/digits.csv.gz)");

    private static Dataset Load(string name, string file, string[] classNames, string source)
    {
        using var raw = typeof(BundledSets).Assembly.GetManifestResourceStream("DimReduce.Data." + file)
            ?? throw new InvalidOperationException($"The bundled data file {file} is missing from the DimReduce assembly.");
        using Stream stream = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(stream);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{file} is empty.")).Split(',');
        var rows = new List<double[]>();
        var labels = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            rows.Add(parts[..^1].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray());
            labels.Add(int.Parse(parts[^1], CultureInfo.InvariantCulture));
        }
        return new Dataset(name, DataMatrix.FromRows(rows), labels, classNames, header[..^1], source, UciLicence);
    }
}
