namespace DimReduce.Kernel.Tests;

public sealed class CodeIntelligenceTests
{
    [Theory]
    [InlineData("1 + 1")]
    [InlineData("var x = 1;")]
    [InlineData("int Add(int a, int b) => a + b;")]
    [InlineData("#r \"nuget: Plotly.NET\"")]
    [InlineData("#!time\nvar y = 2;")]
    [InlineData("#!markdown\n# Title {")]
    [InlineData("Console.WriteLine?")]
    [InlineData("")]
    public void IsComplete_Complete(string code) => Assert.Equal("complete", CodeIntelligence.IsComplete(code).Status);

    [Theory]
    [InlineData("for (int i = 0; i < 3; i++) {", "    ")]
    [InlineData("class A { void M() {", "        ")]
    [InlineData("int Add(int a,", "")]
    [InlineData("var s = @\"abc", "")]
    public void IsComplete_Incomplete_WithIndent(string code, string indent)
    {
        var result = CodeIntelligence.IsComplete(code);
        Assert.Equal("incomplete", result.Status);
        Assert.Equal(indent, result.Indent);
    }

    [Theory]
    [InlineData("var 1x = 2;")]
    [InlineData("int x = ;")]
    [InlineData("}")]
    public void IsComplete_Invalid(string code)
    {
        var result = CodeIntelligence.IsComplete(code);
        Assert.Equal("invalid", result.Status);
        Assert.Null(result.Indent);
    }

    [Fact]
    public void IsComplete_Null_Throws() =>
        Assert.Equal("code", Assert.Throws<ArgumentNullException>(() => CodeIntelligence.IsComplete(null!)).ParamName);

    [Fact]
    public void Complete_UsesEarlierSubmissions_AndTheirUsings()
    {
        var intelligence = new CodeIntelligence();
        intelligence.AddSubmission("using System.Globalization;\nvar numberOfApples = 3;\n6*7");
        var apples = intelligence.Complete("numberOfA", 9);
        Assert.Equal(0, apples.Start);
        Assert.Contains(apples.Items, i => i.Text == "numberOfApples" && i.Kind == "field");
        var culture = intelligence.Complete("CultureInfo.Invariant", 21);
        Assert.Contains(culture.Items, i => i.Text == "InvariantCulture" && i.Kind == "property");
    }

    [Fact]
    public void Complete_IgnoresMagicLines_AndFiltersByTypedPrefix()
    {
        var intelligence = new CodeIntelligence();
        string code = "#!time\nMath.Sq";
        var result = intelligence.Complete(code, code.Length);
        Assert.Equal(code.Length - 2, result.Start);
        Assert.Equal(["Sqrt"], result.Items.Select(i => i.Text));
    }

    [Fact]
    public void Complete_EngineHelpersAndLibraryTypes()
    {
        var intelligence = new CodeIntelligence();
        Assert.Contains(intelligence.Complete("displ", 5).Items, i => i.Text == "display");
        Assert.Contains(intelligence.Complete("BundledSets.Wi", 14).Items, i => i.Text == "Wine");
    }

    [Fact]
    public void Inspect_GivesSignatureAndDocumentation()
    {
        var intelligence = new CodeIntelligence();
        var info = intelligence.Inspect("Math.Sqrt(2)", 7);
        Assert.NotNull(info);
        Assert.Contains("Math.Sqrt(double", info.PlainText);
        Assert.Contains("```csharp", info.Markdown);
        Assert.Null(intelligence.Inspect("    ", 2));
    }

    [Fact]
    public void Inspect_LibraryType_ShowsItsXmlSummary()
    {
        var info = new CodeIntelligence().Inspect("BundledSets.Wine", 16);
        Assert.NotNull(info);
        Assert.Contains("Wine", info.PlainText);
        Assert.Contains("\n\n", info.PlainText);
    }
}
