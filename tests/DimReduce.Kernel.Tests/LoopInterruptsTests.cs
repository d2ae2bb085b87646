using DimReduce.Interactive;

namespace DimReduce.Kernel.Tests;

public sealed class LoopInterruptsTests
{
    private const string C = LoopInterrupts.Check;

    [Theory]
    [InlineData("while (true) { }", "while (true) { " + C + " }")]
    [InlineData("while (true) i++;", "while (true) { " + C + " i++; }")]
    [InlineData("do x++; while (x < 3);", "do { " + C + " x++; } while (x < 3);")]
    [InlineData("for (;;) for (;;) ;", "for (;;) { " + C + " for (;;) { " + C + " ; } }")]
    [InlineData("foreach (var (a, b) in pairs) { }", "foreach (var (a, b) in pairs) { " + C + " }")]
    [InlineData("void F() { foreach (var x in xs) { } }", "void F() { foreach (var x in xs) { " + C + " } }")]
    public void Instrument_InsertsACheckAtTheTopOfEveryLoopBody(string code, string expected) =>
        Assert.Equal(expected, LoopInterrupts.Instrument(code));

    [Theory]
    [InlineData("var x = 1;")]
    [InlineData("while (true) {")]                  // incomplete: the compiler reports the original
    [InlineData("#!markdown\nwhile (x) y;")]         // another kernel's text
    [InlineData("")]
    public void Instrument_LeavesOtherCellsAlone(string code) => Assert.Equal(code, LoopInterrupts.Instrument(code));

    [Fact]
    public void Instrument_KeepsLinesAndMagics()
    {
        string code = "#!time\n#r \"nuget: Plotly.NET\"\nvar n = 0;\nwhile (n < 3)\n    n++;\nn";
        string instrumented = LoopInterrupts.Instrument(code);
        Assert.Equal(code.Split('\n').Length, instrumented.Split('\n').Length);
        Assert.StartsWith("#!time\n#r \"nuget: Plotly.NET\"\n", instrumented);
        using var session = new InteractiveSession();
        var r = session.Execute(instrumented);
        Assert.True(r.Succeeded, r.Error?.ErrorValue);
        Assert.Equal("3", r.Result!.GetText(MimeTypes.PlainText));
    }
}
