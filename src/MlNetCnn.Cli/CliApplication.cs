using System.CommandLine;
using MlNetCnn.Cli.Commands;

namespace MlNetCnn.Cli;

/// <summary>The command tree; Program only invokes it, tests build and invoke it in-process.</summary>
public static class CliApplication
{
    /// <summary>How long Ctrl+C waits for the running step to stop and clean up before the process ends anyway.</summary>
    private static readonly TimeSpan CancelGracePeriod = TimeSpan.FromSeconds(10);

    public static RootCommand Build()
    {
        var root = new RootCommand("MlNetCnn: train a small CNN on CIFAR-10 or your own image folder inside ML.NET and see what its convolutions detect");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        RunCommand.AttachTo(root);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; parse errors exit with <see cref="ExitCodes.UsageError"/> before any work.</summary>
    /// <param name="cancellation">Cancels the command as Ctrl+C does (exit code <see cref="ExitCodes.Cancelled"/>).</param>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellation = default)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
            return Task.FromResult(ReportUsageErrors(parse));
        return parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = CancelGracePeriod }, cancellation);
    }

    // System.CommandLine would exit 1 and print the whole help; one line per error and where to look is enough.
    private static int ReportUsageErrors(ParseResult parse)
    {
        foreach (var error in parse.Errors)
            Console.Error.WriteLine("error: " + error.Message);
        var verb = parse.CommandResult.Command is RootCommand ? "" : " " + parse.CommandResult.Command.Name;
        Console.Error.WriteLine($"Run 'mlnetcnn{verb} --help' for usage.");
        return ExitCodes.UsageError;
    }
}
