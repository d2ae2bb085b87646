using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DimReduce.Neural;

/// <summary>
/// The torch module of a <see cref="SequenceAutoencoder"/>: an LSTM encoder whose last hidden state (top layer) goes
/// through a linear code head; the code is repeated at every time step and fed to an LSTM decoder whose outputs a
/// linear head maps back to the features of each step (the "repeat vector" sequence autoencoder of Srivastava,
/// Mansimov and Salakhutdinov 2015, unconditioned decoder).
/// </summary>
internal sealed class SequenceNetwork : Module<Tensor, Tensor>
{
    private readonly int _timeSteps, _features;

    private readonly LSTM encoder;
    private readonly Linear codeHead;
    private readonly LSTM decoder;
    private readonly Linear outputHead;

    /// <summary>Builds the layers and initialises every parameter from <paramref name="seed"/>.</summary>
    public SequenceNetwork(int timeSteps, int features, int hidden, int code, int layers, long seed) : base("SequenceAutoencoder")
    {
        _timeSteps = timeSteps;
        _features = features;
        encoder = LSTM(features, hidden, layers, batchFirst: true);
        codeHead = Linear(hidden, code);
        decoder = LSTM(code, hidden, layers, batchFirst: true);
        outputHead = Linear(hidden, features);
        RegisterComponents();

        // PyTorch's defaults, drawn from a local generator: every LSTM parameter uniform in +-1/sqrt(hidden), and
        // linear weights and biases uniform in +-1/sqrt(fan_in), where both heads' fan_in is also the hidden size.
        double bound = 1.0 / Math.Sqrt(hidden);
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var p in parameters()) p.uniform_(-bound, bound, generator);
    }

    /// <summary>Codes (batch x code) of sequences given as rows of timeSteps x features values, time-major.</summary>
    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var steps = x.view(x.shape[0], _timeSteps, _features);
        var (_, hidden, cell) = encoder.forward(steps);
        using var last = hidden[-1];
        cell.Dispose();
        return codeHead.forward(last).MoveToOuterDisposeScope();
    }

    /// <summary>Reconstructed sequences (rows of timeSteps x features values) from codes.</summary>
    public Tensor Decode(Tensor z)
    {
        using var scope = NewDisposeScope();
        var repeated = z.unsqueeze(1).expand(z.shape[0], _timeSteps, z.shape[1]);
        var (outputs, _, _) = decoder.forward(repeated);
        var steps = outputHead.forward(outputs);
        return steps.reshape(z.shape[0], _timeSteps * _features).MoveToOuterDisposeScope();
    }

    /// <summary>Reconstruction through the code.</summary>
    public override Tensor forward(Tensor x)
    {
        using var code = Encode(x);
        return Decode(code);
    }
}
