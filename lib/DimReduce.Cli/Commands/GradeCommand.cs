using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DimReduce.Cli.Grading;
using DimReduce.Interactive.Documents;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary>
/// <c>dimreduce grade SUBMISSION... [--tests solutions/] [--out DIR] [--timeout S] [--memory MB] [--jobs N] [--quick] [--fail-under P]</c>:
/// grade students' notebooks against the instructor's test cells, each submission in its own process.
/// </summary>
internal static class GradeCommand
{
    /// <summary>Exit code when <c>--fail-under</c> is given and a student scored below it.</summary>
    public const int BelowThresholdExitCode = 3;

    public static Command Create()
    {
        var submissions = new Argument<string[]>("submissions") { Description = "Submissions: a notebook (.ipynb, .dib), or a folder holding one student's notebooks.", Arity = ArgumentArity.OneOrMore };
        var tests = new Option<string[]>("--tests") { Description = "The instructor's source notebooks or folder (solutions/): their test cells, hidden ones included, are what is graded.", DefaultValueFactory = _ => ["solutions"], AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for STUDENT/results.json, junit.xml and grades.csv.", DefaultValueFactory = _ => "grades" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a cell may run before it is stopped and its test gets 0.", DefaultValueFactory = _ => GradeOptions.Defaults.TimeoutSeconds };
        var memory = new Option<int>("--memory") { Description = "Managed heap limit of each grading process, in MB.", DefaultValueFactory = _ => GradeOptions.Defaults.MemoryMb };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Submissions graded at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var quick = new Option<bool>("--quick") { Description = "Quick mode (DIMREDUCE_QUICK=1): notebooks use their small data." };
        var failUnder = new Option<double?>("--fail-under") { Description = $"Exit with code {BelowThresholdExitCode} if any student scores below this percent (for CI; without it, lost points never change the exit code)." };
        var command = new Command("grade", "Grade notebooks: each submission runs in its own process with the instructor's test cells; writes results.json, junit.xml and grades.csv.")
        {
            submissions, tests, output, timeout, memory, jobs, quick, failUnder,
        };
        command.SetAction(p => CliErrors.Run(() =>
        {
            double seconds = p.GetValue(timeout);
            int mb = p.GetValue(memory), parallel = p.GetValue(jobs);
            if (!(seconds > 0)) throw new ArgumentException($"--timeout is {seconds.ToString(CultureInfo.InvariantCulture)}, but it must be a positive number of seconds, e.g. --timeout 60.");
            if (mb < 128) throw new ArgumentException($"--memory is {mb}, but it must be at least 128 (MB), e.g. --memory 2048.");
            if (parallel < 1) throw new ArgumentException($"--jobs is {parallel}, but it must be 1 or more.");
            var assignments = Assigner.Collect(p.GetValue(tests)!).Select(a => Assignment.Load(a.Path)).ToList();
            var students = Students(p.GetValue(submissions)!, assignments);
            parallel = Math.Min(parallel, students.Count);
            var options = new GradeOptions
            {
                TimeoutSeconds = seconds,
                MemoryMb = mb,
                Quick = p.GetValue(quick),
                NativeThreads = Math.Max(1, Environment.ProcessorCount / parallel),
            };
            string outDir = p.GetValue(output)!;
            Directory.CreateDirectory(outDir);

            var clock = Stopwatch.StartNew();
            var results = new StudentResult[students.Count];
            Parallel.For(0, students.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
            {
                var (name, path, notebooks) = students[i];
                var started = Stopwatch.StartNew();
                var at = DateTimeOffset.UtcNow;
                var grader = new SubmissionGrader(options);
                var graded = notebooks.Select(n => grader.Grade(n.Assignment, n.Path)).ToList();
                results[i] = new StudentResult(name, path, graded, at, started.Elapsed);
                string folder = Path.Combine(outDir, name);
                Directory.CreateDirectory(folder);
                DimReduce.AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), GradeReports.JsonText(results[i]));
            });
            DimReduce.AtomicFile.WriteAllText(Path.Combine(outDir, "junit.xml"), GradeReports.JUnit(results));
            DimReduce.AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), GradeReports.Csv(results, assignments));

