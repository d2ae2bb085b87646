using System.Text;
using System.Text.Json.Nodes;
using NetMQ;

namespace DimReduce.Kernel.Tests;

/// <summary>Messages that are forged, unsigned or replayed are dropped and never executed.</summary>
[Collection("kernel")]
public sealed class SignatureTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private KernelClient Client => fixture.Client;

    private static string Marker() => Path.Combine(Path.GetTempPath(), $"dimreduce-kernel-{Guid.NewGuid():N}.txt");

    private static string Touch(string path) => $"System.IO.File.WriteAllText(@\"{path}\", \"ran\");";

    /// <summary>Sends the bad message, then a good one that reports whether the file exists: executions run in order.</summary>
    private void AssertDropped(List<byte[]> frames, string marker)
    {
        Client.Shell.SendMultipartBytes(frames);
        var (reply, iopub) = Client.Run($"System.IO.File.Exists(@\"{marker}\")");
        Assert.Equal("False", iopub.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void WrongKey_IsNotExecuted()
    {
        string marker = Marker();
        var (_, frames) = Client.Build("execute_request", KernelClient.ExecuteContent(Touch(marker)), Encoding.UTF8.GetBytes("not-the-key"));
        AssertDropped(frames, marker);
    }

    [Fact]
    public void Unsigned_IsNotExecuted()
    {
        string marker = Marker();
        var (_, frames) = Client.Build("execute_request", KernelClient.ExecuteContent(Touch(marker)), []);
        AssertDropped(frames, marker);
    }

    [Fact]
    public void TamperedContent_IsNotExecuted()
    {
        string marker = Marker();
        var (_, frames) = Client.Build("execute_request", KernelClient.ExecuteContent("1"));
        frames[^1] = Encoding.UTF8.GetBytes(KernelClient.ExecuteContent(Touch(marker)).ToJsonString());
        AssertDropped(frames, marker);
    }

    [Fact]
    public void CorrectlySigned_Runs_ButAReplayOfItDoesNot()
    {
        string marker = Marker();
        try
        {
            var (id, frames) = Client.Build("execute_request", KernelClient.ExecuteContent($"System.IO.File.AppendAllText(@\"{marker}\", \"x\");"));
            Client.Shell.SendMultipartBytes(frames);
            Assert.Equal("ok", Client.Reply(Client.Shell, id).Content["status"]!.GetValue<string>());
            Client.IOPubUntilIdle(id);
            Assert.Equal("x", File.ReadAllText(marker));

            Client.Shell.SendMultipartBytes(frames);
            var (reply, _) = Client.Run("1");
            Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
            Assert.Equal("x", File.ReadAllText(marker));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public void ForgedInterrupt_OnControl_IsIgnored()
    {
        var (_, frames) = Client.Build("shutdown_request", new JsonObject { ["restart"] = false }, Encoding.UTF8.GetBytes("forged"));
        Client.Control.SendMultipartBytes(frames);
        var (reply, _) = Client.Request("kernel_info_request", []);
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.False(fixture.Kernel.Stopped.IsCompleted);
    }
}
