namespace DimReduce.Preprocessing;

/// <summary>Row indices of a train / validation / test split (each part sorted ascending; parts are disjoint).</summary>
/// <param name="Train">Rows for training.</param>
/// <param name="Validation">Rows for validation (empty when no validation part was asked for).</param>
/// <param name="Test">Rows for testing.</param>
/// <param name="SeedUsed">The seed that made the split (the given one, or the one drawn when none was given).</param>
public sealed record SplitIndices(int[] Train, int[] Validation, int[] Test, int SeedUsed);
