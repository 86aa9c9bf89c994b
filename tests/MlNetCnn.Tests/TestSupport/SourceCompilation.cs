using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// The repository's own C# sources compiled by Roslyn inside a test, so a rule about the code (no temporary Scalars,
/// no folder cycles) is checked with the compiler's semantic model instead of a text search.
/// </summary>
internal static class SourceCompilation
{
    // What the projects' ImplicitUsings generate into obj/, which the tests do not read.
    private const string GlobalUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>Every .cs file of a project folder (bin/ and obj/ left out), its path relative to that folder.</summary>
    public static IReadOnlyList<(string Path, string Text)> ProjectFiles(string projectFolder) =>
        Directory.EnumerateFiles(projectFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(projectFolder, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(projectFolder, f), File.ReadAllText(f)))
            .ToList();

    /// <summary>
    /// One compilation of <paramref name="files"/> (plus the implicit global usings), against the framework and every
    /// managed assembly beside the tests (TorchSharp, ML.NET …) except those whose names start with one of
    /// <paramref name="compiledFromSource"/>: their sources are in <paramref name="files"/> instead.
    /// </summary>
    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> files, params string[] compiledFromSource)
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var trees = files.Append(("GlobalUsings.cs", GlobalUsings)).Select(f => CSharpSyntaxTree.ParseText(f.Item2, options, f.Item1));
        var references = References.Value
            .Where(r => !compiledFromSource.Any(name => Path.GetFileName(r.Display!).StartsWith(name, StringComparison.OrdinalIgnoreCase)));
        return CSharpCompilation.Create("SourceCompilation", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var beside = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(beside)
            .Where(p => !Path.GetFileName(p).StartsWith("MlNetCnn.Tests", StringComparison.OrdinalIgnoreCase)
                        && !Path.GetFileName(p).StartsWith("MlNetCnn.Cli.Tests", StringComparison.OrdinalIgnoreCase))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Where(IsManaged)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
    });

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
