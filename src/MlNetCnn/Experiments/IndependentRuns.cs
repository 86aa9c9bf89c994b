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
        var results = new T[count];
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
        var workers = Workers(context, count);
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = context.Cancellation },
                i => results[i] = work(i, f => Progress(i, f)));
        }
        catch (AggregateException error) when (error.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(error.InnerExceptions[0]).Throw();
        }
        return results;
    }

    /// <summary>How many pieces run at once: one per core when each uses one libtorch thread and the context allows it.</summary>
    public static int Workers(ExperimentContext context, int count) =>
        context.Parallel && context.Threads == 1 ? Math.Max(1, Math.Min(count, Environment.ProcessorCount)) : 1;
}
