using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace DimReduce.Datasets;

/// <summary>
/// Reads and writes the IDX format of MNIST and Fashion-MNIST (<c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, ...), plain or gzip-compressed.
/// </summary>
/// <remarks>
/// <para>Layout (LeCun et al., "THE MNIST DATABASE of handwritten digits"): two zero bytes, a type byte
/// (0x08 = unsigned byte, the only type these data sets use), a byte with the number of dimensions, then
/// each dimension as a big-endian 32-bit integer, then the values. Images have 3 dimensions
/// (count, rows, columns; magic number 0x00000803), labels 1 (count; magic 0x00000801).</para>
/// <para>Compression is recognised by the gzip magic bytes 1f 8b, whatever the file is called, so a file a
/// browser decompressed but left named <c>.gz</c> still reads. Writers compress when the path ends in
/// <c>.gz</c>, and write atomically (a temporary file moved into place).</para>
/// </remarks>
public static class Idx
{
    /// <summary>Magic number of an unsigned-byte image file (3 dimensions).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte label file (1 dimension).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file (<c>*-images-idx3-ubyte</c>, optionally <c>.gz</c>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an unsigned-byte IDX image file, or is truncated or too long.</exception>
    public static IdxImages ReadImages(string path)
    {
        var bytes = ReadFile(path);
        return ParseImages(bytes, path);
    }

    /// <summary>Reads an image file from a stream (plain or gzip). The stream is read to its end, not closed.</summary>
    public static IdxImages ReadImages(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ParseImages(Decompress(ReadAll(stream)), "the stream");
    }

    /// <summary>Reads a label file (<c>*-labels-idx1-ubyte</c>, optionally <c>.gz</c>): one byte per image.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an unsigned-byte IDX label file, or is truncated or too long.</exception>
    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadFile(path);
        return ParseLabels(bytes, path);
    }

    /// <summary>Reads a label file from a stream (plain or gzip). The stream is read to its end, not closed.</summary>
    public static byte[] ReadLabels(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ParseLabels(Decompress(ReadAll(stream)), "the stream");
    }

    /// <summary>Writes an image file, gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    public static void WriteImages(string path, IdxImages images)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(images);
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), images.Count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), images.Height);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), images.Width);
        Write(path, header, images.Pixels);
    }

    /// <summary>Writes a label file, gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    public static void WriteLabels(string path, IReadOnlyList<byte> labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(labels);
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Count);
        Write(path, header, labels as byte[] ?? labels.ToArray());
    }

    private static void Write(string path, byte[] header, byte[] body) =>
        AtomicFile.Write(path, file =>
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gz = new GZipStream(file, CompressionLevel.SmallestSize, leaveOpen: true);
                gz.Write(header);
                gz.Write(body);
            }
            else
            {
                file.Write(header);
                file.Write(body);
            }
        });

    private static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The IDX file '{path}' does not exist. Check the path (Fashion-MNIST files are named like train-images-idx3-ubyte.gz).", path);
        return Decompress(File.ReadAllBytes(path), path);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Decompress(byte[] bytes, string what = "the stream")
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            return ReadAll(gz);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Quote(what)} starts like a gzip file but cannot be decompressed ({e.Message}). The download is probably incomplete: fetch the file again.", e);
        }
    }

    private static IdxImages ParseImages(byte[] bytes, string what)
    {
        var dims = Header(bytes, what, ImagesMagic, 3, "images", "train-images-idx3-ubyte or t10k-images-idx3-ubyte");
        long expected = (long)dims[0] * dims[1] * dims[2];
        CheckBody(bytes, 16, expected, what, string.Create(CultureInfo.InvariantCulture, $"{dims[0]} images of {dims[1]} x {dims[2]} pixels"));
        if (dims[1] < 1 || dims[2] < 1)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Quote(what)} declares images of {dims[1]} x {dims[2]} pixels; each side must be at least 1."));
        return new IdxImages(dims[0], dims[1], dims[2], bytes.AsSpan(16, (int)expected).ToArray());
    }

    private static byte[] ParseLabels(byte[] bytes, string what)
    {
        var dims = Header(bytes, what, LabelsMagic, 1, "labels", "train-labels-idx1-ubyte or t10k-labels-idx1-ubyte");
        CheckBody(bytes, 8, dims[0], what, string.Create(CultureInfo.InvariantCulture, $"{dims[0]} labels"));
        return bytes.AsSpan(8, dims[0]).ToArray();
    }

    private static int[] Header(byte[] bytes, string what, int magic, int ndim, string kind, string example)
    {
        int headerLength = 4 + 4 * ndim;
        if (bytes.Length < 4)
            throw new InvalidDataException($"{Quote(what)} is too short ({bytes.Length} bytes) to be an IDX {kind} file. Pass {example} (plain or .gz).");
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
        {
            string hint = found == ImagesMagic ? " It holds images: read it with Idx.ReadImages."
                : found == LabelsMagic ? " It holds labels: read it with Idx.ReadLabels."
                : bytes[0] == 0 && bytes[1] == 0 && bytes[2] != 0x08 ? $" Its type byte is 0x{bytes[2]:x2}; only unsigned bytes (0x08) are supported."
                : "";
            throw new InvalidDataException(
                $"{Quote(what)} is not an IDX {kind} file: its magic number is 0x{found:x8}, expected 0x{magic:x8} (unsigned bytes, {ndim} dimension(s)).{hint} Pass {example} (plain or .gz).");
        }
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{Quote(what)} is truncated: its header needs {headerLength} bytes, but the file holds {bytes.Length}. Fetch the file again.");
        var dims = new int[ndim];
        for (int k = 0; k < ndim; k++)
        {
            dims[k] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * k));
            if (dims[k] < 0)
                throw new InvalidDataException($"{Quote(what)} declares a negative size ({dims[k]}) in dimension {k}; the file is damaged.");
        }
        return dims;
    }

    private static void CheckBody(byte[] bytes, int headerLength, long expected, string what, string declared)
    {
        long actual = bytes.LongLength - headerLength;
        if (actual < expected)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{Quote(what)} is truncated: its header declares {declared} ({expected} bytes of data), but only {actual} bytes follow. The download is probably incomplete: fetch the file again."));
        if (actual > expected)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{Quote(what)} is longer than its header declares: {declared} need {expected} bytes of data, but {actual} follow. The file is damaged or not an IDX file."));
    }

    private static string Quote(string what) => what == "the stream" ? "The stream" : $"'{what}'";
}
