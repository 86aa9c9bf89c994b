using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.FeatureVisualization;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// <c>mlnetcnn features</c>: feature visualization alone — each channel's optimized picture, one PNG grid per conv layer
/// (and for the class logits on request), without the report.
/// </summary>
public static class FeaturesCommand
{
    /// <summary>Most optimization steps accepted: the default is 256; far more only costs time.</summary>
    public const int MaxSteps = 100_000;

    public static Command Create()
    {
        var modelAndData = new ModelAndDataOptions();
        var output = CommonOptions.Output("Folder to write one PNG per layer into (<folder>/conv1.png, …)", "features");
        // The names are checked against the model once it is open (only it knows its layers).
        var layers = new Option<IReadOnlyList<string>?>("--layers")
        {
            Description = $"Conv layers to visualize, comma separated (default: all), and '{FeatureVisualizer.LogitsTarget}' for one picture per class",
        }.ParsedAs(text => text.Split(',', StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray(), listExample: "conv1,conv2");
        var objective = new Option<string>("--objective")
        {
            Description = "What each picture maximizes: the channel's centre unit (shown cut to its receptive field) or the mean of its whole map",
            DefaultValueFactory = _ => "centre",
        }.AcceptOnlyFromAmong("centre", "mean");
        var steps = new Option<int>("--steps") { Description = "Optimization steps per layer", DefaultValueFactory = _ => FeatureVisualizer.Defaults.Steps }
            .Check(v => v is >= 1 and <= MaxSteps, $"between 1 and {MaxSteps.ToString(CultureInfo.InvariantCulture)}");
        var seed = new Option<int>("--seed") { Description = "Seed of the starting pictures and shifts (same seed, same pictures)", DefaultValueFactory = _ => FeatureVisualizer.Defaults.Seed };
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("features", "Write each channel's optimized picture (feature visualization: the input that excites it most), one PNG grid per conv layer")
            { output, layers, objective, steps, seed, force, quiet };
        modelAndData.AddTo(command);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var folder = parse.GetValue(output)!;
            var overwrite = parse.GetValue(force);
            var modelPath = parse.GetValue(modelAndData.Model)!;
            CommonOptions.EnsureNotAnInput(folder, ("--model", modelPath), ("--data", parse.GetValue(modelAndData.Data)));
            var source = new DataLocator(reporter).Locate(parse.GetValue(modelAndData.Data), cancel);
            CommonOptions.EnsureNotAnInput(folder, ("--data", source.Directory));
            var mlContext = new MLContext(seed: 1);
            var (classifier, _) = ModelFiles.OpenWithData(mlContext, modelPath, source, modelAndData.Shape(parse), parse.GetValue(modelAndData.ClassNames), reporter, cancel);
            using var owned = classifier;
            var trained = classifier.Model;
            var targets = Targets(parse.GetValue(layers), trained.ConvLayers.Select(l => l.Name).ToArray());
            // Every output is checked before the first picture is optimized.
            var pictures = targets.Select(t => CommonOptions.EnsureWritable(Path.Combine(folder, t + ".png"), overwrite)!).ToArray();
            foreach (var picture in pictures)
                CommonOptions.EnsureNotAnInput(picture.FullPath, ("--model", modelPath), ("--data", source.Directory));
            var visualizer = new FeatureVisualizer
            {
                Objective = parse.GetValue(objective) == "mean" ? FeatureObjective.MapMean : FeatureObjective.CentreUnit,
                Steps = parse.GetValue(steps),
                Seed = parse.GetValue(seed),
            };
            for (var i = 0; i < targets.Length; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                FeatureVisualizationResult result;
                try
                {
                    result = reporter.RunStep($"optimizing {targets[i]}", progress => visualizer.Visualize(trained, targets[i], progress, cancel), cancel);
                }
                catch (ArithmeticException e)
                {
                    // NaN or infinite weights (warned about when the model opened) make every picture NaN: bad input, not a crash.
                    throw new CliException(ExitCodes.InvalidInput, $"--model '{modelPath}': {e.Message}", e);
                }
                FeaturePictureGrid.WritePng(result, pictures[i]);
                var reached = result.Channels.Select(c => c.Activation).ToArray();
                reporter.Result(string.Create(CultureInfo.InvariantCulture,
                    $"{targets[i]}: {reached.Length} pictures, activation {reached.Min():F3}–{reached.Max():F3}, {Durations.Describe(clock.Elapsed)} → {pictures[i].FullPath}"));
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static string[] Targets(IReadOnlyList<string>? chosen, string[] convLayers)
    {
        if (chosen is null) return convLayers;
        var known = convLayers.Append(FeatureVisualizer.LogitsTarget).ToArray();
        foreach (var name in chosen)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
                throw new CliException(ExitCodes.UsageError, $"--layers: this model has no layer '{name}'; it has {string.Join(", ", known)}.");
        }

        return [.. chosen];
    }
}
