using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DimReduce.Interactive.Documents;

namespace DimReduce.Cli.Grading;

/// <summary>What a cell is to the grader.</summary>
internal enum CellRole
{
    /// <summary>An ordinary cell (prose, examples, the student's own scratch cells): run as the student left it.</summary>
    Free,
    /// <summary>Holds <c>// BEGIN SOLUTION</c> regions in the source; the student's version of it is graded code.</summary>
    Solution,
    /// <summary>Instructor code the student must not change (set-up, test helpers): restored at grading.</summary>
    Locked,
    /// <summary>A graded test cell worth points: restored at grading, hidden tests included.</summary>
    Test,
}

/// <summary>A cell's role, id and points, from its in-source header or its nbgrader metadata.</summary>
internal sealed record CellInfo(CellRole Role, string? Id, double Points)
{
    public static readonly CellInfo Free = new(CellRole.Free, null, 0);
}

/// <summary>
/// Reads and writes cell roles. Two spellings, which agree when both are present:
/// <list type="bullet">
/// <item>a header comment on the first code line (works in .dib, which has no cell metadata):
/// <c>// TEST id (N points)</c>, <c>// SOLUTION id</c>, <c>// LOCKED id</c>;</item>
/// <item>nbgrader's cell metadata in .ipynb (<c>nbgrader</c>: grade, solution, locked, points, grade_id, schema_version 3).</item>
/// </list>
/// </summary>
internal static partial class CellRoles
{
    public const string BeginSolution = "BEGIN SOLUTION";
    public const string EndSolution = "END SOLUTION";
    public const string BeginHidden = "BEGIN HIDDEN TESTS";
    public const string EndHidden = "END HIDDEN TESTS";

    /// <summary>
    /// A solution cell's nbgrader <c>grade_id</c> is its task id plus this suffix, because nbgrader wants every grade_id
    /// unique and the task's test cell already uses the task id.
    /// </summary>
    public const string SolutionSuffix = "-solution";

    [GeneratedRegex(@"^\s*//\s*TEST\s+(?<id>[A-Za-z0-9_.\-]+)\s*\(\s*(?<points>\d+(?:\.\d+)?)\s*points?\s*\)\s*$")]
    private static partial Regex TestHeader();

    [GeneratedRegex(@"^\s*//\s*(?<role>SOLUTION|LOCKED)\s+(?<id>[A-Za-z0-9_.\-]+)\s*$")]
    private static partial Regex OtherHeader();

    [GeneratedRegex(@"^\s*//\s*(TEST|SOLUTION|LOCKED)\b")]
    private static partial Regex AnyHeader();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    public static partial Regex IdPattern();

