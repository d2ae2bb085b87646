using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DimReduce.Neural;

/// <summary>
/// The torch module built from an <see cref="AutoencoderSpec"/>: convolutional front end (optional), dense
/// encoder blocks, code head (or mean and log-variance heads), dense decoder blocks and output.
/// Weights are initialised from a local <see cref="Generator"/>, never from torch's global random state.
/// </summary>
internal sealed class AutoencoderNetwork : Module<Tensor, Tensor>
{
    private readonly AutoencoderSpec _spec;
    private readonly Generator _generator;

    private readonly Sequential convEncoder;
    private readonly ModuleList<Module<Tensor, Tensor>> encoderBlocks;
    private readonly Linear codeHead;
    private readonly Linear? logVarHead;
    private readonly Module<Tensor, Tensor> codeActivation;
    private readonly ModuleList<Module<Tensor, Tensor>> decoderBlocks;
    private readonly Sequential output;

    /// <summary>Builds the layers and initialises every weight from <paramref name="seed"/>.</summary>
    public AutoencoderNetwork(AutoencoderSpec spec, long seed, Device device) : base("Autoencoder")
    {
        _spec = spec;
        // Training randomness (dropout) draws from this generator; it lives on the CPU and masks are moved.
        _generator = new Generator((ulong)seed, CPU);

        var conv = new List<Module<Tensor, Tensor>>();
        int features = spec.InputSize;
        int h = 0, w = 0, channels = 0;
        if (spec.IsConvolutional)
        {
            var img = spec.Image!;
            (h, w, channels) = (img.Height, img.Width, img.Channels);
            int pad = spec.KernelSize / 2;
            foreach (int f in spec.ConvFilters)
            {
                conv.Add(Conv2d(channels, f, spec.KernelSize, stride: 2, padding: pad));
                conv.Add(ReLU());
                channels = f; h /= 2; w /= 2;
            }
            conv.Add(Flatten());
            features = channels * h * w;
        }
        convEncoder = Sequential(conv);

        var enc = new List<Module<Tensor, Tensor>>();
        for (int k = 0; k < spec.EncoderWidths.Count; k++)
        {
            enc.Add(Block(features, spec.EncoderWidths[k], spec.EncoderActivation(k)));
            features = spec.EncoderWidths[k];
        }
        encoderBlocks = ModuleList(enc.ToArray());

        codeHead = Linear(features, spec.CodeSize);
        logVarHead = spec.Variational ? Linear(features, spec.CodeSize) : null;
        codeActivation = ActivationModule(spec.Variational ? Activation.Linear : spec.CodeActivation);

        var dec = new List<Module<Tensor, Tensor>>();
        features = spec.CodeSize;
        var decoderWidths = spec.ResolvedDecoderWidths;
        for (int k = 0; k < decoderWidths.Count; k++)
        {
            dec.Add(Block(features, decoderWidths[k], spec.DecoderActivation(k)));
            features = decoderWidths[k];
        }
        decoderBlocks = ModuleList(dec.ToArray());

        var outLayers = new List<Module<Tensor, Tensor>>();
        if (spec.IsConvolutional)
        {
            int pad = spec.KernelSize / 2;
            outLayers.Add(Linear(features, channels * h * w));
            outLayers.Add(ReLU());
            outLayers.Add(Unflatten(1, [channels, h, w]));
            var filters = spec.ConvFilters.Reverse().ToArray();
            foreach (int f in filters)
            {
                outLayers.Add(ConvTranspose2d(channels, f, spec.KernelSize, stride: 2, padding: pad, output_padding: 1));
                outLayers.Add(ReLU());
                channels = f;
            }
            outLayers.Add(ConvTranspose2d(channels, spec.Image!.Channels, spec.KernelSize, stride: 1, padding: pad));
            outLayers.Add(ActivationModule(spec.OutputActivation));
            outLayers.Add(Flatten());
        }
        else
        {
            outLayers.Add(Linear(features, spec.InputSize));
            outLayers.Add(ActivationModule(spec.OutputActivation));
        }
        output = Sequential(outLayers);

        RegisterComponents();
        Initialise();
        if (device.type != DeviceType.CPU) this.to(device);
    }

    /// <summary>The spec the network was built from.</summary>
    public AutoencoderSpec Spec => _spec;

