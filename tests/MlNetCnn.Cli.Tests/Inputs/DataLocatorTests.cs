using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Inputs;

public class DataLocatorTests
{
    private static readonly ConsoleReporter Quiet = new(quiet: true);

    [Fact]
    public void ExplicitPathWins()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        Assert.Equal(Path.GetFullPath(temp.Path), new DataLocator(Quiet, () => false).Locate(temp.Path).Directory);
    }

    [Fact]
    public void DownloadedDataComesBeforeTheSharedSubset()
    {
        using var temp = new TempDirectory();
        var downloaded = temp.Combine("repo", "data", "cifar-10-batches-bin");
        SyntheticCifar10.WriteDirectory(downloaded);
        SyntheticCifar10.WriteDirectory(temp.Combine("shared", "cifar-10-subset"));
        var found = Cifar10Locator.Find(startDirectory: temp.Combine("repo"));
        Assert.Equal(Path.GetFullPath(downloaded), found!.Directory);
        Directory.Delete(downloaded, recursive: true);
        found = Cifar10Locator.Find(startDirectory: temp.Combine("repo"));
        Assert.Equal(Path.GetFullPath(temp.Combine("shared", "cifar-10-subset")), found!.Directory);
        Assert.Contains("shared", found.Source);
    }

    [Fact]
    public void SearchedRelativePathsAreTheOrderFindFollows()
    {
        using var temp = new TempDirectory();
        var start = temp.Combine("repo");
        Directory.CreateDirectory(start);
        var places = Cifar10Locator.SearchedRelativePaths.Select(p => Path.GetFullPath(Path.Combine(start, p))).ToArray();
        Assert.Equal(2, places.Length);
        foreach (var place in places) SyntheticCifar10.WriteDirectory(place);
        foreach (var place in places)
        {
            Assert.Equal(place, Cifar10Locator.Find(startDirectory: start)!.Directory);
            Directory.Delete(place, recursive: true);
        }
    }

    [Fact]
    public void NothingFoundAndNoDownloadSaysWhatToDo()
    {
        // The filesystem root has neither data/cifar-10-batches-bin nor ../shared/cifar-10-subset.
        var asked = false;
        var error = Assert.Throws<CliException>(() => new DataLocator(Quiet, () => { asked = true; return false; }, startDirectory: "/").Locate(null));
        Assert.True(asked, "the user is offered a download before giving up");
        Assert.Equal(ExitCodes.DataNotFound, error.ExitCode);
        Assert.Contains("mlnetcnn download", error.Message);
        Assert.Contains("looked for --data, data/cifar-10-batches-bin, ../shared/cifar-10-subset", error.Message);

        using var temp = new TempDirectory();
        error = Assert.Throws<CliException>(() => new DataLocator(Quiet, () => false).Locate(temp.Combine("missing")));
        Assert.Equal(ExitCodes.DataNotFound, error.ExitCode);
    }

    /// <summary>
    /// Issue 27: the automatic download (offered when no data is found) gets the run's token, so Ctrl+C while it waits on
    /// a stalled server ends the run with exit 130 at once, not after the 60 s stall timeout as a network failure (8).
    /// </summary>
    [Fact]
    public async Task CancellingDuringTheAutomaticDownloadEndsWithExit130()
    {
        using var temp = new TempDirectory();
        var body = new byte[50_000];
        new Random(27).NextBytes(body);
        using var server = new ScriptedHttpServer(body, sent: 10_000, announced: body.Length, stallAfter: true);
        var root = temp.Combine("data");
        var locator = new DataLocator(Quiet, askToDownload: () => true, startDirectory: "/", downloadRoot: root,
            download: new Cifar10DownloadOptions { Url = server.Url, ExpectedChecksum = new string('a', 32) });
        using var cancel = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = CliRunner.RunAsync(quiet: true, cancel.Token, _ =>
        {
            locator.Locate(null, cancel.Token);
            return Task.FromResult(ExitCodes.Success);
        });
        // Ctrl+C once the download is under way (the server has sent its first bytes and then stalls).
        cancel.CancelAfter(TimeSpan.FromSeconds(2));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(40)));
        Assert.True(finished == run, "the download did not stop on cancellation");
        Assert.Equal(ExitCodes.Cancelled, await run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stopped only after {clock.Elapsed.TotalSeconds:F0} s");
        Assert.False(Directory.Exists(Path.Combine(root, Cifar10Downloader.DirectoryName)), "a cancelled download left data behind");
    }

    [Theory]
    [InlineData("6,12", new[] { 6, 12 })]
    [InlineData(" 6, 12 ,24", new[] { 6, 12, 24 })]
    public void ChannelsParse(string text, int[] expected) => Assert.Equal(expected, CommonOptions.ParseChannels(text));

    [Theory]
    [InlineData("6,0")]
    [InlineData("six")]
    [InlineData("")]
    public void BadChannelsAreUsageErrors(string text) =>
        Assert.Equal(ExitCodes.UsageError, Assert.Throws<CliException>(() => CommonOptions.ParseChannels(text)).ExitCode);
}
