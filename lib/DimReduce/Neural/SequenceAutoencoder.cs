using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Neural;

/// <summary>
/// A recurrent (LSTM) autoencoder for fixed-length sequences: each row of the data is one sequence of
/// <see cref="TimeSteps"/> steps with <see cref="Features"/> values per step, stored time-major
/// (step 0's features, then step 1's, ...). The encoder's last hidden state becomes a code of
/// <see cref="CodeSize"/> numbers; the decoder reads the code at every step and rebuilds the sequence.
/// </summary>
/// <remarks>
/// <para>Architecture after Srivastava, Mansimov and Salakhutdinov, "Unsupervised Learning of Video Representations
/// using LSTMs" (ICML 2015), with the unconditioned decoder (it sees the code, not its own previous output), which
/// Keras users know as LSTM, RepeatVector, LSTM, TimeDistributed(Dense). Trained with Adam on the mean squared error,
/// gradients clipped to <see cref="ClipNorm"/> (recurrent networks' gradients can explode; Pascanu et al. 2013).</para>
/// <para>Typical uses: codes of time series for clustering or plotting, and anomaly detection by reconstruction error
/// (<see cref="ReconstructionErrors"/>, <see cref="AnomalyThreshold"/>).</para>
/// <para>Determinism: the same <see cref="Seed"/> gives the same weights and the same batch order, so the same
/// result on the same machine and libtorch build.</para>
/// </remarks>
[ModelType("SequenceAutoencoder")]
public sealed class SequenceAutoencoder : IReducer, IInvertibleTransformer, IStateful, IDisposable
{
    /// <summary>Defaults shared by docs, code and tests.</summary>
    public static class Defaults
    {
        /// <summary>Values per time step: 1 (a univariate series).</summary>
        public const int Features = 1;
        /// <summary>LSTM hidden units: 32.</summary>
        public const int HiddenSize = 32;
        /// <summary>Code size: 8.</summary>
        public const int CodeSize = 8;
        /// <summary>Stacked LSTM layers in the encoder and in the decoder: 1.</summary>
        public const int Layers = 1;
        /// <summary>Training epochs: 50.</summary>
        public const int Epochs = 50;
        /// <summary>Sequences per mini-batch: 32.</summary>
        public const int BatchSize = 32;
        /// <summary>Adam's learning rate: 0.005.</summary>
        public const double LearningRate = 0.005;
        /// <summary>Largest gradient norm: 1.</summary>
        public const double ClipNorm = 1.0;
    }

    private SequenceNetwork? _net;
    private TrainingHistory? _history;
    private int _seedUsed;

    /// <summary>Steps per sequence (required, at least 1).</summary>
    public int TimeSteps { get; init; }
    /// <summary>Values per step (default <see cref="Defaults.Features"/>); a row holds TimeSteps x Features values.</summary>
    public int Features { get; init; } = Defaults.Features;
    /// <summary>LSTM hidden units (default <see cref="Defaults.HiddenSize"/>).</summary>
    public int HiddenSize { get; init; } = Defaults.HiddenSize;
    /// <summary>Code size (default <see cref="Defaults.CodeSize"/>).</summary>
    public int CodeSize { get; init; } = Defaults.CodeSize;
    /// <summary>Stacked LSTM layers (default <see cref="Defaults.Layers"/>).</summary>
    public int Layers { get; init; } = Defaults.Layers;
    /// <summary>Training epochs (default <see cref="Defaults.Epochs"/>).</summary>
    public int Epochs { get; init; } = Defaults.Epochs;
    /// <summary>Sequences per mini-batch (default <see cref="Defaults.BatchSize"/>).</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;
    /// <summary>Adam's learning rate (default <see cref="Defaults.LearningRate"/>).</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;
    /// <summary>Gradients are rescaled to at most this norm (default <see cref="Defaults.ClipNorm"/>; 0 turns clipping off).</summary>
    public double ClipNorm { get; init; } = Defaults.ClipNorm;
    /// <summary>Seed for the initial weights and the batch order; null draws one (see <see cref="SeedUsed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>Loss per epoch (mean squared error over the epoch's batches).</summary>
    public TrainingHistory History { get { Check.Fitted(_history is not null, nameof(SequenceAutoencoder), nameof(History)); return _history!; } }
    /// <summary>The seed training used.</summary>
    public int SeedUsed { get { Check.Fitted(_net is not null, nameof(SequenceAutoencoder), nameof(SeedUsed)); return _seedUsed; } }
    /// <summary>Whether the model has been trained (or loaded).</summary>
    public bool IsFitted => _net is not null;

    private int RowLength => TimeSteps * Features;

