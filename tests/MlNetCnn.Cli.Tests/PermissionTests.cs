using System.Diagnostics;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary>
/// Unreadable inputs and unwritable outputs, with the CLI run as a real process. Permission bits do not bind root, so
/// under root (the CI container) the process runs as user nobody through setpriv.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PermissionTests
{
    [Fact]
    public async Task UnreadableDataFolderSaysPermissionDeniedNotNoCifar10()
    {
        using var temp = new TempDirectory();
        var data = SyntheticCifar10.WriteDirectory(temp.Combine("data"));
        File.SetUnixFileMode(data, UnixFileMode.None);
        try
        {
            var (code, error) = await RunUnprivileged(temp.Path, "train", "--data", data, "-q");
            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains("cannot be read: permission denied", error);
            Assert.DoesNotContain("does not hold CIFAR-10", error);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task UnwritableOutputFolderIsRefusedBeforeTrainingNamingThePath()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("read-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                     UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var target = Path.Combine(folder, "m.zip");
        // --data points nowhere: the refusal must come before the data is looked for.
        var (code, error) = await RunUnprivileged(temp.Path, "train", "--data", temp.Combine("nowhere"), "--output", target, "-q");
        Assert.Equal(ExitCodes.OutputNotWritable, code);
        Assert.Contains(target, error);
        Assert.Contains("not writable", error);
    }

    [Fact]
    public async Task DownloadIntoAReadOnlyRootIsAnOutputErrorBeforeAnyNetwork()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("read-only");
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                   UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // Port 9 on loopback: if the check came after the request, this would be a network failure (exit 8) instead.
        var (code, error) = await RunUnprivileged(temp.Path, "download", "--root", root, "--url", "http://127.0.0.1:9/c.tar.gz", "--md5", new string('0', 32), "-q");
        Assert.Equal(ExitCodes.OutputNotWritable, code);
        Assert.Contains(root, error);
        Assert.Contains("not writable", error);
        Assert.DoesNotContain("readable", error);
    }

    private static async Task<(int Code, string Error)> RunUnprivileged(string home, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "mlnetcnn.dll");
        var asRoot = Environment.UserName == "root";
        var start = asRoot
            ? new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", cli, .. args])
            : new ProcessStartInfo("dotnet", [cli, .. args]);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }
}
