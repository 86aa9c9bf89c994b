using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Steps;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// The one-shot default (<c>mlnetcnn</c> with no verb): train with the seed procedure for <see cref="CommonOptions.CliEpochs"/> epochs, print test
/// accuracy, save the model and write the report into artifacts/. It replaces its own artifacts/ files; explicit
/// --output paths of other verbs are never overwritten without --force.
/// </summary>
public static class RunCommand
{
    public const string ArtifactsDirectory = "artifacts";

    public static void AttachTo(RootCommand root)
    {
        var arguments = new TrainingStep.TrainingArguments();
        var output = CommonOptions.Output("Report file", Path.Combine(ArtifactsDirectory, "report.html"));
        var force = CommonOptions.Force();
        arguments.AddTo(root);
        root.Options.Add(output);
        root.Options.Add(force);
        root.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(arguments.Quiet), cancel, reporter =>
        {
            // The default report path is this command's own scratch file; a path the user chose is protected.
            var userChosePath = parse.GetResult(output) is { Implicit: false };
            var overwrite = !userChosePath || parse.GetValue(force);
            var modelPath = Path.Combine(ArtifactsDirectory, "model.zip");
            foreach (var path in new[] { parse.GetValue(output), modelPath })
                CommonOptions.EnsureNotAnInput(path, ("--data", parse.GetValue(arguments.Data)));
            var report = CommonOptions.EnsureWritable(parse.GetValue(output), overwrite)!;
            var modelFile = CommonOptions.EnsureWritable(modelPath, force: true)!;
            using var run = TrainingStep.Run(parse, arguments, reporter, cancel, [report.FullPath, modelFile.FullPath]);
            cancel.ThrowIfCancellationRequested();
            run.MlContext.Model.SaveSimpleCnn(run.Model, modelFile);
            reporter.Result($"model saved to {modelFile.FullPath}");
            ReportStep.Write(reporter, run.MlContext, run.Model, run.Test, report, imageIndices: null, cancel: cancel);
            return Task.FromResult(ExitCodes.Success);
        }));
    }
}
