using System.Runtime.InteropServices;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Options;

/// <summary>
/// Issue 30: with or without --force, no verb writes over one of its own inputs — the model file, a file of the --data
/// folder (a CIFAR batch, an image of an image folder, at any depth) or another name of one (hard or symbolic link, a
/// path through a linked folder). Exit 2 naming both paths, before any work, and the input is left as it was.
/// </summary>
[Collection("console")]
public class OutputIsNeverAnInputTests
{
    /// <summary>Each verb with each kind of input, and each way of naming it.</summary>
    [UnixTheory]
    [InlineData("report", "model", "same")]
    [InlineData("report", "model", "hard link")]
    [InlineData("report", "model", "symbolic link")]
    [InlineData("report", "cifar", "same")]
    [InlineData("report", "images", "same")]
    [InlineData("explain", "model", "same")]
    [InlineData("explain", "images", "hard link")]
    [InlineData("train", "images", "same")]
    [InlineData("train", "images", "through a linked folder")]
    [InlineData("train", "cifar", "same")]
    [InlineData("train", "cifar", "hard link")]
    [InlineData("default", "images", "same")]
    [InlineData("experiment", "images", "same")]
    [InlineData("experiment", "model", "symbolic link")]
    [InlineData("export", "model", "same")]
    [InlineData("export", "cifar", "same")]
    [InlineData("export", "cifar", "symbolic link")]
    public async Task AnOutputThatIsAnInputIsRefusedWithExit2NamingBoth(string verb, string input, string naming)
    {
        using var temp = new TempDirectory();
        var cifar = SyntheticCifar10.WriteDirectory(temp.Combine("cifar"));
        var images = temp.Combine("images");
        ImageFolderWriter.WriteClasses(images, perClass: 3, height: 8, width: 8, grayscale: false);
        // A model file that no verb gets to read: the refusal comes first.
        var model = temp.Combine(verb == "export" ? "m.pth" : "m.zip");
        File.WriteAllText(model, "the user's model");
        var victim = input switch
        {
            "model" => model,
            "cifar" => Path.Combine(cifar, "test_batch.bin"),
            _ => Path.Combine(images, "vertical", "img001.png"),
        };
        var before = File.ReadAllBytes(victim);
        var output = naming switch
        {
            "same" => victim,
            "hard link" => Link(victim, temp.Combine("out", "hard")),
            "symbolic link" => SymbolicLink(victim, temp.Combine("out", "soft")),
            _ => ThroughLinkedFolder(images, victim, temp.Combine("images-link")),
        };
        var data = input == "images" ? images : cifar;
        string[] args = verb switch
        {
            "train" => ["train", "--data", data, "--output", output],
            "default" => ["--data", data, "--output", output],
            "experiment" => ["experiment", "all", "--data", data, "--model", model, "--output", output],
            "export" => ["export", "--model", model, "--data", data, "--output", output],
            _ => [verb, "--model", model, "--data", data, "--output", output],
        };
        foreach (var force in new[] { true, false })
        {
            var run = await InProcessCli.Run([.. args, .. force ? new[] { "--force" } : [], "-q"]);
            CliAssert.Exited(ExitCodes.UsageError, run, Path.GetFullPath(output), victim);
            Assert.Contains("destroy", run.Output);
            Assert.Equal(before, File.ReadAllBytes(victim));
        }
    }

    private static string Link(string existing, string created)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(created)!);
        Assert.Equal(0, link(existing, created));
        return created;
    }

    private static string SymbolicLink(string existing, string created)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(created)!);
        File.CreateSymbolicLink(created, existing);
        return created;
    }

    private static string ThroughLinkedFolder(string folder, string file, string linkedFolder)
    {
        Directory.CreateSymbolicLink(linkedFolder, folder);
        return Path.Combine(linkedFolder, Path.GetRelativePath(folder, file));
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain P/Invoke: the test project does not allow the unsafe code LibraryImport generates
    private static extern int link(string existing, string created);
#pragma warning restore SYSLIB1054
}
