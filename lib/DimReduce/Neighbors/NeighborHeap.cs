using System.Runtime.CompilerServices;

namespace DimReduce.Neighbors;

/// <summary>
/// Bounded max-heaps of (distance, index), one per point, stored flat: point i owns slots i k .. i k + k - 1 of the
/// arrays, slot i k being the current worst (the root). Ordered by distance, ties by index, so the set a heap holds
/// after any sequence of pushes is the k smallest distinct (distance, index) pairs pushed, whatever their order.
/// </summary>
internal static class NeighborHeap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Greater(float d1, int i1, float d2, int i2) => d1 > d2 || (d1 == d2 && i1 > i2);

    /// <summary>Whether <paramref name="index"/> is among the entries of the heap starting at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Contains(int[] indices, int offset, int k, int index) =>
        indices.AsSpan(offset, k).Contains(index);

    /// <summary>
    /// Pushes (d, index) into the heap at <paramref name="offset"/> unless it is no better than the root or already
    /// present; returns whether it was inserted. <paramref name="flags"/> (when not null) marks the entry new.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Push(float[] distances, int[] indices, byte[]? flags, int offset, int k, float d, int index, byte flag = 1)
    {
        if (!Greater(distances[offset], indices[offset], d, index)) return false;
        if (Contains(indices, offset, k, index)) return false;
        // Replace the root and sift down.
        int i = 0;
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, swap;
            if (left >= k) break;
            if (right >= k || Greater(distances[offset + left], indices[offset + left], distances[offset + right], indices[offset + right])) swap = left;
            else swap = right;
            if (!Greater(distances[offset + swap], indices[offset + swap], d, index)) break;
            distances[offset + i] = distances[offset + swap];
            indices[offset + i] = indices[offset + swap];
            if (flags is not null) flags[offset + i] = flags[offset + swap];
            i = swap;
        }
        distances[offset + i] = d;
        indices[offset + i] = index;
        if (flags is not null) flags[offset + i] = flag;
        return true;
    }

    /// <summary>Priority heaps of candidate indices (uint priorities), same rules as <see cref="Push"/>.</summary>
    public static void PushPriority(uint[] priorities, int[] indices, int offset, int k, uint p, int index)
    {
        uint rootP = priorities[offset];
        int rootI = indices[offset];
        if (!(rootP > p || (rootP == p && rootI > index))) return;
        if (indices.AsSpan(offset, k).Contains(index)) return;
        int i = 0;
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, swap;
            if (left >= k) break;
            uint pl = priorities[offset + left];
            if (right >= k) swap = left;
            else
            {
                uint pr = priorities[offset + right];
                swap = pl > pr || (pl == pr && indices[offset + left] > indices[offset + right]) ? left : right;
            }
            uint ps = priorities[offset + swap];
            if (!(ps > p || (ps == p && indices[offset + swap] > index))) break;
            priorities[offset + i] = ps;
            indices[offset + i] = indices[offset + swap];
            i = swap;
        }
        priorities[offset + i] = p;
        indices[offset + i] = index;
    }

    /// <summary>Sorts the heap at <paramref name="offset"/> ascending by (distance, index), empty slots last.</summary>
    public static void Sort(float[] distances, int[] indices, int offset, int k)
    {
        var keys = distances.AsSpan(offset, k);
        var items = indices.AsSpan(offset, k);
        // Insertion sort: k is small (tens).
        for (int a = 1; a < k; a++)
        {
            float d = keys[a];
            int idx = items[a];
            int b = a - 1;
            while (b >= 0 && Greater(keys[b], items[b] < 0 ? int.MaxValue : items[b], d, idx < 0 ? int.MaxValue : idx))
            {
                keys[b + 1] = keys[b];
                items[b + 1] = items[b];
                b--;
            }
            keys[b + 1] = d;
            items[b + 1] = idx;
        }
    }
}
