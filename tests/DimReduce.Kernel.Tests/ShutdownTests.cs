using System.Text.Json.Nodes;
using NetMQ;

namespace DimReduce.Kernel.Tests;

[Collection("kernel")]
public sealed class ShutdownTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShutdownRequest_OnControl_RepliesThenStops(bool restart)
    {
        using var kernel = new JupyterKernel(new ConnectionInfo { Key = "k" }, new KernelOptions { WarmUp = false });
        kernel.Start();
        using var client = new KernelClient(kernel.BoundConnection);
        string id = client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = restart });
        var reply = client.Reply(client.Control, id);
        Assert.Equal("shutdown_reply", reply.MsgType);
        Assert.Equal(restart, reply.Content["restart"]!.GetValue<bool>());
        await kernel.Stopped.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void UnsignedKernel_EmptyKey_AcceptsUnsignedMessages()
    {
        using var kernel = new JupyterKernel(new ConnectionInfo { Key = "" }, new KernelOptions { WarmUp = false });
        kernel.Start();
        using var client = new KernelClient(kernel.BoundConnection);
        string id = client.Send(client.Shell, "kernel_info_request", []);
        Assert.Equal("ok", client.Reply(client.Shell, id).Content["status"]!.GetValue<string>());
    }
}
