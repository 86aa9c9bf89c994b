using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Attribution;
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
        // As `report`: what a PyTorch state_dict does not record (class names, image size) or the data does not say.
        var modelAndData = new ModelAndDataOptions();
        var output = CommonOptions.Output("HTML file to write", "explain.html");
        var methods = new Option<IReadOnlyList<string>?>("--methods")
        {
            Description = $"Attribution methods, comma separated (default: all of {string.Join(", ", AttributionRegistry.Default.Names)})",
        }.ParsedAs(ParseMethods, listExample: "gradcam,saliency");
        var images = ImageIndices.Option("explain");
        var target = new Option<AttributionTarget?>("--target") { Description = "Class each map explains: predicted or label (default: predicted)" }
            .ParsedAs(text => (AttributionTarget?)ParseTarget(text));
        var layer = new Option<string?>("--layer") { Description = "Conv layer for Grad-CAM (default: the last)" };
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("explain", "Write a page comparing attribution methods (saliency, Integrated Gradients, Grad-CAM, …) with deletion/insertion scores")
            { output, methods, images, target, layer, force, quiet };
        modelAndData.AddTo(command);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var htmlPath = parse.GetValue(output)!;
            var chosenMethods = parse.GetValue(methods);
            var chosenTarget = parse.GetValue(target) ?? AttributionTarget.PredictedClass;
            var chosenLayer = parse.GetValue(layer);
            var indices = parse.GetValue(images);
            var mlContext = new MLContext(seed: 1);
            // Same opening as `report`.
            var (page, classifier, dataset) = modelAndData.OpenWithPage(parse, mlContext, htmlPath, parse.GetValue(force), reporter, cancel);
            using var owned = classifier;
            // The model's own lookup says which layers exist; checked before scoring, not inside Grad-CAM.
            if (chosenLayer is { } name)
            {
                try { classifier.Model.GetLayer(name); }
                catch (ArgumentException e) { throw new CliException(ExitCodes.UsageError, "--layer: " + e.Message, e); }
            }
            ExplainStep.Write(reporter, mlContext, classifier, dataset.Test, page, indices, chosenMethods, chosenTarget, chosenLayer, cancel);
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
