using System.Text.Json.Nodes;
using DimReduce.Neural;
using DimReduce.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Tests.Neural;

/// <summary>
/// The autoencoders against PyTorch 1.13 (fixture <c>Fixtures/Neural/pytorch_reference.json</c>, made by
/// <c>make_neural_fixtures.py</c>): both sides start from the same weights, so losses, gradients and the weights after
/// a few full-batch optimiser steps must agree to float32 rounding. This checks the layer layout (names, shapes,
/// padding of the transposed convolutions), the loss definitions (MSE, BCE, VAE reconstruction summed per sample,
/// closed-form KL, L1 activity and KL sparsity penalties) and the optimisers' settings.
/// </summary>
public class PyTorchReferenceTests
{
    private static readonly JsonObject Reference = Fixture.Load("Neural", "pytorch_reference");

    public static TheoryData<string> TrainingCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Reference["training"]!.AsArray()) data.Add(c!["name"]!.GetValue<string>());
        return data;
    }

    private static JsonNode Case(string group, string name) =>
        Reference[group]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private static AutoencoderSpec Spec(JsonNode c) => AutoencoderSpec.FromJson(c["spec"]!.ToJsonString());

    /// <summary>Copies the fixture's parameters into the network, by name, after checking that names and shapes match.</summary>
    private static void Load(nn.Module net, JsonNode parameters)
    {
        var ours = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var theirs = parameters.AsArray().Select(p => p!).ToList();
        Assert.Equal(theirs.Select(p => p["name"]!.GetValue<string>()).Order(), ours.Keys.Order());
        using var noGrad = no_grad();
        foreach (var p in theirs)
        {
            var target = ours[p["name"]!.GetValue<string>()];
            Assert.Equal(p["shape"]!.AsArray().Select(v => v!.GetValue<long>()), target.shape);
            var values = p["values"]!.Doubles().Select(v => (float)v).ToArray();
            using var source = tensor(values).reshape(target.shape);
            target.copy_(source);
        }
    }

    private static void AssertParameters(nn.Module net, JsonNode expected, double rtol, double atol, Func<Tensor, Tensor> select)
    {
        var ours = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var p in expected.AsArray())
        {
            string name = p!["name"]!.GetValue<string>();
            using var actual = select(ours[name]).to_type(ScalarType.Float64).reshape(-1);
            Approx.Equal(p["values"]!.Doubles(), actual.data<double>().ToArray(), rtol, atol, name);
        }
    }

    private static NeuralOptimizer Optimizer(string kind) => kind switch
    {
        "sgd" => NeuralOptimizer.Sgd,
        "rmsprop" => NeuralOptimizer.RmsProp,
        _ => NeuralOptimizer.Adam,
    };

    [Theory]
    [MemberData(nameof(TrainingCases))]
    public void FullBatchTrainingMatchesPyTorch(string name)
    {
        var c = Case("training", name);
        var x = c["x"]!.Matrix();
        using var ae = new Autoencoder
        {
            Spec = Spec(c),
            Loss = c["loss"]!.GetValue<string>() == "bce" ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.MeanSquaredError,
            Optimizer = Optimizer(c["optimizer"]!.GetValue<string>()),
            LearningRate = c["learningRate"]!.GetValue<double>(),
            WeightDecay = c["weightDecay"]!.GetValue<double>(),
            Momentum = 0.9,
            Epochs = c["epochs"]!.GetValue<int>(),
            BatchSize = x.Rows, // one full batch per epoch: the row order of the shuffle cannot matter beyond rounding
            Seed = 1,
            InitialWeights = net => Load(net, c["initial"]!),
        };
        ae.Fit(x);

        // History.Train[e] is the loss of epoch e's batch, computed before that epoch's step, as the fixture's losses.
        Approx.Equal(c["losses"]!.Doubles(), ae.History.Train.ToArray(), 1e-5, 1e-7, name + " losses");
        AssertParameters(ae.Network!, c["final"]!, 1e-4, 2e-6, t => t);
    }

    [Theory]
    [InlineData("dense-vae")]
    [InlineData("conv-vae")]
    public void VariationalLossAtTheMeanMatchesPyTorch(string name)
    {
        var c = Case("variational", name);
        var spec = Spec(c);
        var ae = new Autoencoder { Spec = spec, Loss = ReconstructionLoss.BinaryCrossEntropy };
        using var net = new AutoencoderNetwork(spec, 1, CPU);
        Load(net, c["initial"]!);
        using var scope = NewDisposeScope();
        using var x = c["x"]!.Matrix().ToTensor(ScalarType.Float32);
        using var generator = new Generator(1, CPU);
        var (total, rec, kl, reconstructed) = ae.BatchLoss(net, x, x, klWeight: 1.0, generator, sample: false, penalties: true);
        var (mean, logVar) = net.Encode(x);

        Approx.Equal(c["mean"]!.Matrix(), DataMatrix.FromTensor(mean), 1e-5, 1e-6, name + " mean");
        Approx.Equal(c["logVariance"]!.Matrix(), DataMatrix.FromTensor(logVar!), 1e-5, 1e-6, name + " log-variance");
        Approx.Equal(c["reconstruction"]!.Matrix(), DataMatrix.FromTensor(reconstructed), 1e-5, 1e-6, name + " reconstruction");
        Assert.Equal(c["reconstructionLoss"]!.GetValue<double>(), rec.item<float>(), 1e-4);
        Assert.Equal(c["kl"]!.GetValue<double>(), kl!.item<float>(), 1e-5);
        Assert.Equal(c["total"]!.GetValue<double>(), total.item<float>(), 1e-4);

        total.backward();
        AssertParameters(net, c["gradients"]!, 1e-4, 1e-6, t => t.grad!);
    }

    [Fact]
    public void SequenceAutoencoderMatchesPyTorch()
    {
        var c = Case("sequence", "lstm-2-layers");
        var x = c["x"]!.Matrix();
        int steps = c["timeSteps"]!.GetValue<int>(), features = c["features"]!.GetValue<int>();
        int hidden = c["hiddenSize"]!.GetValue<int>(), code = c["codeSize"]!.GetValue<int>(), layers = c["layers"]!.GetValue<int>();

        // Forward pass at the reference weights: codes and reconstruction.
        using (var net = new SequenceNetwork(steps, features, hidden, code, layers, 1))
        {
            Load(net, c["initial"]!);
            net.eval();
            using var noGrad = no_grad();
            using var input = x.ToTensor(ScalarType.Float32);
            using var codes = net.Encode(input);
            using var reconstruction = net.forward(input);
            Approx.Equal(c["codes"]!.Matrix(), DataMatrix.FromTensor(codes), 1e-5, 1e-6, "codes");
            Approx.Equal(c["reconstruction"]!.Matrix(), DataMatrix.FromTensor(reconstruction), 1e-5, 1e-6, "reconstruction");
        }

        // Full-batch Adam with gradient clipping: losses and final weights.
        using var model = new SequenceAutoencoder
        {
            TimeSteps = steps, Features = features, HiddenSize = hidden, CodeSize = code, Layers = layers,
            LearningRate = c["learningRate"]!.GetValue<double>(), ClipNorm = c["clipNorm"]!.GetValue<double>(),
            Epochs = c["epochs"]!.GetValue<int>(), BatchSize = x.Rows, Seed = 1,
            InitialWeights = net => Load(net, c["initial"]!),
        };
        model.Fit(x);
        Approx.Equal(c["losses"]!.Doubles(), model.History.Train.ToArray(), 1e-5, 1e-7, "losses");
        AssertParameters(model.Network!, c["final"]!, 1e-4, 2e-6, t => t);
    }
}
