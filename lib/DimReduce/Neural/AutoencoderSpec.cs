using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DimReduce.Neural;

/// <summary>
/// The architecture of an autoencoder in a few numbers: input size, encoder widths, code size, decoder widths
/// (mirrored by default), activations, dropout, batch normalisation, activity penalties, and optionally a
/// convolutional front end for images and a variational (VAE) code.
/// </summary>
/// <remarks>
/// <para>
/// Dense layout: input -> [Linear(w_k) -> BatchNorm? -> activation -> Dropout?] for each encoder width ->
/// Linear(CodeSize) -> CodeActivation, then the decoder mirrors it and ends with Linear(InputSize) ->
/// OutputActivation. A VAE replaces the code layer by two heads, the mean mu and the log-variance log sigma^2
/// (Kingma and Welling 2014, "Auto-Encoding Variational Bayes", section 3 and appendix C.2).
/// </para>
/// <para>
/// Convolutional layout (<see cref="Image"/> and <see cref="ConvFilters"/> set): each filter count adds a
/// Conv2d(kernel <see cref="KernelSize"/>, stride 2, 'same' padding) with ReLU, halving height and width;
/// then Flatten and the dense layers above. The decoder maps the code to the last filter count x the reduced
/// image with a dense ReLU layer, then one ConvTranspose2d (stride 2, ReLU) per filter count in reverse order
/// and a final ConvTranspose2d (stride 1) to the image channels with <see cref="OutputActivation"/>; this is
/// the convolutional VAE of the Keras example by Chollet ("Variational AutoEncoder", keras.io, 2020).
/// </para>
/// <para>
/// Output activation: a sigmoid can only produce values in (0, 1). It suits pixels and MinMax-scaled data;
/// it cannot reproduce the negative values of standardised data (a sigmoid output on standardised data,
/// as some course material shows, is a mistake): use <see cref="Activation.Linear"/> there. Training checks
/// this and says so.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var spec = AutoencoderSpec.Wine(standardized: true);        // 13 -> 3 -> 13, linear output
/// var deep = AutoencoderSpec.Deep10();                          // 10 -> 8 -> 6 -> 2 -> 6 -> 8 -> 10, tanh
/// var vae  = AutoencoderSpec.ConvolutionalVae();                // Conv 32/64, dense 16, latent 2
/// var custom = new AutoencoderSpec { InputSize = 50, EncoderWidths = [32], CodeSize = 4 };
/// </code>
/// </example>
public sealed record AutoencoderSpec
{
    /// <summary>Features per input row (for images: Channels x Height x Width). Required, at least 1.</summary>
    public int InputSize { get; init; }

    /// <summary>Widths of the hidden encoder layers between the input (or the convolutions) and the code; may be empty.</summary>
    public IReadOnlyList<int> EncoderWidths { get; init; } = [];

    /// <summary>Size of the code (the bottleneck; the latent dimension of a VAE). At least 1.</summary>
    public int CodeSize { get; init; } = 2;

    /// <summary>Widths of the hidden decoder layers; null (default) mirrors <see cref="EncoderWidths"/>.</summary>
    public IReadOnlyList<int>? DecoderWidths { get; init; }

    /// <summary>Activation of every hidden layer unless a per-layer list overrides it (default ReLU).</summary>
    public Activation HiddenActivation { get; init; } = Activation.ReLU;

    /// <summary>Optional activation per encoder layer (same length as <see cref="EncoderWidths"/>).</summary>
    public IReadOnlyList<Activation>? EncoderActivations { get; init; }

    /// <summary>Optional activation per decoder layer (same length as the decoder widths).</summary>
    public IReadOnlyList<Activation>? DecoderActivations { get; init; }

    /// <summary>Activation of the code layer (default Linear; ignored by a VAE, whose mean and log-variance are linear).</summary>
    public Activation CodeActivation { get; init; } = Activation.Linear;

    /// <summary>Activation of the output layer (default Linear; Sigmoid for data in [0, 1]).</summary>
    public Activation OutputActivation { get; init; } = Activation.Linear;

