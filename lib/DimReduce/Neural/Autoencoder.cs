using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;
using MathNet.Numerics.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Neural;

/// <summary>
/// An autoencoder (plain, denoising, sparse or variational) trained with libtorch through TorchSharp. It is an
/// <see cref="IReducer"/>: <see cref="Transform"/> gives the code (a VAE's mean), so a notebook can swap PCA, UMAP
/// and an autoencoder; <see cref="InverseTransform"/> runs the decoder.
/// </summary>
/// <remarks>
/// <para>
/// Training minimises the reconstruction loss of mini-batches (Hinton and Salakhutdinov 2006, "Reducing the
/// Dimensionality of Data with Neural Networks", Science 313). Loss scale: for a plain autoencoder the mean over
/// all values of the batch (Keras' convention); for a VAE the sum over the features of each row, averaged over
/// the batch, plus KlWeight times the KL term -0.5 * sum(1 + log sigma^2 - mu^2 - sigma^2) averaged over the
/// batch (Kingma and Welling 2014, eq. 10 and appendix B), with the reparameterisation z = mu + sigma * eps.
/// </para>
/// <para>
/// Denoising (Vincent et al. 2008, 2010): with <see cref="Corruption"/> set, the encoder sees a corrupted copy
/// of each training batch (Gaussian noise of standard deviation <see cref="NoiseLevel"/>, or masking that zeroes
/// each value with probability NoiseLevel) and the loss compares with the clean batch; validation and
/// <see cref="Transform"/> use clean input. Sparse: <see cref="AutoencoderSpec.CodeActivityL1"/> or a KL sparsity
/// target <see cref="AutoencoderSpec.SparsityTarget"/>.
/// </para>
/// <para>
/// Validation: <see cref="ValidationFraction"/> holds out a seeded random share of the rows before training;
/// those rows are never used to update weights (unlike examples that validate on the training data).
/// Early stopping (<see cref="Patience"/>) monitors the validation loss (the training loss without validation
/// data) and, with <see cref="RestoreBestWeights"/>, restores the weights of the best epoch.
/// </para>
/// <para>
/// Determinism: weights are initialised from a local torch generator seeded with <see cref="Seed"/>; shuffling,
/// noise, dropout and VAE samples draw from seeded local streams too, never from torch's global state. On the
/// same machine and thread count the same seed gives the same weights (libtorch's CPU kernels are deterministic
/// for these layers).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var ae = new Autoencoder { Spec = AutoencoderSpec.Wine(standardized: true), Epochs = 200, Seed = 42 };
/// var codes = ae.FitTransform(scaled);
/// var vae = new Autoencoder { Spec = AutoencoderSpec.ConvolutionalVae(), Loss = ReconstructionLoss.BinaryCrossEntropy, Epochs = 30 };
/// </code>
/// </example>
[ModelType("Autoencoder")]
public sealed class Autoencoder : IReducer, IInvertibleTransformer, IStateful, IDisposable
{
    /// <summary>Default option values.</summary>
    public static class Defaults
    {
        /// <summary>Epochs: 20.</summary>
        public const int Epochs = 20;
        /// <summary>Batch size: 32 (Keras' default).</summary>
        public const int BatchSize = 32;
        /// <summary>Learning rate: 0.001 (Adam's usual rate).</summary>
        public const double LearningRate = 1e-3;
        /// <summary>Momentum for SGD (and RMSProp): 0.9.</summary>
        public const double Momentum = 0.9;
        /// <summary>Step schedule: every 10 epochs.</summary>
        public const int ScheduleStepSize = 10;
        /// <summary>Decay factor of the step and exponential schedules: 0.5.</summary>
        public const double ScheduleGamma = 0.5;
        /// <summary>Beta (KL weight) of a VAE: 1.</summary>
        public const double Beta = 1.0;
        /// <summary>Warm-up epochs of linear KL annealing: 10.</summary>
        public const int KlWarmupEpochs = 10;
        /// <summary>Cycles of cyclical KL annealing: 4.</summary>
        public const int KlCycles = 4;
        /// <summary>Noise level of a denoising autoencoder: 0.3.</summary>
        public const double NoiseLevel = 0.3;
    }

    private const int InferenceBatch = Reconstruction.InferenceBatch;

