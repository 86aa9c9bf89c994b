using System.Runtime.InteropServices;
using MlNetCnn.IO;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.IO;

/// <summary>
/// Issue 30: an output is never one of the work's inputs. <see cref="OutputFile.CheckNotAnInput"/> compares files by
/// identity (device and inode), so every name of an input is caught: the input itself, a file inside an input folder
/// at any depth, a hard link, a symbolic link either way, a path through a linked folder.
/// </summary>
public class SameFileSearchTests
{
    [UnixFact]
    public void EveryNameOfAnInputFileIsRefused()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data");
        var image = Path.Combine(data, "cat", "deep", "er", "000.png");
        Directory.CreateDirectory(Path.GetDirectoryName(image)!);
        File.WriteAllText(image, "pixels");
        var model = temp.Combine("m.zip");
        File.WriteAllText(model, "weights");
        Assert.Equal(0, link(model, temp.Combine("hard.zip")));
        File.CreateSymbolicLink(temp.Combine("soft.zip"), model);
        File.CreateSymbolicLink(temp.Combine("data-link"), data);
        Assert.Equal(0, link(image, temp.Combine("hard.png")));

        foreach (var (output, inputs, expected) in new (string, string[], string)[]
                 {
                     (model, [model], model),
                     (temp.Combine("hard.zip"), [model], model),
                     (temp.Combine("soft.zip"), [model], model),
                     (model, [temp.Combine("soft.zip")], temp.Combine("soft.zip")),
                     (image, [data], image),
                     (temp.Combine("hard.png"), [model, data], image),
                     (Path.Combine(temp.Combine("data-link"), "cat", "deep", "er", "000.png"), [data], image),
                     (image, [temp.Combine("data-link")], Path.Combine(temp.Combine("data-link"), "cat", "deep", "er", "000.png")),
                     (temp.Combine("data", "cat", "..", "cat", "deep", "er", "000.png"), [data], image),
                 })
        {
            var e = Assert.Throws<OutputIsInputException>(() => OutputFile.CheckNotAnInput(output, inputs));
            Assert.Equal(Path.GetFullPath(output), e.FilePath);
            Assert.Equal(expected, e.InputPath);
            Assert.Contains(e.FilePath, e.Message);
            Assert.Contains(e.InputPath, e.Message);
        }
        Assert.Equal("pixels", File.ReadAllText(image));
        Assert.Equal("weights", File.ReadAllText(model));
    }

    [UnixFact]
    public void OtherFilesAndNewPathsInsideAnInputFolderAreNotInputs()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "cat"));
        File.WriteAllText(Path.Combine(data, "cat", "000.png"), "pixels");
        File.WriteAllText(temp.Combine("copy.png"), "pixels"); // the same bytes, another file
        // A link out of the input folder is not followed into its folder: what it reaches is not the input's.
        Directory.CreateDirectory(temp.Combine("elsewhere"));
        File.WriteAllText(temp.Combine("elsewhere", "report.html"), "old");
        File.CreateSymbolicLink(Path.Combine(data, "escape"), temp.Combine("elsewhere"));

        OutputFile.CheckNotAnInput(temp.Combine("copy.png"), [data]);
        OutputFile.CheckNotAnInput(Path.Combine(data, "cat", "new.zip"), [data]); // nothing there yet
        OutputFile.CheckNotAnInput(temp.Combine("elsewhere", "report.html"), [data]);
        OutputFile.CheckNotAnInput(temp.Combine("copy.png"), [temp.Combine("missing")]);
    }

    [UnixFact]
    public void AFolderLinkedIntoItselfEndsTheSearch()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "a"));
        File.CreateSymbolicLink(Path.Combine(data, "a", "loop"), data);
        File.CreateSymbolicLink(Path.Combine(data, "self"), "/proc/self/cwd");
        File.WriteAllText(temp.Combine("out.html"), "x");
        OutputFile.CheckNotAnInput(temp.Combine("out.html"), [data]);
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain P/Invoke: the test project does not allow the unsafe code LibraryImport generates
    private static extern int link(string existing, string created);
#pragma warning restore SYSLIB1054
}
