using System.Text.RegularExpressions;

namespace MlNetCnn.Tests.Model;

/// <summary>
/// The README's "Layout" floors, read from the code: the bottom folders use no folder above them. Model (the network,
/// its engines and the ONNX graph they run) may use Native only; Native and IO use no other folder. A <c>using
/// MlNetCnn.Interop…</c>, or a qualified <c>MlNetCnn.Interop.X</c> or <c>Interop.X</c>, in Model fails here.
/// </summary>
public sealed partial class FolderDependencyTests
{
    public static TheoryData<string, string[]> BottomFloors => new()
    {
        { "Model", ["Native"] },
        { "Native", [] },
        { "IO", [] },
    };

    [Theory]
    [MemberData(nameof(BottomFloors))]
    public void ABottomFolderUsesOnlyTheFoldersItMay(string folder, string[] allowed)
    {
        var root = Path.Combine(RepositoryRoot(), "src", "MlNetCnn");
        // Inside namespace MlNetCnn.X code may also name a sibling folder without the prefix (Native.ConvolutionBackends).
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).ToArray();
        var relative = new Regex(@"(?<![\w.])(" + string.Join("|", folders) + @")\.[A-Z]");
        var files = Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var offences = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue; // comments and doc comments may name any folder
                foreach (var match in LibraryNamespace().Matches(code).Concat(relative.Matches(code)))
                {
                    var used = match.Groups[1].Value;
                    if (used != folder && !allowed.Contains(used))
                        offences.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: uses MlNetCnn.{used}: {code}");
                }
            }
        }
        Assert.True(offences.Count == 0,
            $"src/MlNetCnn/{folder} may use {(allowed.Length == 0 ? "no other folder" : string.Join(", ", allowed))} (README \"Layout\"), but:\n{string.Join("\n", offences)}");
    }

    [Fact]
    public void TheCheckFindsAUseOfAFolderAbove()
    {
        Assert.Equal("Interop", LibraryNamespace().Match("using MlNetCnn.Interop.Onnx;").Groups[1].Value);
        Assert.Equal("Interop", LibraryNamespace().Match("var g = MlNetCnn.Interop.Onnx.SimpleCnnOnnxExport.Build(m, false);").Groups[1].Value);
        Assert.Equal("Model", LibraryNamespace().Match("using MlNetCnn.Model.Inference.Proto;").Groups[1].Value);
    }

    // MlNetCnn.<Folder> in a using or a qualified name (the namespaces follow the top folders).
    [GeneratedRegex(@"\bMlNetCnn\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex LibraryNamespace();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "src", "MlNetCnn", "MlNetCnn.csproj")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No src/MlNetCnn/MlNetCnn.csproj above '{AppContext.BaseDirectory}'.");
    }
}