            Show(results, assignments);
            AnsiConsole.MarkupLine($"Graded {results.Length} submission(s) in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({parallel} at a time); wrote {Markup.Escape(outDir)}/<student>/results.json, junit.xml, grades.csv.");
            if (p.GetValue(failUnder) is { } threshold && results.Any(r => r.Percent < threshold - 1e-9))
            {
                Console.Error.WriteLine($"error: {results.Count(r => r.Percent < threshold - 1e-9)} submission(s) scored below {threshold.ToString(CultureInfo.InvariantCulture)}%.");
                return BelowThresholdExitCode;
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The hidden child command: runs one submission's cells for <c>grade</c>.</summary>
    public static Command CreateWorker()
    {
        var pipe = new Option<string>("--pipe") { Description = "Name of the parent's pipe.", Required = true };
        var command = new Command("grade-worker", "Internal: the grading process of one submission (started by 'dimreduce grade').") { pipe };
        command.Hidden = true;
        command.SetAction(p => GradeWorker.Run(p.GetValue(pipe)!));
        return command;
    }

    private static void Show(IReadOnlyList<StudentResult> results, IReadOnlyList<Assignment> assignments)
    {
        var table = new Table().AddColumn("student");
        var ids = assignments.SelectMany(a => a.Tests.Select(t => (a.Name, t.Info.Id!))).ToList();
        foreach (var (_, id) in ids) table.AddColumn(Markup.Escape(id));
        table.AddColumns("points", "%", "seconds", "flags");
        foreach (var r in results)
        {
            var row = new List<string> { Markup.Escape(r.Student) };
            foreach (var (a, id) in ids)
            {
                var t = r.Notebooks.FirstOrDefault(n => n.Assignment == a)?.Tests.FirstOrDefault(t => t.Name == id);
                row.Add(t is null ? "" : t.Status == "pass" ? $"[green]{GradeReports.F(t.Points)}/{GradeReports.F(t.MaxPoints)}[/]" : $"[red]0/{GradeReports.F(t.MaxPoints)} {t.Status}[/]");
            }
            row.Add($"{GradeReports.F(r.Points)}/{GradeReports.F(r.MaxPoints)}");
            row.Add(r.Percent.ToString("0.#", CultureInfo.InvariantCulture));
            row.Add(r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
            row.Add(r.Notebooks.Sum(n => n.Flags.Count).ToString(CultureInfo.InvariantCulture));
            table.AddRow(row.ToArray());
        }
        AnsiConsole.Write(table);
        foreach (var r in results)
            foreach (var n in r.Notebooks)
            {
                foreach (var t in n.Tests.Where(t => t.Status != "pass")) Console.WriteLine($"{r.Student}/{n.Assignment}: {t.Status}: {t.Message}");
                foreach (var f in n.Flags) Console.WriteLine($"{r.Student}/{n.Assignment}: flag: {f}");
            }
    }

    /// <summary>Each submission's student name and the notebook it handed in for each assignment (null: missing).</summary>
    private static List<(string Name, string Path, List<(Assignment Assignment, string? Path)> Notebooks)> Students(string[] paths, List<Assignment> assignments)
    {
        var students = new List<(string, string, List<(Assignment, string?)>)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            string trimmed = path.TrimEnd('/', '\\');
            List<(Assignment, string?)> notebooks;
            string name;
            if (Directory.Exists(path))
            {
                name = Path.GetFileName(Path.GetFullPath(trimmed));
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(NotebookFile.IsNotebook).Order(StringComparer.Ordinal).ToList();
                notebooks = assignments.Select(a => (a, files.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == a.Name))).ToList();
            }
            else if (File.Exists(path))
            {
                if (!NotebookFile.IsNotebook(path)) throw new ArgumentException($"'{path}' is not a notebook: pass .ipynb or .dib files, or folders of them.");
                name = Path.GetFileNameWithoutExtension(path);
                var match = assignments.FirstOrDefault(a => a.Name == name) ?? (assignments.Count == 1 ? assignments[0] : null)
                    ?? throw new ArgumentException($"'{path}' matches none of the assignments by name ({string.Join(", ", assignments.Select(a => a.Name))}); name the file after one, or pass its folder.");
                notebooks = [(match, path)];
            }
            else throw new FileNotFoundException($"Submission '{path}' does not exist.", path);
            if (!names.Add(name)) throw new ArgumentException($"Two submissions are named '{name}'; each student needs their own folder or file name.");
            students.Add((name, path, notebooks));
        }
        return students;
    }
}
