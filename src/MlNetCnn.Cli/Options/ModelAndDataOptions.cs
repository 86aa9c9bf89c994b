using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Output;
using MlNetCnn.IO;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Options;

/// <summary>
/// The options of every verb that opens a saved model on data (report, explain, features, experiment): one definition,
/// so their names, parsing and help text cannot drift apart between verbs. Each instance belongs to one command.
/// </summary>
public sealed class ModelAndDataOptions
{
    /// <summary>--model's help, the same in every verb: both model kinds the CLI opens.</summary>
    public const string ModelDescription = "Model file written by `mlnetcnn train --output`, or a PyTorch state_dict (.pth) of the seed's SimpleCNN";

    /// <param name="modelRequired">False where the verb can train a model itself instead (experiment).</param>
    public ModelAndDataOptions(bool modelRequired = true)
    {
        Model = new Option<string?>("--model", "-m") { Description = ModelDescription, Required = modelRequired };
    }

    public Option<string?> Model { get; }

    public Option<string?> Data { get; } = CommonOptions.Data();

    /// <summary>What a PyTorch state_dict does not record.</summary>
    public Option<IReadOnlyList<string>?> ClassNames { get; } = CommonOptions.ClassNames();

    public Option<(int Height, int Width)?> ImageSize { get; } = CommonOptions.ImageSize();

    public Option<bool> Grayscale { get; } = CommonOptions.Grayscale();

    /// <summary>The group's options, in the order help lists them.</summary>
    public IEnumerable<Option> All => [Model, Data, ClassNames, ImageSize, Grayscale];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The --image-size / --grayscale pair as one request.</summary>
    public ImageShapeRequest Shape(ParseResult parse) => CommonOptions.ShapeRequest(parse, ImageSize, Grayscale);

    /// <summary>
    /// The start of a verb that writes one page about a model (if given) on data (report, explain, experiment), in the
    /// order that fails early: --output is refused when it is --model or in --data, then checked for writing (before any
    /// work), then the data is located (perhaps downloaded) and --output checked against the folder found.
    /// </summary>
    public (OutputTarget Page, DataLocation Source) LocateWithPage(ParseResult parse, string pagePath, bool force, ConsoleReporter reporter, CancellationToken cancel)
    {
        CommonOptions.EnsureNotAnInput(pagePath, ("--model", parse.GetValue(Model)), ("--data", parse.GetValue(Data)));
        var page = CommonOptions.EnsureWritable(pagePath, force)!;
        var source = new DataLocator(reporter).Locate(parse.GetValue(Data), cancel);
        CommonOptions.EnsureNotAnInput(pagePath, ("--data", source.Directory));
        return (page, source);
    }

    /// <summary>
    /// <see cref="LocateWithPage"/>, then the saved model opens on the data (our model files and PyTorch state_dicts;
    /// CIFAR-10 and image folders): the opening of report and explain. The caller disposes the classifier.
    /// </summary>
    public (OutputTarget Page, SimpleCnnTransformer Classifier, Dataset Data) OpenWithPage(ParseResult parse, MLContext ml, string pagePath, bool force,
        ConsoleReporter reporter, CancellationToken cancel)
    {
        var (page, source) = LocateWithPage(parse, pagePath, force, reporter, cancel);
        var (classifier, data) = ModelFiles.OpenWithData(ml, parse.GetValue(Model)!, source, Shape(parse), parse.GetValue(ClassNames), reporter, cancel);
        return (page, classifier, data);
    }
}
