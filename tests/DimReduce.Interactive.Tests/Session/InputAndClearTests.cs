using DimReduce.Interactive.Documents;

namespace DimReduce.Interactive.Tests.Session;

/// <summary>The session's input hook (<see cref="InteractiveSession.ReadInput"/>) and <c>ClearOutput</c>.</summary>
public sealed class InputAndClearTests
{
    [Fact]
    public void ReadLine_WithoutAHook_FailsAtOnceWithAClearMessage()
    {
        using var session = new InteractiveSession();
        var r = session.Execute("Console.ReadLine()");
        Assert.Equal(ExecutionStatus.Error, r.Status);
        Assert.Contains("no standard input", r.Error!.ErrorValue);
    }

    [Fact]
    public void ReadLine_And_Read_AskTheHook_LineByLine()
    {
        using var session = new InteractiveSession();
        var asked = new List<(string Prompt, bool Password)>();
        var answers = new Queue<string>(["first", "xy"]);
        session.ReadInput = (prompt, password) => { asked.Add((prompt, password)); return answers.Dequeue(); };
        var r = session.Execute("var a = Console.ReadLine(); var c1 = (char)Console.Read(); var c2 = (char)Console.Read(); var nl = Console.Read(); $\"{a}|{c1}{c2}|{nl}\"");
        Assert.True(r.Succeeded, r.Error?.ErrorValue);
        Assert.Equal("first|xy|10", r.Result!.GetText(MimeTypes.PlainText));
        Assert.Equal(2, asked.Count);
        Assert.All(asked, a => Assert.False(a.Password));
    }

    [Fact]
    public void GetInputAsync_PassesThePrompt_AndAHookErrorFailsTheCell()
    {
        using var session = new InteractiveSession();
        string? prompt = null;
        session.ReadInput = (p, _) => { prompt = p; return "42"; };
        var r = session.Execute("await Kernel.GetInputAsync(\"Your answer?\")");
        Assert.Equal("42", r.Result!.GetText(MimeTypes.PlainText));
        Assert.Equal("Your answer?", prompt);

        session.ReadInput = (_, _) => throw new InvalidOperationException("the front end allows no input");
        var failed = session.Execute("Console.ReadLine()");
        Assert.Equal(ExecutionStatus.Error, failed.Status);
        Assert.Equal("the front end allows no input", failed.Error!.ErrorValue);
    }

    [Fact]
    public void ClearOutput_RemovesEarlierOutputs_AndRaisesAnEvent()
    {
        using var session = new InteractiveSession();
        var events = new List<SessionEvent>();
        session.Events += events.Add;
        var r = session.Execute("Console.WriteLine(\"old\"); display(1); ClearOutput(wait: true); Console.WriteLine(\"new\");");
        Assert.True(r.Succeeded, r.Error?.ErrorValue);
        var output = Assert.Single(r.Outputs);
        Assert.Equal("new\n", output.Text);
        var clear = Assert.Single(events, e => e.Kind == SessionEventKind.ClearOutput);
        Assert.True(clear.Wait);
    }

    [Fact]
    public void ClearOutput_OutsideACell_Throws() =>
        Assert.Contains("while a cell runs", Assert.Throws<InvalidOperationException>(() => Microsoft.DotNet.Interactive.Kernel.ClearOutput()).Message);
}
