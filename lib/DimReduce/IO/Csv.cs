using System.Globalization;
using System.Text;

namespace DimReduce.IO;

/// <summary>A numeric table read from CSV: the values, the column names, and the label column if one was asked for.</summary>
/// <param name="Values">The numeric columns, one row per data row.</param>
/// <param name="ColumnNames">Names of the numeric columns (from the header, or <c>c1, c2, ...</c> when the file has none).</param>
/// <param name="Labels">The label column's raw text per row, when a label column was named; otherwise null.</param>
/// <param name="HasHeader">Whether the first line was a header.</param>
public sealed record CsvTable(DataMatrix Values, IReadOnlyList<string> ColumnNames, IReadOnlyList<string>? Labels, bool HasHeader);

/// <summary>
/// Reads and writes the plain CSV files of numbers that the <c>dimreduce</c> command and notebooks use:
/// comma-separated, invariant culture (a dot for decimals), an optional header row (detected: a first
/// row with any field that is not a number is a header), double quotes around fields allowed.
/// Every problem is reported with the file, the line and the column, in one sentence.
/// </summary>
public static class Csv
{
    /// <summary>Reads a CSV of numbers.</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">A column to set apart as labels (by header name), or null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A ragged row, a value that is not a number, NaN or infinity, no data rows, or an unknown label column.</exception>
    public static CsvTable Read(string path, string? labelColumn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found. Check the path (relative paths start from '{Environment.CurrentDirectory}').", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, labelColumn);
    }

