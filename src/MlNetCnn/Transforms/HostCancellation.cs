using System.Reflection;
using Microsoft.ML.Runtime;

namespace MlNetCnn.Transforms;

/// <summary>
/// ML.NET's own trainers stop when <c>MLContext.CancelExecution()</c> is called (not public in Microsoft.ML 6, but
/// reachable through other ML.NET components) by checking the host (<c>host.CheckAlive()</c>); that check and the flag
/// behind it (<c>ICancelable.IsCanceled</c>) are internal. This reads the flag by reflection — on the trainer's host
/// and on the MLContext's environment, which MLContext keeps in a private field — and turns it, together with a
/// caller's token, into one <see cref="CancellationToken"/> the training loop checks every batch.
/// <para>
/// The flag is found once per environment, when training starts. An environment of ML.NET's own (its assembly is
/// Microsoft.ML*) without it means ML.NET changed what this reads: that throws <see cref="InvalidOperationException"/>
/// naming the type and ML.NET's version rather than train on, never cancelling. An environment implemented elsewhere
/// may have no flag; only the token cancels then.
/// </para>
/// </summary>
internal sealed class HostCancellation : IDisposable
{
    /// <summary>The internal ML.NET interface whose <c>IsCanceled</c> property is read.</summary>
    public const string CancelableInterface = "Microsoft.ML.Runtime.ICancelable";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource source;
    private readonly Timer timer;

    public HostCancellation(IEnumerable<IHostEnvironment> environments, CancellationToken cancellation)
    {
        var flags = environments.Select(FindFlag).Where(f => f != null).Select(f => f!).ToArray();
        if (flags.Any(f => f())) throw new OperationCanceledException("Training was cancelled (MLContext.CancelExecution).");
        source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timer = new Timer(_ =>
        {
            if (flags.Any(f => f())) source.Cancel();
        }, null, PollInterval, PollInterval);
    }

    public CancellationToken Token => source.Token;

    /// <summary>
    /// A reader of the environment's cancellation flag: its own <c>ICancelable.IsCanceled</c>, or (MLContext, which is
    /// not <c>ICancelable</c> itself) that of the environments it keeps in its fields. Null for an environment from
    /// outside ML.NET that has none.
    /// </summary>
    /// <exception cref="InvalidOperationException">An ML.NET environment has no such flag (ML.NET changed).</exception>
    public static Func<bool>? FindFlag(IHostEnvironment environment) => FindFlag(environment, IsMlNets);

    /// <summary><see cref="FindFlag(IHostEnvironment)"/> with the test of "a type of ML.NET's own" given (for tests).</summary>
    internal static Func<bool>? FindFlag(IHostEnvironment environment, Func<Type, bool> isMlNets)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (OwnFlag(environment) is { } own) return own;
        const BindingFlags fieldFlags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var inner = environment.GetType().GetFields(fieldFlags)
            .Where(f => typeof(IHostEnvironment).IsAssignableFrom(f.FieldType))
            .Select(f => f.GetValue(environment))
            .Where(v => v != null && !ReferenceEquals(v, environment))
            .Select(v => OwnFlag(v!))
            .Where(f => f != null)
            .Select(f => f!)
            .ToArray();
        if (inner.Length > 0) return () => inner.Any(f => f());
        if (isMlNets(environment.GetType()))
        {
            var assembly = environment.GetType().Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();
            throw new InvalidOperationException(
                $"Cannot watch {environment.GetType().FullName} ({assembly.GetName().Name} {version}) for MLContext.CancelExecution(): " +
                $"neither it nor an environment in its fields implements {CancelableInterface}.IsCanceled, which MlNetCnn reads by reflection. " +
                "This ML.NET version is outside the range MlNetCnn supports; use the one its package names (Microsoft.ML [6.0.0, 7.0.0)).");
        }
        return null;
    }

    private static Func<bool>? OwnFlag(object environment)
    {
        var cancelable = environment.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == CancelableInterface);
        if (cancelable?.GetProperty("IsCanceled") is not { PropertyType: var type } property || type != typeof(bool)) return null;
        return () => (bool)property.GetValue(environment)!;
    }

    private static bool IsMlNets(Type type) =>
        type.Assembly.GetName().Name is { } name && (name == "Microsoft.ML" || name.StartsWith("Microsoft.ML.", StringComparison.Ordinal));

    public void Dispose()
    {
        timer.Dispose();
        source.Dispose();
    }
}
