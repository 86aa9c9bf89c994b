using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Attribution;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Steps;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// <c>mlnetcnn explain</c>: a page comparing every attribution method's maps on chosen test images, with their
/// deletion and insertion scores ("Where the network looks").
/// </summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file written by `mlnetcnn train --output`, or a PyTorch state_dict (.pth) of the seed's SimpleCNN", Required = true };
        var output = CommonOptions.Output("HTML file to write", "explain.html");
        var methods = new Option<string?>("--methods")
        {
            Description = $"Attribution methods, comma separated (default: all of {string.Join(", ", AttributionRegistry.Default.Names)})",
        }.CommaSeparated("gradcam,saliency").Parsed(ParseMethods);
        var images = new Option<string?>("--images") { Description = $"Test-set indices of the images to explain, comma separated, each once, at most {ImageIndices.MaxCount} ({ImageIndices.DefaultDescription})" }
            .CommaSeparated("0,5,12").Parsed(ImageIndices.Parse);
        var target = new Option<string>("--target") { Description = "Class each map explains: predicted or label", DefaultValueFactory = _ => "predicted" };
        var layer = new Option<string?>("--layer") { Description = "Conv layer for Grad-CAM (default: the last)" };
        var data = CommonOptions.Data();
        // As `report`: what a PyTorch state_dict does not record (class names, image size) or the data does not say.
        var classNames = CommonOptions.ClassNames();
        var imageSize = CommonOptions.ImageSize();
        var grayscale = CommonOptions.Grayscale();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("explain", "Write a page comparing attribution methods (saliency, Integrated Gradients, Grad-CAM, …) with deletion/insertion scores")
            { model, output, methods, images, target, layer, data, classNames, imageSize, grayscale, force, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var htmlPath = parse.GetValue(output)!;
            var chosenMethods = ParseMethods(parse.GetValue(methods));
            var chosenTarget = ParseTarget(parse.GetValue(target)!);
            var chosenLayer = parse.GetValue(layer);
            var indices = ImageIndices.Parse(parse.GetValue(images));
            CommonOptions.EnsureNotAnInput(htmlPath, ("--model", parse.GetValue(model)), ("--data", parse.GetValue(data)));
            CommonOptions.EnsureWritable(htmlPath, parse.GetValue(force));
            var source = new DataResolver(reporter).ResolveSource(parse.GetValue(data), cancel);
            CommonOptions.EnsureNotAnInput(htmlPath, ("--data", source.Directory));
            var mlContext = new MLContext(seed: 1);
            // Same opening as `report`: our model files and PyTorch state_dicts, CIFAR-10 and image folders.
            var (classifier, dataset) = ModelFiles.OpenWithData(mlContext, parse.GetValue(model)!, source, CommonOptions.ShapeRequest(parse, imageSize, grayscale),
                ModelFiles.ParseClassNames(parse.GetValue(classNames)), reporter);
            using var owned = classifier;
            // The model's own lookup says which layers exist; checked before scoring, not inside Grad-CAM.
            if (chosenLayer is { } name)
            {
                try { classifier.Model.GetLayer(name); }
                catch (ArgumentException e) { throw new CliException(ExitCodes.UsageError, "--layer: " + e.Message, e); }
            }
            ImageIndices.Check(indices, dataset.TestCount);
            ExplainStep.Write(reporter, mlContext, classifier, dataset.Test, htmlPath, indices, chosenMethods, chosenTarget, chosenLayer, parse.GetValue(force), cancel);
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>"gradcam, saliency" → registry names; null when not given; an unknown name is a usage error listing the known ones.</summary>
    public static IReadOnlyList<string>? ParseMethods(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var known = AttributionRegistry.Default.Names;
        return text.Split(',', StringSplitOptions.TrimEntries)
            .Select(n => n.Length == 0 ? throw new CliException(ExitCodes.UsageError, $"--methods: '{text}' has an empty item; separate the values with single commas (e.g. gradcam,saliency).")
                : known.FirstOrDefault(k => string.Equals(k, n, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliException(ExitCodes.UsageError, $"--methods: no attribution method named '{n}'. Known: {string.Join(", ", known)}."))
            .Distinct()
            .ToArray();
    }

    public static AttributionTarget ParseTarget(string text) => text.Trim().ToLowerInvariant() switch
    {
        "predicted" => AttributionTarget.PredictedClass,
        "label" => AttributionTarget.Label,
        _ => throw new CliException(ExitCodes.UsageError, $"--target: '{text}' is not one of predicted, label."),
    };
}
