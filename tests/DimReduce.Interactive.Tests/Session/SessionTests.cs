using System.Text.Json.Nodes;
using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Session;

public class SessionTests
{
    private static ExecutionResult Ok(InteractiveSession session, string code, string kernel = "csharp")
    {
        var r = session.Execute(code, kernel);
        Assert.True(r.Succeeded, $"cell failed: {r.Error?.ErrorName}: {r.Error?.ErrorValue}\n{string.Join("\n", r.Error?.Traceback ?? [])}");
        return r;
    }

    private static string? ResultText(ExecutionResult r) => r.Result?.GetText("text/plain");

    [Fact]
    public void Variables_usings_methods_and_classes_persist_across_cells()
    {
        using var session = new InteractiveSession();
        Ok(session, "using System.Text.RegularExpressions;\nint counter = 40;");
        Ok(session, "int Twice(int x) => 2 * x;\nclass Box { public int Value { get; set; } }\nrecord Pair(int A, int B);");
        var r = Ok(session, "counter += 1;\nvar box = new Box { Value = Twice(counter) };\nRegex.IsMatch(\"abc\", \"b\") ? box.Value : -1");
        Assert.Equal("82", ResultText(r));
        Assert.Equal("Pair { A = 1, B = 2 }", ResultText(Ok(session, "new Pair(1, 2)")));
        Assert.Equal(4, session.ExecutionCount);
        Assert.Equal(3, r.ExecutionCount);
        Assert.Equal(3, r.Result!.ExecutionCount);
    }

