namespace DimReduce.Neural;

/// <summary>
/// Per-epoch record of a training run. Lists are indexed by epoch (0-based); validation lists are empty
/// when no validation data was used; the KL lists are empty for a non-variational model.
/// </summary>
public sealed class TrainingHistory
{
    internal List<double> Train { get; } = [];
    internal List<double> Validation { get; } = [];
    internal List<double> TrainRec { get; } = [];
    internal List<double> TrainKl { get; } = [];
    internal List<double> ValidationRec { get; } = [];
    internal List<double> ValidationKl { get; } = [];
    internal List<double> TrainAccuracy { get; } = [];
    internal List<double> ValidationAccuracy { get; } = [];
    internal List<double> Rates { get; } = [];
    internal List<double> KlWeights { get; } = [];

    /// <summary>Mean training loss of each epoch (total loss: reconstruction, weighted KL and penalties).</summary>
    public IReadOnlyList<double> TrainLoss => Train;

    /// <summary>Validation loss after each epoch (reconstruction plus weighted KL; no penalties, no corruption).</summary>
    public IReadOnlyList<double> ValidationLoss => Validation;

    /// <summary>Mean training reconstruction loss of each epoch.</summary>
    public IReadOnlyList<double> TrainReconstruction => TrainRec;

    /// <summary>Mean training KL divergence (unweighted, per sample) of each epoch; VAE only.</summary>
    public IReadOnlyList<double> TrainKlDivergence => TrainKl;

    /// <summary>Validation reconstruction loss after each epoch.</summary>
    public IReadOnlyList<double> ValidationReconstruction => ValidationRec;

    /// <summary>Validation KL divergence (unweighted, per sample) after each epoch; VAE only.</summary>
    public IReadOnlyList<double> ValidationKlDivergence => ValidationKl;

    /// <summary>Share of values whose rounded reconstruction equals the rounded input (for images in [0, 1]), training.</summary>
    public IReadOnlyList<double> TrainRoundedAccuracy => TrainAccuracy;

    /// <summary>Rounded accuracy on the validation data.</summary>
    public IReadOnlyList<double> ValidationRoundedAccuracy => ValidationAccuracy;

    /// <summary>The learning rate used in each epoch.</summary>
    public IReadOnlyList<double> LearningRates => Rates;

    /// <summary>The KL weight (Beta times the annealing factor) of each epoch; VAE only.</summary>
    public IReadOnlyList<double> KlWeight => KlWeights;

    /// <summary>Epochs run.</summary>
    public int Epochs => Train.Count;

    /// <summary>The epoch (0-based) with the lowest monitored loss (validation if any, else training).</summary>
    public int BestEpoch { get; internal set; } = -1;

    /// <summary>True when early stopping ended training before the last epoch.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>True when the weights were restored to those of <see cref="BestEpoch"/>.</summary>
    public bool RestoredBestWeights { get; internal set; }
}