    /// <summary>Dropout probability after each hidden dense activation, 0 (default) to below 1; active in training only.</summary>
    public double Dropout { get; init; }

    /// <summary>Batch normalisation after each hidden dense layer, before its activation (default false).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>A variational autoencoder: the encoder gives a mean and a log-variance, the code is sampled (default false).</summary>
    public bool Variational { get; init; }

    /// <summary>Weight of an L1 penalty on the activations of every encoder layer, code included (Keras' activity_regularizer); 0 (default) is off.</summary>
    public double EncoderActivityL1 { get; init; }

    /// <summary>Weight of an L1 penalty on the code alone (a sparse autoencoder); 0 (default) is off.</summary>
    public double CodeActivityL1 { get; init; }

    /// <summary>
    /// Target mean activation rho of each code unit for a KL sparsity penalty (Ng, "Sparse autoencoder", CS294A notes,
    /// 2011, section 2.3); needs <see cref="CodeActivation"/> Sigmoid. Null (default) is off.
    /// </summary>
    public double? SparsityTarget { get; init; }

    /// <summary>Weight of the KL sparsity penalty (default 1).</summary>
    public double SparsityWeight { get; init; } = 1.0;

    /// <summary>The image shape for a convolutional front end; null (default) for a dense autoencoder.</summary>
    public ImageShape? Image { get; init; }

    /// <summary>Filter counts of the stride-2 convolutions (empty: dense). Needs <see cref="Image"/>.</summary>
    public IReadOnlyList<int> ConvFilters { get; init; } = [];

    /// <summary>Kernel size of every convolution (default 3, odd).</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>True when the spec has convolutions.</summary>
    [JsonIgnore]
    public bool IsConvolutional => ConvFilters.Count > 0;

    /// <summary>The decoder widths in use: <see cref="DecoderWidths"/> or the encoder widths reversed.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> ResolvedDecoderWidths => DecoderWidths ?? EncoderWidths.Reverse().ToArray();

    /// <summary>Activation of encoder layer <paramref name="k"/>.</summary>
    internal Activation EncoderActivation(int k) => EncoderActivations?[k] ?? HiddenActivation;

    /// <summary>Activation of decoder layer <paramref name="k"/>.</summary>
    internal Activation DecoderActivation(int k) => DecoderActivations?[k] ?? HiddenActivation;

    // ----- the chapter's models -----

    /// <summary>
    /// 13 -> 3 -> 13 for the Wine data: ReLU code; a sigmoid output for MinMax-scaled input
    /// (<paramref name="standardized"/> false) or a linear output for standardised input (true).
    /// </summary>
    public static AutoencoderSpec Wine(bool standardized) => new()
    {
        InputSize = 13, CodeSize = 3, CodeActivation = Activation.ReLU,
        OutputActivation = standardized ? Activation.Linear : Activation.Sigmoid,
    };

    /// <summary>
    /// 13 -> 32 -> 16 -> 3 -> 16 -> 32 -> 13 for the Wine data with an L1 activity penalty
    /// (<paramref name="activityL1"/>, default 1e-4) on every encoder layer; output as in <see cref="Wine"/>.
    /// </summary>
    public static AutoencoderSpec WineDeep(bool standardized, double activityL1 = 1e-4) => Wine(standardized) with
    {
        EncoderWidths = [32, 16], EncoderActivityL1 = activityL1,
    };

    /// <summary>10 -> 8 -> 6 -> 2 -> 6 -> 8 -> 10 with tanh hidden layers and a linear bottleneck and output.</summary>
    public static AutoencoderSpec Deep10() => new()
    {
        InputSize = 10, EncoderWidths = [8, 6], CodeSize = 2, HiddenActivation = Activation.Tanh,
        CodeActivation = Activation.Linear, OutputActivation = Activation.Linear,
    };

