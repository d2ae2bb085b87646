using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DimReduce.Cli.Grading;

/// <summary>One cell of an instructor's source notebook, with what students get and what the grader runs.</summary>
internal sealed class AssignmentCell
{
    public required NotebookCell Cell { get; init; }
    public required CellInfo Info { get; init; }
    /// <summary>1-based position in the notebook (all cells).</summary>
    public required int Number { get; init; }
    /// <summary>The student's version of the source (solutions stubbed, hidden tests removed).</summary>
    public required string Released { get; init; }
    /// <summary>Names the cell declares at top level (methods, types, variables), for "defined in task X" hints.</summary>
    public required IReadOnlyList<string> Declares { get; init; }
    /// <summary>Simple names the cell's code refers to (not member names after a dot).</summary>
    public required IReadOnlyList<string> Uses { get; init; }
    /// <summary>The lines inside hidden-test regions (never in the release).</summary>
    public required IReadOnlyList<string> HiddenLines { get; init; }
}

/// <summary>
/// An instructor's notebook from <c>solutions/</c>: the one source of truth from which the student version is
/// generated (<see cref="Release"/>) and against which submissions are graded.
/// </summary>
internal sealed class Assignment
{
    private Assignment(string path, Notebook notebook, List<AssignmentCell> cells)
    {
        Path = path;
        Notebook = notebook;
        Cells = cells;
    }

    public string Path { get; }
    public Notebook Notebook { get; }
    public IReadOnlyList<AssignmentCell> Cells { get; }
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
    public IEnumerable<AssignmentCell> Tests => Cells.Where(c => c.Info.Role == CellRole.Test);
    public double MaxPoints => Tests.Sum(t => t.Info.Points);

    /// <summary>The solution cell of task <paramref name="id"/> (for <see cref="CellRole.Solution"/>), else the test or locked cell with that id.</summary>
    public AssignmentCell? Find(CellRole role, string id) =>
        Cells.FirstOrDefault(c => c.Info.Id == id && (c.Info.Role == CellRole.Solution) == (role == CellRole.Solution));

