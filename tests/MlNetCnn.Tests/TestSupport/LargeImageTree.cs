namespace MlNetCnn.Tests.TestSupport;

/// <summary>A large image-folder tree made fast, to test that scanning it can be cancelled.</summary>
public static class LargeImageTree
{
    /// <summary>
    /// <paramref name="classes"/> class folders of <paramref name="perClass"/> files each: symbolic links to one small
    /// PNG (fast to create; each is still listed, resolved and decoded like a file).
    /// </summary>
    public static TempDirectory Create(int classes, int perClass)
    {
        var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Combine(".source"), 1, 16, 16, grayscale: false, classes: ["one"]);
        var source = temp.Combine(".source", "one", "img000.png");
        for (var c = 0; c < classes; c++)
        {
            var folder = temp.Combine($"class{c}");
            Directory.CreateDirectory(folder);
            for (var i = 0; i < perClass; i++) File.CreateSymbolicLink(Path.Combine(folder, $"{i:D6}.png"), source);
        }
        return temp;
    }
}
