using System.Text.Json.Nodes;
using NetMQ;

namespace DimReduce.Kernel.Tests;

[CollectionDefinition("kernel", DisableParallelization = true)]
public sealed class KernelCollection;

/// <summary>The kernel over real ZeroMQ sockets: one kernel per class, requests as Jupyter clients send them.</summary>
[Collection("kernel")]
public sealed class KernelProtocolTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private KernelClient Client => fixture.Client;

    private static string Text(Received m, string mime = "text/plain") => m.Content["data"]![mime]!.GetValue<string>();

    [Fact]
    public void KernelInfo_ReportsProtocolAndLanguage_BetweenBusyAndIdle()
    {
        var (reply, iopub) = Client.Request("kernel_info_request", []);
        Assert.Equal("kernel_info_reply", reply.MsgType);
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.Equal("5.3", reply.Content["protocol_version"]!.GetValue<string>());
        var language = reply.Content["language_info"]!;
        Assert.Equal("csharp", language["name"]!.GetValue<string>());
        Assert.Equal(".cs", language["file_extension"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", language["mimetype"]!.GetValue<string>());
        Assert.Equal(["busy", "idle"], iopub.Select(m => m.Content["execution_state"]!.GetValue<string>()));
    }

    [Fact]
    public void Heartbeat_EchoesFrames()
    {
        Client.Heartbeat.SendFrame("ping");
        Assert.True(Client.Heartbeat.TryReceiveFrameString(TimeSpan.FromSeconds(10), out string? echo));
        Assert.Equal("ping", echo);
    }

    [Fact]
    public void Execute_PublishesInputStreamAndResult_AndCountsExecutions()
    {
        var (reply, iopub) = Client.Run("Console.WriteLine(\"hello\"); Console.Error.Write(\"warn\"); 6*7");
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        int count = reply.Content["execution_count"]!.GetValue<int>();
        Assert.Equal(["status", "execute_input"], iopub.Take(2).Select(m => m.MsgType));
        Assert.Equal(count, iopub[1].Content["execution_count"]!.GetValue<int>());
        Assert.Equal("hello\n", string.Concat(iopub.Where(m => m.MsgType == "stream" && m.Content["name"]!.GetValue<string>() == "stdout").Select(m => m.Content["text"]!.GetValue<string>())));
        Assert.Contains(iopub, m => m.MsgType == "stream" && m.Content["name"]!.GetValue<string>() == "stderr" && m.Content["text"]!.GetValue<string>() == "warn");
        var result = Assert.Single(iopub, m => m.MsgType == "execute_result");
        Assert.Equal("42", Text(result));
        Assert.Equal(count, result.Content["execution_count"]!.GetValue<int>());

        var (next, _) = Client.Run("1");
        Assert.Equal(count + 1, next.Content["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void Execute_Error_RepliesErrorWithOneErrorMessage()
    {
        var (reply, iopub) = Client.Run("throw new InvalidOperationException(\"boom\");");
        Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", reply.Content["ename"]!.GetValue<string>());
        Assert.Equal("boom", reply.Content["evalue"]!.GetValue<string>());
        var outputs = iopub.Where(m => m.MsgType is not ("status" or "execute_input")).ToList();
        var error = Assert.Single(outputs);
        Assert.Equal("error", error.MsgType);
        Assert.NotEmpty(error.Content["traceback"]!.AsArray());
    }

    [Fact]
    public void Execute_CompileError_NamesTheDiagnostic()
    {
        var (reply, _) = Client.Run("int x = \"text\";");
        Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
        Assert.Contains("CS0029", reply.Content["evalue"]!.GetValue<string>());
    }

    [Fact]
    public void Execute_AfterAnError_AbortsTheRequestsAlreadyQueued()
    {
        string failing = Client.Execute("System.Threading.Thread.Sleep(300); throw new Exception(\"first fails\");");
        string queued = Client.Execute("Console.WriteLine(\"must not run\");");
        Assert.Equal("error", Client.Reply(Client.Shell, failing).Content["status"]!.GetValue<string>());
        var aborted = Client.Reply(Client.Shell, queued);
        Assert.Equal("aborted", aborted.Content["status"]!.GetValue<string>());
        Assert.DoesNotContain(Client.IOPubUntilIdle(queued), m => m.MsgType == "stream");

        // Without stop_on_error the next request runs.
        string a = Client.Execute("throw new Exception(\"x\");", stopOnError: false);
        string b = Client.Execute("2");
        Assert.Equal("error", Client.Reply(Client.Shell, a).Content["status"]!.GetValue<string>());
        Assert.Equal("ok", Client.Reply(Client.Shell, b).Content["status"]!.GetValue<string>());
    }

    [Fact]
    public void Execute_Silent_PublishesNothingAndKeepsTheCount()
    {
        var (before, _) = Client.Run("0");
        var (reply, iopub) = Client.Run("Console.WriteLine(\"quiet\"); 5", silent: true);
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.Equal(before.Content["execution_count"]!.GetValue<int>(), reply.Content["execution_count"]!.GetValue<int>());
        Assert.All(iopub, m => Assert.Equal("status", m.MsgType));
    }

    [Fact]
    public void Execute_MistypedFields_TakeTheirDefaults_AndStillGetAReply()
    {
        string id = Client.Send(Client.Shell, "execute_request", new JsonObject { ["code"] = "3", ["silent"] = "yes", ["store_history"] = 1, ["user_expressions"] = 7 });
        Assert.Equal("ok", Client.Reply(Client.Shell, id).Content["status"]!.GetValue<string>());
        Assert.Contains(Client.IOPubUntilIdle(id), m => m.MsgType == "execute_result");

        var (complete, _) = Client.Request("complete_request", new JsonObject { ["code"] = 5, ["cursor_pos"] = "x" });
        Assert.Equal("ok", complete.Content["status"]!.GetValue<string>());
    }

    [Fact]
    public void Execute_PolyglotKernelNameInMetadata_PicksTheCellsKernel()
    {
        var (id, frames) = Client.Build("execute_request", KernelClient.ExecuteContent("# Title"),
            metadata: new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "markdown" } });
        Client.Shell.SendMultipartBytes(frames);
        Assert.Equal("ok", Client.Reply(Client.Shell, id).Content["status"]!.GetValue<string>());
        var display = Assert.Single(Client.IOPubUntilIdle(id), m => m.MsgType == "display_data");
        Assert.Equal("# Title", Text(display, "text/markdown"));
    }

    [Fact]
    public void Execute_UserExpressions_AreEvaluatedAfterTheCell()
    {
        var (reply, _) = Client.Run("var answer = 41;", userExpressions: new JsonObject { ["a"] = "answer + 1", ["bad"] = "nope" });
        var expressions = reply.Content["user_expressions"]!;
        Assert.Equal("ok", expressions["a"]!["status"]!.GetValue<string>());
        Assert.Equal("42", expressions["a"]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("error", expressions["bad"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Execute_DisplayAndUpdate_CarryTheDisplayId()
    {
        var (_, iopub) = Client.Run("var d = display(\"one\"); d.Update(\"two\");");
        var shown = Assert.Single(iopub, m => m.MsgType == "display_data");
        var updated = Assert.Single(iopub, m => m.MsgType == "update_display_data");
        string id = shown.Content["transient"]!["display_id"]!.GetValue<string>();
        Assert.Equal(id, updated.Content["transient"]!["display_id"]!.GetValue<string>());
        Assert.Equal("two", Text(updated));
    }

    [Fact]
    public void Execute_ClearOutput_PublishesClearOutput()
    {
        var (_, iopub) = Client.Run("Console.WriteLine(\"a\"); ClearOutput(wait: true); Console.WriteLine(\"b\");");
        var types = iopub.Select(m => m.MsgType).ToList();
        int clear = types.IndexOf("clear_output");
        Assert.True(clear > types.IndexOf("stream"), string.Join(",", types));
        Assert.True(iopub[clear].Content["wait"]!.GetValue<bool>());
        Assert.Equal("b\n", iopub.Last(m => m.MsgType == "stream").Content["text"]!.GetValue<string>());
    }

    [Fact]
    public void Execute_HelpSuffix_ReturnsAPagePayload()
    {
        var (reply, _) = Client.Run("Console.WriteLine?");
        var page = Assert.Single(reply.Content["payload"]!.AsArray());
        Assert.Equal("page", page!["source"]!.GetValue<string>());
        Assert.Contains("WriteLine", page["data"]!["text/plain"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("int x = ;", "invalid")]
    public void IsComplete_AnswersFromTheSyntaxTree(string code, string status)
    {
        var (reply, iopub) = Client.Request("is_complete_request", new JsonObject { ["code"] = code });
        Assert.Equal(status, reply.Content["status"]!.GetValue<string>());
        if (status == "incomplete") Assert.Equal("    ", reply.Content["indent"]!.GetValue<string>());
        Assert.Equal(2, iopub.Count);
    }

    [Fact]
    public void Complete_ConsoleWri_OffersWriteAndWriteLine()
    {
        var (reply, _) = Client.Request("complete_request", new JsonObject { ["code"] = "Console.Wri", ["cursor_pos"] = 11 });
        var matches = reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { "Write", "WriteLine" }, matches);
        Assert.Equal(8, reply.Content["cursor_start"]!.GetValue<int>());
        Assert.Equal(11, reply.Content["cursor_end"]!.GetValue<int>());
        var types = reply.Content["metadata"]!["_jupyter_types_experimental"]!.AsArray();
        Assert.All(types, t => Assert.Equal("function", t!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void Complete_SeesVariablesOfEarlierCells()
    {
        Client.Run("var distinctiveCounter = 3;");
        var (reply, _) = Client.Request("complete_request", new JsonObject { ["code"] = "distinctiveCo", ["cursor_pos"] = 13 });
        Assert.Contains("distinctiveCounter", reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Inspect_ConsoleWriteLine_FindsItsSignature()
    {
        var (reply, _) = Client.Request("inspect_request", new JsonObject { ["code"] = "Console.WriteLine", ["cursor_pos"] = 17, ["detail_level"] = 0 });
        Assert.True(reply.Content["found"]!.GetValue<bool>());
        Assert.Contains("Console.WriteLine", Text(reply));
        Assert.StartsWith("```csharp", Text(reply, "text/markdown"));

        var (missing, _) = Client.Request("inspect_request", new JsonObject { ["code"] = "   ", ["cursor_pos"] = 1, ["detail_level"] = 0 });
        Assert.False(missing.Content["found"]!.GetValue<bool>());
    }

    [Fact]
    public void History_TailRangeAndSearch()
    {
        Client.Run("\"history marker\"");
        var (tail, _) = Client.Request("history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 1, ["output"] = true, ["raw"] = true });
        var last = tail.Content["history"]!.AsArray().Single()!.AsArray();
        Assert.Equal("\"history marker\"", last[2]![0]!.GetValue<string>());
        Assert.Equal("history marker", last[2]![1]!.GetValue<string>());

        int line = last[1]!.GetValue<int>();
        var (range, _) = Client.Request("history_request", new JsonObject
        {
            ["hist_access_type"] = "range", ["session"] = last[0]!.GetValue<int>(), ["start"] = line, ["stop"] = line + 1, ["output"] = false, ["raw"] = true,
        });
        Assert.Equal("\"history marker\"", range.Content["history"]!.AsArray().Single()![2]!.GetValue<string>());

        var (search, _) = Client.Request("history_request", new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "\"history*", ["unique"] = true, ["output"] = false, ["raw"] = true });
        Assert.Single(search.Content["history"]!.AsArray());
    }

    [Fact]
    public void CommInfo_ReportsNoComms()
    {
        var (reply, _) = Client.Request("comm_info_request", []);
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.Empty(reply.Content["comms"]!.AsObject());
    }

    [Fact]
    public void Interrupt_OnControl_StopsARunningLoop_AndTheKernelStaysUsable()
    {
        string id = Client.Execute("while (true) { KernelInvocationContext.Current!.CancellationToken.ThrowIfCancellationRequested(); Thread.Sleep(5); }");
        // Wait until the cell runs (its execute_input is out), then interrupt on the control channel.
        Received? m;
        do m = Client.Receive(Client.IOPub, "iopub"); while (m is not null && !(m.ParentId == id && m.MsgType == "execute_input"));
        Thread.Sleep(200);
        string interrupt = Client.Send(Client.Control, "interrupt_request", []);
        Assert.Equal("ok", Client.Reply(Client.Control, interrupt).Content["status"]!.GetValue<string>());
        var reply = Client.Reply(Client.Shell, id);
        Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
        Assert.Equal("OperationCanceledException", reply.Content["ename"]!.GetValue<string>());
        Client.IOPubUntilIdle(id);

        var (after, _) = Client.Run("1 + 1");
        Assert.Equal("ok", after.Content["status"]!.GetValue<string>());
    }

    [Fact]
    public void Interrupt_StopsALoopThatNeverChecksItsToken()
    {
        string id = Client.Execute("long spins = 0;\nwhile (true) { spins++; }");
        Received? m;
        do m = Client.Receive(Client.IOPub, "iopub"); while (m is not null && !(m.ParentId == id && m.MsgType == "execute_input"));
        Thread.Sleep(200);
        Client.Reply(Client.Control, Client.Send(Client.Control, "interrupt_request", []));
        var reply = Client.Reply(Client.Shell, id);
        Assert.Equal("OperationCanceledException", reply.Content["ename"]!.GetValue<string>());
        Assert.Contains("interrupted", reply.Content["evalue"]!.GetValue<string>());
        Client.IOPubUntilIdle(id);
        Assert.False(fixture.Kernel.HasAbandonedWork);
    }

    [Fact]
    public void Stdin_ReadLine_AsksTheFrontEnd_WhenAllowed()
    {
        string id = Client.Execute("var name = Console.ReadLine(); Console.WriteLine($\"got {name}\");", allowStdin: true);
        var request = Client.Receive(Client.Stdin, "stdin") ?? throw new TimeoutException("no input_request");
        Assert.Equal("input_request", request.MsgType);
        Assert.Equal(id, request.ParentId);
        Assert.False(request.Content["password"]!.GetValue<bool>());
        Client.Send(Client.Stdin, "input_reply", new JsonObject { ["value"] = "Ada" });
        Assert.Equal("ok", Client.Reply(Client.Shell, id).Content["status"]!.GetValue<string>());
        Assert.Contains(Client.IOPubUntilIdle(id), s => s.MsgType == "stream" && s.Content["text"]!.GetValue<string>() == "got Ada\n");
    }

    [Fact]
    public void Stdin_ReadLine_FailsAtOnce_WhenTheFrontEndAllowsNoInput()
    {
        var started = DateTime.UtcNow;
        var (reply, _) = Client.Run("Console.ReadLine()");
        Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
        Assert.Contains("allow_stdin", reply.Content["evalue"]!.GetValue<string>());
        Assert.Null(Client.Receive(Client.Stdin, "stdin", TimeSpan.FromMilliseconds(100)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }
}
