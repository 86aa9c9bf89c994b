using System.Runtime.InteropServices;
using MlNetCnn.Cli.Kernel;

namespace MlNetCnn.Cli.Tests;

/// <summary>
/// The signal handler's own contract, with signals delivered to a private <see cref="TerminationSignals"/> (never to the
/// test process): a signal cancels the runs in progress, never a run that has ended (the old handler cancelled a
/// disposed token source: ObjectDisposedException on the signal thread, exit 134), and ends the process only when a
/// signalled run outlives the grace period.
/// </summary>
public class TerminationSignalsTests
{
    [Fact]
    public void ASignalCancelsTheRunInProgressAndIsHandled()
    {
        var signals = new TerminationSignals(TimeSpan.FromMinutes(1), () => { });
        using var run = signals.Start(CancellationToken.None);
        var context = new PosixSignalContext(PosixSignal.SIGTERM);
        signals.Deliver(context);
        Assert.True(run.Token.IsCancellationRequested);
        Assert.True(context.Cancel, "the signal's default action (ending the process) must be suppressed while a run can stop cleanly");
    }

    [Fact]
    public void ASignalAfterTheRunEndedTouchesNothingAndKeepsItsDefaultAction()
    {
        var signals = new TerminationSignals(TimeSpan.FromMinutes(1), () => { });
        var run = signals.Start(CancellationToken.None);
        var token = run.Token;
        run.Dispose();
        var context = new PosixSignalContext(PosixSignal.SIGTERM);
        signals.Deliver(context); // threw ObjectDisposedException before
        Assert.False(token.IsCancellationRequested);
        Assert.False(context.Cancel);
    }

    [Fact]
    public void ASecondSignalAfterTheFirstStoppedTheRunIsAbsorbed()
    {
        var signals = new TerminationSignals(TimeSpan.FromMinutes(1), () => { });
        using (signals.Start(CancellationToken.None))
            signals.Deliver(new PosixSignalContext(PosixSignal.SIGINT));
        // The run has ended (exit 130 on its way); kill sent again must not turn that into 143.
        var again = new PosixSignalContext(PosixSignal.SIGTERM);
        signals.Deliver(again);
        Assert.True(again.Cancel);
    }

    [Fact]
    public async Task SignalsRacingRunsThatStartAndEndNeverThrow()
    {
        var signals = new TerminationSignals(TimeSpan.FromMinutes(1), () => { });
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        var deliverer = Task.Run(() =>
        {
            started.Set();
            while (!stop.IsCancellationRequested)
            {
                try { signals.Deliver(new PosixSignalContext(PosixSignal.SIGTERM)); }
                catch (Exception e) { failures.Enqueue(e); }
            }
        });
        started.Wait();
        var cancelled = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Runs start and end on four threads while signals arrive, for a second and a thousand cancellations at least.
        Parallel.For(0, 4, _ =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(1) || Volatile.Read(ref cancelled) < 1000)
            {
                using var run = signals.Start(CancellationToken.None);
                // Token registrations run inside Cancel, as the library's and System.CommandLine's links do.
                using var registration = run.Token.Register(() => Interlocked.Increment(ref cancelled));
                Thread.SpinWait(50);
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) break;
            }
        });
        stop.Cancel();
        await deliverer;
        Assert.Empty(failures);
        Assert.True(cancelled > 0, "no run was ever cancelled: the race was not exercised");
    }

    [Fact]
    public async Task ARunStillGoingAfterTheGracePeriodEndsTheProcessAndOneThatStoppedDoesNot()
    {
        var stuck = 0;
        var signals = new TerminationSignals(TimeSpan.FromMilliseconds(200), () => Interlocked.Increment(ref stuck));
        using (signals.Start(CancellationToken.None))
        {
            signals.Deliver(new PosixSignalContext(PosixSignal.SIGINT));
            await Task.Delay(1000);
        }
        Assert.Equal(1, stuck);

        using (signals.Start(CancellationToken.None))
            signals.Deliver(new PosixSignalContext(PosixSignal.SIGTERM));
        await Task.Delay(1000);
        Assert.Equal(1, stuck);
    }

    [Fact]
    public void TheCallersTokenCancelsTheRunToo()
    {
        var signals = new TerminationSignals(TimeSpan.FromMinutes(1), () => { });
        using var outer = new CancellationTokenSource();
        using var run = signals.Start(outer.Token);
        outer.Cancel();
        Assert.True(run.Token.IsCancellationRequested);
    }
}
