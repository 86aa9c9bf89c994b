using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Steps;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary><c>mlnetcnn train</c>: train the SimpleCnn on CIFAR-10 with the seed procedure and print test accuracy.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var arguments = new TrainingStep.TrainingArguments();
        var output = CommonOptions.Output("Model file to write (one file: weights, architecture, class names, history); without it nothing is saved");
        var force = CommonOptions.Force();
        var command = new Command("train", string.Create(CultureInfo.InvariantCulture,
            $"Train the SimpleCnn on CIFAR-10 or an image folder (Adam lr {SimpleCnnTrainer.Defaults.LearningRate}, cross-entropy, batch {SimpleCnnTrainer.Defaults.BatchSize}) and print test accuracy")) { output, force };
        arguments.AddTo(command);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(arguments.Quiet), cancel, reporter =>
        {
            // Refuse before training, not after minutes of it.
            CommonOptions.EnsureNotAnInput(parse.GetValue(output), ("--data", parse.GetValue(arguments.Data)));
            var modelFile = CommonOptions.EnsureWritable(parse.GetValue(output), parse.GetValue(force));
            if (modelFile == null)
                reporter.Warning("no --output given: the trained model will not be saved (pass --output model.zip to keep it).");
            using var result = TrainingStep.Run(parse, arguments, reporter, cancel, [modelFile?.FullPath]);
            if (modelFile != null)
            {
                cancel.ThrowIfCancellationRequested();
                // No-replace unless --force: a file that appeared while training (another run) is not replaced (exit 4).
                result.MlContext.Model.SaveSimpleCnn(result.Model, modelFile);
                reporter.Result($"model saved to {modelFile.FullPath}");
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
