using System.Text.RegularExpressions;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Layout;

/// <summary>
/// The library's folders form floors: no folder cycle, and README's "Layout" lists them bottom-up, each using only
/// folders listed before it. Read from the compiler's semantic model of src/MlNetCnn, so a new tie fails here.
/// </summary>
public class LibraryFolderDependencyTests
{
    private static readonly Lazy<FolderDependencies> Library = new(() =>
        FolderDependencies.Of(Path.Combine(Repository.Root, "src", "MlNetCnn"), "MlNetCnn.Core"));

    [Fact]
    public void TheLibraryHasNoFolderCycle()
    {
        var cycle = Library.Value.FindCycle();
        Assert.True(cycle is null, $"Folder cycle {string.Join(" → ", cycle ?? [])}\n{Library.Value}");
    }

    [Fact]
    public void ReadmeLayoutListsTheLibrarysFoldersBottomUp()
    {
        var listed = ReadmeLayoutFolders();
        var folders = Library.Value.Uses.Keys.Where(f => f != FolderDependencies.Root).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(folders, listed.Order(StringComparer.Ordinal).ToList());
        // The root's few files (assembly attributes, SynchronousProgress) sit below every folder.
        var upward = Library.Value.UpwardEdges(listed.Prepend(FolderDependencies.Root).ToList());
        Assert.True(upward.Count == 0, "README Layout is not bottom-up; these folders use one listed after them:\n" + string.Join("\n", upward) + "\n" + Library.Value);
    }

    [Fact]
    public void TheGraphSeesATieTheCompilerResolvesWithoutAUsing()
    {
        // A file in Reporting/ refers to a type of Model/ by its simple name through a using, and to one in the root
        // namespace with no using at all: both are edges, or the floors above would pass unseen ties.
        var uses = Library.Value.Uses;
        Assert.Contains("Model", uses["Reporting"]);
        Assert.Contains(uses, kv => kv.Value.Contains(FolderDependencies.Root));
    }

    // The folder names of the src/MlNetCnn/ block in README's Layout, in their order ("  Native/ IO/" gives two).
    private static List<string> ReadmeLayoutFolders()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var layout = Regex.Match(readme, @"## Layout\s*```\n(?<block>.*?)```", RegexOptions.Singleline).Groups["block"].Value;
        var library = Regex.Match(layout, @"^src/MlNetCnn/ .*?\n(?<folders>.*?)^src/", RegexOptions.Singleline | RegexOptions.Multiline).Groups["folders"].Value;
        return Regex.Matches(library, @"^  (?<names>(?:[A-Za-z]+/ )+)", RegexOptions.Multiline)
            .SelectMany(m => m.Groups["names"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(n => n.TrimEnd('/'))
            .ToList();
    }
}
