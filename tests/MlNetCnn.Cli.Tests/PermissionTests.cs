using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary>
/// Unreadable inputs and unwritable outputs, with the CLI run as a real process. Permission bits do not bind root, so
/// under root (the CI container) the process runs as user nobody through setpriv, from a world-readable copy of the
/// CLI (<see cref="UnprivilegedCli"/>), so the checkout may sit anywhere (a mode-700 folder included).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PermissionTests
{
    [UnprivilegedFact]
    public async Task UnreadableDataFolderSaysPermissionDeniedNotNoCifar10()
    {
        using var temp = OpenTempDirectory();
        var data = SyntheticCifar10.WriteDirectory(temp.Combine("data"));
        File.SetUnixFileMode(data, UnixFileMode.None);
        try
        {
            var error = CliAssert.Exited(ExitCodes.InvalidInput, await UnprivilegedCli.Run(temp.Path, "train", "--data", data, "-q"),
                "cannot be read: permission denied");
            Assert.DoesNotContain("does not hold CIFAR-10", error);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [UnprivilegedFact]
    public async Task AnUnreadableClassFolderSaysPermissionDeniedNamingIt()
    {
        // Issue 30: a class folder without read/execute permission was "holds neither CIFAR-10 … nor an image-folder
        // dataset". Both a folder that cannot be listed (no read) and one that cannot be entered (no execute) are tried.
        foreach (var mode in new[] { UnixFileMode.None, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead })
        {
            using var temp = OpenTempDirectory();
            var data = temp.Combine("data");
            ImageFolderWriter.WriteClasses(data, perClass: 3, height: 8, width: 8, grayscale: false);
            var locked = Path.Combine(data, ImageFolderWriter.PatternClasses[1]);
            File.SetUnixFileMode(locked, mode);
            try
            {
                var error = CliAssert.Exited(ExitCodes.InvalidInput, await UnprivilegedCli.Run(temp.Path, "train", "--data", data, "--epochs", "1", "-q"),
                    locked, "permission denied");
                Assert.DoesNotContain("holds neither", error);
            }
            finally
            {
                File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [UnprivilegedFact]
    public async Task AnUnreadableCifar10BatchSaysPermissionDeniedNamingIt()
    {
        // The test batch and the class names are what detection looks for, a training batch is read later: each must
        // be named, with "permission denied" (was .NET's "Access to the path … is denied").
        foreach (var name in new[] { "test_batch.bin", "data_batch_2.bin", "batches.meta.txt" })
        {
            using var temp = OpenTempDirectory();
            var data = SyntheticCifar10.WriteDirectory(temp.Combine("data"));
            var locked = Path.Combine(data, name);
            File.SetUnixFileMode(locked, UnixFileMode.None);
            var error = CliAssert.Exited(ExitCodes.InvalidInput, await UnprivilegedCli.Run(temp.Path, "train", "--data", data, "--epochs", "1", "-q"),
                locked, "permission denied");
            Assert.DoesNotContain("does not hold CIFAR-10", error);
            Assert.DoesNotContain("not found", error);
        }
    }

    [UnprivilegedFact]
    public async Task UnwritableOutputFolderIsRefusedBeforeTrainingNamingThePath()
    {
        using var temp = OpenTempDirectory();
        var folder = ReadOnlyFolder(temp);
        var target = Path.Combine(folder, "m.zip");
        // --data points nowhere: the refusal must come before the data is looked for.
        CliAssert.Exited(ExitCodes.OutputNotWritable, await UnprivilegedCli.Run(temp.Path, "train", "--data", temp.Combine("nowhere"), "--output", target, "-q"),
            target, "not writable");
    }

    [UnprivilegedFact]
    public async Task DownloadIntoAReadOnlyRootIsAnOutputErrorBeforeAnyNetwork()
    {
        using var temp = OpenTempDirectory();
        var root = ReadOnlyFolder(temp);
        // Port 9 on loopback: if the check came after the request, this would be a network failure (exit 8) instead.
        var error = CliAssert.Exited(ExitCodes.OutputNotWritable, await UnprivilegedCli.Run(temp.Path, "download", "--root", root, "--url", "http://127.0.0.1:9/c.tar.gz", "--md5", new string('0', 32), "-q"),
            root, "not writable");
        Assert.DoesNotContain("readable", error);
    }

    /// <summary>A folder "read-only" under <paramref name="temp"/> that everyone may list and enter and only root may write to.</summary>
    private static string ReadOnlyFolder(TempDirectory temp)
    {
        var folder = temp.Combine("read-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                     UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return folder;
    }

    /// <summary>A temp folder user nobody can enter (whatever the umask made it): HOME and the inputs live there.</summary>
    private static TempDirectory OpenTempDirectory()
    {
        var temp = new TempDirectory();
        File.SetUnixFileMode(temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return temp;
    }
}
