using MlNetCnn.Tests.TestSupport;
namespace MlNetCnn.Tests.Data.ImageFolder;

/// <summary>
/// README.md's image-folder snippet is what examples/ImageFolder runs: every line of the snippet is a line of the
/// example's Program.cs, so the two cannot drift apart again (the README once trained at 64×64 while the example
/// squashed every folder to 32×32).
/// </summary>
public class ImageFolderExampleTests
{
    [Fact]
    public void ReadmeSnippetIsTheExamplesCode()
    {
        var root = Repository.Root;
        var readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("Own folder → trained model → report", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has the image-folder snippet's lead-in ('Own folder → trained model → report')");
        var open = Array.FindIndex(readme, start, l => l.StartsWith("```csharp", StringComparison.Ordinal));
        var close = Array.FindIndex(readme, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var snippet = readme[(open + 1)..close].Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.True(snippet.Length >= 5, $"the snippet has its lines (found {snippet.Length})");

        var program = File.ReadAllLines(Path.Combine(root, "examples", "ImageFolder", "Program.cs")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = snippet.Where(l => !program.Contains(l)).ToArray();
        Assert.True(missing.Length == 0, "README lines that examples/ImageFolder/Program.cs does not run:\n" + string.Join("\n", missing));
        // The example reads each folder at its own size, not a fixed one.
        Assert.Contains(snippet, l => l.Contains("train.ImageSizes[0]", StringComparison.Ordinal));
    }

}
