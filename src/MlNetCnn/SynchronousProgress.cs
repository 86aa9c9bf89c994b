namespace MlNetCnn;

/// <summary>
/// Reports on the calling thread by calling a delegate, in order (Progress&lt;T&gt; would post to the thread pool and
/// reorder reports); for forwarding one kind of progress into another.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
