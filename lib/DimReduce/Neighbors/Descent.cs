using System.Runtime.CompilerServices;

namespace DimReduce.Neighbors;

/// <summary>
/// The steps of <see cref="NnDescent"/>: the random projection forest's leaves as the first graph, then NN-descent
/// iterations (pynndescent 0.5's <c>nn_descent_internal_low_memory_parallel</c>: <c>new_build_candidates</c>,
/// <c>generate_graph_updates</c>, <c>apply_graph_updates_low_memory</c>), in a form whose result does not depend on
/// the thread count.
/// </summary>
internal static class Descent
{
    /// <summary>Points per block: their joins are generated, then applied, before the next block starts.</summary>
    private const int BlockSize = 4096;

    /// <summary>Points per work item inside a block (the unit whose update list is kept in order).</summary>
    private const int ChunkSize = 32;

    private readonly record struct Update(int P, int Q, float D);

    public sealed record Result(int[] Indices, float[] Distances, int Iterations, long DistanceCount);

    public static Result Build(FloatRows data, int k, int trees, int leafSize, int maxCandidates, int iterations, double delta, int seed)
    {
        int n = data.Rows;
        var indices = new int[n * k];
        var distances = new float[n * k];
        var flags = new byte[n * k];
        Array.Fill(indices, -1);
        Array.Fill(distances, float.PositiveInfinity);
        var space = TreeSpace.For(data, seed);
        var forest = new RandomProjectionTree[trees];
        Parallel.For(0, trees, t => forest[t] = RandomProjectionTree.Build(space, leafSize, Seeds.Create(seed, 1000 + t), keepPlanes: false));
        space = null;

        // Work in the first tree's leaf order, so that points near in space are near in memory: the rows a local join
        // reads then mostly sit in the cache already for the previous point's join. Mapped back before returning.
        var perm = (int[])forest[0].Order.Clone();
        var inverse = new int[n];
        for (int r = 0; r < n; r++) inverse[perm[r]] = r;
        data.Permute(perm);
        foreach (var tree in forest)
            for (int t = 0; t < n; t++) tree.Order[t] = inverse[tree.Order[t]];

        long count = InitFromForest(data, k, forest, seed, indices, distances, flags);
        int run = 0;
        int maxC = maxCandidates;
        var newCand = new int[n * maxC];
        var oldCand = new int[n * maxC];
        var newPri = new uint[n * maxC];
        var oldPri = new uint[n * maxC];
        int chunks = (BlockSize + ChunkSize - 1) / ChunkSize;
        var updates = new List<Update>[chunks];
        for (int c = 0; c < chunks; c++) updates[c] = new List<Update>();
        long[] chunkCounts = new long[chunks];
        int parts = Math.Max(1, Environment.ProcessorCount);

        for (int it = 0; it < iterations; it++)
        {
            BuildCandidates(indices, flags, n, k, maxC, seed, it, newCand, newPri, oldCand, oldPri, parts);
            long changed = 0;
            for (int blockStart = 0; blockStart < n; blockStart += BlockSize)
            {
                int blockEnd = Math.Min(n, blockStart + BlockSize);
                int blockChunks = (blockEnd - blockStart + ChunkSize - 1) / ChunkSize;
                // Generate: read-only on the heaps.
                Parallel.For(0, blockChunks, c =>
                {
                    var list = updates[c];
                    list.Clear();
                    long evaluated = 0;
                    int from = blockStart + c * ChunkSize, to = Math.Min(blockEnd, from + ChunkSize);
                    for (int i = from; i < to; i++) evaluated += LocalJoin(data, i, maxC, newCand, oldCand, distances, k, list);
                    chunkCounts[c] = evaluated;
                });
                for (int c = 0; c < blockChunks; c++) count += chunkCounts[c];
                changed += Apply(updates, blockChunks, n, k, parts, indices, distances, flags);
            }
            run = it + 1;
            if (changed <= delta * k * n) break;
        }
        // Back to the caller's numbering.
        data.Permute(inverse);
        var outIndices = new int[n * k];
        var outDistances = new float[n * k];
        Parallel.For(0, n, i =>
        {
            int from = inverse[i] * k;
            for (int c = 0; c < k; c++)
            {
                int j = indices[from + c];
                outIndices[i * k + c] = j < 0 ? -1 : perm[j];
                outDistances[i * k + c] = distances[from + c];
            }
        });
        return new Result(outIndices, outDistances, run, count);
    }

