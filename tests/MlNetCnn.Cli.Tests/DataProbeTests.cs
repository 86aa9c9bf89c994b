using System.Diagnostics;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary>
/// Issue 30's data and download probes, through the CLI with other values than the issue's: each gives the README's
/// exit code and a message naming the problem, before any training, and never hangs.
/// </summary>
[Collection("console")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DataProbeTests
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(90);

    [UnixTheory]
    [InlineData("data_batch_4.bin")]
    [InlineData("test_batch.bin")]
    public async Task ACifarBatchThatIsAFifoIsRefusedNotWaitedOn(string name)
    {
        using var temp = new TempDirectory();
        var data = SyntheticCifar10.WriteDirectory(temp.Combine("cifar"));
        File.Delete(Path.Combine(data, name));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(data, name)])) await mkfifo.WaitForExitAsync();

        CliAssert.Exited(ExitCodes.InvalidInput, await WithinLimit(InProcessCli.Run("train", "--data", data, "--epochs", "1", "-q")),
            Path.Combine(data, name), "named pipe (FIFO)");
    }

    [Fact]
    public async Task ACifarBatchThatIsAFolderIsCalledAFolder()
    {
        using var temp = new TempDirectory();
        var data = SyntheticCifar10.WriteDirectory(temp.Combine("cifar"));
        File.Delete(Path.Combine(data, "data_batch_2.bin"));
        Directory.CreateDirectory(Path.Combine(data, "data_batch_2.bin"));
        var error = CliAssert.Exited(ExitCodes.InvalidInput, await InProcessCli.Run("train", "--data", data, "--epochs", "1", "-q"),
            Path.Combine(data, "data_batch_2.bin"), "is a folder");
        Assert.DoesNotContain("not found", error);
    }

    [Fact]
    public async Task AnImageFolderTreeDeeperThanTheLimitIsRefusedQuickly()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 3, 8, 8, grayscale: false);
        var deep = Path.Combine([temp.Combine("checker"), .. Enumerable.Repeat("x", 1_200)]);
        Directory.CreateDirectory(deep);
        File.Copy(temp.Combine("checker", "img000.png"), Path.Combine(deep, "deep.png"));
        var clock = Stopwatch.StartNew();
        CliAssert.Exited(ExitCodes.InvalidInput, await WithinLimit(InProcessCli.Run("train", "--data", temp.Path, "--epochs", "1", "-q")),
            "folders deep");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task ATrainFolderWithoutClassFoldersNamesTrainNotNeither()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 3, 8, 8, grayscale: false, classes: ["train"]);
        var error = CliAssert.Exited(ExitCodes.InvalidInput, await InProcessCli.Run("train", "--data", temp.Path, "--epochs", "1", "-q"),
            temp.Combine("train"), "no class folder");
        Assert.DoesNotContain("neither", error);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(4_000)]
    public async Task AShortDownloadIsANetworkFailureAndLeavesNoDataFolder(int sent)
    {
        using var temp = new TempDirectory();
        var body = new byte[20_000];
        new Random(sent).NextBytes(body);
        using var server = new ScriptedHttpServer(body, sent, announced: body.Length, stallAfter: false);
        var root = temp.Combine("fresh", "data");
        CliAssert.Exited(ExitCodes.NetworkFailure, await WithinLimit(InProcessCli.Run("download", "--root", root, "--url", server.Url.ToString(), "--md5", new string('a', 32), "-q")),
            server.Url.ToString());
        CliAssert.NotWritten(temp.Combine("fresh"));
    }

    [SmallDiskTheory]
    [InlineData(32)]
    [InlineData(96)]
    public async Task ADiskThatFillsWhileDownloadingIsAnOutputError(int kilobytes)
    {
        using var temp = new TempDirectory();
        var body = new byte[200_000];
        new Random(kilobytes).NextBytes(body);
        using var server = new ScriptedHttpServer(body, body.Length, announced: body.Length, stallAfter: false);
        using var disk = SmallDisk.Mount(temp.Combine("disk"), kilobytes);
        var root = Path.Combine(disk.Path, "data");
        CliAssert.Exited(ExitCodes.OutputNotWritable, await WithinLimit(InProcessCli.Run("download", "--root", root, "--url", server.Url.ToString(), "--md5", new string('a', 32), "-q")),
            root, "no space left");
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));
    }

    private static async Task<T> WithinLimit<T>(Task<T> run)
    {
        if (await Task.WhenAny(run, Task.Delay(HangLimit)) != run) Assert.Fail($"still running after {HangLimit.TotalSeconds:F0} s: the CLI hangs");
        return await run;
    }
}
