using System.Xml.Linq;
using DimReduce.Cli.Grading;
using DimReduce.Grading.Tests.Support;
using DimReduce.Interactive.Documents;

namespace DimReduce.Grading.Tests;

public class PlanAndReportTests
{
    private static Assignment Instructor()
    {
        var nb = new Notebook();
        nb.AddMarkdown("# Title");
        nb.AddCode("// LOCKED setup\nstatic void Expect(bool c, string m) { if (!c) throw new Exception(m); }");
        nb.AddCode("// SOLUTION one\nstatic int One()\n{\n    // BEGIN SOLUTION\n    return 1;\n    // END SOLUTION\n}");
        nb.AddCode("// TEST one (2 points)\nExpect(One() == 1, \"one\");\n// BEGIN HIDDEN TESTS\nExpect(One() > 0, \"hidden\");\n// END HIDDEN TESTS");
        nb.AddCode("// SOLUTION two\nstatic int Two()\n{\n    // BEGIN SOLUTION\n    return 2;\n    // END SOLUTION\n}");
        nb.AddCode("// TEST two (3 points)\nExpect(Two() == 2, \"two\");");
        using var tmp = new Repo.TempFolder();
        string path = tmp.Path("hw.dib");
        NotebookFile.Write(nb, path);
        return Assignment.Load(path);
    }

    [Fact]
    public void Test_cells_are_replaced_by_the_instructors_with_hidden_tests_and_edits_are_flagged()
    {
        var a = Instructor();
        var student = a.Release();
        student.Cells[3].Source = "// TEST one (2 points)\nConsole.WriteLine(\"passed\");";
        student.AddCode("Console.WriteLine(\"scratch\");");
        var plan = SubmissionPlan.Build(student, a);
        var one = Assert.Single(plan.Cells, c => c.Id == "one" && c.Role == CellRole.Test);
        Assert.Contains("Expect(One() > 0, \"hidden\");", one.Source);
        Assert.Equal(4, one.StudentCell);
        Assert.Contains("one", plan.Edited);
        Assert.DoesNotContain("two", plan.Edited);
        Assert.Contains(plan.Flags, f => f.Contains("test cell 'one' (cell 4) was edited", StringComparison.Ordinal));
        Assert.Equal("Console.WriteLine(\"scratch\");", plan.Cells[^1].Source);
        Assert.Equal(CellRole.Free, plan.Cells[^1].Role);
    }

    [Fact]
    public void Deleted_test_cells_come_back_after_the_cell_before_them_and_copies_run_once()
    {
        var a = Instructor();
        var student = a.Release();
        var testTwo = student.Cells[5];
        student.Cells.RemoveAt(5);                  // the student deleted test 'two'
        student.Cells.Insert(1, student.Cells[3]);  // and pasted a copy of test 'one' above the set-up cell
        var plan = SubmissionPlan.Build(student, a);
        Assert.Equal(1, plan.Cells.Count(c => c.Id == "one" && c.Role == CellRole.Test));
        Assert.Contains(plan.Flags, f => f.Contains("repeats test cell 'one'", StringComparison.Ordinal));
        int two = plan.Cells.FindIndex(c => c.Id == "two" && c.Role == CellRole.Test);
        Assert.True(two > 0 && plan.Cells[two - 1] is { Id: "two", Role: CellRole.Solution }, "restored right after its solution cell");
        Assert.Null(plan.Cells[two].StudentCell);
        Assert.Contains(plan.Flags, f => f.Contains("test cell 'two' was missing", StringComparison.Ordinal));
        Assert.NotNull(testTwo);
    }

    [Fact]
    public void The_instructors_own_notebook_is_not_flagged_as_edited()
    {
        var a = Instructor();
        var plan = SubmissionPlan.Build(a.Notebook, a);
        Assert.Empty(plan.Flags);
        Assert.Empty(plan.Edited);
    }

    [Fact]
    public void Reports_hold_points_statuses_and_messages_and_quote_csv_fields()
    {
        var a = Instructor();
        var tests = new List<TestResult>
        {
            new("one", "pass", "", 2, 2, false, "out"),
            new("two", "fail", "two: CheckFailed: \"two\", expected 2", 0, 3, true, null),
        };
        var student = new StudentResult("doe, jane", "class/doe, jane", [new NotebookResult("hw", "class/doe, jane/hw.ipynb", tests, ["flag"])], DateTimeOffset.UnixEpoch, TimeSpan.Zero);
        string csv = GradeReports.Csv([student], [a]);
        Assert.Equal("student,one,two,points,max_points,percent,flags\n\"doe, jane\",2,0,2,5,40,1\n", csv);

        var junit = XDocument.Parse(GradeReports.JUnit([student]));
        Assert.Equal("2", junit.Root!.Attribute("tests")!.Value);
        Assert.Equal("1", junit.Root.Attribute("failures")!.Value);
        var failed = junit.Descendants("testcase").Single(t => t.Attribute("name")!.Value.StartsWith("two", StringComparison.Ordinal));
        Assert.Contains("expected 2", failed.Element("failure")!.Attribute("message")!.Value);

        var json = GradeReports.Json(student);
        Assert.Equal("fail", json["status"]!.GetValue<string>());
        Assert.Equal(40, json["percent"]!.GetValue<double>());
        var t2 = json["notebooks"]![0]!["tests"]![1]!;
        Assert.Equal("two", t2["task_id"]!.GetValue<string>());
        Assert.True(t2["edited"]!.GetValue<bool>());
        Assert.Equal(3, t2["max_points"]!.GetValue<double>());
    }
}