    /// <summary>
    /// Each point's first list: every pair of points sharing a leaf in any tree (pynndescent's <c>init_rp_tree</c>),
    /// tree by tree, each leaf's pairs measured once and applied as the descent's updates are; then random points
    /// where the leaves gave fewer than k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long InitFromForest(FloatRows data, int k, RandomProjectionTree[] forest, int seed, int[] indices, float[] distances, byte[] flags)
    {
        int n = data.Rows;
        long total = 0;
        int parts = Math.Max(1, Environment.ProcessorCount);
        const int leavesPerChunk = 64;
        foreach (var tree in forest)
        {
            int leaves = tree.LeafStart.Length - 1;
            int chunks = (leaves + leavesPerChunk - 1) / leavesPerChunk;
            var lists = new List<Update>[chunks];
            var evaluated = new long[chunks];
            Parallel.For(0, chunks, c =>
            {
                var list = lists[c] = new List<Update>();
                int from = c * leavesPerChunk, to = Math.Min(leaves, from + leavesPerChunk);
                long e = 0;
                for (int leaf = from; leaf < to; leaf++)
                {
                    int s0 = tree.LeafStart[leaf], s1 = tree.LeafStart[leaf + 1];
                    for (int a = s0; a < s1; a++)
                    {
                        int p = tree.Order[a];
                        for (int b = a + 1; b < s1; b++)
                        {
                            int q = tree.Order[b];
                            // Already in both lists (from an earlier tree): nothing to gain.
                            if (NeighborHeap.Contains(indices, p * k, k, q) && NeighborHeap.Contains(indices, q * k, k, p)) continue;
                            float d = data.Distance(p, q);
                            e++;
                            if (d <= distances[p * k] || d <= distances[q * k]) list.Add(new Update(p, q, d));
                        }
                    }
                }
                evaluated[c] = e;
            });
            total += evaluated.Sum();
            Apply(lists, chunks, n, k, parts, indices, distances, flags);
        }

        // Points whose leaves held fewer than k others: random points (a stream per point).
        long extra = 0;
        Parallel.For(0, n, () => 0L, (i, _, local) =>
        {
            int offset = i * k;
            if (indices[offset] >= 0) return local;
            var random = Seeds.Create(seed, 2_000_000_000L + i);
            for (int tries = 0; tries < 4 * k && indices[offset] < 0; tries++)
            {
                int j = random.Next(n);
                if (j == i || NeighborHeap.Contains(indices, offset, k, j)) continue;
                local++;
                NeighborHeap.Push(distances, indices, flags, offset, k, data.Distance(i, j), j);
            }
            for (int j = 0; j < n && indices[offset] < 0; j++)
                if (j != i && !NeighborHeap.Contains(indices, offset, k, j))
                {
                    local++;
                    NeighborHeap.Push(distances, indices, flags, offset, k, data.Distance(i, j), j);
                }
            return local;
        }, local => Interlocked.Add(ref extra, local));
        return total + extra;
    }

