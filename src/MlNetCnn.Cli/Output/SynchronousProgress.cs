namespace MlNetCnn.Cli.Output;

/// <summary>
/// An IProgress that reports on the caller's thread. System.Progress posts to the thread pool in a console app,
/// so bars would lag behind or update after the work ended.
/// </summary>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> handler;

    public SynchronousProgress(Action<T> handler) => this.handler = handler;

    public void Report(T value) => handler(value);
}