    /// <summary>Trains on <paramref name="x"/> (one sequence per row); returns this instance.</summary>
    public SequenceAutoencoder Fit(DataMatrix x) => Fit(x, null, default);

    IReducer IReducer.Fit(DataMatrix x) => Fit(x);

    /// <summary>Trains on <paramref name="x"/>, reporting each epoch to <paramref name="progress"/>; honours <paramref name="cancellationToken"/> between batches.</summary>
    public SequenceAutoencoder Fit(DataMatrix x, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken = default)
    {
        CheckOptions();
        CheckInput(x, nameof(x));
        _seedUsed = Seeds.Resolve(Seed);
        TorchRuntime.EnsureLoaded();
        _net?.Dispose();
        _net = null;
        _history = null;
        var net = new SequenceNetwork(TimeSteps, Features, HiddenSize, CodeSize, Layers, Seeds.Mix(_seedUsed, 1));
        try
        {
            InitialWeights?.Invoke(net);
            _history = Train(net, x, progress, cancellationToken);
        }
        catch
        {
            net.Dispose();
            throw;
        }
        _net = net;
        return this;
    }

    /// <summary>Fits, then returns the codes of <paramref name="x"/>.</summary>
    public DataMatrix FitTransform(DataMatrix x)
    {
        Fit(x);
        return Transform(x);
    }

