namespace MlNetCnn;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls <c>report</c> on the reporting thread, in order. <see cref="Progress{T}"/>
/// posts to the thread pool when there is no synchronisation context (console apps, tests), so a bar lags behind or
/// updates after the work ended; use this to show progress or to forward one kind of progress into another.
/// </summary>
/// <typeparam name="T">What is reported.</typeparam>
/// <param name="report">Called with every reported value, synchronously.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <summary>Calls the delegate with <paramref name="value"/> before returning.</summary>
    public void Report(T value) => report(value);
}
