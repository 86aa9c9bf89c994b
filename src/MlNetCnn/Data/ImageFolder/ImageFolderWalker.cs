namespace MlNetCnn.Data.ImageFolder;

/// <summary>
/// Lists an image-folder tree one entry at a time, answering cancellation between entries, and knows about symbolic
/// links. Links to folders are followed (as torchvision's <c>ImageFolder</c> does) but every folder is identified by
/// its real path (all links resolved): a link back to a folder that contains it (<c>cat/loop -&gt; ..</c>) is a
/// <see cref="ImageFolderProblem.SymbolicLinkLoop"/>, and a folder reached a second time by another route is an
/// <see cref="ImageFolderProblem.InvalidLayout"/> (its images would count twice, possibly in both splits). Links to
/// files are read wherever they point; a link to nothing is listed and then reported by the file check. Names starting
/// with '.' are skipped.
/// </summary>
internal sealed class ImageFolderWalker
{
    private readonly CancellationToken cancellation;
    private readonly Dictionary<string, string> visited = new(StringComparer.Ordinal); // real path → path it was reached by

    public ImageFolderWalker(CancellationToken cancellation) => this.cancellation = cancellation;

    /// <summary>Most links followed while resolving one path (Linux's own limit is 40).</summary>
    private const int MaxLinkHops = 40;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// Marks a folder the walk starts from (the root, train/, test/) and returns its real path: a link back to it is a
    /// loop. <paramref name="chain"/> holds the real paths of the folders above it in the walk.
    /// </summary>
    public string Enter(string folder, IReadOnlyCollection<string> chain) => Claim(folder, chain);

    /// <summary>
    /// Visible sub-folders of <paramref name="parent"/> (links to folders included), ordinal by name, each checked for
    /// loops and repeats. <paramref name="chain"/>: real paths of <paramref name="parent"/> and the folders above it.
    /// </summary>
    public string[] Folders(string parent, IReadOnlyCollection<string> chain)
    {
        var (folders, _) = List(parent);
        foreach (var folder in folders) Claim(folder, chain);
        return folders;
    }

    /// <summary>
    /// Every visible file under <paramref name="folder"/>, at any depth, ordinal by full path. <paramref name="chain"/>:
    /// real paths of <paramref name="folder"/> and the folders above it.
    /// </summary>
    public string[] FilesUnder(string folder, IEnumerable<string> chain)
    {
        var files = new List<string>();
        Walk(folder, [.. chain], files);
        files.Sort(StringComparer.Ordinal);
        return [.. files];
    }

    /// <summary>Whether any folder under <paramref name="folder"/> holds a file <paramref name="accept"/> likes; stops at the first, never loops, never throws for a loop.</summary>
    public bool AnyFile(string folder, Func<string, bool> accept) => Find(folder, [RealPath(folder)], accept);

    private bool Find(string folder, List<string> ancestors, Func<string, bool> accept)
    {
        var (folders, files) = List(folder);
        if (files.Any(accept)) return true;
        foreach (var sub in folders)
        {
            var real = RealPath(sub);
            if (IsLoop(real, ancestors) || !visited.TryAdd(real, sub)) continue; // a loop or a repeat holds nothing new
            ancestors.Add(real);
            var found = Find(sub, ancestors, accept);
            ancestors.RemoveAt(ancestors.Count - 1);
            if (found) return true;
        }
        return false;
    }

    private void Walk(string folder, List<string> ancestors, List<string> files)
    {
        var (folders, here) = List(folder);
        files.AddRange(here);
        foreach (var sub in folders)
        {
            var real = Claim(sub, ancestors);
            ancestors.Add(real);
            Walk(sub, ancestors, files);
            ancestors.RemoveAt(ancestors.Count - 1);
        }
    }

    /// <summary>Records <paramref name="folder"/>'s real path; a loop back to an ancestor or a second visit is an error naming both paths.</summary>
    private string Claim(string folder, IReadOnlyCollection<string> ancestors)
    {
        var real = RealPath(folder);
        if (IsLoop(real, ancestors))
            throw new ImageFolderException(ImageFolderProblem.SymbolicLinkLoop, folder,
                $"'{folder}' is a symbolic link to '{real}', a folder that contains it: following it would never end. " +
                "Remove the link (folder links are followed; a link may not point back up its own tree).");
        if (!visited.TryAdd(real, folder))
            throw new ImageFolderException(ImageFolderProblem.InvalidLayout, folder,
                $"'{folder}' leads to '{real}', which the scan already read as '{visited[real]}' (through a symbolic link): " +
                "its images would be read twice. Remove one of the two links.");
        return real;
    }

    /// <summary>
    /// Whether entering <paramref name="real"/> from the last folder of <paramref name="chain"/> would come back round: it
    /// is a folder of the walk so far, or contains the current folder on disk (a link up past the walk's start).
    /// </summary>
    private static bool IsLoop(string real, IReadOnlyCollection<string> chain)
    {
        if (chain.Contains(real, StringComparer.Ordinal)) return true;
        if (chain.Count == 0) return false;
        var here = chain.Last();
        var prefix = Path.EndsInDirectorySeparator(real) ? real : real + Path.DirectorySeparatorChar;
        return here.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>One folder's visible entries: sub-folders (real ones and links to folders) and everything else, each sorted ordinally.</summary>
    private (string[] Folders, string[] Files) List(string folder)
    {
        cancellation.ThrowIfCancellationRequested();
        var folders = new List<string>();
        var files = new List<string>();
        try
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", ListOptions))
            {
                cancellation.ThrowIfCancellationRequested();
                if (entry.Name.StartsWith('.')) continue;
                if (entry is DirectoryInfo || (entry.LinkTarget != null && Directory.Exists(entry.FullName)))
                    folders.Add(entry.FullName);
                else
                    files.Add(entry.FullName);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFolderException(ImageFolderProblem.Unreadable, folder, $"Cannot list folder '{folder}': {e.Message}", e);
        }
        folders.Sort(StringComparer.Ordinal);
        files.Sort(StringComparer.Ordinal);
        return ([.. folders], [.. files]);
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link resolved, component by component (what realpath(3) gives), so two
    /// routes to one folder give one string. A chain of more than <see cref="MaxLinkHops"/> links is a loop.
    /// </summary>
    internal static string RealPath(string path)
    {
        // Not Path.GetFullPath: it removes "a/.." by text, which is wrong when a is a link.
        var full = Path.IsPathFullyQualified(path) ? path : Path.Join(Directory.GetCurrentDirectory(), path);
        var current = Path.GetPathRoot(full)!;
        var remaining = new Stack<string>(Split(full[current.Length..]).Reverse());
        var hops = 0;
        while (remaining.Count > 0)
        {
            var part = remaining.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // `current` holds no links, so its parent is the real one
                continue;
            }
            var candidate = Path.Join(current, part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target == null)
            {
                current = candidate;
                continue;
            }
            if (++hops > MaxLinkHops)
                throw new ImageFolderException(ImageFolderProblem.SymbolicLinkLoop, path,
                    $"'{path}' cannot be resolved: more than {MaxLinkHops} symbolic links in a row (a loop of links).");
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target)!;
            foreach (var p in Split(Path.IsPathRooted(target) ? target[Path.GetPathRoot(target)!.Length..] : target).Reverse()) remaining.Push(p);
        }
        return current;
    }

    private static IEnumerable<string> Split(string relative) =>
        relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
