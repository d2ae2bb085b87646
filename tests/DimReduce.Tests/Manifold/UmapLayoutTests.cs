using System.Runtime.Intrinsics;
using DimReduce.Manifold;

namespace DimReduce.Tests.Manifold;

/// <summary>The layout's arithmetic helpers: the vector power and the bounded draws.</summary>
public class UmapLayoutTests
{
    [Theory]
    [InlineData(0.8959)]   // b for MinDist 0.1
    [InlineData(0.5)]
    [InlineData(1.9)]
    public void Vector_power_is_within_a_hundred_thousandth_of_the_exact_power(double exponent)
    {
        float y = (float)exponent;
        var random = new Random(3);
        double worst = 0;
        for (int trial = 0; trial < 20000; trial++)
        {
            // Squared distances from 1e-15 to 1e8, spread over the exponent range (results stay normal floats).
            var x = new float[8];
            for (int q = 0; q < 8; q++) x[q] = (float)Math.Pow(10, -15 + 23 * random.NextDouble());
            var p = UmapLayout.PowV(Vector256.Create<float>(x), y);
            for (int q = 0; q < 8; q++)
            {
                double exact = Math.Pow(x[q], y);
                worst = Math.Max(worst, Math.Abs(p[q] - exact) / exact);
            }
        }
        // The rounding of y log2 x in single precision (2^-18 for |y log2 x| near 95) bounds it.
        Assert.InRange(worst, 0, 1e-5);
    }

    [Fact]
    public void Vector_power_of_one_and_of_powers_of_two()
    {
        var p = UmapLayout.PowV(Vector256.Create(1f, 2f, 4f, 0.5f, 1024f, 1f / 1024, 3f, 1e-30f), 0.8959f);
        float[] x = [1f, 2f, 4f, 0.5f, 1024f, 1f / 1024, 3f, 1e-30f];
        for (int q = 0; q < 8; q++)
            Assert.Equal(Math.Pow(x[q], 0.8959f), p[q], Math.Pow(x[q], 0.8959f) * 5e-6);
    }

    [Fact]
    public void Bounded_draws_stay_below_the_bound_and_cover_it_evenly()
    {
        var random = UmapLayout.TauRandom.From(new Random(7));
        var counts = new int[7];
        for (int i = 0; i < 70000; i++)
        {
            int v = random.Below(7);
            Assert.InRange(v, 0, 6);
            counts[v]++;
        }
        // 10,000 expected per value; a binomial standard deviation is about 93.
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
        var big = UmapLayout.TauRandom.From(new Random(8));
        for (int i = 0; i < 10000; i++) Assert.InRange(big.Below(70000), 0, 69999);
    }
}
