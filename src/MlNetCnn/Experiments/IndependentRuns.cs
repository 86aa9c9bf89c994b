using System.Runtime.ExceptionServices;

namespace MlNetCnn.Experiments;

/// <summary>
/// Runs independent pieces of an experiment (trainings that share nothing but read-only data) side by side, one per
/// core, when each uses one libtorch thread. libtorch's thread count is process-wide, so with more than one thread per
/// training they run one after another instead. Every piece seeds its own initialisation (SeededInitialization's
/// private generator) and shuffle (System.Random), so the results equal the serial run's whatever the order.
/// </summary>
internal static class IndependentRuns
{
    /// <summary>
    /// <paramref name="work"/>(i) for i in 0..count−1, results in index order; <paramref name="report"/> gets the mean
    /// of the pieces' completed fractions. The first failure is rethrown as itself (not wrapped).
    /// </summary>
    public static T[] Run<T>(ExperimentContext context, int count, Func<int, Action<double>, T> work, Action<double> report)
    {
        var done = new double[count];
        var gate = new object();
        void Progress(int i, double fraction)
        {
            lock (gate)
            {
                done[i] = fraction;
                report(done.Sum() / count);
            }
        }
        return Run(context, count, i => work(i, f => Progress(i, f)));
    }

    /// <summary>
    /// <paramref name="work"/>(i) for i in 0..count−1 on <see cref="Workers"/> dedicated threads (the caller's is one),
    /// results in index order. Cancellation is checked before each hand-out; the first exception stops the hand-out
    /// and is rethrown as itself once the pieces under way have ended.
    /// </summary>
    public static T[] Run<T>(ExperimentContext context, int count, Func<int, T> work)
    {
        var results = new T[count];
        var next = -1;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            int i;
            while (Volatile.Read(ref failure) == null && (i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    results[i] = work(i);
                }
                catch (Exception error)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(error), null);
                    return;
                }
            }
        }
        // Dedicated threads, not the pool: a piece blocks for minutes and may nest its own independent runs.
        var workers = Enumerable.Range(0, Workers(context, count) - 1)
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        Work();
        Task.WaitAll(workers);
        failure?.Throw();
        return results;
    }

    /// <summary>How many pieces run at once: one per core when each uses one libtorch thread and the context allows it.</summary>
    public static int Workers(ExperimentContext context, int count) =>
        context.Parallel && context.Threads == 1 ? Math.Max(1, Math.Min(count, Environment.ProcessorCount)) : 1;
}
