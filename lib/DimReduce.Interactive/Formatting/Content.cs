namespace DimReduce.Interactive;

/// <summary>HTML to show as <c>text/html</c> (what <c>HTML("...")</c> returns).</summary>
/// <param name="Html">The HTML source.</param>
public sealed record HtmlContent(string Html)
{
    /// <summary>The HTML source.</summary>
    public override string ToString() => Html;
}

/// <summary>Markdown to show as <c>text/markdown</c> (with a <c>text/html</c> rendering for front ends without markdown).</summary>
/// <param name="Markdown">The markdown source.</param>
public sealed record MarkdownContent(string Markdown)
{
    /// <summary>The markdown source.</summary>
    public override string ToString() => Markdown;
}

/// <summary>A PNG image to show as <c>image/png</c>. A plain <c>byte[]</c> that starts with the PNG signature is shown the same way.</summary>
/// <param name="Bytes">The PNG file's bytes.</param>
public sealed record PngImage(byte[] Bytes)
{
    /// <summary>Reads a PNG file.</summary>
    public static PngImage FromFile(string path) => new(File.ReadAllBytes(path));

    /// <summary>True when <paramref name="bytes"/> starts with the 8-byte PNG signature.</summary>
    public static bool IsPng(byte[]? bytes) =>
        bytes is { Length: >= 8 } && bytes[0] == 0x89 && bytes[1] == 0x50 && bytes[2] == 0x4E && bytes[3] == 0x47 && bytes[4] == 0x0D && bytes[5] == 0x0A && bytes[6] == 0x1A && bytes[7] == 0x0A;

    /// <summary>A one-line description with the pixel size read from the IHDR chunk.</summary>
    public override string ToString()
    {
        if (IsPng(Bytes) && Bytes.Length >= 24)
        {
            int w = (Bytes[16] << 24) | (Bytes[17] << 16) | (Bytes[18] << 8) | Bytes[19];
            int h = (Bytes[20] << 24) | (Bytes[21] << 16) | (Bytes[22] << 8) | Bytes[23];
            return $"PNG image, {w} x {h} pixels, {Bytes.Length} bytes";
        }
        return $"PNG image, {Bytes.Length} bytes";
    }
}
