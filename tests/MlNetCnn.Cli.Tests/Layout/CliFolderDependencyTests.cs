using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;

namespace MlNetCnn.Cli.Tests.Layout;

/// <summary>
/// The CLI's folders, its root (the composition root: Program and the application) counted as one of them, form no
/// cycle: read from the compiler's semantic model of src/MlNetCnn.Cli, so a new tie fails here.
/// </summary>
public class CliFolderDependencyTests(ITestOutputHelper output)
{
    [Fact]
    public void TheCliHasNoFolderCycle()
    {
        var cli = FolderDependencies.Of(Path.Combine(Repository.Root, "src", "MlNetCnn.Cli"), "mlnetcnn");
        // The graph in the test log, so a reviewer reads it without breaking anything.
        output.WriteLine(cli.ToString());
        var cycle = cli.FindCycle();
        Assert.True(cycle is null, $"Folder cycle {string.Join(" → ", cycle ?? [])}\n{cli}");
    }
}