    /// <summary>
    /// Stacked SELU autoencoder 784 -> 100 -> 30 -> 100 -> 784 (Géron, <i>Hands-On Machine Learning</i>, 2nd ed.,
    /// chapter 17): SELU hidden layers and code, sigmoid output for pixels in [0, 1].
    /// </summary>
    public static AutoencoderSpec StackedSelu(int inputSize = 784) => new()
    {
        InputSize = inputSize, EncoderWidths = [100], CodeSize = 30, HiddenActivation = Activation.SELU,
        CodeActivation = Activation.SELU, OutputActivation = Activation.Sigmoid,
    };

    /// <summary>The dense autoencoder of the benchmark: 784 -> 512 -> 128 -> 32 -> 128 -> 512 -> 784, ReLU, sigmoid output.</summary>
    public static AutoencoderSpec DenseImages(int inputSize = 784, int codeSize = 32) => new()
    {
        InputSize = inputSize, EncoderWidths = [512, 128], CodeSize = codeSize, OutputActivation = Activation.Sigmoid,
    };

    /// <summary>
    /// Convolutional autoencoder for 28 x 28 grey images (or <paramref name="image"/>): Conv 16 and 32 with stride 2,
    /// a dense code of <paramref name="codeSize"/> (default 32), a transposed-convolution decoder, sigmoid output.
    /// </summary>
    public static AutoencoderSpec Convolutional(ImageShape? image = null, int codeSize = 32)
    {
        var shape = image ?? ImageShape.Mnist;
        return new()
        {
            InputSize = shape.Size, Image = shape, ConvFilters = [16, 32], CodeSize = codeSize,
            OutputActivation = Activation.Sigmoid,
        };
    }

    /// <summary>
    /// The chapter's convolutional VAE for 28 x 28 grey images: Conv 32 and 64 with stride 2, dense 16, latent 2;
    /// decoder dense 7 x 7 x 64, transposed convolutions 64 and 32 with stride 2, then 1 channel with a sigmoid.
    /// Train it with <see cref="ReconstructionLoss.BinaryCrossEntropy"/>.
    /// </summary>
    public static AutoencoderSpec ConvolutionalVae(ImageShape? image = null, int latentSize = 2)
    {
        var shape = image ?? ImageShape.Mnist;
        return new()
        {
            InputSize = shape.Size, Image = shape, ConvFilters = [32, 64], EncoderWidths = [16], DecoderWidths = [],
            CodeSize = latentSize, Variational = true, OutputActivation = Activation.Sigmoid,
        };
    }

    /// <summary>A dense VAE: input -> <paramref name="hidden"/> (default 512) -> latent (default 2) -> mirrored, sigmoid output.</summary>
    public static AutoencoderSpec DenseVae(int inputSize = 784, int latentSize = 2, params int[] hidden) => new()
    {
        InputSize = inputSize, EncoderWidths = hidden.Length == 0 ? [512] : hidden, CodeSize = latentSize,
        Variational = true, OutputActivation = Activation.Sigmoid,
    };

