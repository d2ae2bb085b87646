using System.Text.RegularExpressions;
using System.Xml.Linq;
using DimReduce.Interactive.Documents;
using DimReduce.Interactive.Magics;
using Microsoft.CodeAnalysis;
using OutputKind = DimReduce.Interactive.Documents.OutputKind;
using Microsoft.CodeAnalysis.CSharp;

namespace DimReduce.Interactive.Tests.Session;

public sealed class MagicTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dimreduce-magic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExecutionResult Ok(InteractiveSession session, string code, string kernel = "csharp")
    {
        var r = session.Execute(code, kernel);
        Assert.True(r.Succeeded, $"cell failed: {r.Error?.ErrorName}: {r.Error?.ErrorValue}");
        return r;
    }

    private static string Failure(InteractiveSession session, string code, string kernel = "csharp")
    {
        var r = session.Execute(code, kernel);
        Assert.Equal(ExecutionStatus.Error, r.Status);
        Assert.Equal(OutputKind.Error, Assert.Single(r.Outputs).Kind);   // exactly one output: the error, nothing ran
        return r.Error!.ErrorValue!;
    }

    [Fact]
    public void Time_adds_the_wall_time_after_the_cell_and_keeps_line_numbers()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, "#!time\nConsole.WriteLine(\"x\");\n6*7");
        Assert.Equal([OutputKind.Stream, OutputKind.ExecuteResult, OutputKind.DisplayData], r.Outputs.Select(o => o.Kind));
        Assert.Matches(new Regex(@"^Wall time: \d+(\.\d+)? ms$"), r.Outputs[2].GetText("text/plain"));
    }

    [Fact]
    public void Markdown_and_html_parts_render_and_csharp_selectors_split_a_cell()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, "#!markdown\n# Hello\n\n*world*\n#!c#\nvar n = 3;\n#!html\n<b>bold</b>\n#!csharp\nn * 2");
        Assert.Equal([OutputKind.DisplayData, OutputKind.DisplayData, OutputKind.ExecuteResult], r.Outputs.Select(o => o.Kind));
        Assert.Equal("# Hello\n\n*world*", r.Outputs[0].GetText("text/markdown"));
        Assert.Contains("<em>world</em>", r.Outputs[0].GetText("text/html"));
        Assert.Equal("<b>bold</b>", r.Outputs[1].GetText("text/html"));
        Assert.Equal("<b>bold</b>", r.Outputs[1].GetText("text/plain"));
        Assert.Equal("6", r.Outputs[2].GetText("text/plain"));
    }

    [Fact]
    public void A_compile_error_after_a_selector_keeps_the_cells_line_number()
    {
        using var session = new InteractiveSession();
        var r = session.Execute("#!markdown\ntext\n#!csharp\n#r \"nuget: Plotly.NET\"\nvar x = nope;");
        Assert.Equal((5, 9), (r.Diagnostics[0].Line, r.Diagnostics[0].Column));
    }

    [Fact]
    public void A_cell_whose_kernel_is_set_in_metadata_runs_as_that_kernel()
    {
        using var session = new InteractiveSession();
        Assert.Equal("<i>x</i>", Ok(session, "<i>x</i>", "html").Outputs[0].GetText("text/html"));
        Assert.Equal("# T", Ok(session, "# T", "md").Outputs[0].GetText("text/markdown"));
        string error = Failure(session, "Get-Date", "pwsh");
        Assert.Contains("The pwsh kernel", error);
        Assert.Contains("not supported", error);
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", "The fsharp kernel (#!fsharp, line 2)")]
    [InlineData("var a = 1;\n#!javascript\nalert(1)", "The javascript kernel (#!javascript, line 3)")]
    [InlineData("#!sql\nSELECT 1", "The sql kernel")]
    [InlineData("#!connect mssql --kernel-name db", "#!connect (line 2) is not supported")]
    [InlineData("#!share --from fsharp x", "#!share (line 2) is not supported by the DimReduce engine (the engine has a single C# kernel")]
    [InlineData("var a = 1;\n#!whos", "#!whos (line 3) is not supported")]
    [InlineData("#!pwsh\nGet-Date", "The pwsh kernel")]
    [InlineData("#i \"nuget: https://example.org/feed\"", "#i (line 2) is not supported yet")]
    public void Unsupported_magics_and_kernels_fail_the_cell_naming_them_before_anything_runs(string code, string phrase)
    {
        using var session = new InteractiveSession();
        string error = Failure(session, "Console.WriteLine(\"must not run\");\n" + code);
        Assert.Contains(phrase, error);
    }

    [Fact]
    public void Bundled_packages_are_accepted_with_a_notice_only_for_another_version()
    {
        using var session = new InteractiveSession();
        var same = Ok(session, "#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget:MathNet.Numerics\"\n#r \"nuget: microsoft.data.analysis , 0.23.1\"\n1");
        Assert.Equal([OutputKind.ExecuteResult], same.Outputs.Select(o => o.Kind));
        var other = Ok(session, "#r \"nuget: Microsoft.Data.Analysis, 0.2.0\"\nvar f = new Microsoft.Data.Analysis.DataFrame();");
        var notice = Assert.Single(other.Outputs);
        Assert.Equal("Microsoft.Data.Analysis 0.2.0 was requested; the engine's bundled Microsoft.Data.Analysis 0.23.1 is used instead.", notice.GetText("text/plain"));
    }

    [Theory]
    [InlineData("Microsoft.DotNet.Interactive.Formatting", "provides display, Formatter")]
    [InlineData("Plotly.NET.Interactive", "shows Plotly.NET charts itself")]
    [InlineData("TorchSharp-cpu", "ships TorchSharp")]
    public void Packages_the_engine_replaces_are_satisfied_with_a_one_line_notice(string id, string phrase)
    {
        using var session = new InteractiveSession();
        var r = Ok(session, $"#r \"nuget: {id}, 1.0.0-beta.23562.1\"\nusing Microsoft.DotNet.Interactive;\nusing Microsoft.DotNet.Interactive.Formatting;");
        string text = Assert.Single(r.Outputs).GetText("text/plain")!;
        Assert.Contains(phrase, text);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void Other_packages_fail_with_an_error_naming_them()
    {
        using var session = new InteractiveSession();
        string error = Failure(session, "#r \"nuget: Newtonsoft.Json, 13.0.3\"\nConsole.WriteLine(1);");
        Assert.Contains("Newtonsoft.Json version 13.0.3 is not bundled", error);
        Assert.Contains("restoring other NuGet packages is not supported yet", error);
        Assert.Contains("Plotly.NET 6.0.0", error);
    }

    [Fact]
    public void A_dll_reference_is_resolved_relative_to_the_notebook_folder()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "libs"));
        var compilation = CSharpCompilation.Create("Greeter",
            [CSharpSyntaxTree.ParseText("namespace Greeting { public static class Greeter { public static string Hello(string n) => \"hello \" + n; } }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        var emit = compilation.Emit(Path.Combine(_dir, "libs", "Greeter.dll"));
        Assert.True(emit.Success);

        using var session = new InteractiveSession(new SessionOptions { WorkingDirectory = _dir });
        var r = Ok(session, "var before = 1;\n#r \"libs/Greeter.dll\"\nGreeting.Greeter.Hello(\"dll\")");
        Assert.Equal("hello dll", r.Result!.GetText("text/plain"));
        Assert.Equal("hello again", Ok(session, "Greeting.Greeter.Hello(\"again\")").Result!.GetText("text/plain"));
        string error = Failure(session, "#r \"libs/Missing.dll\"");
        Assert.Contains(Path.Combine(_dir, "libs", "Missing.dll"), error);
    }

    [Fact]
    public void Polyglot_api_compiles_and_works()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, """
            using Microsoft.DotNet.Interactive;
            using Microsoft.DotNet.Interactive.Formatting;
            Formatter.Register<System.Drawing.Point>(p => $"({p.X}|{p.Y})", "text/plain");
            var token = KernelInvocationContext.Current!.CancellationToken;
            new System.Drawing.Point(1, 2).Display();
            display(token.IsCancellationRequested);
            """);
        Assert.Equal(["(1|2)", "False"], r.Outputs.Select(o => o.GetText("text/plain")));
    }

    [Fact]
    public void The_bundled_versions_follow_directory_packages_props()
    {
        string props = FindUp("Directory.Packages.props");
        var versions = XDocument.Load(props).Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        foreach (var (id, version) in BundledPackages.Versions) Assert.Equal((id, versions[id]), (id, version));
    }

    private static string FindUp(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, name))) return Path.Combine(dir.FullName, name);
        throw new FileNotFoundException(name);
    }
}
