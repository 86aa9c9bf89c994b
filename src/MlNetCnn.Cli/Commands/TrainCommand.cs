using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Cli.Output;
using MlNetCnn.Data;
using MlNetCnn.Persistence;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary><c>mlnetcnn train</c>: train the SimpleCnn on CIFAR-10 with the seed procedure and print test accuracy.</summary>
public static class TrainCommand
{
    /// <summary>Options of a training run, shared with the one-shot default command.</summary>
    public sealed class TrainingArguments
    {
        public Option<string?> Data { get; } = CommonOptions.Data();
        public Option<int> Epochs { get; } = CommonOptions.Epochs();
        public Option<int> Seed { get; } = CommonOptions.Seed();
        public Option<int?> Threads { get; } = CommonOptions.Threads();
        public Option<int> BatchSize { get; } = CommonOptions.BatchSize();
        public Option<double> LearningRate { get; } = CommonOptions.LearningRate();
        public Option<string> ConvChannels { get; } = CommonOptions.ConvChannels();
        public Option<int?> MaxTrain { get; } = CommonOptions.MaxTrainImages();
        public Option<bool> Quiet { get; } = CommonOptions.Quiet();
        public Option<string?> ImageSize { get; } = CommonOptions.ImageSize();
        public Option<bool> Grayscale { get; } = CommonOptions.Grayscale();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Data, ImageSize, Grayscale, Epochs, Seed, Threads, BatchSize, LearningRate, ConvChannels, MaxTrain, Quiet })
                command.Options.Add(option);
        }
    }

    public static Command Create()
    {
        var arguments = new TrainingArguments();
        var output = new Option<string?>("--output", "-o") { Description = "Model file to write (one file: weights, architecture, class names, history)" };
        var force = CommonOptions.Force();
        var command = new Command("train", "Train the SimpleCnn on CIFAR-10 or an image folder (Adam lr 0.001, cross-entropy, batch 4) and print test accuracy") { output, force };
        arguments.AddTo(command);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(arguments.Quiet), reporter =>
        {
            var modelPath = parse.GetValue(output);
            // Refuse before training, not after minutes of it.
            CommonOptions.EnsureWritable(modelPath, parse.GetValue(force));
            using var result = Train(parse, arguments, reporter, cancel);
            if (modelPath != null)
            {
                result.MlContext.Model.SaveSimpleCnn(result.Model, modelPath);
                reporter.Result($"model saved to {Path.GetFullPath(modelPath)}");
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>Finds the data, trains with progress, evaluates on the test split and prints the accuracy.</summary>
    public static TrainingRun Train(ParseResult parse, TrainingArguments arguments, ConsoleReporter reporter, CancellationToken cancel)
    {
        var shape = CommonOptions.ShapeRequest(parse, arguments.ImageSize, arguments.Grayscale);
        var source = new DataResolver(reporter).ResolveSource(parse.GetValue(arguments.Data));
        var mlContext = new MLContext(seed: parse.GetValue(arguments.Seed));
        var data = Dataset.Open(mlContext, source, shape, reporter, parse.GetValue(arguments.MaxTrain), seed: parse.GetValue(arguments.Seed));
        var (train, test) = (data.Train, data.Test);
        var epochs = parse.GetValue(arguments.Epochs);
        var options = new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = epochs,
            Seed = parse.GetValue(arguments.Seed),
            NumberOfThreads = parse.GetValue(arguments.Threads),
            BatchSize = parse.GetValue(arguments.BatchSize),
            LearningRate = parse.GetValue(arguments.LearningRate),
            ConvChannels = CommonOptions.ParseChannels(parse.GetValue(arguments.ConvChannels)!),
            ValidationSet = test,
        };
        reporter.Info($"Training conv channels [{string.Join(", ", options.ConvChannels)}] on {data.TrainCount:N0} {data.ShapeText} images for {epochs} epoch(s), batch {options.BatchSize}, Adam lr {options.LearningRate}, seed {options.Seed}.");
        var model = reporter.RunTraining(epochs, progress =>
        {
            options.Progress = progress;
            return mlContext.MulticlassClassification.Trainers.SimpleCnn(options).Fit(train);
        });
        cancel.ThrowIfCancellationRequested();
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
        reporter.Result($"test accuracy: {metrics.MicroAccuracy:P2} ({data.TestCount:N0} test images, {epochs} epoch(s))");
        return new TrainingRun(mlContext, model, data, metrics.MicroAccuracy);
    }
}
