using System.IO.Compression;
using DimReduce.Datasets;

namespace DimReduce.Tests.Datasets;

public sealed class IdxTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dimreduce-idx-" + Guid.NewGuid().ToString("N"));

    public IdxTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    // Two images of 2 x 3 pixels, written by hand after the IDX description (big-endian sizes).
    private static readonly byte[] TinyImages =
    [
        0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
        0, 1, 2, 3, 4, 5,
        250, 251, 252, 253, 254, 255,
    ];

    private static readonly byte[] TinyLabels = [0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9];

    [Fact]
    public void Reads_a_hand_made_image_and_label_file()
    {
        File.WriteAllBytes(PathOf("images"), TinyImages);
        File.WriteAllBytes(PathOf("labels"), TinyLabels);
        var images = Idx.ReadImages(PathOf("images"));
        Assert.Equal((2, 2, 3), (images.Count, images.Height, images.Width));
        Assert.Equal(new byte[] { 250, 251, 252, 253, 254, 255 }, images.Image(1).ToArray());
        var x = images.ToDataMatrix();
        Assert.Equal((2, 6), x.Shape);
        Assert.Equal(5.0, x[0, 5]);
        Assert.Equal(1.0, images.ToDataMatrix(scale: true)[1, 5]);
        Assert.Equal(new byte[] { 7, 0, 9 }, Idx.ReadLabels(PathOf("labels")));
    }

    [Fact]
    public void Round_trips_plain_and_gzip_and_detects_gzip_by_its_magic_bytes()
    {
        var pixels = Enumerable.Range(0, 5 * 4 * 3).Select(i => (byte)(i * 7)).ToArray();
        var images = new IdxImages(5, 4, 3, pixels);
        byte[] labels = [1, 2, 3, 4, 5];
        Idx.WriteImages(PathOf("a-images.gz"), images);
        Idx.WriteLabels(PathOf("a-labels.gz"), labels);
        Idx.WriteImages(PathOf("b-images"), images);
        Assert.Equal(0x1f, File.ReadAllBytes(PathOf("a-images.gz"))[0]);
        Assert.Equal(0, File.ReadAllBytes(PathOf("b-images"))[0]);
        Assert.Equal(pixels, Idx.ReadImages(PathOf("a-images.gz")).Pixels);
        Assert.Equal(pixels, Idx.ReadImages(PathOf("b-images")).Pixels);
        Assert.Equal(labels, Idx.ReadLabels(PathOf("a-labels.gz")));
        // A gzip file without the .gz name (and a plain file named .gz) are both read by content.
        File.Copy(PathOf("a-images.gz"), PathOf("c-images"));
        File.Copy(PathOf("b-images"), PathOf("d-images.gz"));
        Assert.Equal(pixels, Idx.ReadImages(PathOf("c-images")).Pixels);
        Assert.Equal(pixels, Idx.ReadImages(PathOf("d-images.gz")).Pixels);
        using var stream = File.OpenRead(PathOf("a-labels.gz"));
        Assert.Equal(labels, Idx.ReadLabels(stream));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Bad_files_get_clear_errors()
    {
        File.WriteAllBytes(PathOf("labels"), TinyLabels);
        var wrongKind = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(PathOf("labels")));
        Assert.Contains("magic number is 0x00000801", wrongKind.Message);
        Assert.Contains("Idx.ReadLabels", wrongKind.Message);

        File.WriteAllBytes(PathOf("text"), "hello world, not an IDX file"u8.ToArray());
        Assert.Contains("not an IDX images file", Assert.Throws<InvalidDataException>(() => Idx.ReadImages(PathOf("text"))).Message);
        Assert.Contains("not an IDX labels file", Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(PathOf("text"))).Message);

        File.WriteAllBytes(PathOf("short"), TinyImages[..^1]);
        var truncated = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(PathOf("short")));
        Assert.Contains("truncated", truncated.Message);
        Assert.Contains("2 images of 2 x 3 pixels", truncated.Message);

        File.WriteAllBytes(PathOf("long"), [.. TinyLabels, 1]);
        Assert.Contains("longer than its header declares", Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(PathOf("long"))).Message);

        File.WriteAllBytes(PathOf("header"), TinyImages[..10]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Idx.ReadImages(PathOf("header"))).Message);

        File.WriteAllBytes(PathOf("floats"), [0, 0, 0x0D, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        Assert.Contains("only unsigned bytes", Assert.Throws<InvalidDataException>(() => Idx.ReadImages(PathOf("floats"))).Message);

        var gz = File.ReadAllBytes(WriteGz("cut.gz"));
        File.WriteAllBytes(PathOf("cut.gz"), gz[..(gz.Length / 2)]);
        Assert.ThrowsAny<InvalidDataException>(() => Idx.ReadImages(PathOf("cut.gz")));

        var missing = Assert.Throws<FileNotFoundException>(() => Idx.ReadImages(PathOf("nope")));
        Assert.Contains("does not exist", missing.Message);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Idx.ReadImages((string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Idx.ReadLabels("")).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Idx.ReadImages((Stream)null!)).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentNullException>(() => Idx.WriteImages(PathOf("x"), null!)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => Idx.WriteLabels(PathOf("x"), null!)).ParamName);
    }

    private string WriteGz(string name)
    {
        var big = new IdxImages(50, 28, 28, Enumerable.Range(0, 50 * 784).Select(i => (byte)(i * 31 % 251)).ToArray());
        Idx.WriteImages(PathOf(name), big);
        return PathOf(name);
    }

    [Fact]
    public void IdxImages_checks_its_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new IdxImages(2, 2, 2, new byte[7]));
        Assert.Equal("pixels", e.ParamName);
        Assert.Contains("need 8", e.Message);
        Assert.Equal("height", Assert.Throws<ArgumentOutOfRangeException>(() => new IdxImages(1, 0, 2, [])).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new IdxImages(-1, 1, 1, [])).ParamName);
        var images = new IdxImages(2, 1, 2, [1, 2, 3, 4]);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => images.Image(2).ToArray()).ParamName);
        Assert.Equal(new byte[] { 3, 4, 1, 2 }, images.Select([1, 0]).Pixels);
    }
}
