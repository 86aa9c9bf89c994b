using Microsoft.CodeAnalysis;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Which top-level folder of a project uses which, read with the compiler's semantic model: an edge A → B for every
/// symbol a file in A refers to that is declared in a file in B (usings and implicit parent namespaces included, since
/// only the symbol's declaration counts). Files at the project's root belong to the folder named <see cref="Root"/>.
/// </summary>
internal sealed class FolderDependencies
{
    public const string Root = "(root)";

    private FolderDependencies(IReadOnlyDictionary<string, SortedSet<string>> uses, IReadOnlyDictionary<(string, string), string> examples)
    {
        Uses = uses;
        Examples = examples;
    }

    /// <summary>Each folder and the other folders it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Uses { get; }

    /// <summary>One file and symbol behind each edge, to name in a failure.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Examples { get; }

    /// <summary>Reads the project in <paramref name="projectFolder"/> (compiled with <see cref="SourceCompilation"/>).</summary>
    public static FolderDependencies Of(string projectFolder, params string[] compiledFromSource)
    {
        var files = SourceCompilation.ProjectFiles(projectFolder);
        var compilation = SourceCompilation.Compile(files, compiledFromSource);
        var uses = files.Select(f => FolderOf(f.Path)).Distinct().ToDictionary(f => f, _ => new SortedSet<string>(StringComparer.Ordinal));
        var examples = new Dictionary<(string, string), string>();
        foreach (var tree in compilation.SyntaxTrees.Where(t => t.FilePath != "GlobalUsings.cs"))
        {
            var from = FolderOf(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var symbol = model.GetSymbolInfo(node).Symbol;
                foreach (var declaration in symbol?.OriginalDefinition.DeclaringSyntaxReferences ?? [])
                {
                    var path = declaration.SyntaxTree.FilePath;
                    if (path == "GlobalUsings.cs" || symbol is INamespaceSymbol) continue;
                    var to = FolderOf(path);
                    if (to == from || !uses[from].Add(to)) continue;
                    examples[(from, to)] = $"{tree.FilePath}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} uses {symbol!.ToDisplayString()} ({path})";
                }
            }
        }
        return new FolderDependencies(uses, examples);
    }

    /// <summary>A cycle of folders (first = last), or null when the graph has none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = Uses.Keys.ToDictionary(k => k, _ => 0);   // 0 unseen, 1 on the path, 2 done
        var path = new List<string>();
        IReadOnlyList<string>? Visit(string folder)
        {
            state[folder] = 1;
            path.Add(folder);
            foreach (var next in Uses[folder])
            {
                if (state[next] == 1) return path.SkipWhile(f => f != next).Append(next).ToList();
                if (state[next] == 0 && Visit(next) is { } cycle) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[folder] = 2;
            return null;
        }
        foreach (var folder in Uses.Keys.Order(StringComparer.Ordinal))
            if (state[folder] == 0 && Visit(folder) is { } cycle) return cycle;
        return null;
    }

    /// <summary>The edges that go against <paramref name="bottomUp"/> (a folder using one listed after it), with an example each.</summary>
    public IReadOnlyList<string> UpwardEdges(List<string> bottomUp) =>
        Uses.SelectMany(kv => kv.Value.Select(to => (From: kv.Key, To: to)))
            .Where(e => bottomUp.IndexOf(e.To) > bottomUp.IndexOf(e.From))
            .Select(e => $"{e.From} → {e.To}: {Examples[(e.From, e.To)]}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every edge, one line each, for a failure message.</summary>
    public override string ToString() =>
        string.Join("\n", Uses.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} → {string.Join(", ", kv.Value)}"));

    private static string FolderOf(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar, '/');
        return parts.Length == 1 ? Root : parts[0];
    }
}
