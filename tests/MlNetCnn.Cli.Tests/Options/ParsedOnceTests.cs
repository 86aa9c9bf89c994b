using System.CommandLine;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;

namespace MlNetCnn.Cli.Tests.Options;

/// <summary>
/// Issue 27: a typed option's text is parsed once, while the command line is parsed; every later read (validators, the
/// action, help for errors) gets the same value without parsing again.
/// </summary>
public class ParsedOnceTests
{
    [Fact]
    public void ATypedOptionsTextIsParsedOnceHoweverOftenItIsRead()
    {
        var parses = 0;
        var images = new Option<IReadOnlyList<long>?>("--images") { Description = "indices, comma separated" }
            .ParsedAs(text =>
            {
                parses++;
                return ImageIndices.Parse(text);
            }, listExample: "0,5,12");
        var command = new RootCommand { images };
        var parse = command.Parse(["--images", "4,2"]);
        Assert.Empty(parse.Errors);
        var first = parse.GetValue(images);
        var second = parse.GetValue(images);
        Assert.Equal([4L, 2L], first);
        Assert.Same(first, second);
        Assert.Equal(1, parses);
    }

    [Fact]
    public void ABadValueIsParsedOnceAndReportedOnce()
    {
        var parses = 0;
        var seeds = new Option<IReadOnlyList<int>?>("--seeds") { Description = "seeds, comma separated" }
            .ParsedAs(text =>
            {
                parses++;
                throw new CliException(ExitCodes.UsageError, $"--seeds: '{text}' is wrong.");
            }, listExample: "3,7");
        var parse = new RootCommand { seeds }.Parse(["--seeds", "x"]);
        Assert.Single(parse.Errors, e => e.Message == "--seeds: 'x' is wrong.");
        Assert.Equal(1, parses);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1,,2")]
    public void BlankValuesAndEmptyItemsNeverReachTheParser(string value)
    {
        var parses = 0;
        var list = new Option<IReadOnlyList<string>?>("--names") { Description = "names" }.ParsedAs(text =>
        {
            parses++;
            return text.Split(',');
        }, listExample: "a,b");
        Assert.Contains("comma separated", list.Description);
        var parse = new RootCommand { list }.Parse(["--names", value]);
        Assert.Single(parse.Errors);
        Assert.Equal(0, parses);
    }
}
