namespace MlNetCnn.Tests.TestSupport;

/// <summary>A large image-folder tree made fast, to test that scanning it can be cancelled.</summary>
public static class LargeImageTree
{
    /// <summary>
    /// <paramref name="classes"/> class folders of <paramref name="perClass"/> files each: symbolic links to one PNG of
    /// noise, <paramref name="side"/> pixels square (links are fast to create; each is still listed, resolved and
    /// decoded in full like a file of its own, a few milliseconds each at the default size).
    /// </summary>
    public static TempDirectory Create(int classes, int perClass, int side = 256)
    {
        var temp = new TempDirectory();
        var random = new Random(7);
        var source = temp.Combine(".source.png");
        ImageFolderWriter.WriteImage(source, [.. Enumerable.Range(0, 3 * side * side).Select(_ => (float)random.NextDouble())], side, side, grayscale: false);
        for (var c = 0; c < classes; c++)
        {
            var folder = temp.Combine($"class{c}");
            Directory.CreateDirectory(folder);
            for (var i = 0; i < perClass; i++) File.CreateSymbolicLink(Path.Combine(folder, $"{i:D6}.png"), source);
        }
        return temp;
    }
}
