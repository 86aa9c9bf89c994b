using System.CommandLine;
using MlNetCnn.Cli.Options;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Tests.Options;

/// <summary>
/// Issue 27: one model-and-data option group for every verb that opens a model on data, so the verbs cannot drift, and
/// typed options whose text is parsed once, while the command line is parsed.
/// </summary>
public class ModelAndDataOptionsTests
{
    private static readonly string[] GroupNames = ["--model", "--data", "--class-names", "--image-size", "--grayscale"];

    // export describes the same options for a conversion (a state_dict's class names go into the written file), on purpose.
    private static readonly string[] Converts = ["export"];

    [Fact]
    public void EveryVerbThatOpensAModelOnDataHasTheWholeGroup()
    {
        var verbs = CliApplication.Build().Subcommands.Where(c => c.Options.Any(o => o.Name == "--model") && !Converts.Contains(c.Name)).ToArray();
        Assert.Equal(["experiment", "explain", "features", "report"], verbs.Select(v => v.Name).Order(StringComparer.Ordinal));
        foreach (var verb in verbs)
            Assert.All(GroupNames, name => Assert.Contains(verb.Options, o => o.Name == name));
    }

    [Fact]
    public void EverySharedOptionHasTheSameHelpInEveryVerb()
    {
        var root = CliApplication.Build();
        var commands = root.Subcommands.Where(c => !Converts.Contains(c.Name)).Append(root).ToArray();
        var compared = 0;
        foreach (var name in GroupNames)
        {
            var options = commands.SelectMany(c => c.Options.Where(o => o.Name == name).Select(o => (Verb: c.Name, Option: o))).ToArray();
            Assert.True(options.Length >= 4, $"{name} is in only {options.Length} verbs");
            var first = options[0];
            foreach (var (verb, option) in options)
            {
                Assert.True(first.Option.Description == option.Description,
                    $"{name}: '{verb}' says \"{option.Description}\" but '{first.Verb}' says \"{first.Option.Description}\"");
                Assert.Equal(first.Option.ValueType, option.ValueType);
                compared++;
            }
        }
        Assert.True(compared >= 20, $"only {compared} options compared");
        // explain accepts PyTorch state_dicts: its help says so, as every verb's does.
        Assert.Contains(".pth", root.Subcommands.Single(c => c.Name == "explain").Options.Single(o => o.Name == "--model").Description);
    }

    [Fact]
    public void ExplainTakesClassNamesImageSizeAndGrayscaleAsTypedValues()
    {
        var parse = CliApplication.Build().Parse(["explain", "--model", "m.pth", "--class-names", "cat, dog", "--image-size", "28x24", "--grayscale"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(["cat", "dog"], parse.GetValue<IReadOnlyList<string>?>("--class-names"));
        Assert.Equal((28, 24), parse.GetValue<(int Height, int Width)?>("--image-size"));
        Assert.True(parse.GetValue<bool>("--grayscale"));
    }

    [Fact]
    public void ListsSeedsAndTargetArriveTypedFromTheParse()
    {
        var root = CliApplication.Build();
        Assert.Equal([0L, 5L, 12L], root.Parse(["report", "--model", "m.zip", "--images", "0, 5,12"]).GetValue<IReadOnlyList<long>?>("--images"));
        Assert.Equal([1, 2, 3], root.Parse(["experiment", "all", "--seeds", "3"]).GetValue<IReadOnlyList<int>?>("--seeds"));
        Assert.Equal([3, 7, 11], root.Parse(["experiment", "all", "--seeds", "3,7,11"]).GetValue<IReadOnlyList<int>?>("--seeds"));
        Assert.Equal(AttributionTarget.Label, root.Parse(["explain", "--model", "m.zip", "--target", "label"]).GetValue<AttributionTarget?>("--target"));
        Assert.Equal([6, 12, 24], root.Parse(["train", "--conv-channels", "6,12,24"]).GetValue<int[]>("--conv-channels")!);
        Assert.Equal(["receptive-field", "top-patches"],
            root.Parse(["report", "--model", "m.zip", "--experiments", "receptive-field,top-patches"]).GetValue<IReadOnlyList<string>?>("--experiments"));
        Assert.Equal(new Uri("https://example.org/c.tar.gz"), root.Parse(["download", "--url", "https://example.org/c.tar.gz"]).GetValue<Uri?>("--url"));
        Assert.Equal(["top-patches"], root.Parse(["experiment", "top-patches"]).GetValue<IReadOnlyList<string>>("name"));
        Assert.Equal(Experiments.ExperimentRegistry.Default.Names, root.Parse(["experiment", "ALL"]).GetValue<IReadOnlyList<string>>("name"));
        Assert.Equal(ConvPadding.Circular, root.Parse(["train", "--padding", "circular"]).GetValue<ConvPadding?>("--padding"));
        // Not given: null, which training reads as the trainer's default.
        Assert.Null(root.Parse(["train"]).GetValue<ConvPadding?>("--padding"));
    }

    [Fact]
    public void PaddingsHelpNamesTheValuesAndTheDefaultAsTheyAreTyped()
    {
        var padding = CliApplication.Build().Subcommands.Single(c => c.Name == "train").Options.Single(o => o.Name == "--padding");
        Assert.Equal("zeros|circular", padding.HelpName);
        Assert.EndsWith("(default: zeros)", padding.Description, StringComparison.Ordinal);
        Assert.False(padding.HasDefaultValue, "a default value factory would print the enum's name in help ([default: Zeros])");
    }

    [Theory]
    [InlineData("explain --model m.zip --target everything", "--target: 'everything' is not one of predicted, label.")]
    [InlineData("report --model m.zip --images 3,3", "--images: 3 is given more than once; name each image once.")]
    [InlineData("experiment all --seeds 3,3", "a seed is repeated")]
    [InlineData("explain --model m.zip --image-size 9x", "--image-size: '9x' is not HEIGHTxWIDTH")]
    [InlineData("explain --model m.zip --class-names a,a", "--class-names: 'a,a' names a class twice.")]
    [InlineData("report --model m.zip --experiments nope", "Unknown experiment 'nope'.")]
    [InlineData("experiment nope", "Unknown experiment 'nope'. Valid names: all, permutation")]
    [InlineData("train --padding reflect", "--padding must be zeros or circular, got reflect")]
    public void ABadTypedValueIsAParseErrorInTheOptionsOwnWords(string line, string expected)
    {
        var parse = CliApplication.Build().Parse(line.Split(' '));
        Assert.Contains(parse.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void TheGroupsModelIsRequiredExceptWhereTheVerbCanTrainOne()
    {
        Assert.True(new ModelAndDataOptions().Model.Required);
        Assert.False(new ModelAndDataOptions(modelRequired: false).Model.Required);
        Assert.Contains(CliApplication.Build().Parse(["explain"]).Errors, e => e.Message.Contains("--model", StringComparison.Ordinal));
    }
}
