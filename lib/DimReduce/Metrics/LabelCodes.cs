namespace DimReduce;

/// <summary>Labels renumbered 0..k-1 in ascending order of the original values (as numpy's unique).</summary>
internal readonly struct LabelCodes
{
    private LabelCodes(int[] codes, int[] classes, int[] counts)
    {
        Codes = codes;
        Classes = classes;
        Counts = counts;
    }

    /// <summary>The code of each sample.</summary>
    public int[] Codes { get; }

    /// <summary>The distinct original labels, ascending; code c stands for Classes[c].</summary>
    public int[] Classes { get; }

    /// <summary>Samples per code.</summary>
    public int[] Counts { get; }

    public int Count => Classes.Length;

    public static LabelCodes From(IReadOnlyList<int> labels)
    {
        var classes = labels.Distinct().Order().ToArray();
        var map = new Dictionary<int, int>(classes.Length);
        for (int c = 0; c < classes.Length; c++) map[classes[c]] = c;
        var codes = new int[labels.Count];
        var counts = new int[classes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = map[labels[i]];
            counts[codes[i]]++;
        }
        return new LabelCodes(codes, classes, counts);
    }
}