    private Module<Tensor, Tensor> Block(int inputs, int outputs, Activation activation)
    {
        var layers = new List<Module<Tensor, Tensor>> { Linear(inputs, outputs) };
        if (_spec.BatchNorm) layers.Add(BatchNorm1d(outputs));
        layers.Add(ActivationModule(activation));
        if (_spec.Dropout > 0) layers.Add(new SeededDropout(_spec.Dropout, _generator));
        return Sequential(layers);
    }

    internal static Module<Tensor, Tensor> ActivationModule(Activation a) => a switch
    {
        Activation.Sigmoid => Sigmoid(),
        Activation.Tanh => Tanh(),
        Activation.ReLU => ReLU(),
        Activation.LeakyReLU => LeakyReLU(0.01),
        Activation.SELU => SELU(),
        _ => Identity(),
    };

    /// <summary>
    /// PyTorch's default initialisation drawn from the local generator: weights and biases uniform in
    /// +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)); LeCun normal weights (std 1/sqrt(fan_in), zero bias)
    /// when the hidden activation is SELU (Klambauer et al. 2017, section 3).
    /// </summary>
    private void Initialise()
    {
        bool lecun = _spec.HiddenActivation == Activation.SELU;
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            Tensor? weight = null, bias = null;
            switch (module)
            {
                case Linear l: weight = l.weight; bias = l.bias; break;
                case Conv2d c: weight = c.weight; bias = c.bias; break;
                case ConvTranspose2d t: weight = t.weight; bias = t.bias; break;
            }
            if (weight is null) continue;
            double fanIn = weight.numel() / (double)weight.shape[0];
            double bound = 1.0 / Math.Sqrt(fanIn);
            if (lecun && module is Linear)
            {
                weight.normal_(0.0, bound, _generator);
                bias?.zero_();
            }
            else
            {
                weight.uniform_(-bound, bound, _generator);
                bias?.uniform_(-bound, bound, _generator);
            }
        }
    }

    /// <summary>Encodes <paramref name="x"/> (rows of InputSize values): the code (VAE: the mean) and, for a VAE, the log-variance.</summary>
    /// <param name="x">Input batch.</param>
    /// <param name="activations">When not null, receives the output of every encoder layer and the code (for activity penalties).</param>
    public (Tensor Code, Tensor? LogVariance) Encode(Tensor x, List<Tensor>? activations = null)
    {
        var hidden = x;
        if (_spec.IsConvolutional)
        {
            var img = _spec.Image!;
            hidden = convEncoder.forward(x.view(x.shape[0], img.Channels, img.Height, img.Width));
        }
        foreach (var block in encoderBlocks)
        {
            hidden = block.forward(hidden);
            activations?.Add(hidden);
        }
        var code = codeActivation.forward(codeHead.forward(hidden));
        activations?.Add(code);
        return (code, logVarHead?.forward(hidden));
    }

    /// <summary>Decodes codes to reconstructions (rows of InputSize values).</summary>
    public Tensor Decode(Tensor z)
    {
        var hidden = z;
        foreach (var block in decoderBlocks) hidden = block.forward(hidden);
        return output.forward(hidden);
    }

    /// <summary>Reconstruction through the code (a VAE uses its mean).</summary>
    public override Tensor forward(Tensor x) => Decode(Encode(x).Code);

    /// <summary>The first trainable layer's weight: a dense (units x inputs) or convolution (filters x C x k x k) parameter.</summary>
    public Tensor FirstWeight()
    {
        if (_spec.IsConvolutional) return ((Conv2d)convEncoder[0]).weight!;
        if (encoderBlocks.Count > 0) return ((Linear)((Sequential)encoderBlocks[0])[0]).weight!;
        return codeHead.weight!;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _generator.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Inverted dropout whose masks come from a given generator, so training is reproducible.</summary>
internal sealed class SeededDropout : Module<Tensor, Tensor>
{
    private readonly double _p;
    private readonly Generator _generator;

    public SeededDropout(double p, Generator generator) : base("SeededDropout")
    {
        _p = p;
        _generator = generator;
    }

    public override Tensor forward(Tensor x)
    {
        // Return an alias, never the input object: Sequential disposes intermediate results.
        if (!training || _p == 0) return x.alias();
        using var u = torch.rand(x.shape, dtype: x.dtype, generator: _generator);
        using var keep = u.ge(_p).to_type(x.dtype).to(x.device);
        return x * keep / (1 - _p);
    }
}