    /// <summary>
    /// Applies update lists to both ends' heaps: each of <paramref name="parts"/> workers owns a range of points and
    /// replays every list in order, so a heap sees its updates in the same order whatever the thread count.
    /// Returns the number of list entries changed.
    /// </summary>
    private static long Apply(List<Update>[] lists, int count, int n, int k, int parts, int[] indices, float[] distances, byte[] flags)
    {
        var applied = new long[parts];
        Parallel.For(0, parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            long a = 0;
            for (int c = 0; c < count; c++)
                foreach (var u in lists[c])
                {
                    if (u.P >= lo && u.P < hi && NeighborHeap.Push(distances, indices, flags, u.P * k, k, u.D, u.Q)) a++;
                    if (u.Q >= lo && u.Q < hi && NeighborHeap.Push(distances, indices, flags, u.Q * k, k, u.D, u.P)) a++;
                }
            applied[part] = a;
        });
        return applied.Sum();
    }

    /// <summary>A hash of (seed, iteration, unordered pair): the random priority of a candidate, the same from both ends.</summary>
    private static uint Priority(int seed, int iteration, int i, int j)
    {
        ulong a = (ulong)(uint)Math.Min(i, j), b = (ulong)(uint)Math.Max(i, j);
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)iteration << 32) ^ (a << 32 | b) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (uint)((z ^ (z >> 31)) >> 32);
    }

    /// <summary>
    /// pynndescent's <c>new_build_candidates</c>: for every list entry (i, j), j joins i's new (or old, by the
    /// entry's flag) candidates and i joins j's, keeping the <paramref name="maxC"/> of lowest random priority; then
    /// entries chosen as new candidates lose their new flag.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BuildCandidates(int[] indices, byte[] flags, int n, int k, int maxC, int seed, int iteration,
        int[] newCand, uint[] newPri, int[] oldCand, uint[] oldPri, int parts)
    {
        Array.Fill(newCand, -1);
        Array.Fill(oldCand, -1);
        Array.Fill(newPri, uint.MaxValue);
        Array.Fill(oldPri, uint.MaxValue);
        Parallel.For(0, parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            for (int i = 0; i < n; i++)
            {
                bool own = i >= lo && i < hi;
                for (int s = i * k; s < i * k + k; s++)
                {
                    int j = indices[s];
                    if (j < 0) continue;
                    bool ownJ = j >= lo && j < hi;
                    if (!own && !ownJ) continue;
                    uint p = Priority(seed, iteration, i, j);
                    if (flags[s] != 0)
                    {
                        if (own) NeighborHeap.PushPriority(newPri, newCand, i * maxC, maxC, p, j);
                        if (ownJ) NeighborHeap.PushPriority(newPri, newCand, j * maxC, maxC, p, i);
                    }
                    else
                    {
                        if (own) NeighborHeap.PushPriority(oldPri, oldCand, i * maxC, maxC, p, j);
                        if (ownJ) NeighborHeap.PushPriority(oldPri, oldCand, j * maxC, maxC, p, i);
                    }
                }
            }
        });
        Parallel.For(0, n, i =>
        {
            var chosen = newCand.AsSpan(i * maxC, maxC);
            for (int s = i * k; s < i * k + k; s++)
                if (flags[s] != 0 && chosen.Contains(indices[s])) flags[s] = 0;
        });
    }

    /// <summary>
    /// pynndescent's <c>generate_graph_updates</c> for point i: every pair of its new candidates, and every new with
    /// every old one, closer than either end's current worst neighbour, becomes an update. Returns the distances evaluated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LocalJoin(FloatRows data, int i, int maxC, int[] newCand, int[] oldCand, float[] distances, int k, List<Update> updates)
    {
        int evaluated = 0;
        var fresh = newCand.AsSpan(i * maxC, maxC);
        var old = oldCand.AsSpan(i * maxC, maxC);
        for (int a = 0; a < maxC; a++)
        {
            int p = fresh[a];
            if (p < 0) continue;
            float thresholdP = distances[p * k];
            for (int b = a + 1; b < maxC; b++)
            {
                int q = fresh[b];
                if (q < 0) continue;
                float d = data.Distance(p, q);
                evaluated++;
                if (d <= thresholdP || d <= distances[q * k]) updates.Add(new Update(p, q, d));
            }
            for (int b = 0; b < maxC; b++)
            {
                int q = old[b];
                if (q < 0 || q == p) continue;
                float d = data.Distance(p, q);
                evaluated++;
                if (d <= thresholdP || d <= distances[q * k]) updates.Add(new Update(p, q, d));
            }
        }
        return evaluated;
    }

    /// <summary>
    /// The final lists in double precision: each list's entries re-measured exactly with
    /// <see cref="DistanceBlocks.Exact"/> and sorted by (distance, index).
    /// </summary>
    public static NeighborResult Exact(int[] indices, float[] approx, int n, int k, DataMatrix data, NeighborMetric metric, double p)
    {
        var outIdx = new int[n, k];
        var outDist = new double[n, k];
        Parallel.For(0, n, i =>
        {
            var list = new (double D, int J)[k];
            int m = 0;
            for (int s = i * k; s < i * k + k; s++)
            {
                int j = indices[s];
                if (j < 0) continue;
                list[m++] = (DistanceBlocks.Exact(data.Row(i), data.Row(j), metric, p), j);
            }
            Array.Sort(list, 0, m);
            for (int c = 0; c < k; c++)
            {
                outIdx[i, c] = c < m ? list[c].J : -1;
                outDist[i, c] = c < m ? list[c].D : double.PositiveInfinity;
            }
        });
        return new NeighborResult(outIdx, outDist);
    }
}
