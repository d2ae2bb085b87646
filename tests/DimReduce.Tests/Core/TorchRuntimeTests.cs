using TorchSharp;

namespace DimReduce.Tests.Core;

public class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_loads_and_multiplies_and_decomposes()
    {
        // On Debian 12 this passes only because the build marked GLIBCXX_3.4.32 weak in the output copy.
        Assert.False(string.IsNullOrEmpty(TorchRuntime.Version));
        using var a = torch.tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = torch.tensor(new double[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        using var c = a.matmul(b);
        Assert.Equal(new double[] { 19, 22, 43, 50 }, c.data<double>().ToArray());
        using var sym = torch.tensor(new double[] { 4, 2, 2, 2 }, new long[] { 2, 2 });
        var (values, _) = torch.linalg.eigh(sym);
        var ev = values.data<double>().ToArray();
        Assert.Equal(3 - Math.Sqrt(5), ev[0], 12);
        Assert.Equal(3 + Math.Sqrt(5), ev[1], 12);
    }
}
