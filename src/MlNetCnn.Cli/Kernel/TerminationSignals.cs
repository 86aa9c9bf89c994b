using System.Globalization;
using System.Runtime.InteropServices;

namespace MlNetCnn.Cli.Kernel;

/// <summary>
/// The CLI's one answer to Ctrl+C (SIGINT) and SIGTERM (kill, docker stop, systemd): cancel the running command, which
/// stops within a batch and exits <see cref="ExitCodes.Cancelled"/> with one line; a command that has not stopped
/// <see cref="GracePeriod"/> after the first signal ends the process with the same code and one line.
/// </summary>
/// <remarks>
/// <see cref="Process"/>'s signal registrations are made once and live as long as the process, so a signal that arrives
/// while a run is ending (or after) never reaches a handler of a run that is gone. Runs join and leave under one lock and
/// the handler cancels under that lock, so it never touches a disposed source. Nothing else in the process handles these
/// signals: System.CommandLine's own handler (ProcessTerminationTimeout) is off, so there is one timeout and one exit
/// code. With no run in progress a signal keeps its default action (the process ends), as for any program, unless an
/// earlier signal already stopped a run: then the process is ending with exit 130 and the repeat is absorbed.
/// </remarks>
public sealed class TerminationSignals
{
    /// <summary>How long a signalled command may take to stop and clean up before the process ends anyway.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    private static readonly Lazy<TerminationSignals> ProcessWide = new(() =>
    {
        var signals = new TerminationSignals(GracePeriod, ExitStuckProcess);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                // Held and never disposed (a dropped registration is unregistered by its finalizer): it outlives every run.
                signals.registrations.Add(PosixSignalRegistration.Create(signal, signals.Deliver));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal: nothing to cancel on.
            }
        }
        return signals;
    });

    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly object gate = new();
    private readonly List<Run> active = [];
    private readonly TimeSpan gracePeriod;
    private readonly Action whenStuck;
    private Timer? graceTimer;
    private bool stopping;

    /// <param name="gracePeriod">How long signalled runs may take to stop.</param>
    /// <param name="whenStuck">Called when a signalled run is still going after <paramref name="gracePeriod"/>.</param>
    internal TerminationSignals(TimeSpan gracePeriod, Action whenStuck)
    {
        this.gracePeriod = gracePeriod;
        this.whenStuck = whenStuck;
    }

    /// <summary>The process's handler of SIGINT and SIGTERM (registered on first use).</summary>
    public static TerminationSignals Process => ProcessWide.Value;

    /// <summary>Starts a run: its <see cref="Run.Token"/> is cancelled by <paramref name="outer"/> or by a signal, until it is disposed.</summary>
    public Run Start(CancellationToken outer)
    {
        lock (gate)
        {
            var run = new Run(this, outer);
            active.Add(run);
            return run;
        }
    }

    /// <summary>A signal arrived: cancels every run in progress; with none, leaves the signal its default action.</summary>
    internal void Deliver(PosixSignalContext context)
    {
        lock (gate)
        {
            // A second signal after the first stopped the run (Ctrl+C twice, kill twice) is part of the same stop: the
            // process is already ending with exit 130, so it is absorbed instead of killing the process (exit 143).
            if (active.Count == 0 && !stopping) return;
            context.Cancel = true;
            stopping = true;
            // Cancel only flags the work to stop (its callbacks are the library's and System.CommandLine's token links).
            foreach (var run in active) run.Cancel();
            graceTimer ??= new Timer(_ => EndIfStillRunning(), null, gracePeriod, Timeout.InfiniteTimeSpan);
        }
    }

    private void EndIfStillRunning()
    {
        lock (gate)
        {
            graceTimer?.Dispose();
            graceTimer = null;
            if (!active.Any(r => r.Signalled)) return;
        }
        // Outside the lock: what it runs (process exit) may need it.
        whenStuck();
    }

    private static void ExitStuckProcess()
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"error: Cancelled; the running step did not stop within {GracePeriod.TotalSeconds:0} s, so the process ends now. Nothing was half-written: outputs are published only when complete."));
        Environment.Exit(ExitCodes.Cancelled);
    }

    private void Leave(Run run)
    {
        lock (gate)
        {
            active.Remove(run);
            run.DisposeSource();
        }
    }

    /// <summary>One command run: its cancellation, from the caller's token or a signal.</summary>
    public sealed class Run : IDisposable
    {
        private readonly TerminationSignals owner;
        private readonly CancellationTokenSource source;
        private bool disposed;

        internal Run(TerminationSignals owner, CancellationToken outer)
        {
            this.owner = owner;
            source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        }

        /// <summary>Cancelled by the caller's token or by SIGINT/SIGTERM.</summary>
        public CancellationToken Token => source.Token;

        internal bool Signalled { get; private set; }

        /// <summary>Ends the run: later signals no longer reach it.</summary>
        public void Dispose() => owner.Leave(this);

        // Both under the owner's lock, so a signal never cancels a disposed source.
        internal void Cancel()
        {
            if (disposed || Signalled) return;
            Signalled = true;
            try
            {
                source.Cancel();
            }
            catch (AggregateException)
            {
                // A callback failed while stopping; the run reports its own outcome, the signal thread must not crash.
            }
        }

        internal void DisposeSource()
        {
            if (disposed) return;
            disposed = true;
            source.Dispose();
        }
    }
}
