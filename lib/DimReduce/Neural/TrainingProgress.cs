namespace DimReduce.Neural;

/// <summary>What a trainer reports after each epoch.</summary>
/// <param name="Epoch">The epoch just finished, 1-based.</param>
/// <param name="Epochs">Epochs asked for.</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="ValidationLoss">Validation loss, or null without validation data.</param>
/// <param name="LearningRate">Learning rate of the epoch.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="Message">A warning or note (early stop, device fallback), or null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, double TrainLoss, double? ValidationLoss, double LearningRate, TimeSpan Elapsed, string? Message = null);