    private TrainingHistory Train(SequenceNetwork net, DataMatrix x, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var history = new TrainingHistory();
        var clock = Stopwatch.StartNew();
        using var all = x.ToTensor(ScalarType.Float32);
        using var optimizer = optim.Adam(net.parameters(), LearningRate);
        var shuffle = Seeds.Create(_seedUsed, 3);
        int n = x.Rows;
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        net.train();
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            shuffle.Shuffle(order);
            double sum = 0;
            for (int start = 0; start < n; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(BatchSize, n - start);
                using var scope = NewDisposeScope();
                var index = tensor(order.AsSpan(start, count).ToArray());
                var batch = all.index_select(0, index);
                var loss = nn.functional.mse_loss(net.forward(batch), batch);
                optimizer.zero_grad();
                loss.backward();
                if (ClipNorm > 0) nn.utils.clip_grad_norm_(net.parameters(), ClipNorm);
                optimizer.step();
                sum += loss.item<float>() * count;
            }
            double trainLoss = sum / n;
            history.Train.Add(trainLoss);
            history.TrainRec.Add(trainLoss);
            history.Rates.Add(LearningRate);
            if (!double.IsFinite(trainLoss))
                throw new InvalidOperationException(F($"The training loss became {trainLoss} in epoch {epoch + 1}. Lower LearningRate (for example by a factor of 10), keep ClipNorm on, or scale the data."));
            progress?.Report(new TrainingProgress(epoch + 1, Epochs, trainLoss, null, LearningRate, clock.Elapsed));
        }
        net.eval();
        return history;
    }

    private void CheckOptions()
    {
        Check.Range(TimeSteps, 1, 1_000_000, nameof(TimeSteps), "Set TimeSteps to the length of each sequence, for example 50.");
        Check.Range(Features, 1, 1_000_000, nameof(Features), "Use 1 for a univariate series, or the number of values per step.");
        Check.Range(HiddenSize, 1, 100_000, nameof(HiddenSize), "Use for example 32.");
        Check.Range(CodeSize, 1, 100_000, nameof(CodeSize), "Use for example 8, or 2 to plot the codes.");
        Check.Range(Layers, 1, 16, nameof(Layers), "Use 1 or 2.");
        Check.Range(Epochs, 1, 100_000, nameof(Epochs), "Use for example 50.");
        Check.Range(BatchSize, 1, 1_000_000, nameof(BatchSize), "Use for example 32.");
        Check.Positive(LearningRate, nameof(LearningRate), "Use for example 0.005.");
        Check.Range(ClipNorm, 0, 1e6, nameof(ClipNorm), "Use for example 1, or 0 for no clipping.");
    }

    private void CheckInput(DataMatrix x, string name)
    {
        Check.Data(x, name);
        if (x.Columns != RowLength)
            throw new ArgumentException(
                F($"{name} has {x.Columns} values per row, but TimeSteps x Features is {TimeSteps} x {Features} = {RowLength}. Pass one sequence of {RowLength} values per row (time-major), or set TimeSteps and Features to match the data."),
                name);
    }

    // ---------------------------------------------------------------- use

    /// <summary>The codes of the sequences in <paramref name="x"/>.</summary>
    public DataMatrix Transform(DataMatrix x) => Encode(x);

    /// <summary>The sequences the decoder builds from codes <paramref name="z"/>.</summary>
    public DataMatrix InverseTransform(DataMatrix z) => Decode(z);

    /// <summary>The codes of the sequences in <paramref name="x"/> (one row of CodeSize values per sequence).</summary>
    public DataMatrix Encode(DataMatrix x)
    {
        var net = Fitted(nameof(Encode));
        Check.Features(x, RowLength, nameof(x), nameof(SequenceAutoencoder));
        return Batched(x, net.Encode);
    }

    /// <summary>The decoder's sequences for codes <paramref name="z"/> (rows of CodeSize values).</summary>
    public DataMatrix Decode(DataMatrix z)
    {
        var net = Fitted(nameof(Decode));
        Check.Features(z, CodeSize, nameof(z), "SequenceAutoencoder decoder");
        return Batched(z, net.Decode);
    }

    /// <summary>Encode then decode.</summary>
    public DataMatrix Reconstruct(DataMatrix x)
    {
        var net = Fitted(nameof(Reconstruct));
        Check.Features(x, RowLength, nameof(x), nameof(SequenceAutoencoder));
        return Batched(x, net.forward);
    }

    /// <summary>Per-sequence mean squared reconstruction error, the usual anomaly score.</summary>
    public double[] ReconstructionErrors(DataMatrix x)
    {
        return Reconstruction.Errors(x, Reconstruct(x));
    }

    /// <summary>
    /// An anomaly threshold: the <paramref name="quantile"/> (default 0.99) of the reconstruction errors of
    /// <paramref name="x"/> (normally the training sequences), linear interpolation between order statistics (numpy's default).
    /// </summary>
    public double AnomalyThreshold(DataMatrix x, double quantile = 0.99)
    {
        return Reconstruction.Quantile(ReconstructionErrors(x), quantile);
    }

    /// <summary>The network, for the tests that start it from reference weights.</summary>
    internal SequenceNetwork? Network => _net;

    /// <summary>Replaces the seeded initial weights before training (the PyTorch reference tests start both sides from the same weights).</summary>
    internal Action<SequenceNetwork>? InitialWeights { get; init; }

    private SequenceNetwork Fitted(string member)
    {
        Check.Fitted(_net is not null, nameof(SequenceAutoencoder), member);
        return _net!;
    }

    private DataMatrix Batched(DataMatrix x, Func<Tensor, Tensor> f) => Reconstruction.Batched(_net!, x, CPU, f);

    // ---------------------------------------------------------------- persistence

    /// <summary>Writes the model (options, history and weights) to one file, atomically.</summary>
    public void Save(string path)
    {
        Fitted(nameof(Save));
        ModelFile.Save(this, path);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; it gives the same outputs as the saved one.</summary>
    public static SequenceAutoencoder Load(string path) => ModelFile.Load<SequenceAutoencoder>(path);

    JsonObject IStateful.GetState()
    {
        var net = Fitted(nameof(Save));
        using var stream = new MemoryStream();
        net.save(stream);
        return new JsonObject
        {
            ["timeSteps"] = TimeSteps, ["features"] = Features, ["hiddenSize"] = HiddenSize, ["codeSize"] = CodeSize,
            ["layers"] = Layers, ["epochs"] = Epochs, ["batchSize"] = BatchSize, ["learningRate"] = LearningRate,
            ["clipNorm"] = ClipNorm, ["seed"] = Seed, ["seedUsed"] = _seedUsed,
            ["trainLoss"] = State.Array(_history?.TrainLoss ?? []),
            ["weights"] = Convert.ToBase64String(stream.ToArray()),
        };
    }

    internal static SequenceAutoencoder FromState(JsonObject state)
    {
        var model = new SequenceAutoencoder
        {
            TimeSteps = State.Int(state["timeSteps"], "timeSteps"), Features = State.Int(state["features"], "features"),
            HiddenSize = State.Int(state["hiddenSize"], "hiddenSize"), CodeSize = State.Int(state["codeSize"], "codeSize"), Layers = State.Int(state["layers"], "layers"),
            Epochs = State.Int(state["epochs"], "epochs"), BatchSize = State.Int(state["batchSize"], "batchSize"),
            LearningRate = (double)state["learningRate"]!, ClipNorm = (double)state["clipNorm"]!, Seed = (int?)state["seed"],
        };
        model.CheckOptions();
        model._seedUsed = State.Int(state["seedUsed"], "seedUsed");
        var history = new TrainingHistory();
        history.Train.AddRange(State.Doubles(state["trainLoss"], "trainLoss"));
        model._history = history;
        TorchRuntime.EnsureLoaded();
        var bytes = Convert.FromBase64String((string?)state["weights"] ?? throw new InvalidDataException("The SequenceAutoencoder state has no \"weights\"."));
        var net = new SequenceNetwork(model.TimeSteps, model.Features, model.HiddenSize, model.CodeSize, model.Layers, 0);
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
