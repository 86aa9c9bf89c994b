using Microsoft.ML.Runtime;

namespace MlNetCnn.Transforms;

/// <summary>
/// ML.NET's own trainers stop when <c>MLContext.CancelExecution()</c> is called by checking the host
/// (<c>host.CheckAlive()</c>); that check and the flag behind it (<c>ICancelable.IsCanceled</c>) are internal.
/// This reads the flag by reflection and turns it, together with a caller's token, into one
/// <see cref="CancellationToken"/> the training loop checks every batch.
/// </summary>
internal sealed class HostCancellation : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource source;
    private readonly Timer timer;

    public HostCancellation(IHostEnvironment environment, CancellationToken cancellation)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ThrowIfCanceled(environment);
        timer = new Timer(_ =>
        {
            if (IsCanceled(environment)) source.Cancel();
        }, null, PollInterval, PollInterval);
    }

    public CancellationToken Token => source.Token;

    /// <summary>True once <c>CancelExecution()</c> was called on the environment (or its MLContext).</summary>
    public static bool IsCanceled(IHostEnvironment environment)
    {
        var cancelable = environment.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.ML.Runtime.ICancelable");
        return cancelable?.GetProperty("IsCanceled")?.GetValue(environment) is true;
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
