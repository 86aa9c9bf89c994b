using MlNetCnn.Cli.Output;

namespace MlNetCnn.Cli.Tests.Output;

/// <summary>
/// A step's progress reports are where a signal stops it: <see cref="ConsoleReporter.RunStep{T}"/> checks the token at
/// each one, so a page that is still rendering (after its scan) is cancelled too instead of being written (the report
/// verb once ignored SIGTERM for the 2 s of its rendering and exited 0).
/// </summary>
public class ConsoleReporterTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AStepStopsAtTheFirstProgressReportAfterCancellation(bool quiet)
    {
        using var cancel = new CancellationTokenSource();
        var reporter = new ConsoleReporter(quiet);
        var reports = 0;

        Assert.Throws<OperationCanceledException>(() => reporter.RunStep("rendering", progress =>
        {
            for (var i = 1; i <= 10; i++)
            {
                if (i == 4) cancel.Cancel();
                progress.Report(i / 10.0);
                reports++;
            }
            return reports;
        }, cancel.Token));

        Assert.Equal(3, reports);
    }

    [Fact]
    public void WithoutATokenEveryReportGoesThrough()
    {
        var reporter = new ConsoleReporter(quiet: true);
        Assert.Equal(10, reporter.RunStep("rendering", progress =>
        {
            var reports = 0;
            for (var i = 1; i <= 10; i++, reports++) progress.Report(i / 10.0);
            return reports;
        }));
    }
}
