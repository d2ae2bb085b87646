using System.Text.Json.Nodes;
using DimReduce.Cli.Grading;
using DimReduce.Grading.Tests.Support;
using DimReduce.Interactive.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace DimReduce.Grading.Tests;

public class AssignTests
{
    private static Notebook Source(params string[] cells)
    {
        var nb = new Notebook();
        foreach (var c in cells) nb.AddCode(c);
        return nb;
    }

    private static Assignment Load(Notebook nb, string extension = ".dib")
    {
        using var tmp = new Repo.TempFolder();
        string path = tmp.Path("a" + extension);
        NotebookFile.Write(nb, path);
        return Assignment.Load(path);
    }

    [Fact]
    public void Region_inside_a_method_body_becomes_one_throw_at_its_indentation_and_keeps_the_signature()
    {
        string source = "// SOLUTION sum\nstatic int Sum(int[] a)\n{\n    // BEGIN SOLUTION\n    int s = 0;\n    foreach (var v in a) s += v;\n    return s;\n    // END SOLUTION\n}";
        string stub = SolutionStubber.Stub(source, "sum", "test");
        Assert.Equal("// SOLUTION sum\nstatic int Sum(int[] a)\n{\n    throw new NotImplementedException(\"Task 'sum' is not done yet: replace this line with your code.\");\n}", stub);
        Assert.DoesNotContain("foreach", stub);
    }

