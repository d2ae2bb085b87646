using DimReduce.Decomposition;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Decomposition;

public class KernelPcaTests
{
    private static readonly System.Text.Json.Nodes.JsonObject F = Fixture.Load("Decomposition", "kpca_wine");
    private static readonly DataMatrix Train = F["train"]!.Matrix();
    private static readonly DataMatrix Test = F["test"]!.Matrix();

    private static KernelPca Make(string name)
    {
        var p = F["kernels"]![name]!["params"]!;
        return new KernelPca
        {
            Components = 4,
            Kernel = name switch
            {
                "Linear" => KernelType.Linear,
                "Rbf" or "RbfGamma" => KernelType.Rbf,
                "Polynomial" => KernelType.Polynomial,
                "Sigmoid" => KernelType.Sigmoid,
                _ => KernelType.Cosine,
            },
            Gamma = p["gamma"]?.GetValue<double>(),
            Degree = p["degree"]?.GetValue<int>() ?? 3,
            Coef0 = p["coef0"]?.GetValue<double>() ?? 1,
        };
    }

    [Theory]
    [InlineData("Linear")]
    [InlineData("Rbf")]
    [InlineData("RbfGamma")]
    [InlineData("Polynomial")]
    [InlineData("Sigmoid")]
    [InlineData("Cosine")]
    public void Matches_sklearn_per_kernel(string name)
    {
        var f = F["kernels"]![name]!;
        var kpca = Make(name);
        var z = kpca.FitTransform(Train);
        Approx.Equal(f["eigenvalues"]!.Doubles(), kpca.Eigenvalues, 1e-9, 1e-12, "eigenvalues");
        // Same dense eigensolver family and the same svd_flip rule, so no sign flipping.
        Approx.Equal(f["fit_transform"]!.Matrix(), z, 1e-7, 1e-9, "training scores");
        Approx.Equal(f["transform"]!.Matrix(), kpca.Transform(Test), 1e-7, 1e-9, "test scores");
    }

    [Fact]
    public void Linear_kernel_equals_pca()
    {
        var kpca = new KernelPca { Kernel = KernelType.Linear, Components = 3 };
        var z = kpca.FitTransform(Train);
        var pca = new Pca { Components = 3 }.Fit(Train);
        // Kernel eigenvalues are sigma^2 = (n - 1) lambda.
        Approx.Equal(pca.ExplainedVariance.Select(v => v * (Train.Rows - 1)).ToArray(), kpca.Eigenvalues, 1e-9);
        for (int k = 0; k < 3; k++) Approx.EqualUpToSign(pca.Transform(Test).Column(k), kpca.Transform(Test).Column(k), 1e-8, 1e-10, $"component {k}");
        Approx.Equal(kpca.Transform(Train), z, 1e-9, 1e-9, "Transform of training rows equals FitTransform");
    }

    [Fact]
    public void Saved_model_transforms_bit_identically()
    {
        var kpca = new KernelPca { Kernel = KernelType.Rbf, Components = 3 }.Fit(Train);
        string path = Path.Combine(Path.GetTempPath(), $"kpca-{Guid.NewGuid():N}.json");
        try
        {
            kpca.Save(path);
            var loaded = KernelPca.Load(path);
            Assert.Equal(kpca.Transform(Test).AsSpan().ToArray(), loaded.Transform(Test).AsSpan().ToArray());
            Assert.Equal(kpca.GammaUsed, loaded.GammaUsed);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new KernelPca { Components = 61 }.Fit(Train));
        Assert.Equal("Components", e.ParamName);
        Assert.Contains("60 samples", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new KernelPca { Gamma = -1 }.Fit(Train));
        Assert.Equal("Gamma", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new KernelPca { Degree = 0 }.Fit(Train));
        Assert.Equal("Degree", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new KernelPca { Components = 0 }.Fit(Train));
        Assert.Equal("Components", e.ParamName);
        var nan = Train.Clone();
        nan[1, 1] = double.PositiveInfinity;
        var a = Assert.Throws<ArgumentException>(() => new KernelPca().Fit(nan));
        Assert.Contains("infinity", a.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new KernelPca().Fit(new DataMatrix(0, 2))).Message);
        var fitted = new KernelPca().Fit(Train);
        a = Assert.Throws<ArgumentException>(() => fitted.Transform(new DataMatrix(2, 5)));
        Assert.Equal("x", a.ParamName);
        Assert.Contains("fitted on 13", a.Message);
        Assert.Contains("Call Fit", Assert.Throws<InvalidOperationException>(() => new KernelPca().Eigenvalues).Message);
    }
}