    /// <summary>Reads CSV text from a reader; <paramref name="name"/> names the source in error messages.</summary>
    public static CsvTable Read(TextReader reader, string name, string? labelColumn = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<(int Line, string[] Fields)>();
        string? text;
        int lineNumber = 0;
        while ((text = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            rows.Add((lineNumber, SplitLine(text, name, lineNumber)));
        }
        if (rows.Count == 0)
            throw new InvalidDataException($"{name}: the file is empty. Pass a CSV with one row per sample.");

        bool hasHeader = rows[0].Fields.Any(f => !TryNumber(f, out _));
        int width = rows[0].Fields.Length;
        string[] names = hasHeader
            ? rows[0].Fields.Select(f => f.Trim()).ToArray()
            : Enumerable.Range(1, width).Select(j => $"c{j}").ToArray();

        int labelIndex = -1;
        if (labelColumn is not null)
        {
            if (!hasHeader)
                throw new InvalidDataException($"{name}: --label-column '{labelColumn}' was given, but the file has no header row to find it in. Add a header, or drop the option.");
            labelIndex = Array.IndexOf(names, labelColumn);
            if (labelIndex < 0)
                throw new InvalidDataException($"{name}: there is no column '{labelColumn}' (columns: {string.Join(", ", names)}). Pass one of those to --label-column.");
        }

        var data = rows.Skip(hasHeader ? 1 : 0).ToList();
        if (data.Count == 0)
            throw new InvalidDataException($"{name}: the file has a header but no data rows.");
        int outWidth = labelIndex >= 0 ? width - 1 : width;
        var values = new double[checked(data.Count * outWidth)];
        var labels = labelIndex >= 0 ? new string[data.Count] : null;
        for (int i = 0; i < data.Count; i++)
        {
            var (line, fields) = data[i];
            if (fields.Length != width)
                throw new InvalidDataException(
                    $"{name} line {line}: {fields.Length} values, but {(hasHeader ? "the header" : "the first row")} has {width}. Every row must have the same number of columns (ragged row).");
            int k = 0;
            for (int j = 0; j < width; j++)
            {
                if (j == labelIndex) { labels![i] = fields[j].Trim(); continue; }
                if (!TryNumber(fields[j], out double v))
                    throw new InvalidDataException(
                        $"{name} line {line}, column {j + 1} ('{names[j]}'): '{fields[j].Trim()}' is not a number. Use a dot for decimals and no thousands separators, or name the column with --label-column if it holds labels.");
                if (!double.IsFinite(v))
                    throw new InvalidDataException(
                        $"{name} line {line}, column {j + 1} ('{names[j]}'): the value is {(double.IsNaN(v) ? "NaN" : "infinite")}. Remove or impute missing values before reducing.");
                values[i * outWidth + k++] = v;
            }
        }
        var columnNames = labelIndex >= 0 ? names.Where((_, j) => j != labelIndex).ToArray() : names;
        return new CsvTable(new DataMatrix(data.Count, outWidth, values), columnNames, labels, hasHeader);
    }

    /// <summary>
    /// Reads a one-column file of labels (integers, or class names numbered in order of first appearance).
    /// A header row is detected and skipped: a first line that is not an integer above integer labels, or
    /// one of the usual header words (label, labels, class, target, y, cluster) above class names.
    /// </summary>
    public static (int[] Labels, string[] ClassNames) ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found. Check the path (relative paths start from '{Environment.CurrentDirectory}').", path);
        var lines = File.ReadAllLines(path).Select((t, i) => (Text: t.Trim(), Line: i + 1)).Where(p => p.Text.Length > 0).ToList();
        if (lines.Count == 0) throw new InvalidDataException($"{path}: the file is empty. Pass one label per line.");
        foreach (var (t, line) in lines)
            if (SplitLine(t, path, line).Length != 1)
                throw new InvalidDataException($"{path} line {line}: expected one label per line, found {SplitLine(t, path, line).Length} values.");
        var fields = lines.Select(p => (Value: Unquote(p.Text), p.Line)).ToList();
        bool allInts(IEnumerable<string> xs) => xs.All(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        if ((!allInts(fields.Select(f => f.Value)) && allInts(fields.Skip(1).Select(f => f.Value)))
            || HeaderWords.Contains(fields[0].Value))
            fields.RemoveAt(0);
        if (fields.Count == 0) throw new InvalidDataException($"{path}: the file has a header but no labels.");
        return ParseLabels(fields.Select(f => f.Value).ToArray());
    }

    /// <summary>
    /// Labels from their text: integers are kept as they are (class names are their values, ascending);
    /// anything else is a class name, numbered in order of first appearance.
    /// </summary>
    public static (int[] Labels, string[] ClassNames) ParseLabels(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.All(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
        {
            var ints = values.Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var names = ints.Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
            return (ints, names);
        }
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = values.Select(v => map.TryGetValue(v, out int id) ? id : map[v] = map.Count).ToArray();
        return (labels, map.OrderBy(p => p.Value).Select(p => p.Key).ToArray());
    }

    private static readonly HashSet<string> HeaderWords = new(StringComparer.OrdinalIgnoreCase) { "label", "labels", "class", "target", "y", "cluster" };

    /// <summary>Writes a matrix as CSV with a header (default <c>c1,c2,...</c>), atomically.</summary>
    public static void Write(string path, DataMatrix values, IReadOnlyList<string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (columnNames is not null && columnNames.Count != values.Columns)
            throw new ArgumentException($"columnNames has {columnNames.Count} names, but the matrix has {values.Columns} columns.", nameof(columnNames));
        var sb = new StringBuilder();
        sb.AppendJoin(',', columnNames?.Select(Quote) ?? Enumerable.Range(1, values.Columns).Select(j => $"c{j}")).Append('\n');
        for (int i = 0; i < values.Rows; i++)
        {
            var row = values.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append(row[j].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    private static bool TryNumber(string field, out double value) =>
        double.TryParse(Unquote(field.Trim()), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static string Unquote(string s) =>
        s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : s;

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string[] SplitLine(string line, string name, int lineNumber)
    {
        if (line.IndexOf('"') < 0) return line.Split(',');
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        if (quoted) throw new InvalidDataException($"{name} line {lineNumber}: a quoted field is not closed. Add the closing double quote.");
        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
