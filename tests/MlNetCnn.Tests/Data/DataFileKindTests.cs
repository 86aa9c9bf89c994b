using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Data;

/// <summary>
/// Data files are regular files: a FIFO, socket or device where a CIFAR-10 batch, its class-name file or an image
/// belongs is refused naming it and its kind before any read (a FIFO read blocks until a writer comes: the probe's
/// train waited past 300 s), a folder there is called a folder (not "not found"), and the data-folder refusals name
/// their real cause: a name that is not UTF-8 (shown escaped), a train/ folder without class folders, repeated class names.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFileKindTests : IDisposable
{
    // .NET removes a socket's file when the socket is disposed: the sockets live as long as the test.
    private readonly List<IDisposable> sockets = [];

    public void Dispose()
    {
        foreach (var socket in sockets) socket.Dispose();
    }

    private static readonly MLContext Ml = new(seed: 1);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    [UnixTheory]
    [InlineData("data_batch_3.bin", Cifar10Split.Train, "fifo")]
    [InlineData("data_batch_1.bin", Cifar10Split.Train, "socket")]
    [InlineData("test_batch.bin", Cifar10Split.Test, "fifo")]
    [InlineData("batches.meta.txt", Cifar10Split.Test, "fifo")]
    [InlineData("data_batch_5.bin", Cifar10Split.Train, "device")]
    [InlineData("data_batch_2.bin", Cifar10Split.Train, "folder")]
    [InlineData("test_batch.bin", Cifar10Split.Test, "link-to-fifo")]
    public void ACifarFileThatIsNotARegularFileIsRefusedNamingItsKind(string name, Cifar10Split split, string kind)
    {
        using var temp = new TempDirectory();
        var data = SyntheticCifar10.WriteDirectory(temp.Combine("cifar"));
        var path = Path.Combine(data, name);
        File.Delete(path);
        var words = MakeSpecial(path, kind, temp);

        var e = Assert.Throws<InvalidDataException>(() => WithinLimit(() => new Cifar10DataView(data, split)));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains(words, e.Message);
        Assert.DoesNotContain("not found", e.Message);
        // Detection still calls it CIFAR-10 (the names are there), so the reader's message is the one the user sees.
        Assert.Equal(DataFolderKind.Cifar10, DataFolder.Detect(data));
    }

    [UnixTheory]
    [InlineData("fifo", true)]
    [InlineData("fifo", false)]
    [InlineData("socket", true)]
    [InlineData("device", false)]
    [InlineData("link-to-fifo", true)]
    public void AnImageThatIsNotARegularFileIsRefusedNamingItsKind(string kind, bool verify)
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 3, 8, 8, grayscale: false);
        var path = temp.Combine("vertical", "x.png");
        var words = MakeSpecial(path, kind, temp);

        var e = Assert.Throws<ImageFolderException>(() => WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = verify })));
        Assert.Equal((ImageFolderProblem.NotARegularFile, path), (e.Problem, e.Path));
        Assert.Contains(words, e.Message);
        Assert.DoesNotContain("empty", e.Message);
        var skipped = WithinLimit(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = verify, SkipInvalidFiles = true }));
        Assert.Equal(path, Assert.Single(skipped.SkippedFiles).Path);
        Assert.Equal(9, skipped.RowCount);
    }

    [UnixFact]
    public void AFileNameThatIsNotUtf8IsShownEscapedNotCalledMissing()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 3, 8, 8, grayscale: false);
        // .NET cannot make such a name; the shell can (0xFF never appears in UTF-8).
        Run("/bin/sh", "-c", $"printf x > \"$(printf '{temp.Combine("checker")}/bad\\377name.png')\"");

        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(ImageFolderProblem.UndecodableName, e.Problem);
        Assert.Contains(@"bad\xffname.png", e.Message);
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.DoesNotContain("no longer exists", e.Message);

        // Such a file can be skipped like any invalid file; a folder so named is refused by the walk itself.
        var skipped = Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { SkipInvalidFiles = true });
        Assert.Equal(ImageFolderProblem.UndecodableName, Assert.Single(skipped.SkippedFiles).Problem);
        Run("/bin/sh", "-c", $"mkdir \"$(printf '{temp.Combine("vertical")}/sub\\376')\"");
        var folder = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { SkipInvalidFiles = true }));
        Assert.Equal(ImageFolderProblem.UndecodableName, folder.Problem);
        Assert.Contains(@"sub\xfe", folder.Message);
    }

    [Theory]
    [InlineData(false)]   // train/ holding images but no class folders
    [InlineData(true)]    // train/ holding only empty class folders
    public void ATrainFolderWithoutClassFoldersOfImagesSaysSoNotHoldsNeither(bool emptyClasses)
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Combine("staging"), 2, 8, 8, grayscale: false, classes: ["train"]);
        Directory.Move(temp.Combine("staging", "train"), temp.Combine("train"));
        if (emptyClasses)
        {
            foreach (var file in Directory.GetFiles(temp.Combine("train"))) File.Delete(file);
            Directory.CreateDirectory(temp.Combine("train", "cat"));
            Directory.CreateDirectory(temp.Combine("train", "dog"));
        }

        var e = Assert.Throws<ImageFolderException>(() => DataFolder.Detect(temp.Path));
        Assert.Contains($"'{temp.Combine("train")}'", e.Message);
        Assert.Contains("no class folder with images", e.Message);
        Assert.DoesNotContain("neither", e.Message);
        Assert.Contains(emptyClasses ? "2 sub-folder(s)" : "2 image file(s) directly in it", e.Message);
    }

    [Theory]
    [InlineData("cat", 3, 5)]
    [InlineData("truck", 0, 9)]
    public void RepeatedClassNamesInTheMetaFileAreRefused(string repeated, int first, int second)
    {
        using var temp = new TempDirectory();
        var data = SyntheticCifar10.WriteDirectory(temp.Combine("cifar"));
        var names = SyntheticCifar10.ClassNames.ToArray();
        names[first] = repeated;
        names[second] = repeated;
        SyntheticCifar10.WriteMeta(data, names);

        var e = Assert.Throws<InvalidDataException>(() => new Cifar10DataView(data, Cifar10Split.Test));
        Assert.Contains("batches.meta.txt", e.Message);
        Assert.Contains($"'{repeated}' ×2", e.Message);
        var direct = Assert.Throws<MlNetCnn.Model.RepeatedClassNameException>(() => new Cifar10DataView([Path.Combine(data, "test_batch.bin")], names));
        Assert.Equal(("classNames", repeated, first, second), (direct.ParamName, direct.ClassName, direct.FirstIndex, direct.SecondIndex));
    }

    /// <summary>Puts a <paramref name="kind"/> at <paramref name="path"/>; returns the words a message about it must hold.</summary>
    private string MakeSpecial(string path, string kind, TempDirectory temp)
    {
        switch (kind)
        {
            case "fifo":
                Run("mkfifo", path);
                return "named pipe (FIFO)";
            case "link-to-fifo":
                var fifo = temp.Combine("elsewhere.fifo");
                Run("mkfifo", fifo);
                File.CreateSymbolicLink(path, fifo);
                return "named pipe (FIFO)";
            case "socket":
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                sockets.Add(socket);
                socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
                return "a socket";
            case "device":
                File.CreateSymbolicLink(path, "/dev/zero"); // never ends: reading it would fill memory
                return "character device";
            case "folder":
                Directory.CreateDirectory(path);
                return "is a folder";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private static T WithinLimit<T>(Func<T> action)
    {
        var task = Task.Run(action);
        if (Task.WhenAny(task, Task.Delay(HangLimit)).GetAwaiter().GetResult() != task)
            Assert.Fail($"still running after {HangLimit.TotalSeconds:F0} s: a read blocks");
        return task.GetAwaiter().GetResult();
    }
}
