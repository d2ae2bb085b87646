using System.Text.Json.Nodes;
using System.Xml.Linq;
using DimReduce.Grading.Tests.Support;

namespace DimReduce.Grading.Tests;

/// <summary>
/// One <c>dimreduce grade</c> run over a class: the instructor's solution of the chapter 1-2 exercises, the
/// adversarial submissions kept in tests/grading/submissions (each a student's copy of that notebook), and a second
/// copy of one of them (determinism). The tests folder holds that one source notebook, so the run does not grow
/// with the course's other chapters. Shared by the tests below.
/// </summary>
public sealed class ClassGradeFixture : IDisposable
{
    public ClassGradeFixture()
    {
        string submissions = Repo.Path("tests", "grading", "submissions");
        string again = Temp.Path("compile-error-again");
        Directory.CreateDirectory(again);
        foreach (var f in Directory.GetFiles(Path.Combine(submissions, "compile-error"))) File.Copy(f, Path.Combine(again, Path.GetFileName(f)));
        string tests = Temp.Path("tests");
        string solutions = Temp.Path("solutions");
        Directory.CreateDirectory(tests);
        Directory.CreateDirectory(solutions);
        File.Copy(Repo.Path("solutions", Notebook), Path.Combine(tests, Notebook));
        File.Copy(Repo.Path("solutions", Notebook), Path.Combine(solutions, Notebook));
        var args = new List<string> { "grade", solutions };
        args.AddRange(Directory.GetDirectories(submissions).Order(StringComparer.Ordinal));
        args.AddRange([again, "--tests", tests, "--out", Out, "--quick", "--timeout", "8", "--memory", "768", "--jobs", "2", "--fail-under", "100"]);
        Result = CliProcess.Run(Repo.Root, [.. args]);
    }

    /// <summary>The source notebook the adversarial submissions are copies of.</summary>
    public const string Notebook = "01-pca-exercises.ipynb";

    public Repo.TempFolder Temp { get; } = new();
    public string Out => Temp.Path("grades");
    public CliProcess.Result Result { get; }

    public JsonObject Results(string student) => JsonNode.Parse(File.ReadAllText(Path.Combine(Out, student, "results.json")))!.AsObject();

    public JsonObject Test(string student, string name) =>
        Results(student)["notebooks"]![0]!["tests"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == name)!.AsObject();

    public List<string> Flags(string student) => Results(student)["notebooks"]![0]!["flags"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();

    public void Dispose() => Temp.Dispose();
}

public class GradeCommandTests(ClassGradeFixture run) : IClassFixture<ClassGradeFixture>
{
    private static void Points(ClassGradeFixture run, string student, double expected) =>
        Assert.True(run.Results(student)["points"]!.GetValue<double>() == expected,
            $"{student}: expected {expected} points, got {run.Results(student)["points"]}.\n{run.Result.Stdout}\n{run.Result.Stderr}");

    [Fact]
    public void Lost_points_exit_zero_unless_fail_under_is_given()
    {
        // --fail-under 100 was given and some students scored less: exit 3, and every report is still written.
        Assert.True(run.Result.ExitCode == 3, run.Result.Stdout + run.Result.Stderr);
        Assert.Contains("scored below 100%", run.Result.Stderr);
        Assert.True(File.Exists(Path.Combine(run.Out, "junit.xml")));
        Assert.True(File.Exists(Path.Combine(run.Out, "grades.csv")));
        Assert.Contains("Graded 11 submission(s)", run.Result.Stdout);
    }

    [Fact]
    public void The_solutions_score_full_marks_with_no_flags()
    {
        Points(run, "solutions", 10);
        Assert.Equal(10, run.Results("solutions")["max_points"]!.GetValue<double>());
        Assert.Equal("pass", run.Results("solutions")["status"]!.GetValue<string>());
        Assert.Empty(run.Flags("solutions"));
        Points(run, "correct", 10);
    }