    /// <summary>
    /// Checks every number and list; throws <see cref="ArgumentException"/> or <see cref="ArgumentOutOfRangeException"/>
    /// whose ParamName is the property at fault.
    /// </summary>
    public void Validate()
    {
        if (InputSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize,
                $"InputSize is {InputSize}, but it must be at least 1 (the number of features per row). Set it to the column count of the data.");
        CheckWidths(EncoderWidths, nameof(EncoderWidths));
        if (DecoderWidths is not null) CheckWidths(DecoderWidths, nameof(DecoderWidths));
        if (CodeSize < 1)
            throw new ArgumentOutOfRangeException(nameof(CodeSize), CodeSize,
                $"CodeSize is {CodeSize}, but it must be at least 1 (the width of the bottleneck). Use for example 2 for a plot.");
        if (EncoderActivations is not null && EncoderActivations.Count != EncoderWidths.Count)
            throw new ArgumentException(
                $"EncoderActivations has {EncoderActivations.Count} entries, but EncoderWidths has {EncoderWidths.Count}. Give one activation per encoder layer, or null to use HiddenActivation.",
                nameof(EncoderActivations));
        if (DecoderActivations is not null && DecoderActivations.Count != ResolvedDecoderWidths.Count)
            throw new ArgumentException(
                $"DecoderActivations has {DecoderActivations.Count} entries, but the decoder has {ResolvedDecoderWidths.Count} hidden layers. Give one activation per decoder layer, or null to use HiddenActivation.",
                nameof(DecoderActivations));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout,
                F($"Dropout is {Dropout}, but it must be at least 0 and below 1 (a probability). Use for example 0.2, or 0 for none."));
        Penalty(EncoderActivityL1, nameof(EncoderActivityL1));
        Penalty(CodeActivityL1, nameof(CodeActivityL1));
        Penalty(SparsityWeight, nameof(SparsityWeight));
        if (SparsityTarget is { } rho)
        {
            if (!(rho > 0 && rho < 1))
                throw new ArgumentOutOfRangeException(nameof(SparsityTarget), rho,
                    F($"SparsityTarget is {rho}, but it must lie strictly between 0 and 1 (a mean activation). Use for example 0.05."));
            if (CodeActivation != Activation.Sigmoid || Variational)
                throw new ArgumentException(
                    $"SparsityTarget needs a code in (0, 1), but CodeActivation is {CodeActivation}{(Variational ? " and the model is variational" : "")}. Set CodeActivation to Activation.Sigmoid on a non-variational spec, or use CodeActivityL1 instead.",
                    nameof(SparsityTarget));
        }
        if (ConvFilters.Count > 0 || Image is not null)
        {
            if (Image is null)
                throw new ArgumentException("ConvFilters is set, but Image is null. Set Image (for example ImageShape.Mnist) so the rows can be read as images.", nameof(Image));
            if (Image.Channels < 1 || Image.Height < 1 || Image.Width < 1)
                throw new ArgumentOutOfRangeException(nameof(Image), Image,
                    $"Image is {Image.Channels} x {Image.Height} x {Image.Width}, but every dimension must be at least 1.");
            if (ConvFilters.Count == 0)
                throw new ArgumentException("Image is set, but ConvFilters is empty. Give filter counts (for example [32, 64]), or leave Image null for a dense autoencoder.", nameof(ConvFilters));
            CheckWidths(ConvFilters, nameof(ConvFilters));
            if (Image.Size != InputSize)
                throw new ArgumentException(
                    $"InputSize is {InputSize}, but Image {Image.Channels} x {Image.Height} x {Image.Width} has {Image.Size} values. Set InputSize to Image.Size.",
                    nameof(InputSize));
            int factor = 1 << ConvFilters.Count;
            if (Image.Height % factor != 0 || Image.Width % factor != 0)
                throw new ArgumentException(
                    $"Image is {Image.Height} x {Image.Width}, but {ConvFilters.Count} stride-2 convolutions need height and width divisible by {factor}. Use fewer ConvFilters, or pad the images.",
                    nameof(ConvFilters));
            if (KernelSize < 1 || KernelSize % 2 == 0)
                throw new ArgumentOutOfRangeException(nameof(KernelSize), KernelSize,
                    $"KernelSize is {KernelSize}, but it must be an odd number of at least 1. Use 3.");
        }
    }

    private static void CheckWidths(IReadOnlyList<int>? widths, string name)
    {
        if (widths is null) throw new ArgumentNullException(name, $"{name} is null. Pass a list of layer widths (it may be empty).");
        for (int k = 0; k < widths.Count; k++)
            if (widths[k] < 1)
                throw new ArgumentOutOfRangeException(name, widths[k],
                    $"{name}[{k}] is {widths[k]}, but every layer width must be at least 1. Remove the layer or give it a positive width.");
    }

    private static void Penalty(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, F($"{name} is {value}, but it must be a finite number of at least 0. Use for example 1e-4, or 0 for none."));
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The spec as JSON (enums by name).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a spec written by <see cref="ToJson"/>.</summary>
    public static AutoencoderSpec FromJson(string json) =>
        JsonSerializer.Deserialize<AutoencoderSpec>(json, Json) ?? throw new InvalidDataException("The autoencoder spec JSON is empty.");

    internal JsonNode ToNode() => JsonNode.Parse(ToJson())!;
}
