using DimReduce.Datasets;

namespace DimReduce.Preprocessing;

/// <summary>A data set split into training, validation and test parts.</summary>
/// <param name="Train">The training rows.</param>
/// <param name="Validation">The validation rows (0 rows when no validation part was asked for).</param>
/// <param name="Test">The test rows.</param>
/// <param name="Indices">The row indices of each part in the original data set.</param>
public sealed record DatasetSplit(Dataset Train, Dataset Validation, Dataset Test, SplitIndices Indices);