    /// <summary>The architecture (required).</summary>
    public AutoencoderSpec Spec { get; init; } = null!;
    /// <summary>Passes over the training data, 1 to 100,000 (default 20).</summary>
    public int Epochs { get; init; } = Defaults.Epochs;
    /// <summary>Rows per mini-batch, at least 1 (default 32).</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;
    /// <summary>Initial learning rate, greater than 0 (default 0.001).</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;
    /// <summary>Optimiser (default Adam).</summary>
    public NeuralOptimizer Optimizer { get; init; } = NeuralOptimizer.Adam;
    /// <summary>Momentum of SGD and RMSProp, 0 to below 1 (default 0.9).</summary>
    public double Momentum { get; init; } = Defaults.Momentum;
    /// <summary>L2 weight decay added by the optimiser, 0 or more (default 0).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Learning-rate schedule (default Constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>Epochs between decays of the step schedule, at least 1 (default 10).</summary>
    public int ScheduleStepSize { get; init; } = Defaults.ScheduleStepSize;
    /// <summary>Decay factor of the step and exponential schedules, in (0, 1] (default 0.5).</summary>
    public double ScheduleGamma { get; init; } = Defaults.ScheduleGamma;
    /// <summary>Reconstruction loss (default MeanSquaredError; BinaryCrossEntropy for images with a sigmoid output).</summary>
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.MeanSquaredError;
    /// <summary>Share of rows held out for validation, 0 (default) to 0.9; ignored when validation data is passed to Fit.</summary>
    public double ValidationFraction { get; init; }
    /// <summary>Early stopping: epochs without improvement before training stops; null (default) is off.</summary>
    public int? Patience { get; init; }
    /// <summary>Smallest decrease of the monitored loss that counts as an improvement (default 0).</summary>
    public double MinDelta { get; init; }
    /// <summary>With early stopping, restore the weights of the best epoch at the end (default true).</summary>
    public bool RestoreBestWeights { get; init; } = true;
    /// <summary>Input corruption for a denoising autoencoder (default None).</summary>
    public InputCorruption Corruption { get; init; } = InputCorruption.None;
    /// <summary>Noise standard deviation (Gaussian) or masking probability (Masking) (default 0.3).</summary>
    public double NoiseLevel { get; init; } = Defaults.NoiseLevel;
    /// <summary>VAE: weight of the KL term (beta-VAE, Higgins et al. 2017), 0 or more (default 1).</summary>
    public double Beta { get; init; } = Defaults.Beta;
    /// <summary>VAE: KL annealing schedule (default None).</summary>
    public KlAnnealing KlAnnealing { get; init; } = KlAnnealing.None;
    /// <summary>VAE: warm-up epochs of linear annealing (default 10).</summary>
    public int KlWarmupEpochs { get; init; } = Defaults.KlWarmupEpochs;
    /// <summary>VAE: cycles of cyclical annealing (default 4).</summary>
    public int KlCycles { get; init; } = Defaults.KlCycles;
    /// <summary>Where to train (default Cpu). Cuda falls back to the CPU, with a warning, when CUDA is not available.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    /// <summary>Seed for weights, shuffling, noise, dropout and VAE samples; null draws one (see <see cref="SeedUsed"/>).</summary>
    public int? Seed { get; init; }

    private AutoencoderNetwork? _net;
    private Device _device = CPU;
    private TrainingHistory? _history;
    private readonly List<string> _warnings = [];
    private int _seedUsed;

    /// <summary>Per-epoch losses of the last Fit.</summary>
    public TrainingHistory History { get { Check.Fitted(_net is not null && _history is not null, nameof(Autoencoder), nameof(History)); return _history!; } }
    /// <summary>The seed used by the last Fit.</summary>
    public int SeedUsed { get { Check.Fitted(_net is not null, nameof(Autoencoder), nameof(SeedUsed)); return _seedUsed; } }
    /// <summary>Recoverable oddities of the last Fit (device fallback, divergence), with a remedy.</summary>
    public IReadOnlyList<string> Warnings => _warnings;
    /// <summary>"cpu" or "cuda": where the model ran.</summary>
    public string DeviceUsed => _device.type == DeviceType.CUDA ? "cuda" : "cpu";
    /// <summary>True after Fit or Load.</summary>
    public bool IsFitted => _net is not null;

    // ---------------------------------------------------------------- fitting

    /// <summary>Trains on <paramref name="x"/> (rows of Spec.InputSize values); returns this instance, so <c>History</c> reads straight after.</summary>
    public Autoencoder Fit(DataMatrix x) => Fit(x, null, null, default);

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Replaces the seeded initial weights before training (the PyTorch reference tests start both sides from the same weights).</summary>
    internal Action<AutoencoderNetwork>? InitialWeights { get; init; }

    /// <summary>The trained network, for tests that read its parameters.</summary>
    internal AutoencoderNetwork? Network => _net;

    /// <summary>Trains on <paramref name="x"/>; validates on <paramref name="validation"/> when given (else on a ValidationFraction share of x).</summary>
    /// <param name="x">Training rows.</param>
    /// <param name="validation">Explicit validation rows, or null.</param>
    /// <param name="progress">Receives a report after each epoch.</param>
    /// <param name="cancellationToken">Stops training between mini-batches (throws OperationCanceledException).</param>
    public Autoencoder Fit(DataMatrix x, DataMatrix? validation, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckOptions();
        CheckInput(x, nameof(x));
        if (validation is not null) CheckInput(validation, nameof(validation));

        _warnings.Clear();
        _seedUsed = Seeds.Resolve(Seed);
        var device = ResolveDevice(progress);
        var (trainRows, validationRows) = SplitRows(x, validation, _seedUsed);

        _net?.Dispose();
        _net = null;
        var net = new AutoencoderNetwork(Spec, Seeds.Mix(_seedUsed, 1), device);
        try
        {
            InitialWeights?.Invoke(net);
            _history = Train(net, trainRows, validationRows, device, progress, cancellationToken);
        }
        catch
        {
            net.Dispose();
            throw;
        }
        _net = net;
        _device = device;
        return this;
    }

