namespace DimReduce.Neural;

/// <summary>The non-linearity applied after a layer of an autoencoder.</summary>
public enum Activation
{
    /// <summary>1 / (1 + e^-x): outputs in (0, 1); for pixels or MinMax-scaled data at the output.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent: outputs in (-1, 1).</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>max(0.01 x, x).</summary>
    LeakyReLU,
    /// <summary>Scaled exponential linear unit (Klambauer et al. 2017); layers before it get LeCun-normal weights.</summary>
    SELU,
    /// <summary>No non-linearity (identity): for a linear bottleneck or an output for standardised data.</summary>
    Linear,
}

/// <summary>The reconstruction loss an autoencoder is trained with.</summary>
public enum ReconstructionLoss
{
    /// <summary>Mean squared error between the input and its reconstruction.</summary>
    MeanSquaredError,
    /// <summary>Binary cross-entropy; needs targets in [0, 1] and a sigmoid output.</summary>
    BinaryCrossEntropy,
}

/// <summary>The gradient-descent variant used in training.</summary>
public enum NeuralOptimizer
{
    /// <summary>Adam (Kingma and Ba 2015).</summary>
    Adam,
    /// <summary>Stochastic gradient descent with (heavy-ball) momentum.</summary>
    Sgd,
    /// <summary>RMSProp (Tieleman and Hinton 2012).</summary>
    RmsProp,
}

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same rate every epoch.</summary>
    Constant,
    /// <summary>Multiplied by ScheduleGamma every ScheduleStepSize epochs.</summary>
    Step,
    /// <summary>Multiplied by ScheduleGamma every epoch.</summary>
    Exponential,
    /// <summary>Cosine decay from the initial rate to 0 over the epochs (Loshchilov and Hutter 2017, eq. 5, no restarts).</summary>
    Cosine,
}

/// <summary>How the weight of a VAE's KL term grows during training.</summary>
public enum KlAnnealing
{
    /// <summary>Beta from the first epoch.</summary>
    None,
    /// <summary>Linear warm-up from 0 to Beta over KlWarmupEpochs epochs (Bowman et al. 2016).</summary>
    Linear,
    /// <summary>KlCycles cycles; each rises linearly from 0 to Beta over its first half, then stays (Fu et al. 2019).</summary>
    Cyclical,
}

/// <summary>Corruption of the training input for a denoising autoencoder (the target stays clean).</summary>
public enum InputCorruption
{
    /// <summary>No corruption: a plain autoencoder.</summary>
    None,
    /// <summary>Additive Gaussian noise with standard deviation NoiseLevel.</summary>
    Gaussian,
    /// <summary>Masking: each input value is set to 0 with probability NoiseLevel (dropout on the input, unscaled).</summary>
    Masking,
}

/// <summary>Where the network is trained and run.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU (the default; the shipped libtorch package is the CPU build).</summary>
    Cpu,
    /// <summary>A CUDA GPU when libtorch with CUDA is installed and a GPU is present; otherwise the CPU with a warning.</summary>
    Cuda,
}
