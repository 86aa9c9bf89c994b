using System.Net;
using System.Net.Sockets;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (free port) serving fixed byte arrays by path; anything else is 404.
/// Used to test downloads without the internet.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly Task loop;
    private bool disposed;

    public LoopbackHttpServer()
    {
        // Ask the OS for a free port, then hand it to HttpListener (small race, fine for tests).
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(BaseUrl.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Number of requests answered so far.</summary>
    public int RequestCount { get; private set; }

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (e.g. "/a.tar.gz"); returns its URL.</summary>
    public Uri Serve(string path, byte[] content)
    {
        lock (files) files[path] = content;
        return new Uri(BaseUrl, path);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // Stopped.
            }

            RequestCount++;
            byte[]? body;
            lock (files) files.TryGetValue(context.Request.Url!.AbsolutePath, out body);
            try
            {
                if (body is null)
                {
                    context.Response.StatusCode = 404;
                }
                else
                {
                    context.Response.ContentType = "application/gzip";
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                }
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // Client went away.
            }
        }
    }

    public void Dispose()
    {
        // Idempotent: a test may stop the server early to simulate a refused connection.
        if (disposed) return;
        disposed = true;
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
