using MlNetCnn.Model;
using MlNetCnn.Training;
using Spectre.Console;

namespace MlNetCnn.Cli.Output;

/// <summary>
/// Everything the CLI prints. Interactive terminals get Spectre.Console progress bars; quiet mode and redirected
/// output (CI logs) get one plain line per epoch or step, so logs stay readable.
/// </summary>
public sealed class ConsoleReporter
{
    private readonly IAnsiConsole console;

    public ConsoleReporter(bool quiet, IAnsiConsole? console = null)
    {
        Quiet = quiet;
        this.console = console ?? AnsiConsole.Console;
        Interactive = !quiet && !Console.IsOutputRedirected && this.console.Profile.Capabilities.Interactive;
    }

    public bool Quiet { get; }

    /// <summary>True when live progress bars can be drawn.</summary>
    public bool Interactive { get; }

    public void Info(string message)
    {
        if (!Quiet) Write(message);
    }

    /// <summary>Results are printed even in quiet mode: they are what the command is for.</summary>
    public void Result(string message) => Write(message);

    /// <summary>Printed even in quiet mode, to standard error: something the user should know but that does not stop the command.</summary>
    public void Warning(string message)
    {
        if (Interactive) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(message));
        else Console.Error.WriteLine("warning: " + message);
    }

    public void Error(string message)
    {
        if (Interactive) console.MarkupLine("[red]error:[/] " + Markup.Escape(message));
        else Console.Error.WriteLine("error: " + message);
    }

    // Logs and pipes get plain lines: no colour codes, no wrapping at a guessed terminal width.
    private void Write(string message)
    {
        if (Interactive) console.MarkupLine(Markup.Escape(message));
        else Console.WriteLine(message);
    }

    /// <summary>Runs <paramref name="work"/> with a progress sink that draws epoch and batch bars (or prints epochs).</summary>
    public T RunTraining<T>(int epochs, Func<IProgress<TrainingProgress>, T> work)
    {
        if (!Interactive)
            return work(new PlainTrainingProgress(this));
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var epochTask = context.AddTask("epochs", maxValue: epochs);
                var batchTask = context.AddTask("epoch 1 batches");
                result = work(new BarTrainingProgress(epochTask, batchTask, this));
            });
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink of fractions (0–1) for a named step (report rendering, downloads);
    /// the bar shows percent. Each report first checks <paramref name="cancel"/>, so a signal stops every phase of the
    /// step that reports progress (rendering a page too, not only its scan) before its output is written.
    /// </summary>
    public T RunStep<T>(string description, Func<IProgress<double>, T> work, CancellationToken cancel = default)
    {
        if (!Interactive)
        {
            Info(description + " …");
            return work(new SynchronousProgress<double>(_ => cancel.ThrowIfCancellationRequested()));
        }
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 100);
                result = work(new SynchronousProgress<double>(v =>
                {
                    cancel.ThrowIfCancellationRequested();
                    task.Value = Math.Clamp(v, 0, 1) * 100;
                }));
                task.Value = 100;
            });
        return result;
    }

    /// <summary>One epoch's line: train, then validation (a held-out share of the training data) and test (the test split) when measured.</summary>
    public static string Describe(EpochMetrics e) => $"epoch {e.Epoch}: {e.Describe()}";

    private sealed class PlainTrainingProgress : IProgress<TrainingProgress>
    {
        private readonly ConsoleReporter reporter;

        public PlainTrainingProgress(ConsoleReporter reporter) => this.reporter = reporter;

        public void Report(TrainingProgress value)
        {
            if (value.CompletedEpoch is { } e) reporter.Info(Describe(e));
        }
    }

    private sealed class BarTrainingProgress : IProgress<TrainingProgress>
    {
        private readonly ProgressTask epochs;
        private readonly ProgressTask batches;
        private readonly ConsoleReporter reporter;

        public BarTrainingProgress(ProgressTask epochs, ProgressTask batches, ConsoleReporter reporter)
        {
            this.epochs = epochs;
            this.batches = batches;
            this.reporter = reporter;
        }

        public void Report(TrainingProgress value)
        {
            batches.MaxValue = value.BatchesPerEpoch;
            batches.Value = value.Batch;
            batches.Description = $"epoch {value.Epoch} batches (loss {value.RunningLoss:F3})";
            if (value.CompletedEpoch is { } e)
            {
                epochs.Value = e.Epoch;
                reporter.Write(Describe(e));
            }
        }
    }
}