    /// <summary>Reads and checks a source notebook (markers balanced, ids unique, points positive).</summary>
    /// <exception cref="InvalidDataException">The notebook breaks a rule; the message names the cell and the fix.</exception>
    public static Assignment Load(string path)
    {
        var notebook = NotebookFile.Read(path);
        var cells = new List<AssignmentCell>();
        var ids = new Dictionary<(bool, string), int>();
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            string where = $"{path}, cell {i + 1}";
            var info = CellRoles.ForSource(cell, where);
            if (info.Id is not null)
            {
                var key = (info.Role == CellRole.Solution, info.Id);
                if (ids.TryGetValue(key, out int other))
                    throw new InvalidDataException($"{where}: the id '{info.Id}' is also used by cell {other}; every test and locked cell needs its own id, and so does every solution cell (a task's solution and test cells may share one).");
                ids[key] = i + 1;
            }
            var lines = CellRoles.Lines(cell.Source);
            string released = string.Join("\n", lines);
            var hidden = new List<string>();
            if (info.Role == CellRole.Solution) released = SolutionStubber.Stub(cell.Source, info.Id!, where);
            else if (info.Role == CellRole.Test)
            {
                var regions = SolutionStubber.Regions(lines, CellRoles.BeginHidden, CellRoles.EndHidden, where);
                var keep = new List<string>();
                int next = 0;
                foreach (var (b, e) in regions)
                {
                    for (; next < b; next++) keep.Add(lines[next]);
                    hidden.AddRange(lines[(b + 1)..e]);
                    next = e + 1;
                }
                for (; next < lines.Length; next++) keep.Add(lines[next]);
                released = string.Join("\n", keep);
            }
            cells.Add(new AssignmentCell
            {
                Cell = cell, Info = info, Number = i + 1, Released = released, HiddenLines = hidden,
                Declares = cell.Kind == CellKind.Code ? Declarations(cell.Source) : [],
                Uses = cell.Kind == CellKind.Code ? References(cell.Source) : [],
            });
        }
        if (!cells.Any(c => c.Info.Role == CellRole.Test))
            throw new InvalidDataException($"{path} has no test cell; mark at least one with '// TEST id (N points)' (or nbgrader metadata grade: true).");
        return new Assignment(path, notebook, cells);
    }

    /// <summary>The student version: stubs, no hidden tests, no outputs, nbgrader metadata on every graded cell.</summary>
    public Notebook Release()
    {
        var release = new Notebook { Metadata = (JsonObject)Notebook.Metadata.DeepClone(), Newline = Notebook.Newline };
        foreach (var c in Cells)
        {
            var metadata = (JsonObject)c.Cell.Metadata.DeepClone();
            if (c.Info.Role != CellRole.Free) metadata["nbgrader"] = CellRoles.NbgraderMetadata(c.Info);
            else metadata.Remove("nbgrader");
            release.Cells.Add(new NotebookCell
            {
                Id = c.Cell.Id,
                Kind = c.Cell.Kind,
                KernelName = c.Cell.KernelName,
                Source = c.Released,
                Metadata = metadata,
                Attachments = c.Cell.Attachments?.DeepClone() as JsonObject,
            });
        }
        return release;
    }

    /// <summary>Writes nbgrader metadata from the headers into the source notebook's cells (for <c>--update-source</c>).</summary>
    public bool UpdateSourceMetadata()
    {
        bool changed = false;
        foreach (var c in Cells.Where(c => c.Info.Role != CellRole.Free))
        {
            var wanted = CellRoles.NbgraderMetadata(c.Info);
            if (c.Cell.Metadata["nbgrader"] is JsonNode existing && JsonNode.DeepEquals(existing, wanted)) continue;
            c.Cell.Metadata["nbgrader"] = wanted;
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// Names a test relies on that a student's cell must not declare again: what the test cell refers to (the
    /// instructor's helpers and data from locked cells, library types such as <c>Pca</c>), less what the test declares
    /// itself and what the source's solution and free cells declare (the methods students are asked to write).
    /// A student cell that declares one of these shadows it for the test (script cells may redeclare names), so the
    /// test's outcome could be the student's doing.
    /// </summary>
    public IReadOnlySet<string> Protected(AssignmentCell test)
    {
        var allowed = Cells.Where(c => c.Info.Role is CellRole.Solution or CellRole.Free).SelectMany(c => c.Declares).ToHashSet(StringComparer.Ordinal);
        allowed.UnionWith(AllDeclared(test.Cell.Source));
        return test.Uses.Where(n => !allowed.Contains(n)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every name the code declares at any depth: variables, parameters, loop and pattern variables, functions, types.</summary>
    public static IReadOnlySet<string> AllDeclared(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Script).GetRoot();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            var token = node switch
            {
                VariableDeclaratorSyntax v => v.Identifier,
                ParameterSyntax p => p.Identifier,
                ForEachStatementSyntax f => f.Identifier,
                SingleVariableDesignationSyntax d => d.Identifier,
                LocalFunctionStatementSyntax l => l.Identifier,
                MethodDeclarationSyntax m => m.Identifier,
                BaseTypeDeclarationSyntax t => t.Identifier,
                CatchDeclarationSyntax c => c.Identifier,
                _ => default,
            };
            if (token.Text.Length > 0) names.Add(token.Text);
        }
        return names;
    }

    /// <summary>Simple names used in the code, except member names after a dot (<c>x.Length</c> uses <c>x</c> only).</summary>
    public static IReadOnlyList<string> References(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Script).GetRoot();
        return root.DescendantNodes().OfType<SimpleNameSyntax>()
            .Where(n => !(n.Parent is MemberAccessExpressionSyntax ma && ma.Name == n) && !(n.Parent is QualifiedNameSyntax q && q.Right == n))
            .Select(n => n.Identifier.Text).Distinct(StringComparer.Ordinal).ToList();
    }

    private static readonly CSharpParseOptions Script = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Top-level names a cell declares: methods, local functions, types and variables.</summary>
    public static IReadOnlyList<string> Declarations(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Script).GetRoot();
        var names = new List<string>();
        foreach (var node in root.ChildNodes())
        {
            switch (node)
            {
                case MethodDeclarationSyntax m: names.Add(m.Identifier.Text); break;
                case BaseTypeDeclarationSyntax t: names.Add(t.Identifier.Text); break;
                case DelegateDeclarationSyntax d: names.Add(d.Identifier.Text); break;
                case FieldDeclarationSyntax f: names.AddRange(f.Declaration.Variables.Select(v => v.Identifier.Text)); break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax lf }: names.Add(lf.Identifier.Text); break;
                case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax ld }: names.AddRange(ld.Declaration.Variables.Select(v => v.Identifier.Text)); break;
            }
        }
        return names.Distinct(StringComparer.Ordinal).ToList();
    }
}