    [Fact]
    public void An_endless_loop_gets_zero_for_its_task_with_timed_out_and_the_other_tasks_are_graded()
    {
        Points(run, "endless-loop", 6);
        var t = run.Test("endless-loop", "pca-eigen");
        Assert.Equal("error", t["status"]!.GetValue<string>());
        Assert.Contains("pca-eigen: timed out after 8 s", t["message"]!.GetValue<string>());
        Assert.Equal("pass", run.Test("endless-loop", "reconstruct")["status"]!.GetValue<string>());
        Assert.Contains(run.Flags("endless-loop"), f => f.Contains("restarted after cell 5", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_exit_cannot_make_tests_pass()
    {
        Points(run, "environment-exit", 7);
        var t = run.Test("environment-exit", "choose-components");
        Assert.Equal("error", t["status"]!.GetValue<string>());
        Assert.Contains("ended (exit code 0) while this cell ran", t["message"]!.GetValue<string>());
        Assert.Equal(0, t["points"]!.GetValue<double>());
        Assert.Equal("pass", run.Test("environment-exit", "reconstruct")["status"]!.GetValue<string>());
    }

    [Fact]
    public void An_edited_test_cell_is_replaced_and_flagged_and_a_deleted_one_is_restored()
    {
        Points(run, "edited-test-cell", 6);
        var t = run.Test("edited-test-cell", "pca-eigen");
        Assert.Equal("fail", t["status"]!.GetValue<string>());
        Assert.True(t["edited"]!.GetValue<bool>());
        Assert.Contains("sort the eigenpairs", t["message"]!.GetValue<string>());
        Assert.Contains(run.Flags("edited-test-cell"), f => f.Contains("test cell 'pca-eigen' (cell 5) was edited", StringComparison.Ordinal));
        Assert.Contains(run.Flags("edited-test-cell"), f => f.Contains("test cell 'reconstruct' was missing", StringComparison.Ordinal));
        Assert.Equal("pass", run.Test("edited-test-cell", "reconstruct")["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_compile_error_in_one_task_costs_only_that_task_and_the_message_points_to_its_cell()
    {
        Points(run, "compile-error", 7);
        var t = run.Test("compile-error", "choose-components");
        Assert.Equal("error", t["status"]!.GetValue<string>());
        string message = t["message"]!.GetValue<string>();
        Assert.Contains("does not compile", message);
        Assert.Contains("'ComponentsFor' is defined by the solution cell of task 'choose-components', which failed", message);
        Assert.Contains("CS1002", message);
        Assert.Equal("pass", run.Test("compile-error", "reconstruct")["status"]!.GetValue<string>());
    }

    [Fact]
    public void Printing_passed_earns_nothing()
    {
        Points(run, "prints-passed", 0);
        foreach (var name in new[] { "pca-eigen", "choose-components", "reconstruct" })
        {
            var t = run.Test("prints-passed", name);
            Assert.Equal("fail", t["status"]!.GetValue<string>());
            Assert.True(t["edited"]!.GetValue<bool>());
        }
        Assert.Equal(3, run.Flags("prints-passed").Count);
    }

    [Fact]
    public void A_throwing_static_constructor_fails_only_the_task_that_uses_it_and_says_why()
    {
        Points(run, "static-constructor", 7);
        string message = run.Test("static-constructor", "reconstruct")["message"]!.GetValue<string>();
        Assert.Contains("TypeInitializationException", message);
        Assert.Contains("Settings could not be loaded", message);
    }

    [Fact]
    public void Redeclaring_a_name_the_tests_use_voids_the_tests_after_it()
    {
        // The student's no-op Expect would make their wrong ComponentsFor pass; the grader does not trust it.
        Points(run, "shadows-helper", 4);
        var t = run.Test("shadows-helper", "choose-components");
        Assert.Equal("error", t["status"]!.GetValue<string>());
        Assert.Contains("cell 7 declares 'Expect', which this test uses", t["message"]!.GetValue<string>());
        Assert.Equal("pass", run.Test("shadows-helper", "pca-eigen")["status"]!.GetValue<string>());
    }

    [Fact]
    public void Running_out_of_the_memory_limit_costs_only_that_task()
    {
        Points(run, "memory-hog", 7);
        var t = run.Test("memory-hog", "reconstruct");
        Assert.Equal("error", t["status"]!.GetValue<string>());
        Assert.Contains("reconstruct: ran out of memory: the grader allows 768 MB", t["message"]!.GetValue<string>());
    }

    [Fact]
    public void Grading_the_same_submission_twice_gives_the_same_results_apart_from_timestamps()
    {
        static string Normal(JsonObject o)
        {
            o.Remove("graded_at");
            o.Remove("student");
            o.Remove("submission");
            foreach (var n in o["notebooks"]!.AsArray()) n!.AsObject().Remove("submitted");
            return o.ToJsonString();
        }
        Assert.Equal(Normal(run.Results("compile-error")), Normal(run.Results("compile-error-again")));
    }

    [Fact]
    public void Grades_csv_has_one_row_per_student_and_junit_one_testcase_per_test()
    {
        var lines = File.ReadAllLines(Path.Combine(run.Out, "grades.csv"));
        Assert.Equal("student,pca-eigen,choose-components,reconstruct,points,max_points,percent,flags", lines[0]);
        Assert.Equal(12, lines.Length);
        Assert.Contains("solutions,4,3,3,10,10,100,0", lines);
        Assert.Contains("endless-loop,0,3,3,6,10,60,1", lines);
        var junit = XDocument.Load(Path.Combine(run.Out, "junit.xml"));
        Assert.Equal(33, junit.Descendants("testcase").Count());
        Assert.Equal(11, junit.Descendants("testsuite").Count());
    }
}

/// <summary>The committed student notebooks: what assign produces, without hidden tests, and failing every test.</summary>
public class ExercisesTests
{
    [Fact]
    public void Committed_exercises_equal_what_assign_writes()
    {
        var check = CliProcess.Run(Repo.Root, "assign", "solutions", "--out", "exercises", "--check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        using var tmp = new Repo.TempFolder();
        var written = CliProcess.Run(Repo.Root, "assign", "solutions", "--out", tmp.FullName);
        Assert.Equal(0, written.ExitCode);
        foreach (var file in Directory.GetFiles(Repo.Path("exercises"), "*.ipynb"))
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(tmp.FullName, Path.GetFileName(file))));

        // A hand edit is caught.
        var copy = tmp.Path("copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(tmp.FullName, "*.ipynb")) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string one = Directory.GetFiles(copy, "*.ipynb")[0];
        File.WriteAllText(one, File.ReadAllText(one).Replace("not done yet", "not done", StringComparison.Ordinal));
        var stale = CliProcess.Run(Repo.Root, "assign", "solutions", "--out", copy, "--check");
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("do not match their sources", stale.Stderr);
    }

    [Fact]
    public void Hidden_tests_and_solutions_appear_nowhere_in_exercises()
    {
        var hidden = new List<string>();
        var released = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(Repo.Path("solutions"), "*.ipynb"))
        {
            var assignment = DimReduce.Cli.Grading.Assignment.Load(file);
            hidden.AddRange(assignment.Cells.SelectMany(c => c.HiddenLines));
            foreach (var cell in assignment.Cells) released.Append(cell.Released).Append('\n');
        }
        // Hidden text that the student version also shows on purpose (a self-check's own call, repeated by a hidden
        // check on other data) is no leak: only text found in hidden tests alone must stay out of exercises/.
        string visible = released.ToString();
        var meaningful = hidden.Select(l => l.Trim())
            .Where(l => l.Length > 12 && !l.StartsWith("//", StringComparison.Ordinal) && !visible.Contains(l, StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.NotEmpty(meaningful);
        foreach (var file in Directory.GetFiles(Repo.Path("exercises"), "*", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            var notebook = DimReduce.Interactive.Documents.NotebookFile.IsNotebook(file) ? DimReduce.Interactive.Documents.NotebookFile.Read(file) : null;
            string sources = notebook is null ? text : string.Join("\n", notebook.Cells.Select(c => c.Source));
            if (notebook is not null)
            {
                Assert.DoesNotContain("HIDDEN TESTS", sources);
                Assert.DoesNotContain("BEGIN SOLUTION", sources);
            }
            foreach (var line in meaningful) Assert.DoesNotContain(line, sources);
        }
    }

    [Fact]
    public void Exercises_score_zero_with_every_test_failing_with_a_message_that_names_its_task_and_exit_zero()
    {
        // The whole exercises/ folder as one student's submission: every chapter's notebook, every test.
        using var tmp = new Repo.TempFolder();
        var r = CliProcess.Run(Repo.Root, "grade", "exercises", "--tests", "solutions", "--out", tmp.FullName, "--quick", "--timeout", "60");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var results = JsonNode.Parse(File.ReadAllText(tmp.Path("exercises", "results.json")))!;
        Assert.Equal(0, results["points"]!.GetValue<double>());
        var sources = Directory.GetFiles(Repo.Path("solutions"), "*.ipynb");
        var notebooks = results["notebooks"]!.AsArray();
        Assert.Equal(sources.Length, notebooks.Count);
        int expectedTests = sources.Sum(f => DimReduce.Cli.Grading.Assignment.Load(f).Tests.Count());
        Assert.Equal(expectedTests, notebooks.Sum(n => n!["tests"]!.AsArray().Count));
        foreach (var notebook in notebooks)
        {
            Assert.True(notebook!["tests"]!.AsArray().Count >= 3, $"{notebook["assignment"]}: fewer than three graded tasks");
            foreach (var t in notebook["tests"]!.AsArray())
            {
                string name = t!["name"]!.GetValue<string>();
                Assert.True(t["status"]!.GetValue<string>() == "fail", $"{name}: {t["status"]} {t["message"]}");
                // The stub compiles and throws with the task's name (not a compile error).
                Assert.Contains($"NotImplementedException: Task '{name}' is not done yet", t["message"]!.GetValue<string>());
            }
            Assert.Empty(notebook["flags"]!.AsArray());
        }
    }

    [Fact]
    public void Bad_arguments_exit_one_with_a_message_that_names_the_fix()
    {
        var missing = CliProcess.Run(Repo.Root, "grade", "no-such-folder");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'no-such-folder' does not exist", missing.Stderr);
        var timeout = CliProcess.Run(Repo.Root, "grade", "solutions", "--timeout", "0");
        Assert.Equal(1, timeout.ExitCode);
        Assert.Contains("--timeout is 0", timeout.Stderr);
    }
}
