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
    [InlineData("#i \"/some/include/path\"", "#i \"/some/include/path\" (line 2) is not supported: #i takes a NuGet package source")]
    [InlineData("#!lsmagic", "#!lsmagic (line 2) is not supported by the DimReduce engine. Supported: #!csharp")]
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
        Assert.Equal("Microsoft.Data.Analysis 0.2.0 was requested; the engine's bundled Microsoft.Data.Analysis 0.23.1 runs instead (the engine has it loaded, and one process cannot load two versions of it).", notice.GetText("text/plain"));
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
    public void Mermaid_cells_render_as_mermaid_html_and_source_from_a_selector_or_metadata()
    {
        using var session = new InteractiveSession();
        const string diagram = "graph TD\n  A[\"</script><b>\"] --> B";
        var r = Ok(session, "#!mermaid\n" + diagram + "\n#!csharp\n1 + 1");
        Assert.Equal([OutputKind.DisplayData, OutputKind.ExecuteResult], r.Outputs.Select(o => o.Kind));
        var output = r.Outputs[0];
        Assert.Equal(diagram, output.GetText("text/plain"));
        Assert.Equal(diagram, output.GetText("text/vnd.mermaid"));
        string html = output.GetText("text/html")!;
        Assert.Contains("https://cdn.jsdelivr.net/npm/mermaid@11.4.1/dist/mermaid.min.js", html);
        Assert.Contains("&lt;/script&gt;&lt;b&gt;", html);              // the source shown until mermaid.js draws it, escaped
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(diagram), html);   // and in the script as a JSON string
        Assert.Single(Regex.Matches(html, "</script>"));                               // that cannot close the script tag

        // Kernel set in the cell's metadata only (as Polyglot wrote mermaid cells); a local copy is tried before the CDN.
        session.Formatters.MermaidJsUrls.Add("book/mermaid.min.js");
        var fromMetadata = Ok(session, "sequenceDiagram\n  A->>B: hi", "mermaid");
        string html2 = fromMetadata.Outputs[0].GetText("text/html")!;
        Assert.True(html2.IndexOf("book/mermaid.min.js", StringComparison.Ordinal) < html2.IndexOf("cdn.jsdelivr", StringComparison.Ordinal));
        Assert.Equal("sequenceDiagram\n  A->>B: hi", fromMetadata.Outputs[0].GetText("text/plain"));

        // The same content from C#.
        var fromCode = Ok(session, "display(new MermaidContent(\"graph LR; X-->Y\"));");
        Assert.Equal("graph LR; X-->Y", fromCode.Outputs[0].GetText("text/vnd.mermaid"));
    }

    [Fact]
    public void About_shows_the_product_its_versions_and_the_readme_and_the_cell_still_runs()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, "#!about\n6 * 7");
        Assert.Equal([OutputKind.DisplayData, OutputKind.ExecuteResult], r.Outputs.Select(o => o.Kind));
        string plain = r.Outputs[0].GetText("text/plain")!;
        Assert.StartsWith("DimReduce notebook engine\nVersion: ", plain);
        Assert.Contains($"Runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}", plain);
        Assert.Matches(new Regex(@"Compiler: Roslyn scripting \(Microsoft\.CodeAnalysis\.CSharp\.Scripting\) \d+\.\d+.*, C# \d+"), plain);
        Assert.Contains("Library: DimReduce ", plain);
        Assert.Contains("README.md", plain);
        string html = r.Outputs[0].GetText("text/html")!;
        Assert.Contains("<table>", html);
        Assert.Contains("DimReduce notebook engine", html);
        Assert.Equal("42", r.Outputs[1].GetText("text/plain"));
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
