using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Data.ImageFolder;

/// <summary>
/// Symbolic links in an image folder: folder links are followed, a link back up the tree is an error naming it (never
/// a hang), a folder reached twice is an error, file links are read wherever they point, dangling links are invalid
/// files. And the scan answers cancellation within a second on a large tree.
/// </summary>
public class ImageFolderLinkTests
{
    private static readonly MLContext Ml = new(seed: 1);

    /// <summary>Longest any of these scans may take before the test calls it a hang.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("horizontal/loop", "..")]          // cat/loop -> ..  (the case)
    [InlineData("horizontal/deep/self", "..")]     // a link to its own parent, a level down
    [InlineData("horizontal/up", "../..")]         // a link to the dataset's parent
    [InlineData("vertical/root", "")]              // absolute link to the dataset root
    [InlineData("mirror", ".")]                    // a class folder that is the root itself
    public void LinkBackUpTheTreeIsALoopNamingTheLinkNotAHang(string link, string target)
    {
        using var temp = Dataset();
        var linkPath = temp.Combine(link.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(linkPath)!);
        File.CreateSymbolicLink(linkPath, target == "" ? temp.Path : target);

        var e = Assert.Throws<ImageFolderException>(() => WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path)));
        Assert.Equal(ImageFolderProblem.SymbolicLinkLoop, e.Problem);
        Assert.Equal(linkPath, e.Path);
        Assert.Contains($"'{linkPath}'", e.Message);
        Assert.Contains("symbolic link", e.Message);
        // Detection (what the CLI does first) neither hangs nor throws.
        Assert.True(WithinLimit(() => ImageFolderCatalog.IsImageFolder(temp.Path)));
    }

    [Fact]
    public void LoopOnlyFolderIsDetectedWithoutHanging()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("a"));
        Directory.CreateDirectory(temp.Combine("b"));
        File.CreateSymbolicLink(temp.Combine("a", "loop"), "..");
        File.CreateSymbolicLink(temp.Combine("b", "loop"), "../a");
        Assert.False(WithinLimit(() => ImageFolderCatalog.IsImageFolder(temp.Path)));
    }

    [Fact]
    public void FolderLinksAreFollowedAndAFolderReachedTwiceIsAnError()
    {
        using var temp = Dataset();
        // The linked folder is inside the data folder (hidden, so only the links reach it): links out are refused (ImageFolderWalkBoundsTests).
        var store = temp.Combine(".store");
        ImageFolderWriter.WriteClasses(store, 2, 8, 8, grayscale: false, classes: ["extra"]);
        File.CreateSymbolicLink(temp.Combine("horizontal", "more"), Path.Combine(store, "extra"));

        var view = WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(4 * 3 + 2, view.RowCount);
        Assert.Contains("horizontal/more/img000.png", view.Files.Select(f => f.RelativePath));

        // The same folder again under another class: its images would count twice (and in two classes).
        var twice = temp.Combine("vertical", "same");
        File.CreateSymbolicLink(twice, Path.Combine(store, "extra"));
        var e = Assert.Throws<ImageFolderException>(() => WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path)));
        Assert.Equal(ImageFolderProblem.InvalidLayout, e.Problem);
        Assert.Equal(twice, e.Path);
        Assert.Contains(temp.Combine("horizontal", "more"), e.Message);
    }

    [Fact]
    public void FileLinksAreReadWhereTheyPointAndDanglingLinksAreInvalidFiles()
    {
        using var temp = Dataset();
        using var outside = new TempDirectory();
        ImageFolderWriter.WriteClasses(outside.Path, 1, 8, 8, grayscale: false, classes: ["store"]);
        File.CreateSymbolicLink(temp.Combine("checker", "linked.png"), outside.Combine("store", "img000.png"));
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        Assert.Equal(13, view.RowCount);
        Assert.Contains("checker/linked.png", view.Files.Select(f => f.RelativePath));

        var dangling = temp.Combine("vertical", "gone.png");
        File.CreateSymbolicLink(dangling, outside.Combine("store", "missing.png"));
        foreach (var verify in new[] { true, false })
        {
            var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = verify }));
            Assert.Equal((ImageFolderProblem.Unreadable, dangling), (e.Problem, e.Path));
            Assert.Contains("dangling", e.Message);
            Assert.Contains("missing.png", e.Message);
        }
        var skipped = Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { SkipInvalidFiles = true });
        Assert.Equal(dangling, Assert.Single(skipped.SkippedFiles).Path);

        // A link to itself cannot be resolved: the same invalid-file error, never a hang.
        File.Delete(dangling);
        File.CreateSymbolicLink(dangling, "gone.png");
        var self = Assert.Throws<ImageFolderException>(() => WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path)));
        Assert.Equal(dangling, self.Path);
    }

    [Fact]
    public void RealPathResolvesEveryLinkOnTheWay()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("real", "inner"));
        File.CreateSymbolicLink(temp.Combine("hop1"), "real");
        File.CreateSymbolicLink(temp.Combine("hop2"), temp.Combine("hop1", "inner"));
        File.CreateSymbolicLink(temp.Combine("real", "inner", "back"), "../../hop1");
        var real = ImageFolderWalker.RealPath(temp.Path);
        Assert.Equal(Path.Combine(real, "real", "inner"), ImageFolderWalker.RealPath(temp.Combine("hop2")));
        Assert.Equal(Path.Combine(real, "real"), ImageFolderWalker.RealPath(temp.Combine("hop2", "back")));
        Assert.Equal(Path.Combine(real, "real"), ImageFolderWalker.RealPath(temp.Combine("hop2", "..", "..", "real")));
    }

    [Fact]
    public void ScanOfALargeTreeAnswersCancellationWithinASecond()
    {
        using var temp = LargeImageTree.Create(classes: 3, perClass: 1_000);
        using var cancel = new CancellationTokenSource();
        var scan = Task.Run(() => Ml.Data.LoadFromImageFolder(temp.Path, cancellation: cancel.Token));
        Thread.Sleep(400);
        Assert.False(scan.IsCompleted, "the scan of 3,000 256×256 images finished in 0.4 s: the tree is too small to test cancellation on this machine");
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        var e = Assert.ThrowsAny<OperationCanceledException>(() => scan.GetAwaiter().GetResult());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancellation took {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(cancel.Token, e.CancellationToken);

        // Without decoding (names only) the walk itself answers too.
        using var again = new CancellationTokenSource();
        again.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = false }, cancellation: again.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => ImageFolderCatalog.IsImageFolder(temp.Path, again.Token));
    }

    private static TempDirectory Dataset()
    {
        var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 4, 8, 8, grayscale: false);
        return temp;
    }

    /// <summary>Runs <paramref name="action"/>, failing the test (instead of hanging it) when it takes longer than <see cref="HangLimit"/>.</summary>
    private static T WithinLimit<T>(Func<T> action)
    {
        var task = Task.Run(action);
        if (Task.WhenAny(task, Task.Delay(HangLimit)).GetAwaiter().GetResult() != task)
            Assert.Fail($"still running after {HangLimit.TotalSeconds:F0} s: the scan hangs");
        return task.GetAwaiter().GetResult();
    }
}