    /// <summary>The source's lines, <c>\r\n</c> or <c>\n</c> separated, without line ends.</summary>
    public static string[] Lines(string source) => source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>Index of the header line: the first line that is not blank and not a <c>#!</c> magic; -1 if none.</summary>
    public static int HeaderLine(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith("#!", StringComparison.Ordinal)) continue;
            return i;
        }
        return -1;
    }

    /// <summary>The role written in the cell's header comment, or null when it has none.</summary>
    /// <exception cref="InvalidDataException">The first line looks like a header but does not parse.</exception>
    public static CellInfo? FromHeader(NotebookCell cell, string where)
    {
        if (cell.Kind != CellKind.Code) return null;
        var lines = Lines(cell.Source);
        int h = HeaderLine(lines);
        if (h < 0) return null;
        string line = lines[h];
        var m = TestHeader().Match(line);
        if (m.Success) return new CellInfo(CellRole.Test, m.Groups["id"].Value, double.Parse(m.Groups["points"].Value, CultureInfo.InvariantCulture));
        m = OtherHeader().Match(line);
        if (m.Success) return new CellInfo(m.Groups["role"].Value == "SOLUTION" ? CellRole.Solution : CellRole.Locked, m.Groups["id"].Value, 0);
        if (AnyHeader().IsMatch(line))
            throw new InvalidDataException($"{where}: the header '{line.Trim()}' does not parse. Write '// TEST id (N points)', '// SOLUTION id' or '// LOCKED id', with an id of letters, digits, '.', '_' or '-'.");
        return null;
    }

    /// <summary>The role in the cell's nbgrader metadata, or null when it has none.</summary>
    public static CellInfo? FromMetadata(NotebookCell cell)
    {
        if (cell.Metadata["nbgrader"] is not JsonObject nb) return null;
        bool Flag(string key) => nb[key] is JsonValue v && v.TryGetValue(out bool b) && b;
        string? id = nb["grade_id"] is JsonValue idv && idv.TryGetValue(out string? s) ? s : null;
        double points = nb["points"] is JsonValue pv && pv.TryGetValue(out double p) ? p : 0;
        if (Flag("grade") && !Flag("solution")) return new CellInfo(CellRole.Test, id, points);
        if (Flag("solution")) return new CellInfo(CellRole.Solution, id is not null && id.EndsWith(SolutionSuffix, StringComparison.Ordinal) ? id[..^SolutionSuffix.Length] : id, 0);
        if (Flag("locked")) return new CellInfo(CellRole.Locked, id, 0);
        return null;
    }

    /// <summary>
    /// The role of a cell in an instructor's source: header and metadata must agree; a cell with solution markers
    /// is a solution cell.
    /// </summary>
    public static CellInfo ForSource(NotebookCell cell, string where)
    {
        var header = FromHeader(cell, where);
        var meta = FromMetadata(cell);
        if (header is not null && meta is not null && (header.Role != meta.Role || header.Id != meta.Id || header.Points != meta.Points))
            throw new InvalidDataException(
                $"{where}: the header says {Describe(header)} but the nbgrader metadata says {Describe(meta)}. Make them agree " +
                "(or run 'dimreduce assign --update-source' to rewrite the metadata from the headers).");
        var info = header ?? meta;
        bool hasSolution = cell.Kind == CellKind.Code && cell.Source.Contains(BeginSolution, StringComparison.Ordinal);
        if (info is null)
        {
            if (hasSolution)
                throw new InvalidDataException($"{where}: the cell has a '// {BeginSolution}' region but no id. Put '// SOLUTION task-id' on its first line.");
            return CellInfo.Free;
        }
        if (info.Id is null || !IdPattern().IsMatch(info.Id))
            throw new InvalidDataException($"{where}: the {info.Role} cell's id '{info.Id}' is missing or not made of letters, digits, '.', '_' or '-'. Give it an id such as 'pca-eigen'.");
        if (info.Role == CellRole.Test && !(info.Points > 0))
            throw new InvalidDataException($"{where}: test cell '{info.Id}' is worth {info.Points} points; give it a positive number, e.g. '// TEST {info.Id} (2 points)'.");
        if (hasSolution && info.Role != CellRole.Solution)
            throw new InvalidDataException($"{where}: the {info.Role} cell '{info.Id}' has a '// {BeginSolution}' region, which only solution cells may have. Move the solution into a '// SOLUTION id' cell.");
        if (info.Role == CellRole.Solution && !hasSolution)
            throw new InvalidDataException($"{where}: solution cell '{info.Id}' has no '// {BeginSolution}' ... '// {EndSolution}' region; mark the code students write.");
        if (info.Role != CellRole.Test && cell.Source.Contains(BeginHidden, StringComparison.Ordinal))
            throw new InvalidDataException($"{where}: '// {BeginHidden}' appears outside a test cell; hidden tests belong in a '// TEST id (N points)' cell.");
        return info;
    }

    /// <summary>The role of a cell in a student's submission: header first, then metadata (whichever names an id).</summary>
    public static CellInfo ForSubmission(NotebookCell cell)
    {
        CellInfo? header;
        try { header = FromHeader(cell, "submission"); }
        catch (InvalidDataException) { header = null; }
        if (header?.Id is not null) return header;
        var meta = FromMetadata(cell);
        return meta?.Id is not null ? meta : CellInfo.Free;
    }

    /// <summary>nbgrader's metadata for a role (schema version 3).</summary>
    public static JsonObject NbgraderMetadata(CellInfo info)
    {
        var nb = new JsonObject
        {
            ["grade"] = info.Role == CellRole.Test,
            ["grade_id"] = info.Role == CellRole.Solution ? info.Id + SolutionSuffix : info.Id,
            ["locked"] = info.Role is CellRole.Test or CellRole.Locked,
        };
        if (info.Role == CellRole.Test) nb["points"] = info.Points;
        nb["schema_version"] = 3;
        nb["solution"] = info.Role == CellRole.Solution;
        nb["task"] = false;
        return nb;
    }

    private static string Describe(CellInfo i) =>
        i.Role == CellRole.Test ? $"test '{i.Id}' ({i.Points.ToString(CultureInfo.InvariantCulture)} points)" : $"{i.Role.ToString().ToLowerInvariant()} '{i.Id}'";
}
