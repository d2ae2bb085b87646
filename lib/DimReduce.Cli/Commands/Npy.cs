using System.Globalization;
using System.Text;

namespace DimReduce.Cli.Commands;

/// <summary>
/// Writes NumPy .npy files (format 1.0, little-endian float64 or int32), so the Python reference reads the same data;
/// reads 2-D .npy matrices (float64, float32, uint8, int32 or int64, C order) as input to <c>reduce</c>.
/// </summary>
internal static class Npy
{
    /// <summary>Reads a 2-D .npy file of numbers into a matrix.</summary>
    public static DataMatrix Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(8);
        if (magic.Length < 8 || magic[0] != 0x93 || Encoding.ASCII.GetString(magic, 1, 5) != "NUMPY")
            throw new ArgumentException($"'{path}' is not a NumPy .npy file (its first bytes are not \\x93NUMPY). Pass a .npy file written by numpy.save, or a CSV.", "--input");
        int headerLength = magic[6] == 1 ? reader.ReadUInt16() : (int)reader.ReadUInt32();
        string header = Encoding.ASCII.GetString(reader.ReadBytes(headerLength));
        string descr = Field(header, "descr").Trim('\'', ' ');
        if (Field(header, "fortran_order").Trim() != "False")
            throw new ArgumentException($"'{path}' is stored in Fortran order. Save it with numpy.save(path, numpy.ascontiguousarray(x)).", "--input");
        var shape = Field(header, "shape").Trim('(', ')', ' ').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (shape.Length != 2)
            throw new ArgumentException($"'{path}' holds a {shape.Length}-dimensional array; reduce needs a 2-D matrix (rows x features).", "--input");
        int rows = int.Parse(shape[0], CultureInfo.InvariantCulture), cols = int.Parse(shape[1], CultureInfo.InvariantCulture);
        var data = new double[(long)rows * cols];
        int size = descr switch { "<f8" => 8, "<f4" => 4, "|u1" or "<u1" => 1, "<i4" => 4, "<i8" => 8, _ => 0 };
        if (size == 0)
            throw new ArgumentException($"'{path}' holds numbers of type '{descr}'; reduce reads float64, float32, uint8, int32 or int64 (little-endian).", "--input");
        var row = new byte[cols * size];
        for (int i = 0; i < rows; i++)
        {
            reader.BaseStream.ReadExactly(row);
            var target = data.AsSpan(i * cols, cols);
            for (int j = 0; j < cols; j++)
                target[j] = descr switch
                {
                    "<f8" => BitConverter.ToDouble(row, j * 8),
                    "<f4" => BitConverter.ToSingle(row, j * 4),
                    "<i4" => BitConverter.ToInt32(row, j * 4),
                    "<i8" => BitConverter.ToInt64(row, j * 8),
                    _ => row[j],
                };
        }
        return new DataMatrix(rows, cols, data);
    }

    private static string Field(string header, string key)
    {
        int at = header.IndexOf($"'{key}':", StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException($"The .npy header has no '{key}' entry.", "--input");
        int start = at + key.Length + 3;
        int end = key == "shape" ? header.IndexOf(')', start) + 1 : header.IndexOf(',', start);
        return header[start..end];
    }

    public static void Write(string path, DataMatrix x) =>
        Write(path, "<f8", $"({x.Rows}, {x.Columns})", s =>
        {
            var bytes = new byte[x.Columns * sizeof(double)];
            for (int i = 0; i < x.Rows; i++)
            {
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.Row(i)).CopyTo(bytes);
                s.Write(bytes);
            }
        });

    public static void Write(string path, IReadOnlyList<int> values) =>
        Write(path, "<i4", string.Create(CultureInfo.InvariantCulture, $"({values.Count},)"), s =>
        {
            foreach (int v in values) s.Write(BitConverter.GetBytes(v));
        });

    private static void Write(string path, string descr, string shape, Action<Stream> body) =>
        AtomicFile.Write(path, s =>
        {
            string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
            int total = 10 + header.Length + 1;
            header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            s.Write(BitConverter.GetBytes((ushort)header.Length));
            s.Write(Encoding.ASCII.GetBytes(header));
            body(s);
        });
}
