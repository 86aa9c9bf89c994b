using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every request with a 200, a Content-Length of <c>announced</c> bytes and
/// the first <c>sent</c> of <c>body</c>, then either closes the connection (a short response) or goes silent until
/// disposed (a stalled body): the failures <see cref="LoopbackHttpServer"/>, a well-behaved server, cannot produce.
/// </summary>
public sealed class ScriptedHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public ScriptedHttpServer(byte[] body, int sent, long announced, bool stallAfter)
    {
        listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/cifar.tar.gz");
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Answer(client, body, sent, announced, stallAfter);
            }
        });
    }

    public Uri Url { get; }

    private async Task Answer(TcpClient client, byte[] body, int sent, long announced, bool stallAfter)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new byte[4096];
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(request, stop.Token);
                    if (n == 0) return;
                    seen.Append(Encoding.ASCII.GetString(request, 0, n));
                }
                var headers = $"HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(headers), stop.Token);
                await stream.WriteAsync(body.AsMemory(0, sent), stop.Token);
                await stream.FlushAsync(stop.Token);
                if (stallAfter) await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // Stopped, or the client gave up.
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        loop.Wait(TimeSpan.FromSeconds(5));
        stop.Dispose();
    }
}
