using DimReduce.Interactive.Documents;

namespace DimReduce.Cli.Grading;

/// <summary>One cell to run when grading: the student's own code, or the instructor's version of a test or locked cell.</summary>
/// <param name="Index">0-based position in the plan.</param>
/// <param name="Source">The code that runs.</param>
/// <param name="Kernel">Its kernel.</param>
/// <param name="Role">Role in the instructor's source.</param>
/// <param name="Id">Test, solution or locked id, or null for a free cell.</param>
/// <param name="StudentCell">1-based cell number in the submission, or null for a cell the grader restored.</param>
internal sealed record PlanCell(int Index, string Source, string Kernel, CellRole Role, string? Id, int? StudentCell);

/// <summary>
/// What runs for one submitted notebook: the student's cells in the student's order, except that every cell matching an
/// instructor's test or locked cell (by <c>grade_id</c> or header id) is replaced with the instructor's version, hidden
/// tests included (nbgrader's OverwriteCells). Test or locked cells the student deleted are put back after the cell
/// that precedes them in the source; a repeated copy is not run. Edits are recorded as flags.
/// </summary>
internal sealed class SubmissionPlan
{
    public List<PlanCell> Cells { get; } = [];
    public List<string> Flags { get; } = [];
    public HashSet<string> Edited { get; } = new(StringComparer.Ordinal);

    public static SubmissionPlan Build(Notebook submission, Assignment assignment)
    {
        var plan = new SubmissionPlan();
        var cells = new List<PlanCell>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < submission.Cells.Count; i++)
        {
            var cell = submission.Cells[i];
            if (cell.Kind != CellKind.Code) continue;
            var info = CellRoles.ForSubmission(cell);
            var source = info.Id is null ? null : assignment.Find(info.Role, info.Id);
            if (source is { Info.Role: CellRole.Test or CellRole.Locked })
            {
                string what = source.Info.Role == CellRole.Test ? "test" : "locked";
                if (!seen.Add("t:" + source.Info.Id))
                {
                    plan.Flags.Add($"cell {i + 1} repeats {what} cell '{source.Info.Id}'; only the first copy was run.");
                    continue;
                }
                // The released text is the student's copy; the full source (hidden tests included) is the instructor's own.
                string given = Normalize(cell.Source);
                if (given != Normalize(source.Released) && given != Normalize(source.Cell.Source))
                {
                    plan.Edited.Add(source.Info.Id!);
                    plan.Flags.Add($"{what} cell '{source.Info.Id}' (cell {i + 1}) was edited; the instructor's version was run instead.");
                }
                cells.Add(new PlanCell(0, source.Cell.Source, source.Cell.KernelName, source.Info.Role, source.Info.Id, i + 1));
            }
            else if (source is { Info.Role: CellRole.Solution } && seen.Add("s:" + source.Info.Id))
            {
                cells.Add(new PlanCell(0, cell.Source, cell.KernelName, CellRole.Solution, source.Info.Id, i + 1));
            }
            else
            {
                cells.Add(new PlanCell(0, cell.Source, cell.KernelName, CellRole.Free, null, i + 1));
            }
        }

        // Put back deleted test and locked cells, each after the plan cell of the source cell before it.
        int anchor = -1;
        foreach (var c in assignment.Cells.Where(c => c.Info.Id is not null))
        {
            int at = cells.FindIndex(p => p.Id == c.Info.Id && (p.Role == CellRole.Solution) == (c.Info.Role == CellRole.Solution));
            if (at >= 0) { anchor = at; continue; }
            if (c.Info.Role is not (CellRole.Test or CellRole.Locked)) continue;
            string what = c.Info.Role == CellRole.Test ? "test" : "locked";
            plan.Flags.Add($"{what} cell '{c.Info.Id}' was missing; the instructor's version was run.");
            plan.Edited.Add(c.Info.Id!);
            cells.Insert(++anchor, new PlanCell(0, c.Cell.Source, c.Cell.KernelName, c.Info.Role, c.Info.Id, null));
        }
        for (int i = 0; i < cells.Count; i++) plan.Cells.Add(cells[i] with { Index = i });
        return plan;
    }

    /// <summary>Line ends, trailing spaces and surrounding blank lines do not count as edits.</summary>
    public static string Normalize(string source) =>
        string.Join("\n", CellRoles.Lines(source).Select(l => l.TrimEnd())).Trim('\n');
}
