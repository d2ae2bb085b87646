using System.Runtime.Intrinsics;
using DimReduce.Manifold;

namespace DimReduce.Tests.Manifold;

/// <summary>The layout: its arithmetic helpers (the vector power, the bounded draws) and the parallel mode's independence of the work split.</summary>
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

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void Parallel_layout_does_not_depend_on_how_the_points_are_split_among_threads(int dim, bool moveOther)
    {
        // A symmetric graph of 400 points (each joined to its next three, weights varied) and a random start.
        const int n = 400;
        var heads = new List<int>();
        var tails = new List<int>();
        var weights = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int gap = Math.Min((i - j + n) % n, (j - i + n) % n);
                if (gap is >= 1 and <= 3) { heads.Add(i); tails.Add(j); weights.Add(1.0 / gap); }
            }
        var perSample = UmapLayout.EpochsPerSample(weights.ToArray(), 50);
        var random = new Random(5);
        var start = Enumerable.Range(0, n * dim).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        // At transform the moved points (heads) are other rows than the fixed ones they are pulled to.
        float[] Run(int pointsPerItem)
        {
            var head = (float[])start.Clone();
            var tail = moveOther ? head : (float[])start.Clone();
            UmapLayout.Optimize(head, tail, dim, heads.ToArray(), tails.ToArray(), n, perSample, 1.58, 0.9, 1.0, 1.0, 5, 50,
                moveOther, new Random(11), null, CancellationToken.None, parallel: true, pointsPerItem);
            return head;
        }
        var oneItem = Run(n);           // one work item: one thread, points in order
        var perPoint = Run(1);          // one item per point, run in any order on any thread
        var usual = Run(64);
        Assert.Equal(oneItem, perPoint);
        Assert.Equal(oneItem, usual);
        Assert.NotEqual(start, oneItem);
        Assert.All(oneItem, v => Assert.True(float.IsFinite(v)));
    }
}
