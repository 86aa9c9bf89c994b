using System.CommandLine;
using MlNetCnn.Cli.Commands;

namespace MlNetCnn.Cli;

/// <summary>The command tree; Program only invokes it, tests build and invoke it in-process.</summary>
public static class CliApplication
{
    public static RootCommand Build()
    {
        var root = new RootCommand("MlNetCnn: train a small CNN on CIFAR-10 or your own image folder inside ML.NET and see what its convolutions detect");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        RunCommand.AttachTo(root);
        return root;
    }

    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();
}
