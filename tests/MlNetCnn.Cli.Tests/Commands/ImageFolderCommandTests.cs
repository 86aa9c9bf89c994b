using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary>train, report and experiment on an image-folder dataset, detected from --data.</summary>
[Collection("console")]
public class ImageFolderCommandTests
{
    [Fact]
    public async Task GreyFolderTrainsReportsAndRunsExperiments()
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("digits");
        ImageFolderWriter.WriteClasses(images, 12, 20, 20, grayscale: true);
        var model = temp.Combine("model.zip");
        var html = temp.Combine("report.html");

        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", images, "--epochs", "1", "--threads", "1", "--output", model),
            "image-folder dataset", "3 classes (checker, horizontal, vertical)", "read as 1×20×20", "Every training image is greyscale", "test accuracy");

        CliAssert.Exited(ExitCodes.Success, await Run("report", "--model", model, "--data", images, "--output", html));
        var page = File.ReadAllText(html);
        Assert.Contains("grey tiles", page);
        Assert.DoesNotContain("RGB tiles", page);

        CliAssert.Exited(ExitCodes.Success, await Run("experiment", "all", "--quick", "--data", images, "--output", temp.Combine("experiments.html")));
    }

    [Fact]
    public async Task ImageSizeAndGrayscaleOptionsShapeTheModel()
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("shapes");
        ImageFolderWriter.WriteClasses(Path.Combine(images, "train"), 6, 30, 18, grayscale: false, classes: ["horizontal", "vertical"]);
        ImageFolderWriter.WriteClasses(Path.Combine(images, "test"), 2, 30, 18, grayscale: false, classes: ["horizontal", "vertical"]);
        var model = temp.Combine("model.zip");
        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", images, "--epochs", "1", "--image-size", "16x12", "--grayscale", "--output", model),
            "train/ and test/ trees", "read as 1×16×12", "12 training / 4 test images");

        // The report reads the model's shape; a different size is refused before any work.
        CliAssert.Exited(ExitCodes.UsageError, await Run("report", "--model", model, "--data", images, "--image-size", "30x18", "--output", temp.Combine("r.html")),
            "takes 16×12 images");
        CliAssert.Exited(ExitCodes.Success, await Run("report", "--model", model, "--data", images, "--output", temp.Combine("r.html")));
    }

    [Fact]
    public async Task OptionsThatDoNotApplyAndBadFoldersSaySo()
    {
        using var temp = new TempDirectory();
        CliAssert.Exited(ExitCodes.UsageError, await Run("train", "--data", SharedData.CifarDirectory, "--grayscale", "--epochs", "1", "--max-train", "8"),
            "apply to image-folder data", "CIFAR-10 binary files");

        CliAssert.Exited(ExitCodes.DataNotFound, await Run("train", "--data", temp.Path, "--epochs", "1"),
            "neither CIFAR-10 binary files");

        var images = temp.Combine("imgs");
        ImageFolderWriter.WriteClasses(images, 3, 8, 8, grayscale: false);
        Directory.CreateDirectory(Path.Combine(images, "empty-class"));
        CliAssert.Exited(ExitCodes.InvalidInput, await Run("train", "--data", images, "--epochs", "1"), "empty-class");

        CliAssert.Exited(ExitCodes.UsageError, await Run("train", "--data", images, "--image-size", "big", "--epochs", "1"));
    }

    [Fact]
    public async Task ReportRefusesDataWhoseClassesAreNotTheModels()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "20", "--output", model));
        var images = temp.Combine("imgs");
        ImageFolderWriter.WriteClasses(images, 3, 32, 32, grayscale: false);
        // Each side once: the data's classes, then the model's.
        var output = CliAssert.Exited(ExitCodes.InvalidInput, await Run("report", "--model", model, "--data", images, "--output", temp.Combine("r.html")),
            "None of the data's classes (checker, horizontal, vertical) is a class of the model (its classes: airplane, automobile,");
        var message = output.Split('\n').Single(l => l.Contains("None of the data's classes", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "checker"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "airplane"));
    }

    [Theory]
    [InlineData("png-cut-in-half", "truncated")]
    [InlineData("png-idat-garbled", "corrupt data")]
    [InlineData("jpeg-cut-short", "truncated")]
    [InlineData("random-bytes", "does not decode as an image")]
    public async Task DamagedImageIsExit5NamingTheFileBeforeTraining(string damage, string reason)
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("imgs");
        ImageFolderWriter.WriteClasses(images, 4, 24, 24, grayscale: false);
        var bad = ImageDamage.Apply(images, damage);
        var model = temp.Combine("model.zip");

        var output = CliAssert.Exited(ExitCodes.InvalidInput, await Run("train", "--data", images, "--epochs", "1", "--output", model),
            bad, reason);
        Assert.DoesNotContain("Epoch", output);      // refused when the folder was opened, before any training
        Assert.DoesNotContain("classes (", output);   // ... even before the dataset summary
        Assert.False(File.Exists(model));

        // report and experiment open the folder the same way.
        CliAssert.Exited(ExitCodes.InvalidInput, await Run("experiment", "all", "--quick", "--data", images, "--output", temp.Combine("e.html")),
            bad);
    }

    [Fact]
    public async Task SymbolicLinkLoopIsExit5NamingTheLinkNotAHang()
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("imgs");
        ImageFolderWriter.WriteClasses(images, 3, 8, 8, grayscale: false);
        var loop = Path.Combine(images, "horizontal", "loop");
        File.CreateSymbolicLink(loop, "..");

        var run = Run("train", "--data", images, "--epochs", "1", "--output", temp.Combine("m.zip"));
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));
        CliAssert.Exited(ExitCodes.InvalidInput, await run, loop, "symbolic link");
    }

    [Fact]
    public async Task FolderScanAnswersCancellationWithinASecond()
    {
        // The token is what Ctrl+C and SIGTERM cancel (System.CommandLine's process-termination handling).
        using var temp = LargeImageTree.Create(classes: 3, perClass: 1_000);
        using var cancel = new CancellationTokenSource();
        var run = InProcessCli.Run(cancel.Token, "train", "--data", temp.Path, "--epochs", "1", "--output", temp.Combine("m.zip"));
        await Task.Delay(800);
        Assert.False(run.IsCompleted, "the CLI finished before it was cancelled");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cancel.Cancel();
        var (code, output) = await run;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancellation took {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.DoesNotContain("Epoch", output);
    }

    [UnixFact] // SIGTERM is a POSIX signal
    public async Task SigtermDuringTheFolderScanEndsTheProcessWithinASecond()
    {
        using var temp = LargeImageTree.Create(classes: 3, perClass: 1_000);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "mlnetcnn.dll"), "train", "--data", temp.Path, "--epochs", "1", "--output", temp.Combine("m.zip") })
            start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var scanning = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.Contains("image-folder dataset") == true) scanning.TrySetResult(); // said just before the scan starts
        };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.Same(scanning.Task, await Task.WhenAny(scanning.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2))));
            await Task.Delay(500);
            Assert.False(process.HasExited, "the scan finished before SIGTERM: " + output);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            var exited = process.WaitForExitAsync();
            Assert.Same(exited, await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(10))));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the process took {clock.Elapsed.TotalSeconds:F2} s to end after SIGTERM");
            lock (output) Assert.DoesNotContain("Epoch", output.ToString());
            Assert.False(File.Exists(temp.Combine("m.zip")));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Kept for PyTorchCommandTests (another package's file at the time of writing); the runner is <see cref="InProcessCli"/>.</summary>
    private static Task<(int Code, string Output)> Run(params string[] args) => InProcessCli.Run(args);
}
