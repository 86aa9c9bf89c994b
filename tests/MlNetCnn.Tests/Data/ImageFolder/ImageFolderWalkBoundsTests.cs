using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Data.ImageFolder;

/// <summary>
/// The walk of an image-folder tree ends: its time grows linearly with the tree (not with the cube of its depth), it
/// stops past the depth and entry limits with <see cref="ImageFolderProblem.TreeTooLarge"/> naming where, and it
/// follows no folder link out of the data folder (a link to <c>/proc/self/cwd</c> included).
/// </summary>
public class ImageFolderWalkBoundsTests
{
    private static readonly MLContext Ml = new(seed: 1);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(40, 33)]     // just past the default limit
    [InlineData(1_500, 33)]  // the probe's kind of tree (3,000 deep ran past 300 s); 1,500 keeps the path under PATH_MAX
    [InlineData(12, 5)]      // a limit of the caller's
    public void ATreeDeeperThanTheLimitIsRefusedNamingTheFolder(int depth, int expectedRefusalLevel)
    {
        using var temp = Dataset();
        var deepest = DeepChain(temp, "horizontal", depth);
        var options = expectedRefusalLevel == 5 ? new ImageFolderOptions { MaxDepth = 4 } : new ImageFolderOptions();
        File.Copy(temp.Combine("horizontal", "img000.png"), Path.Combine(deepest, "deep.png"));

        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<ImageFolderException>(() => WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path, options: options)));
        Assert.Equal(ImageFolderProblem.TreeTooLarge, e.Problem);
        // The folder named is the first one past the limit: root/horizontal/d/d/… at that level.
        Assert.Equal(expectedRefusalLevel, Path.GetRelativePath(temp.Path, e.Path).Split('/').Length);
        Assert.Contains($"more than {options.MaxDepth} folders deep", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"refusing a {depth}-deep tree took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void WalkTimeOfADeepChainGrowsNoFasterThanTheKernelsPathLookups()
    {
        // Within the limit (raised), a deep chain is read: the old walk took 2.8 s at 400 levels and 85 s at 1,600
        // (cubic: every folder rebuilt its real path and compared it with every ancestor's). Now each folder costs one
        // listing and two status calls; each call names the folder by its full path, which the kernel resolves from the
        // root, so a chain costs depth² path steps in the kernel (here 0.07 s at 300 levels, 0.9 s at 1,200) — at the
        // default limit of 32 levels that is nothing. Rounds alternate, best of three, so load on the machine hits both.
        using var shallow = Dataset();
        using var deep = Dataset();
        foreach (var (temp, depth) in new[] { (shallow, 300), (deep, 1_200) })
            File.Copy(temp.Combine("horizontal", "img000.png"), Path.Combine(DeepChain(temp, "horizontal", depth), "deep.png"));
        var options = new ImageFolderOptions { MaxDepth = 2_000, VerifyImages = false };
        double Best(TempDirectory temp)
        {
            var clock = Stopwatch.StartNew();
            var view = Ml.Data.LoadFromImageFolder(temp.Path, options: options);
            var seconds = clock.Elapsed.TotalSeconds;
            Assert.Contains(view.Files, f => f.RelativePath.EndsWith("deep.png", StringComparison.Ordinal));
            return seconds;
        }
        var times = new List<(double Shallow, double Deep)>();
        for (var round = 0; round < 3; round++) times.Add((Best(shallow), Best(deep)));
        var ratio = times.Min(t => t.Deep) / times.Min(t => t.Shallow);
        // Linear: 4; the kernel's quadratic path lookups: 16; the old cubic walk: 64.
        Assert.True(ratio < 32, $"4× the depth took {ratio:F1}× the time ({string.Join(", ", times.Select(t => $"{t.Shallow:F2}/{t.Deep:F2} s"))})");
    }

    /// <summary>
    /// The walk's work counted, not timed: the file-system system calls of a scan (strace) grow by a constant per folder
    /// added to a chain. The old walk rebuilt each folder's real path, one lstat per component, so a chain of n folders
    /// made about n²/2 calls (the added calls would double with each doubling of the added depth); this one makes a few
    /// per folder. What a count cannot see is the kernel's own path lookup: each call names its folder by full path, so
    /// the kernel's steps still grow with depth² (see the timing test above).
    /// </summary>
    [StraceFact]
    public void FileSystemCallsOfAScanGrowByAConstantPerFolder()
    {
        var depths = new[] { 200, 400, 800 };
        var calls = new long[depths.Length];
        for (var i = 0; i < depths.Length; i++)
        {
            using var temp = Dataset();
            File.Copy(temp.Combine("horizontal", "img000.png"), Path.Combine(DeepChain(temp, "horizontal", depths[i]), "deep.png"));
            calls[i] = FileSystemCalls(temp.Path, maxDepth: 1_000, expectedImages: 3 * 4 + 1);
        }
        // The process's start-up (assemblies, libtorch) is the same in each run and cancels in the differences.
        var first = (calls[1] - calls[0]) / (double)(depths[1] - depths[0]);
        var second = (calls[2] - calls[1]) / (double)(depths[2] - depths[1]);
        var shown = string.Join(", ", depths.Zip(calls, (d, c) => $"{d} deep: {c:N0} calls"));
        // Linear: the same calls per added folder both times (ratio 1); n² calls: twice as many the second time (ratio 2).
        Assert.True(second / first < 1.4, $"calls per added folder grew from {first:F1} to {second:F1} ({shown})");
        Assert.True(second < 16, $"{second:F1} file-system calls per folder ({shown}): expected a listing and a few status calls");
        Assert.True(first > 1, $"{first:F1} calls per added folder: strace counted nothing of the walk ({shown})");
    }

    /// <summary>Scans <paramref name="folder"/> in a child process under strace; returns its file-system and directory-listing system calls.</summary>
    private static long FileSystemCalls(string folder, int maxDepth, int expectedImages)
    {
        using var log = new TempDirectory();
        var summary = log.Combine("strace.txt");
        var strace = StraceFactAttribute.Strace ?? throw new InvalidOperationException(
            $"strace is not on PATH, and {StraceFactAttribute.RequireVariable}=1 says this machine must have it (Debian: apt-get install strace).");
        var start = new ProcessStartInfo(strace)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-f", "-c", "-e", "trace=%file,getdents64", "-o", summary, "dotnet", typeof(ChildEntryPoint).Assembly.Location,
                     ChildEntryPoint.ScanImageFolderCommand, folder, maxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the scan under strace did not end within 3 minutes");
        Assert.True(process.ExitCode == 0, $"strace/scan exited {process.ExitCode}: {output.Result}{error.Result}");
        Assert.Equal(expectedImages.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Result.Trim());
        // strace -c ends with "100.00 … <calls> <errors> total".
        var total = File.ReadAllLines(summary).Last(l => l.TrimEnd().EndsWith(" total", StringComparison.Ordinal));
        var numbers = total.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(numbers[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void MoreEntriesThanTheLimitIsRefused()
    {
        using var temp = Dataset(perClass: 30);
        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { MaxEntries = 50 }));
        Assert.Equal(ImageFolderProblem.TreeTooLarge, e.Problem);
        Assert.Contains("more than 50 entries", e.Message);
        // 3 class folders + 90 images: a limit of 100 reads them all.
        Assert.Equal(3 * 30, Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { MaxEntries = 100 }).Files.Count);
    }

    [Theory]
    [InlineData("outside")]          // a folder elsewhere, full of images
    [InlineData("/proc/self/cwd")]   // the probe's escape: the working directory, whatever it is
    [InlineData("/proc/self/root")]  // the whole file system
    [InlineData("/")]                // contains the dataset: a loop
    public void AFolderLinkOutOfTheDataFolderIsRefusedNotWalked(string target)
    {
        using var temp = Dataset();
        using var outside = new TempDirectory();
        ImageFolderWriter.WriteClasses(outside.Path, 2, 8, 8, grayscale: false, classes: ["extra"]);
        var link = temp.Combine("vertical", "escape");
        File.CreateSymbolicLink(link, target == "outside" ? outside.Combine("extra") : target);

        var e = Assert.Throws<ImageFolderException>(() => WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path)));
        Assert.Equal(link, e.Path);
        // Out of the dataset, or (when the working directory holds the dataset) a loop back up it: refused either way.
        Assert.Contains(e.Problem, new[] { ImageFolderProblem.LinkOutsideDataFolder, ImageFolderProblem.SymbolicLinkLoop });
        if (target == "outside") Assert.Equal(ImageFolderProblem.LinkOutsideDataFolder, e.Problem);
        if (target == "/") Assert.Equal(ImageFolderProblem.SymbolicLinkLoop, e.Problem);
        Assert.Contains("symbolic link", e.Message);
        // Detection skips such a link and still finds the dataset, without walking what it reaches.
        Assert.Equal(DataFolderKind.ImageFolder, WithinLimit(() => DataFolder.Detect(temp.Path)));
    }

    [Fact]
    public void AFolderLinkInsideTheDataFolderIsStillFollowed()
    {
        using var temp = Dataset();
        Directory.CreateDirectory(temp.Combine("store", "more"));
        File.Copy(temp.Combine("checker", "img000.png"), temp.Combine("store", "more", "x.png"));
        Directory.CreateDirectory(temp.Combine(".hidden"));
        Directory.Move(temp.Combine("store"), temp.Combine(".hidden", "store"));
        File.CreateSymbolicLink(temp.Combine("checker", "linked"), Path.Combine("..", ".hidden", "store"));
        Assert.Contains("checker/linked/more/x.png", Ml.Data.LoadFromImageFolder(temp.Path).Files.Select(f => f.RelativePath));
    }

    /// <summary>Creates root/<paramref name="classFolder"/>/d/d/… <paramref name="depth"/> levels below the class folder; returns the deepest.</summary>
    internal static string DeepChain(TempDirectory temp, string classFolder, int depth)
    {
        var path = temp.Combine(classFolder);
        path = Path.Combine([path, .. Enumerable.Repeat("d", depth)]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static TempDirectory Dataset(int perClass = 4)
    {
        var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, perClass, 8, 8, grayscale: false);
        return temp;
    }

    private static T WithinLimit<T>(Func<T> action)
    {
        var task = Task.Run(action);
        if (Task.WhenAny(task, Task.Delay(HangLimit)).GetAwaiter().GetResult() != task)
            Assert.Fail($"still running after {HangLimit.TotalSeconds:F0} s: the walk hangs");
        return task.GetAwaiter().GetResult();
    }
}
