using Microsoft.ML.Runtime;

namespace MlNetCnn.Transforms;

/// <summary>
/// ML.NET's own trainers stop when <c>MLContext.CancelExecution()</c> is called by checking the host
/// (<c>host.CheckAlive()</c>); that check and the flag behind it (<c>ICancelable.IsCanceled</c>) are internal.
/// This reads the flag by reflection — on the trainer's host and on the MLContext's environment, which MLContext
/// keeps in a private field — and turns it, together with a caller's token, into one <see cref="CancellationToken"/>
/// the training loop checks every batch.
/// </summary>
internal sealed class HostCancellation : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource source;
    private readonly Timer timer;

    public HostCancellation(IEnumerable<IHostEnvironment> environments, CancellationToken cancellation)
    {
        var watched = environments.ToArray();
        source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        foreach (var environment in watched) ThrowIfCanceled(environment);
        timer = new Timer(_ =>
        {
            if (watched.Any(IsCanceled)) source.Cancel();
        }, null, PollInterval, PollInterval);
    }

    public CancellationToken Token => source.Token;

    /// <summary>True once <c>CancelExecution()</c> was called on the environment (or its MLContext).</summary>
    public static bool IsCanceled(IHostEnvironment environment)
    {
        if (IsCanceledFlag(environment) is { } flag) return flag;
        // MLContext is not ICancelable itself; its CancelExecution() cancels the environment it wraps.
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
        return environment.GetType().GetFields(flags)
            .Where(f => typeof(IHostEnvironment).IsAssignableFrom(f.FieldType))
            .Select(f => f.GetValue(environment) is { } inner ? IsCanceledFlag(inner) : null)
            .Any(c => c == true);
    }

    private static bool? IsCanceledFlag(object environment)
    {
        var cancelable = environment.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.ML.Runtime.ICancelable");
        return cancelable?.GetProperty("IsCanceled")?.GetValue(environment) as bool?;
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> as ML.NET's <c>CheckAlive</c> does.</summary>
    public static void ThrowIfCanceled(IHostEnvironment environment)
    {
        if (IsCanceled(environment))
            throw new OperationCanceledException("Training was cancelled (MLContext.CancelExecution).");
    }

    public void Dispose()
    {
        timer.Dispose();
        source.Dispose();
    }
}