    /// <summary>Fits, then returns the codes of <paramref name="x"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x)
    {
        Fit(x);
        return Transform(x);
    }

    private void CheckOptions()
    {
        if (Spec is null) throw new ArgumentNullException(nameof(Spec), "Spec is null. Set Spec, for example AutoencoderSpec.Wine(standardized: true).");
        Spec.Validate();
        Check.Range(Epochs, 1, 100_000, nameof(Epochs), "Use for example 20.");
        Check.Range(BatchSize, 1, 1_000_000, nameof(BatchSize), "Use for example 32 or 256.");
        Check.Positive(LearningRate, nameof(LearningRate), "Use for example 0.001 for Adam or 0.01 for SGD.");
        Check.Range(Momentum, 0, 0.999999, nameof(Momentum), "Use for example 0.9.");
        Check.Range(WeightDecay, 0, 1e6, nameof(WeightDecay), "Use for example 1e-5, or 0 for none.");
        Check.Range(ScheduleStepSize, 1, 100_000, nameof(ScheduleStepSize), "Use for example 10.");
        if (!(ScheduleGamma > 0 && ScheduleGamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(ScheduleGamma), ScheduleGamma, F($"ScheduleGamma is {ScheduleGamma}, but it must be above 0 and at most 1 (a decay factor). Use for example 0.5 for Step or 0.95 for Exponential."));
        Check.Range(ValidationFraction, 0, 0.9, nameof(ValidationFraction), "Use for example 0.2, or 0 for no validation.");
        if (Patience is { } p) Check.Range(p, 1, 100_000, nameof(Patience), "Use for example 5, or null to train all epochs.");
        Check.Range(MinDelta, 0, double.MaxValue, nameof(MinDelta), "Use 0 or a small positive number.");
        Check.Range(NoiseLevel, 0, Corruption == InputCorruption.Masking ? 1 : 1e6, nameof(NoiseLevel), "Use for example 0.3 (a standard deviation for Gaussian noise, a probability for masking).");
        Check.Range(Beta, 0, 1e6, nameof(Beta), "Use 1 for a standard VAE.");
        Check.Range(KlWarmupEpochs, 1, 100_000, nameof(KlWarmupEpochs), "Use for example 10.");
        Check.Range(KlCycles, 1, 100_000, nameof(KlCycles), "Use for example 4.");
        if (KlAnnealing == KlAnnealing.Cyclical && Epochs < 2 * KlCycles)
            throw new ArgumentOutOfRangeException(nameof(KlCycles), KlCycles, F(
                $"KlCycles is {KlCycles}, but with Epochs = {Epochs} a cycle would last under two epochs: the weight is set once per epoch and starts every cycle at 0, so the KL term would be (almost) never on. Use at most Epochs / 2 = {Math.Max(1, Epochs / 2)} cycles, more epochs, or KlAnnealing.Linear."));
        if (Loss == ReconstructionLoss.BinaryCrossEntropy && Spec.OutputActivation != Activation.Sigmoid)
            throw new ArgumentException(
                $"Loss is BinaryCrossEntropy, which needs outputs in (0, 1), but Spec.OutputActivation is {Spec.OutputActivation}. Set OutputActivation to Activation.Sigmoid, or use ReconstructionLoss.MeanSquaredError.",
                nameof(Loss));
    }

    private void CheckInput(DataMatrix x, string name)
    {
        Check.Data(x, name);
        if (x.Columns != Spec.InputSize)
            throw new ArgumentException(
                $"{name} has {x.Columns} features, but Spec.InputSize is {Spec.InputSize}. Pass rows of {Spec.InputSize} values, or build the spec with InputSize = {x.Columns}.",
                name);
        bool needsUnit = Spec.OutputActivation == Activation.Sigmoid || Loss == ReconstructionLoss.BinaryCrossEntropy;
        if (needsUnit)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in x.AsSpan()) { if (v < min) min = v; if (v > max) max = v; }
            if (min < 0 || max > 1)
            {
                string why = Spec.OutputActivation == Activation.Sigmoid
                    ? "Spec.OutputActivation is Sigmoid, which can only output values in (0, 1)"
                    : "Loss is BinaryCrossEntropy, which needs targets in [0, 1]";
                throw new ArgumentException(
                    F($"{name} has values from {min:G6} to {max:G6} (outside [0, 1]), but {why}, so it cannot reconstruct them (standardised data has negative values). Scale the data to [0, 1] with MinMaxScaler, or use OutputActivation = Activation.Linear with MeanSquaredError for standardised data."),
                    name);
            }
        }
    }

    private Device ResolveDevice(IProgress<TrainingProgress>? progress)
    {
        if (Device == ComputeDevice.Cpu) return CPU;
        TorchRuntime.EnsureLoaded();
        if (cuda.is_available()) return CUDA;
        const string message = "Device is Cuda, but CUDA is not available to libtorch here (the shipped libtorch package is the CPU-only build, or no GPU is present); training ran on the CPU. Reference a libtorch-cuda package and run on a machine with an NVIDIA GPU to use it.";
        _warnings.Add(message);
        progress?.Report(new TrainingProgress(0, Epochs, double.NaN, null, LearningRate, TimeSpan.Zero, message));
        return CPU;
    }

    private (DataMatrix Train, DataMatrix? Validation) SplitRows(DataMatrix x, DataMatrix? validation, int seed)
    {
        if (validation is not null || ValidationFraction == 0) return (x, validation);
        int n = x.Rows;
        int nVal = (int)Math.Round(ValidationFraction * n);
        if (nVal < 1 || n - nVal < 1)
            throw new ArgumentException(
                F($"ValidationFraction {ValidationFraction} of {n} rows leaves {nVal} validation and {n - nVal} training rows; both need at least one. Pass more rows or change ValidationFraction."),
                nameof(ValidationFraction));
        var order = Enumerable.Range(0, n).ToArray();
        Seeds.Create(seed, 11).Shuffle(order);
        var val = order[..nVal];
        var train = order[nVal..];
        Array.Sort(val);
        Array.Sort(train);
        return (x.SelectRows(train), x.SelectRows(val));
    }

    // ---------------------------------------------------------------- training

    internal double LearningRateAt(int epoch) => Schedule switch
    {
        LearningRateSchedule.Step => LearningRate * Math.Pow(ScheduleGamma, epoch / ScheduleStepSize),
        LearningRateSchedule.Exponential => LearningRate * Math.Pow(ScheduleGamma, epoch),
        LearningRateSchedule.Cosine => 0.5 * LearningRate * (1 + Math.Cos(Math.PI * epoch / Epochs)),
        _ => LearningRate,
    };

    private optim.Optimizer CreateOptimizer(AutoencoderNetwork net, double rate) => Optimizer switch
    {
        NeuralOptimizer.Sgd => optim.SGD(net.parameters(), rate, momentum: Momentum, weight_decay: WeightDecay),
        NeuralOptimizer.RmsProp => optim.RMSProp(net.parameters(), rate, weight_decay: WeightDecay),
        _ => optim.Adam(net.parameters(), rate, weight_decay: WeightDecay),
    };

    private static void SetRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }

    /// <summary>The losses of one batch: total (for the gradient), reconstruction, KL (VAE) and rounded accuracy.</summary>
    internal (Tensor Total, Tensor Reconstruction, Tensor? Kl, Tensor Reconstructed) BatchLoss(
        AutoencoderNetwork net, Tensor clean, Tensor input, double klWeight, Generator generator, bool sample, bool penalties)
    {
        var activations = penalties && (Spec.EncoderActivityL1 > 0 || Spec.CodeActivityL1 > 0 || Spec.SparsityTarget is not null) ? new List<Tensor>() : null;
        var (code, logVar) = net.Encode(input, activations);
        Tensor? kl = null;
        Tensor z = code;
        if (Spec.Variational)
        {
            if (sample)
            {
                using var eps0 = randn(code.shape, dtype: code.dtype, generator: generator);
                var eps = eps0.to(code.device);
                z = code + (0.5 * logVar!).exp() * eps;
            }
            kl = VariationalMath.KlPerSample(code, logVar!).mean();
        }
        var reconstructed = net.Decode(z);
        Tensor rec;
        if (Spec.Variational)
        {
            rec = Loss == ReconstructionLoss.BinaryCrossEntropy
                ? nn.functional.binary_cross_entropy(reconstructed, clean, reduction: nn.Reduction.None).sum(1).mean()
                : (reconstructed - clean).square().sum(1).mean();
        }
        else
        {
            rec = Loss == ReconstructionLoss.BinaryCrossEntropy
                ? nn.functional.binary_cross_entropy(reconstructed, clean)
                : nn.functional.mse_loss(reconstructed, clean);
        }
        var total = kl is null ? rec : rec + klWeight * kl;
        if (activations is not null)
        {
            if (Spec.EncoderActivityL1 > 0)
                foreach (var a in activations) total = total + Spec.EncoderActivityL1 * a.abs().sum(1).mean();
            if (Spec.CodeActivityL1 > 0) total = total + Spec.CodeActivityL1 * activations[^1].abs().sum(1).mean();
            if (Spec.SparsityTarget is { } rho)
            {
                // KL(rho || rho_hat_j) summed over code units, rho_hat_j the batch mean activation (Ng 2011, eq. in section 2.3).
                var rhoHat = activations[^1].mean([0]).clamp(1e-6, 1 - 1e-6);
                var sparsity = (rho * (rho / rhoHat).log() + (1 - rho) * ((1 - rho) / (1 - rhoHat)).log()).sum();
                total = total + Spec.SparsityWeight * sparsity;
            }
        }
        return (total, rec, kl, reconstructed);
    }

    private Tensor Corrupt(Tensor clean, Generator generator)
    {
        if (Corruption == InputCorruption.None || NoiseLevel == 0) return clean;
        if (Corruption == InputCorruption.Gaussian)
        {
            using var n = randn(clean.shape, dtype: clean.dtype, generator: generator);
            return clean + NoiseLevel * n.to(clean.device);
        }
        using var u = rand(clean.shape, dtype: clean.dtype, generator: generator);
        using var keep = u.ge(NoiseLevel).to_type(clean.dtype);
        return clean * keep.to(clean.device);
    }

    private TrainingHistory Train(AutoencoderNetwork net, DataMatrix trainRows, DataMatrix? validationRows, Device device,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var history = new TrainingHistory();
        var clock = Stopwatch.StartNew();
        using var xTrain = ToDevice(trainRows, device);
        using var xVal = validationRows is null ? null : ToDevice(validationRows, device);
        using var generator = new Generator((ulong)Seeds.Mix(_seedUsed, 2), CPU);
        using var optimizer = CreateOptimizer(net, LearningRate);
        var shuffle = Seeds.Create(_seedUsed, 3);
        int n = trainRows.Rows;
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();

        double best = double.PositiveInfinity;
        int sinceBest = 0;
        Dictionary<string, Tensor>? bestState = null;
        try
        {
            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                double rate = LearningRateAt(epoch);
                SetRate(optimizer, rate);
                double klWeight = Spec.Variational ? VariationalMath.KlWeight(KlAnnealing, epoch, Epochs, Beta, KlWarmupEpochs, KlCycles) : 0;
                net.train();
                shuffle.Shuffle(order);
                double sumTotal = 0, sumRec = 0, sumKl = 0, sumAcc = 0;
                int seen = 0;
                for (int start = 0; start < n; start += BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int count = Math.Min(BatchSize, n - start);
                    if (count == 1 && Spec.BatchNorm && n > 1) continue; // batch norm cannot train on a single row
                    using var scope = NewDisposeScope();
                    var index = tensor(order.AsSpan(start, count).ToArray(), device: device);
                    var clean = xTrain.index_select(0, index);
                    var input = Corrupt(clean, generator);
                    var (total, rec, kl, reconstructed) = BatchLoss(net, clean, input, klWeight, generator, sample: true, penalties: true);
                    optimizer.zero_grad();
                    total.backward();
                    optimizer.step();
                    double t = total.item<float>();
                    sumTotal += t * count;
                    sumRec += rec.item<float>() * count;
                    if (kl is not null) sumKl += kl.item<float>() * count;
                    sumAcc += RoundedAccuracy(reconstructed, clean) * count;
                    seen += count;
                }
                double trainLoss = sumTotal / seen;
                history.Train.Add(trainLoss);
                history.TrainRec.Add(sumRec / seen);
                if (Spec.Variational) { history.TrainKl.Add(sumKl / seen); history.KlWeights.Add(klWeight); }
                history.TrainAccuracy.Add(sumAcc / seen);
                history.Rates.Add(rate);

                double? valLoss = null;
                if (xVal is not null)
                {
                    var (vTotal, vRec, vKl, vAcc) = Evaluate(net, xVal, klWeight);
                    valLoss = vTotal;
                    history.Validation.Add(vTotal);
                    history.ValidationRec.Add(vRec);
                    if (Spec.Variational) history.ValidationKl.Add(vKl);
                    history.ValidationAccuracy.Add(vAcc);
                }

                string? message = null;
                if (!double.IsFinite(trainLoss))
                {
                    message = F($"The training loss became {trainLoss} in epoch {epoch + 1}; training stopped. Lower LearningRate (for example by a factor of 10) or scale the data.");
                    _warnings.Add(message);
                    progress?.Report(new TrainingProgress(epoch + 1, Epochs, trainLoss, valLoss, rate, clock.Elapsed, message));
                    break;
                }

                double monitored = valLoss ?? trainLoss;
                if (monitored < best - MinDelta)
                {
                    best = monitored;
                    history.BestEpoch = epoch;
                    sinceBest = 0;
                    if (Patience is not null && RestoreBestWeights)
                    {
                        DisposeState(bestState);
                        bestState = Snapshot(net);
                    }
                }
                else sinceBest++;

                if (Patience is { } patience && sinceBest >= patience && epoch < Epochs - 1)
                {
                    history.StoppedEarly = true;
                    message = F($"Early stop after epoch {epoch + 1}: no improvement for {patience} epochs; best epoch {history.BestEpoch + 1}.");
                }
                progress?.Report(new TrainingProgress(epoch + 1, Epochs, trainLoss, valLoss, rate, clock.Elapsed, message));
                if (history.StoppedEarly) break;
            }
            if (bestState is not null && history.BestEpoch != history.Epochs - 1)
            {
                Restore(net, bestState);
                history.RestoredBestWeights = true;
            }
        }
        finally
        {
            DisposeState(bestState);
        }
        net.eval();
        return history;
    }

    private (double Total, double Rec, double Kl, double Accuracy) Evaluate(AutoencoderNetwork net, Tensor x, double klWeight)
    {
        net.eval();
        using var noGrad = no_grad();
        long n = x.shape[0];
        double total = 0, rec = 0, kl = 0, acc = 0;
        for (long start = 0; start < n; start += InferenceBatch)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(InferenceBatch, n - start);
            var batch = x.narrow(0, start, count);
            var (t, r, k, reconstructed) = BatchLoss(net, batch, batch, klWeight, null!, sample: false, penalties: false);
            total += t.item<float>() * count;
            rec += r.item<float>() * count;
            if (k is not null) kl += k.item<float>() * count;
            acc += RoundedAccuracy(reconstructed, batch) * count;
        }
        return (total / n, rec / n, kl / n, acc / n);
    }

    private static double RoundedAccuracy(Tensor reconstructed, Tensor clean)
    {
        using var scope = NewDisposeScope();
        return reconstructed.detach().round().eq(clean.round()).to_type(ScalarType.Float32).mean().item<float>();
    }

    private static Dictionary<string, Tensor> Snapshot(AutoencoderNetwork net)
    {
        using var noGrad = no_grad();
        return net.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
    }

    private static void Restore(AutoencoderNetwork net, Dictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in net.state_dict()) value.copy_(state[name]);
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
    }

    private static Tensor ToDevice(DataMatrix x, Device device)
    {
        var t = x.ToTensor(ScalarType.Float32);
        if (device.type == DeviceType.CPU) return t;
        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    // ---------------------------------------------------------------- learning-rate finder

    /// <summary>
    /// Learning-rate range test: from the initial weights (of <see cref="Seed"/>), one mini-batch step at each of
    /// <paramref name="steps"/> rates growing geometrically from <paramref name="minRate"/> to <paramref name="maxRate"/>,
    /// recording the loss. The model itself is not changed (a separate network is trained).
    /// </summary>
    /// <param name="x">Training rows.</param>
    /// <param name="minRate">First rate, greater than 0 (default 1e-6).</param>
    /// <param name="maxRate">Last rate, greater than minRate (default 1).</param>
    /// <param name="steps">Number of rates (and mini-batch steps), 2 to 100,000 (default 100).</param>
    public LearningRateCurve FindLearningRate(DataMatrix x, double minRate = 1e-6, double maxRate = 1.0, int steps = 100)
    {
        CheckOptions();
        CheckInput(x, nameof(x));
        Check.Positive(minRate, nameof(minRate), "Use for example 1e-6.");
        if (!(maxRate > minRate) || !double.IsFinite(maxRate))
            throw new ArgumentOutOfRangeException(nameof(maxRate), maxRate, F($"maxRate is {maxRate}, but it must be finite and greater than minRate ({minRate}). Use for example 1."));
        Check.Range(steps, 2, 100_000, nameof(steps), "Use for example 100.");
        int seed = Seeds.Resolve(Seed);
        using var net = new AutoencoderNetwork(Spec, Seeds.Mix(seed, 1), CPU);
        using var data = ToDevice(x, CPU);
        using var generator = new Generator((ulong)Seeds.Mix(seed, 2), CPU);
        using var optimizer = CreateOptimizer(net, minRate);
        var shuffle = Seeds.Create(seed, 3);
        int n = x.Rows;
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        shuffle.Shuffle(order);
        var rates = new double[steps];
        var losses = new double[steps];
        var smooth = new double[steps];
        double avg = 0;
        int position = 0;
        net.train();
        for (int k = 0; k < steps; k++)
        {
            double rate = minRate * Math.Pow(maxRate / minRate, k / (double)(steps - 1));
            rates[k] = rate;
            SetRate(optimizer, rate);
            if (position >= n) { shuffle.Shuffle(order); position = 0; }
            int count = Math.Min(BatchSize, n - position);
            using var scope = NewDisposeScope();
            var index = tensor(order.AsSpan(position, count).ToArray());
            position += count;
            var clean = data.index_select(0, index);
            var (total, _, _, _) = BatchLoss(net, clean, Corrupt(clean, generator), Spec.Variational ? Beta : 0, generator, sample: true, penalties: true);
            optimizer.zero_grad();
            total.backward();
            optimizer.step();
            double loss = total.item<float>();
            losses[k] = loss;
            avg = 0.9 * avg + 0.1 * loss;
            smooth[k] = avg / (1 - Math.Pow(0.9, k + 1));
        }
        int bestK = 0;
        for (int k = 1; k < steps; k++)
            if (double.IsFinite(smooth[k]) && (!double.IsFinite(smooth[bestK]) || smooth[k] < smooth[bestK])) bestK = k;
        return new LearningRateCurve(rates, losses, smooth, rates[bestK] / 10);
    }

    // ---------------------------------------------------------------- use

    /// <summary>The codes of <paramref name="x"/> (a VAE's posterior mean).</summary>
    public DataMatrix Transform(DataMatrix x) => Encode(x);

    /// <summary>The decoder's output for codes <paramref name="z"/>.</summary>
    public DataMatrix InverseTransform(DataMatrix z) => Decode(z);

    /// <summary>The codes of <paramref name="x"/> (a VAE's posterior mean).</summary>
    public DataMatrix Encode(DataMatrix x)
    {
        var net = Fitted(nameof(Encode));
        Check.Features(x, Spec.InputSize, nameof(x), nameof(Autoencoder));
        return Batched(x, t => net.Encode(t).Code);
    }

    /// <summary>A VAE's posterior for each row: mean, log-variance and one sample drawn with <paramref name="seed"/>.</summary>
    public LatentEncoding EncodeDistribution(DataMatrix x, int? seed = null)
    {
        var net = Fitted(nameof(EncodeDistribution));
        if (!Spec.Variational)
            throw new InvalidOperationException("EncodeDistribution needs a variational model (Spec.Variational = true); use Encode for a plain autoencoder.");
        Check.Features(x, Spec.InputSize, nameof(x), nameof(Autoencoder));
        var mean = Batched(x, t => net.Encode(t).Code);
        var logVar = Batched(x, t => net.Encode(t).LogVariance!);
        using var generator = new Generator((ulong)Seeds.Resolve(seed), CPU);
        using var eps = randn([x.Rows, Spec.CodeSize], dtype: ScalarType.Float64, generator: generator);
        using var mu = mean.ToTensor();
        using var lv = logVar.ToTensor();
        using var z = mu + (0.5 * lv).exp() * eps;
        return new LatentEncoding(mean, logVar, DataMatrix.FromTensor(z));
    }

    /// <summary>The decoder's output for codes <paramref name="z"/> (rows of Spec.CodeSize values).</summary>
    public DataMatrix Decode(DataMatrix z)
    {
        var net = Fitted(nameof(Decode));
        Check.Features(z, Spec.CodeSize, nameof(z), "Autoencoder decoder");
        return Batched(z, net.Decode);
    }

    /// <summary>Encode then decode (a VAE uses its mean).</summary>
    public DataMatrix Reconstruct(DataMatrix x)
    {
        var net = Fitted(nameof(Reconstruct));
        Check.Features(x, Spec.InputSize, nameof(x), nameof(Autoencoder));
        return Batched(x, net.forward);
    }

    /// <summary>Per-row mean squared reconstruction error, the usual anomaly score.</summary>
    public double[] ReconstructionErrors(DataMatrix x)
    {
        return Reconstruction.Errors(x, Reconstruct(x));
    }

    /// <summary>
    /// An anomaly threshold: the <paramref name="quantile"/> (default 0.99) of the reconstruction errors of
    /// <paramref name="x"/> (normally the training rows), linear interpolation between order statistics (numpy's default).
    /// </summary>
    public double AnomalyThreshold(DataMatrix x, double quantile = 0.99)
    {
        return Reconstruction.Quantile(ReconstructionErrors(x), quantile);
    }

    /// <summary>True for each row whose reconstruction error exceeds <paramref name="threshold"/>.</summary>
    public bool[] IsAnomaly(DataMatrix x, double threshold) => ReconstructionErrors(x).Select(e => e > threshold).ToArray();

    /// <summary>
    /// Decodes a <paramref name="perSide"/> x <paramref name="perSide"/> grid over a 2-D latent space. The coordinates are
    /// quantiles of the standard normal prior at probabilities evenly spaced from <paramref name="lowProbability"/> to
    /// 1 - lowProbability (default 0.05: -1.64 to 1.64 standard deviations), so the grid covers the bulk of the prior
    /// rather than one standard deviation (as some course material does).
    /// </summary>
    public LatentGrid DecodeLatentGrid(int perSide = 15, double lowProbability = 0.05)
    {
        Fitted(nameof(DecodeLatentGrid));
        if (Spec.CodeSize != 2)
            throw new InvalidOperationException($"DecodeLatentGrid needs a 2-D code, but Spec.CodeSize is {Spec.CodeSize}. Use a spec with CodeSize = 2.");
        Check.Range(perSide, 2, 200, nameof(perSide), "Use for example 15.");
        if (!(lowProbability > 0 && lowProbability < 0.5))
            throw new ArgumentOutOfRangeException(nameof(lowProbability), lowProbability, F($"lowProbability is {lowProbability}, but it must lie between 0 and 0.5 (exclusive). Use for example 0.05."));
        var values = new double[perSide];
        for (int k = 0; k < perSide; k++)
            values[k] = Normal.InvCDF(0, 1, lowProbability + (1 - 2 * lowProbability) * k / (perSide - 1));
        var latents = new DataMatrix(perSide * perSide, 2);
        for (int r = 0; r < perSide; r++)
            for (int c = 0; c < perSide; c++)
            {
                latents[r * perSide + c, 0] = values[c];
                latents[r * perSide + c, 1] = values[perSide - 1 - r]; // top row = largest second coordinate
            }
        return new LatentGrid(latents, Decode(latents), perSide, values);
    }

    /// <summary>
    /// The first layer's weights with their signs, one row per unit (dense: units x inputs) or per filter
    /// (convolutional: filters x channels*k*k). A large negative weight matters as much as a large positive one.
    /// </summary>
    public DataMatrix FirstLayerWeights()
    {
        var net = Fitted(nameof(FirstLayerWeights));
        using var scope = NewDisposeScope();
        var w = net.FirstWeight();
        return DataMatrix.FromTensor(w.reshape(w.shape[0], -1));
    }

    private AutoencoderNetwork Fitted(string member)
    {
        Check.Fitted(_net is not null, nameof(Autoencoder), member);
        return _net!;
    }

    private DataMatrix Batched(DataMatrix x, Func<Tensor, Tensor> f) => Reconstruction.Batched(_net!, x, _device, f);

    // ---------------------------------------------------------------- persistence

    /// <summary>Writes the model (spec, options, history and the weights via TorchSharp's module state) to one file, atomically.</summary>
    /// <remarks>The weights are TorchSharp's <c>Module.save</c> stream, stored base64-encoded inside the JSON model file, so a
    /// model (or a pipeline holding one) is one file written to a temporary name and moved into place.</remarks>
    public void Save(string path)
    {
        Fitted(nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; it gives the same outputs as the saved one.</summary>
    public static Autoencoder Load(string path) => ModelFile.Load<Autoencoder>(path);

    JsonObject IStateful.GetState()
    {
        var net = Fitted(nameof(Save));
        using var stream = new MemoryStream();
        if (_device.type == DeviceType.CPU) net.save(stream);
        else
        {
            net.to(CPU);
            try { net.save(stream); } finally { net.to(_device); }
        }
        var h = _history;
        return new JsonObject
        {
            ["spec"] = Spec.ToNode(),
            ["options"] = new JsonObject
            {
                ["epochs"] = Epochs, ["batchSize"] = BatchSize, ["learningRate"] = LearningRate,
                ["optimizer"] = Optimizer.ToString(), ["momentum"] = Momentum, ["weightDecay"] = WeightDecay,
                ["schedule"] = Schedule.ToString(), ["scheduleStepSize"] = ScheduleStepSize, ["scheduleGamma"] = ScheduleGamma,
                ["loss"] = Loss.ToString(), ["validationFraction"] = ValidationFraction, ["patience"] = Patience,
                ["minDelta"] = MinDelta, ["restoreBestWeights"] = RestoreBestWeights, ["corruption"] = Corruption.ToString(),
                ["noiseLevel"] = NoiseLevel, ["beta"] = Beta, ["klAnnealing"] = KlAnnealing.ToString(),
                ["klWarmupEpochs"] = KlWarmupEpochs, ["klCycles"] = KlCycles, ["seed"] = Seed,
            },
            ["seedUsed"] = _seedUsed,
            ["trainLoss"] = State.Array(h?.TrainLoss ?? []),
            ["validationLoss"] = State.Array(h?.ValidationLoss ?? []),
            ["weights"] = Convert.ToBase64String(stream.ToArray()),
        };
    }

    internal static Autoencoder FromState(JsonObject state)
    {
        var spec = AutoencoderSpec.FromJson(state["spec"]!.ToJsonString());
        var o = state["options"] as JsonObject ?? throw new InvalidDataException("The Autoencoder state has no \"options\".");
        var model = new Autoencoder
        {
            Spec = spec,
            Epochs = (int)o["epochs"]!, BatchSize = (int)o["batchSize"]!, LearningRate = (double)o["learningRate"]!,
            Optimizer = Enum.Parse<NeuralOptimizer>((string)o["optimizer"]!), Momentum = (double)o["momentum"]!,
            WeightDecay = (double)o["weightDecay"]!, Schedule = Enum.Parse<LearningRateSchedule>((string)o["schedule"]!),
            ScheduleStepSize = (int)o["scheduleStepSize"]!, ScheduleGamma = (double)o["scheduleGamma"]!,
            Loss = Enum.Parse<ReconstructionLoss>((string)o["loss"]!), ValidationFraction = (double)o["validationFraction"]!,
            Patience = (int?)o["patience"], MinDelta = (double)o["minDelta"]!, RestoreBestWeights = (bool)o["restoreBestWeights"]!,
            Corruption = Enum.Parse<InputCorruption>((string)o["corruption"]!), NoiseLevel = (double)o["noiseLevel"]!,
            Beta = (double)o["beta"]!, KlAnnealing = Enum.Parse<KlAnnealing>((string)o["klAnnealing"]!),
            KlWarmupEpochs = (int)o["klWarmupEpochs"]!, KlCycles = (int)o["klCycles"]!, Seed = (int?)o["seed"],
        };
        spec.Validate();
        model._seedUsed = (int)state["seedUsed"]!;
        var history = new TrainingHistory();
        history.Train.AddRange(State.Doubles(state["trainLoss"], "trainLoss"));
        history.Validation.AddRange(State.Doubles(state["validationLoss"], "validationLoss"));
        model._history = history;
        var bytes = Convert.FromBase64String((string?)state["weights"] ?? throw new InvalidDataException("The Autoencoder state has no \"weights\"."));
        var net = new AutoencoderNetwork(spec, 0, CPU);
        using (var stream = new MemoryStream(bytes)) net.load(stream);
        net.eval();
        model._net = net;
        return model;
    }

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose()
    {
        _net?.Dispose();
        _net = null;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