    [Fact]
    public void Default_references_and_usings_reach_the_library_and_its_dependencies()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, """
            var wine = BundledSets.Wine();
            var pca = new Pca { Components = 2 };
            var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(2);
            var frame = new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.PrimitiveDataFrameColumn<int>("a", new[] { 1 }));
            var t = typeof(TorchSharp.torch).Name;
            var trace = new Plotly.NET.Trace2D("scatter");
            trace.SetProperty("name", "a");
            string traceName = trace.TryGetPropertyValue("name").Value.ToString()!;   // DynamicObj's API: a cell can read a chart back
            $"{wine.Features.Rows} {m.RowCount} {frame.Rows.Count} {t} {DimReduce.Course.Quick is bool} {traceName}"
            """);
        Assert.Equal("178 2 1 torch True a", ResultText(r));
    }

    [Fact]
    public void Stdout_and_stderr_are_captured_in_order_including_other_threads()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, """
            Console.WriteLine("one");
            Console.Error.WriteLine("warn");
            var thread = new System.Threading.Thread(() => Console.WriteLine("from a thread"));
            thread.Start(); thread.Join();
            await Task.Run(() => Console.Write("from a task"));
            """);
        Assert.Equal("one\nfrom a thread\nfrom a task", r.StreamText("stdout").TrimEnd());
        Assert.Equal("warn\n", r.StreamText("stderr"));
        Assert.Equal([OutputKind.Stream, OutputKind.Stream, OutputKind.Stream], r.Outputs.Select(o => o.Kind));
        Assert.Equal(["stdout", "stderr", "stdout"], r.Outputs.Select(o => o.StreamName));
        Assert.Null(r.Result);
    }

    [Fact]
    public void Only_a_trailing_expression_gives_a_result_and_null_is_a_value()
    {
        using var session = new InteractiveSession();
        Assert.Equal("42", ResultText(Ok(session, "6*7")));
        Assert.Equal("hi", ResultText(Ok(session, "\"hi\"")));
        Assert.Equal("<null>", ResultText(Ok(session, "(string?)null")));
        Assert.Equal("0.1", ResultText(Ok(session, "0.1")));
        Assert.Null(Ok(session, "var x = 1;").Result);
        Assert.Null(Ok(session, "Console.WriteLine(1)").Result);
        Assert.Null(Ok(session, "int y = 2;\n// comment after").Result);
        var list = Ok(session, "new[] { 1, 2, 3 }").Result!;
        Assert.Equal("[1, 2, 3]", list.GetText("text/plain"));
        Assert.Contains("<table>", list.GetText("text/html"));
    }

    [Fact]
    public void Display_and_update_replace_one_output_and_raise_events()
    {
        using var session = new InteractiveSession();
        var events = new List<SessionEvent>();
        session.Events += events.Add;
        var r = Ok(session, """
            var handle = display("step 1");
            handle.Update("step 2");
            "done".Display();
            KernelInvocationContext.Current!.Display(HTML("<b>x</b>"));
            handle
            """);
        var displays = r.Outputs.Where(o => o.Kind == OutputKind.DisplayData).ToList();
        Assert.Equal(3, displays.Count);
        Assert.Equal("step 2", displays[0].GetText("text/plain"));
        Assert.Equal("done", displays[1].GetText("text/plain"));
        Assert.Equal("<b>x</b>", displays[2].GetText("text/html"));
        Assert.Null(r.Result);   // a DisplayedValue as trailing value is not shown twice
        var update = Assert.Single(events, e => e.Kind == SessionEventKind.UpdateDisplay);
        Assert.Equal(displays[0].DisplayId, update.Output.DisplayId);
        Assert.Equal("step 2", update.Output.GetText("text/plain"));
    }

    [Fact]
    public void A_data_frame_shows_as_an_html_table()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, "BundledSets.Wine().ToDataFrame()");
        string html = r.Result!.GetText("text/html")!;
        Assert.StartsWith("<table>", html);
        Assert.Contains("<th>alcohol</th>", html);
        Assert.Contains("178 rows", html);
        Assert.Equal(20, html.Split("<tr><td>").Length - 1);
        Assert.StartsWith("DataFrame: 178 rows", r.Result.GetText("text/plain"));
    }

    [Fact]
    public void A_chart_gives_plotly_json_as_an_object_an_html_loader_and_a_summary()
    {
        using var session = new InteractiveSession();
        var r = Ok(session, """
            var points = DataMatrix.FromRows(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } });
            display(Charts.Scatter2D(points, new[] { 0, 1 }, new[] { "a", "b" }, title: "My chart", xTitle: "PC1"));
            """);
        var data = Assert.Single(r.Outputs).Data;
        var figure = Assert.IsType<JsonObject>(data["application/vnd.plotly.v1+json"]);
        Assert.Equal("scatter", figure["data"]![0]!["type"]!.GetValue<string>());
        string html = data["text/html"]!.GetValue<string>();
        Assert.Contains("window.Plotly", html);
        Assert.Contains("require.config", html);
        Assert.Contains("https://cdn.plot.ly/plotly-2.28.0.min.js", html);
        Assert.Contains("could not be loaded", html);
        Assert.Equal("Plotly chart: 2 traces (scatter, scatter), title 'My chart', x-axis 'PC1', y-axis 'Dimension 2'", data["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public void A_user_formatter_replaces_the_output_for_its_type_until_reset()
    {
        using var session = new InteractiveSession();
        Ok(session, "record Celsius(double Degrees);\nFormatter.Register<Celsius>(c => $\"<b>{c.Degrees} °C</b>\", \"text/html\");\nFormatter.Register<Celsius>(c => $\"{c.Degrees} C\");");
        var r = Ok(session, "new Celsius(21.5)");
        Assert.Equal("<b>21.5 °C</b>", r.Result!.GetText("text/html"));
        Assert.Equal("21.5 C", r.Result.GetText("text/plain"));
        Ok(session, "Formatter.ResetToDefault();");
        Assert.Equal("Celsius { Degrees = 21.5 }", ResultText(Ok(session, "new Celsius(21.5)")));
        session.Formatters.Register<int>(i => "int " + i);
        Assert.Equal("int 5", ResultText(Ok(session, "5")));
    }

    [Fact]
    public void Images_markdown_and_html_values_have_their_mime_types()
    {
        using var session = new InteractiveSession();
        var png = Ok(session, "Convert.FromBase64String(\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==\")").Result!;
        Assert.StartsWith("iVBOR", png.GetText("image/png"));
        Assert.Equal("PNG image, 1 x 1 pixels, 70 bytes", png.GetText("text/plain"));
        var md = Ok(session, "Markdown(\"# Title\")").Result!;
        Assert.Equal("# Title", md.GetText("text/markdown"));
        Assert.Contains("<h1", md.GetText("text/html"));
    }

    [Fact]
    public void A_compile_error_reports_the_cells_line_and_column()
    {
        using var session = new InteractiveSession();
        Ok(session, "var a = 1;");
        var r = session.Execute("var b = a;\n#!time\n   var c = undefinedName;");
        Assert.Equal(ExecutionStatus.Error, r.Status);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal((3, 12, "CS0103"), (d.Line, d.Column, d.Id));
        Assert.Contains("undefinedName", d.Message);
        var error = Assert.Single(r.Outputs, o => o.Kind == OutputKind.Error);
        Assert.Equal("CompilationError", error.ErrorName);
        Assert.StartsWith("(3,12): error CS0103", error.ErrorValue);
        // The failed cell defined nothing, and the session goes on.
        Assert.Equal("1", ResultText(Ok(session, "a")));
    }

    [Fact]
    public void A_runtime_error_has_type_message_and_a_stack_trimmed_to_user_code()
    {
        using var session = new InteractiveSession();
        Ok(session, "void Inner() => throw new InvalidOperationException(\"boom\");");
        var r = session.Execute("int before = 7;\nInner();");
        Assert.Equal(ExecutionStatus.Error, r.Status);
        var error = Assert.Single(r.Outputs);
        Assert.Equal(("InvalidOperationException", "boom"), (error.ErrorName, error.ErrorValue));
        Assert.Equal("System.InvalidOperationException: boom", error.Traceback[0]);
        Assert.Contains(error.Traceback, l => l.Contains("at Inner() in cell 1:line 1"));
        Assert.Contains(error.Traceback, l => l.Contains("at <cell> in cell 2:line 2"));
        Assert.DoesNotContain(error.Traceback, l => l.Contains("Microsoft.CodeAnalysis") || l.Contains("Submission#"));
        // Variables assigned before the exception stay, as in Polyglot.
        Assert.Equal("7", ResultText(Ok(session, "before")));
    }

    [Fact]
    public void A_cooperative_loop_stops_at_the_timeout()
    {
        using var session = new InteractiveSession(new SessionOptions { AbandonGrace = TimeSpan.FromSeconds(5) });
        var r = session.Execute("""
            var token = KernelInvocationContext.Current!.CancellationToken;
            Console.WriteLine("started");
            while (true) { token.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(5); }
            """, timeout: TimeSpan.FromMilliseconds(300));
        Assert.Equal(ExecutionStatus.Cancelled, r.Status);
        Assert.Equal("started\n", r.StreamText("stdout"));
        Assert.Equal("OperationCanceledException", r.Error!.ErrorName);
        Assert.Equal("The cell was cancelled: it ran past its timeout of 0.3 s.", r.Error.ErrorValue);
        Assert.False(session.HasAbandonedWork);
        Assert.Equal("2", ResultText(Ok(session, "1 + 1")));
    }

    [Fact]
    public void A_cancelled_token_from_the_caller_interrupts_an_await()
    {
        using var session = new InteractiveSession();
        using var cts = new CancellationTokenSource();
        // Interrupt once the cell's code runs (not while it compiles, which is slow on a busy machine).
        session.Events += e => { if (e.Kind == SessionEventKind.Stream) cts.CancelAfter(100); };
        var r = session.Execute("Console.WriteLine(\"waiting\");\nawait Task.Delay(60_000, KernelInvocationContext.Current!.CancellationToken);", cancellationToken: cts.Token);
        Assert.Equal(ExecutionStatus.Cancelled, r.Status);
        Assert.Equal("The cell was cancelled: it was interrupted.", r.Error!.ErrorValue);
    }

    [Fact]
    public void A_tight_loop_that_ignores_the_token_is_abandoned_with_a_clear_error()
    {
        using var session = new InteractiveSession(new SessionOptions { AbandonGrace = TimeSpan.FromMilliseconds(200) });
        var sinceStart = new System.Diagnostics.Stopwatch();
        session.Events += e => { if (e.Kind == SessionEventKind.Stream) sinceStart.Start(); };
        // Bounded (3 s) so the abandoned thread does not burn CPU for the rest of the test run.
        var r = session.Execute("Console.WriteLine(\"spinning\");\nvar sw = System.Diagnostics.Stopwatch.StartNew();\nwhile (sw.ElapsedMilliseconds < 3000) { }",
            timeout: TimeSpan.FromMilliseconds(200));
        Assert.Equal(ExecutionStatus.Abandoned, r.Status);
        Assert.True(sinceStart.Elapsed < TimeSpan.FromSeconds(2.5), $"returned {sinceStart.Elapsed} after the loop started");
        Assert.Equal("CellAbandoned", r.Error!.ErrorName);
        Assert.Contains("timeout of 0.2 s", r.Error.ErrorValue);
        Assert.Contains("abandoned", r.Error.ErrorValue);
        Assert.Contains("keeps running in the background", r.Error.ErrorValue);
        Assert.True(session.HasAbandonedWork);
        Assert.Equal("3", ResultText(Ok(session, "1 + 2")));
    }

    [Fact]
    public void Reading_standard_input_fails_fast()
    {
        using var session = new InteractiveSession();
        var r = session.Execute("Console.ReadLine()");
        Assert.Equal(ExecutionStatus.Error, r.Status);
        Assert.Contains("no standard input", r.Error!.ErrorValue);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new InteractiveSession(new SessionOptions { AbandonGrace = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("options", e.ParamName);
        using var session = new InteractiveSession();
        var t = Assert.Throws<ArgumentOutOfRangeException>(() => session.Execute("1", timeout: TimeSpan.Zero));
        Assert.Equal("timeout", t.ParamName);
        var f = new FormatterRegistry();
        var m = Assert.Throws<ArgumentException>(() => f.Register<int>(i => "", "html"));
        Assert.Equal("mimeType", m.ParamName);
        Assert.Contains("type/subtype", m.Message);
    }
}
