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
