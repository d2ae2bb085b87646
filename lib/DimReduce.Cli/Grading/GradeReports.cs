using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace DimReduce.Cli.Grading;

/// <summary>results.json per student, junit.xml and grades.csv for the class.</summary>
internal static class GradeReports
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// results.json: Exercism's v3 shape (status, message, tests in file order with name, status, message, output,
    /// task_id) plus points and flags. Nothing in it depends on the run except <c>graded_at</c>.
    /// </summary>
    public static JsonObject Json(StudentResult s)
    {
        var notebooks = new JsonArray();
        foreach (var n in s.Notebooks)
        {
            var tests = new JsonArray();
            foreach (var t in n.Tests)
            {
                var o = new JsonObject
                {
                    ["name"] = t.Name,
                    ["task_id"] = t.Name,
                    ["status"] = t.Status,
                    ["message"] = t.Message,
                    ["points"] = t.Points,
                    ["max_points"] = t.MaxPoints,
                    ["edited"] = t.Edited,
                };
                if (t.Output is not null) o["output"] = t.Output;
                tests.Add(o);
            }
            notebooks.Add(new JsonObject
            {
                ["assignment"] = n.Assignment,
                ["submitted"] = n.Submitted,
                ["points"] = n.Points,
                ["max_points"] = n.MaxPoints,
                ["flags"] = new JsonArray([.. n.Flags.Select(f => (JsonNode)f)]),
                ["tests"] = tests,
            });
        }
        bool allPass = s.AllTests.All(t => t.Test.Status == "pass");
        return new JsonObject
        {
            ["version"] = 1,
            ["student"] = s.Student,
            ["submission"] = s.Path,
            ["status"] = allPass ? "pass" : "fail",
            ["points"] = s.Points,
            ["max_points"] = s.MaxPoints,
            ["percent"] = Math.Round(s.Percent, 2),
            ["graded_at"] = s.GradedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["notebooks"] = notebooks,
        };
    }

    public static string JsonText(StudentResult s) => Json(s).ToJsonString(Indented) + "\n";

    /// <summary>JUnit XML: one testsuite per student and notebook, one testcase per test; fail is a failure, error an error.</summary>
    public static string JUnit(IReadOnlyList<StudentResult> students)
    {
        var root = new XElement("testsuites",
            new XAttribute("name", "dimreduce grade"),
            new XAttribute("tests", students.Sum(s => s.AllTests.Count())),
            new XAttribute("failures", students.Sum(s => s.AllTests.Count(t => t.Test.Status == "fail"))),
            new XAttribute("errors", students.Sum(s => s.AllTests.Count(t => t.Test.Status == "error"))));
        foreach (var s in students)
        {
            foreach (var n in s.Notebooks)
            {
                var suite = new XElement("testsuite",
                    new XAttribute("name", $"{s.Student}/{n.Assignment}"),
                    new XAttribute("tests", n.Tests.Count),
                    new XAttribute("failures", n.Tests.Count(t => t.Status == "fail")),
                    new XAttribute("errors", n.Tests.Count(t => t.Status == "error")),
                    new XAttribute("timestamp", s.GradedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)));
                foreach (var t in n.Tests)
                {
                    var tc = new XElement("testcase",
                        new XAttribute("classname", $"{s.Student}.{n.Assignment}"),
                        new XAttribute("name", $"{t.Name} ({F(t.Points)}/{F(t.MaxPoints)} points)"));
                    if (t.Status == "fail") tc.Add(new XElement("failure", new XAttribute("message", t.Message), t.Message));
                    else if (t.Status == "error") tc.Add(new XElement("error", new XAttribute("message", t.Message), t.Message));
                    if (t.Output is not null) tc.Add(new XElement("system-out", t.Output));
                    suite.Add(tc);
                }
                if (n.Flags.Count > 0) suite.Add(new XElement("system-err", string.Join("\n", n.Flags)));
                root.Add(suite);
            }
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }

    /// <summary>grades.csv: one row per student; a column per test (points earned), then total, maximum, percent and flag count.</summary>
    public static string Csv(IReadOnlyList<StudentResult> students, IReadOnlyList<Assignment> assignments)
    {
        var columns = assignments.SelectMany(a => a.Tests.Select(t => (a.Name, Id: t.Info.Id!))).ToList();
        bool qualify = columns.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != columns.Count;
        var sb = new StringBuilder();
        sb.Append("student");
        foreach (var c in columns) sb.Append(',').Append(Quote(qualify ? $"{c.Name}/{c.Id}" : c.Id));
        sb.Append(",points,max_points,percent,flags\n");
        foreach (var s in students)
        {
            sb.Append(Quote(s.Student));
            foreach (var c in columns)
            {
                var t = s.Notebooks.FirstOrDefault(n => n.Assignment == c.Name)?.Tests.FirstOrDefault(t => t.Name == c.Id);
                sb.Append(',').Append(t is null ? "" : F(t.Points));
            }
            sb.Append(',').Append(F(s.Points)).Append(',').Append(F(s.MaxPoints)).Append(',')
              .Append(Math.Round(s.Percent, 2).ToString("0.##", CultureInfo.InvariantCulture)).Append(',')
              .Append(s.Notebooks.Sum(n => n.Flags.Count).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    public static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
