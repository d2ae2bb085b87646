using System.Globalization;
using System.Text;

namespace DimReduce.Cli.Commands;

/// <summary>Writes NumPy .npy files (format 1.0, little-endian float64 or int32), so the Python reference reads the same data.</summary>
internal static class Npy
{
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
