using TorchSharp;
using static TorchSharp.torch;

namespace DimReduce.Neural;

/// <summary>What <see cref="Autoencoder"/> and <see cref="SequenceAutoencoder"/> share: inference in batches, per-row errors and thresholds.</summary>
internal static class Reconstruction
{
    /// <summary>Rows per inference batch.</summary>
    public const int InferenceBatch = 2048;

    /// <summary>
    /// Applies <paramref name="f"/> to <paramref name="x"/> (as float32 on <paramref name="device"/>) in batches of
    /// <see cref="InferenceBatch"/> rows with the network in evaluation mode and gradients off; the results are joined on the CPU.
    /// </summary>
    public static DataMatrix Batched(nn.Module net, DataMatrix x, Device device, Func<Tensor, Tensor> f)
    {
        net.eval();
        using var noGrad = no_grad();
        using var cpu = x.ToTensor(ScalarType.Float32);
        using var all = device.type == DeviceType.CPU ? cpu.alias() : cpu.to(device);
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < x.Rows; start += InferenceBatch)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(InferenceBatch, x.Rows - start);
                parts.Add(f(all.narrow(0, start, count)).to(CPU).MoveToOuterDisposeScope());
            }
            using var joined = cat(parts, 0);
            return DataMatrix.FromTensor(joined);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <summary>Per-row mean squared difference between <paramref name="x"/> and its reconstruction <paramref name="r"/>.</summary>
    public static double[] Errors(DataMatrix x, DataMatrix r)
    {
        var errors = new double[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var a = x.Row(i);
            var b = r.Row(i);
            double s = 0;
            for (int j = 0; j < a.Length; j++) { double d = a[j] - b[j]; s += d * d; }
            errors[i] = s / a.Length;
        }
        return errors;
    }

    /// <summary>The <paramref name="quantile"/> of <paramref name="errors"/>, linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(double[] errors, double quantile)
    {
        Check.Range(quantile, 0, 1, nameof(quantile), "Use for example 0.99.");
        var sorted = (double[])errors.Clone();
        Array.Sort(sorted);
        double pos = quantile * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