    [Fact]
    public void Whole_cell_region_keeps_every_declaration_and_the_student_version_compiles()
    {
        string source = """
            // SOLUTION shapes
            // BEGIN SOLUTION
            static double Area(double r)
            {
                return Math.PI * r * r;
            }
            static double Twice(double x) => 2 * x;
            var answer = Area(2);
            class Circle
            {
                public double R { get; init; }
                public double Perimeter => 2 * Math.PI * R;
                public double Scaled(double k) { return k * R; }
            }
            // END SOLUTION
            """;
        string stub = SolutionStubber.Stub(source, "shapes", "test");
        Assert.Contains("static double Area(double r)", stub);
        Assert.Contains("static double Twice(double x) => throw new NotImplementedException(\"Task 'shapes' is not done yet: write the body of Twice.\")", stub);
        Assert.Contains("public double Perimeter => throw new NotImplementedException", stub);
        Assert.Contains("public double R { get; init; }", stub);
        Assert.DoesNotContain("Math.PI", stub);
        Assert.DoesNotContain("var answer", stub);
        Assert.DoesNotContain("BEGIN SOLUTION", stub);

        // The student's version compiles, and a later cell calling the methods compiles against it and fails with the task's message.
        var options = ScriptOptions.Default.WithImports("System");
        var script = CSharpScript.Create(stub, options).ContinueWith("Area(1) + Twice(2) + new Circle().Scaled(3)");
        Assert.Empty(script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error));
        var e = Assert.Throws<NotImplementedException>(() => script.RunAsync().GetAwaiter().GetResult());
        Assert.Contains("Task 'shapes' is not done yet: write the body of Area", e.Message);
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nint x = 1;", "is never closed")]
    [InlineData("int x = 1;\n// END SOLUTION", "without a 'BEGIN SOLUTION' before it")]
    [InlineData("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "regions do not nest")]
    public void Unbalanced_markers_are_errors_that_name_the_line(string body, string phrase)
    {
        var e = Assert.Throws<InvalidDataException>(() => SolutionStubber.Stub("// SOLUTION t\n" + body, "t", "nb, cell 2"));
        Assert.Contains(phrase, e.Message);
        Assert.Contains("nb, cell 2, line", e.Message);
    }

    [Fact]
    public void Release_removes_hidden_tests_and_writes_nbgrader_metadata()
    {
        var a = Load(Source(
            "// LOCKED setup\nstatic void Expect(bool c, string m) { if (!c) throw new Exception(m); }",
            "// SOLUTION twice\nstatic int Twice(int x)\n{\n    // BEGIN SOLUTION\n    return 2 * x;\n    // END SOLUTION\n}",
            "// TEST twice (2.5 points)\nExpect(Twice(2) == 4, \"twice: 2 -> 4\");\n// BEGIN HIDDEN TESTS\nExpect(Twice(-7) == -14, \"twice: negative numbers\");\n// END HIDDEN TESTS"), ".ipynb");
        Assert.Equal(2.5, a.MaxPoints);
        var release = a.Release();
        string test = release.Cells[2].Source;
        Assert.Equal("// TEST twice (2.5 points)\nExpect(Twice(2) == 4, \"twice: 2 -> 4\");", test);
        Assert.Equal(["Expect(Twice(-7) == -14, \"twice: negative numbers\");"], a.Cells[2].HiddenLines);
        var nb = release.Cells[2].Metadata["nbgrader"]!.AsObject();
        Assert.True(nb["grade"]!.GetValue<bool>());
        Assert.True(nb["locked"]!.GetValue<bool>());
        Assert.False(nb["solution"]!.GetValue<bool>());
        Assert.Equal(2.5, nb["points"]!.GetValue<double>());
        Assert.Equal("twice", nb["grade_id"]!.GetValue<string>());
        Assert.Equal(3, nb["schema_version"]!.GetValue<int>());
        var sol = release.Cells[1].Metadata["nbgrader"]!.AsObject();
        Assert.True(sol["solution"]!.GetValue<bool>());
        Assert.Equal("twice-solution", sol["grade_id"]!.GetValue<string>());
        Assert.True(release.Cells[0].Metadata["nbgrader"]!["locked"]!.GetValue<bool>());
        // The metadata alone (no header) identifies the cell again, as nbgrader's does.
        var cell = new NotebookCell { Source = "Twice(1)", Metadata = new JsonObject { ["nbgrader"] = sol.DeepClone() } };
        Assert.Equal(new CellInfo(CellRole.Solution, "twice", 0), CellRoles.ForSubmission(cell));
    }

    [Fact]
    public void Assign_writes_dib_sources_as_dib_and_check_reports_differences_and_leftovers()
    {
        using var tmp = new Repo.TempFolder();
        string src = tmp.Path("src"), dst = tmp.Path("out");
        Directory.CreateDirectory(src);
        NotebookFile.Write(Source(
            "// SOLUTION half\nstatic double Half(double x)\n{\n    // BEGIN SOLUTION\n    return x / 2;\n    // END SOLUTION\n}",
            "// TEST half (1 point)\nif (Half(4) != 2) throw new Exception(\"half: 4 / 2 is 2\");"), Path.Combine(src, "hw.dib"));
        var first = Assert.Single(Assigner.Run([src], dst, check: false, updateSource: false));
        Assert.False(first.UpToDate);
        string written = File.ReadAllText(Path.Combine(dst, "hw.dib"));
        Assert.StartsWith("#!csharp", written.TrimStart('\n'), StringComparison.Ordinal);
        Assert.Contains("throw new NotImplementedException(\"Task 'half' is not done yet", written);
        Assert.DoesNotContain("x / 2", written);
        Assert.True(Assert.Single(Assigner.Run([src], dst, check: true, updateSource: false)).UpToDate);
        File.WriteAllText(Path.Combine(dst, "old.dib"), "#!csharp\n\n1\n");
        Assert.Equal([Path.Combine(dst, "old.dib")], Assigner.Stale(dst, Assigner.Run([src], dst, check: true, updateSource: false)));
    }

    [Theory]
    [InlineData("// TEST t (0 points)\nint x = 1;", "give it a positive number")]
    [InlineData("// TEST t points\nint x = 1;", "does not parse")]
    [InlineData("static int F() {\n// BEGIN SOLUTION\nreturn 1;\n// END SOLUTION\n}", "no id")]
    [InlineData("// SOLUTION s\nint x = 1;", "has no '// BEGIN SOLUTION'")]
    [InlineData("// LOCKED s\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS", "outside a test cell")]
    public void Broken_source_cells_are_errors_that_say_what_to_write(string cell, string phrase)
    {
        var e = Assert.Throws<InvalidDataException>(() => Load(Source("// TEST ok (1 point)\nint y = 2;", cell)));
        Assert.Contains(phrase, e.Message);
        Assert.Contains("cell 2", e.Message);
    }

    [Fact]
    public void Duplicate_ids_and_header_metadata_conflicts_are_errors()
    {
        var e = Assert.Throws<InvalidDataException>(() => Load(Source("// TEST a (1 point)\n1", "// TEST a (2 points)\n2")));
        Assert.Contains("'a' is also used by cell 1", e.Message);

        var nb = Source("// TEST a (1 point)\n1");
        nb.Cells[0].Metadata["nbgrader"] = CellRoles.NbgraderMetadata(new CellInfo(CellRole.Test, "a", 3));
        var conflict = Assert.Throws<InvalidDataException>(() => Load(nb, ".ipynb"));
        Assert.Contains("--update-source", conflict.Message);

        var none = Assert.Throws<InvalidDataException>(() => Load(Source("var x = 1;")));
        Assert.Contains("has no test cell", none.Message);
    }
}
