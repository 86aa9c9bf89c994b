using System.CommandLine;
using MlNetCnn.Cli.Commands;

// mlnetcnn: parse the command line and hand each verb to the library; no ML logic lives here.
var root = new RootCommand("MlNetCnn: train a small CNN on CIFAR-10 inside ML.NET and see what its convolutions detect");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
return await root.Parse(args).InvokeAsync();
