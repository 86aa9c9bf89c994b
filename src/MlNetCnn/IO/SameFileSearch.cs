namespace MlNetCnn.IO;

/// <summary>
/// Finds which input file, if any, is a given file: the input itself or, for a folder, any file in its tree. Linear in
/// the tree's size: each folder is read once (its identity is remembered, so a hard-linked or bind-mounted loop ends),
/// links to files are compared by their target's identity, and linked folders are not entered (whatever they reach
/// outside the tree is not the input's; inside it, it is read anyway).
/// </summary>
internal static class SameFileSearch
{
    /// <summary>The path under <paramref name="input"/> (or <paramref name="input"/> itself) that is <paramref name="target"/>; null when none is.</summary>
    public static string? Find(FileNode.Identity target, string input)
    {
        var full = Path.GetFullPath(input);
        var identity = FileNode.IdentityOf(full);
        if (identity == null) return null;
        if (identity == target) return full;
        if (!Directory.Exists(full)) return null;

        var visited = new HashSet<FileNode.Identity> { identity.Value };
        var folders = new Stack<string>([full]);
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false };
        while (folders.Count > 0)
        {
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folders.Pop(), "*", options).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // a folder that cannot be read holds no file the work can read either
            }
            foreach (var entry in entries)
            {
                var kind = FileNode.Of(entry);
                if (FileNode.IdentityOf(entry) is not { } found) continue;
                if (found == target) return entry;
                if (kind == FileNode.Kind.Directory && visited.Add(found)) folders.Push(entry);
            }
        }
        return null;
    }
}
