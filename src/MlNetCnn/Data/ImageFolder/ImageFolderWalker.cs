using MlNetCnn.IO;

namespace MlNetCnn.Data.ImageFolder;

/// <summary>
/// Lists an image-folder tree one entry at a time, answering cancellation between entries, and knows about symbolic
/// links. Links to folders inside the data folder are followed (as torchvision's <c>ImageFolder</c> does); a link to a
/// folder outside it is an <see cref="ImageFolderProblem.LinkOutsideDataFolder"/> (a scan reads the dataset, not
/// whatever a link reaches, e.g. <c>/proc/self/cwd</c>). Every folder is identified by its device and inode (on Linux;
/// elsewhere by its real path): a link back to a folder that contains it (<c>cat/loop -&gt; ..</c>) is a
/// <see cref="ImageFolderProblem.SymbolicLinkLoop"/>, and a folder reached a second time by another route is an
/// <see cref="ImageFolderProblem.InvalidLayout"/> (its images would count twice, possibly in both splits). The walk
/// costs one listing and one status call per folder — linear in the tree's size — and stops with
/// <see cref="ImageFolderProblem.TreeTooLarge"/> past <see cref="ImageFolderOptions.MaxDepth"/> levels or
/// <see cref="ImageFolderOptions.MaxEntries"/> entries. Links to files are read wherever they point; a link to nothing
/// is listed and then reported by the file check. Names starting with '.' are skipped.
/// </summary>
internal sealed class ImageFolderWalker
{
    private readonly CancellationToken cancellation;
    private readonly string root;
    private readonly int maxDepth;
    private readonly long maxEntries;
    private readonly Dictionary<string, string> visited = new(StringComparer.Ordinal); // folder key → path it was reached by
    private long entries;

    /// <param name="root">The data folder: no folder link may lead out of it.</param>
    public ImageFolderWalker(string root, CancellationToken cancellation, int maxDepth = ImageFolderOptions.Defaults.MaxDepth,
        long maxEntries = ImageFolderOptions.Defaults.MaxEntries)
    {
        this.root = RealPath(root);
        this.cancellation = cancellation;
        this.maxDepth = maxDepth;
        this.maxEntries = maxEntries;
    }

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
    /// Marks a folder the walk starts from (the root, train/, test/) and returns its key: a link back to it is a loop.
    /// <paramref name="chain"/> holds the keys of the folders above it in the walk.
    /// </summary>
    public string Enter(string folder, IReadOnlyCollection<string> chain) => Claim(folder, chain);

    /// <summary>
    /// Visible sub-folders of <paramref name="parent"/> (links to folders included), ordinal by name, each checked for
    /// loops, repeats and links out. <paramref name="chain"/>: keys of <paramref name="parent"/> and the folders above it.
    /// </summary>
    public (string Folder, string Key)[] Folders(string parent, IReadOnlyCollection<string> chain)
    {
        var (folders, _) = List(parent);
        return [.. folders.Select(folder => (folder, Claim(folder, chain)))];
    }

    /// <summary>
    /// Every visible file under <paramref name="folder"/>, at any depth, ordinal by full path. <paramref name="chain"/>:
    /// keys of <paramref name="folder"/> and the folders above it.
    /// </summary>
    public string[] FilesUnder(string folder, IEnumerable<string> chain)
    {
        var files = new List<string>();
        var ancestors = new Ancestors(chain);
        Walk(folder, ancestors, files);
        files.Sort(StringComparer.Ordinal);
        return [.. files];
    }

    /// <summary>
    /// Whether any folder under <paramref name="folder"/> holds a file <paramref name="accept"/> likes; stops at the
    /// first, never loops, skips links out of the data folder. An unreadable folder or a tree past the limits throws.
    /// </summary>
    public bool AnyFile(string folder, Func<string, bool> accept)
    {
        var key = Key(folder);
        if (!visited.TryAdd(key, folder)) return false;
        return Find(folder, new Ancestors([key]), accept);
    }

    private bool Find(string folder, Ancestors ancestors, Func<string, bool> accept)
    {
        var (folders, files) = List(folder);
        if (files.Any(accept)) return true;
        foreach (var sub in folders)
        {
            if (IsLink(sub) && LinkProblem(sub, ancestors.Keys) != null) continue; // a loop or a link out holds nothing of the dataset
            var key = Key(sub);
            if (ancestors.Contains(key) || !visited.TryAdd(key, sub)) continue; // a loop or a repeat holds nothing new
            ancestors.Push(key, sub, maxDepth);
            var found = Find(sub, ancestors, accept);
            ancestors.Pop();
            if (found) return true;
        }
        return false;
    }

    private void Walk(string folder, Ancestors ancestors, List<string> files)
    {
        var (folders, here) = List(folder);
        files.AddRange(here);
        foreach (var sub in folders)
        {
            var key = Claim(sub, ancestors.Keys);
            ancestors.Push(key, sub, maxDepth);
            Walk(sub, ancestors, files);
            ancestors.Pop();
        }
    }

    /// <summary>
    /// Records <paramref name="folder"/>'s key; a link out of the data folder, a loop back to an ancestor or a second
    /// visit is an error naming the path.
    /// </summary>
    private string Claim(string folder, IReadOnlyCollection<string> ancestors)
    {
        if (IsLink(folder) && LinkProblem(folder, ancestors) is { } problem) throw problem;
        var key = Key(folder);
        if (ancestors.Contains(key)) throw Loop(folder);
        if (!visited.TryAdd(key, folder))
            throw new ImageFolderException(ImageFolderProblem.InvalidLayout, folder,
                $"'{folder}' leads to '{RealPath(folder)}', which the scan already read as '{visited[key]}' (through a symbolic link): " +
                "its images would be read twice. Remove one of the two links.");
        return key;
    }

    /// <summary>For a link to a folder: a loop when it leads to a folder that contains it, else out when it leaves the data folder; null when it stays inside.</summary>
    private ImageFolderException? LinkProblem(string link, IReadOnlyCollection<string> ancestors)
    {
        string real;
        try
        {
            real = RealPath(link);
        }
        catch (ImageFolderException e)
        {
            return e;
        }
        var rootPrefix = WithSeparator(root);
        var key = Key(link);
        // A link up to the root or past it comes back round; a link to anywhere else outside leaves the dataset.
        if (ancestors.Contains(key) || rootPrefix.StartsWith(WithSeparator(real), StringComparison.Ordinal)) return Loop(link);
        // The text of the resolved path must name the folder the link reaches: /proc's "magic" links (/proc/self/cwd,
        // /proc/PID/root) do not always resolve by their text, so the identities are compared as well.
        if (!WithSeparator(real).StartsWith(rootPrefix, StringComparison.Ordinal) || Key(real) != key)
            return new ImageFolderException(ImageFolderProblem.LinkOutsideDataFolder, link,
                $"'{link}' is a symbolic link to '{real}', a folder outside the data folder '{root}': a scan reads only the dataset's own tree. " +
                "Copy that folder into the data folder, or point --data at a folder that holds it.");
        return null;
    }

    private ImageFolderException Loop(string folder) =>
        new(ImageFolderProblem.SymbolicLinkLoop, folder,
            $"'{folder}' is a symbolic link to '{SafeRealPath(folder)}', a folder that contains it: following it would never end. " +
            "Remove the link (folder links are followed; a link may not point back up its own tree).");

    private static string SafeRealPath(string path)
    {
        try
        {
            return RealPath(path);
        }
        catch (ImageFolderException)
        {
            return path;
        }
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget != null;

    /// <summary>The folder's identity: device and inode where the OS gives them, else its real path.</summary>
    internal static string Key(string folder) =>
        FileNode.IdentityOf(folder) is { } id ? id.ResolvedPath ?? $"{id.Device}:{id.Inode}" : RealPath(folder);

    private static string WithSeparator(string path) => Path.EndsInDirectorySeparator(path) ? path : path + Path.DirectorySeparatorChar;

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
                if (++entries > maxEntries)
                    throw new ImageFolderException(ImageFolderProblem.TreeTooLarge, folder,
                        $"The data folder '{root}' holds more than {maxEntries:N0} entries (the scan was at '{folder}'): too many for a scan to read. " +
                        "Point --data at the dataset's own folder, or raise ImageFolderOptions.MaxEntries.");
                if (entry is DirectoryInfo && IsUndecodable(entry.FullName)) throw UndecodableName(entry.FullName); // files: the file check says it
                if (entry is DirectoryInfo || (entry.LinkTarget != null && Directory.Exists(entry.FullName)))
                    folders.Add(entry.FullName);
                else
                    files.Add(entry.FullName);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e is not ImageFolderException))
        {
            var why = e is UnauthorizedAccessException ? "permission denied (the folder needs read and execute permission)" : e.Message;
            throw new ImageFolderException(ImageFolderProblem.Unreadable, folder, $"Cannot list folder '{folder}': {why}.", e);
        }
        folders.Sort(StringComparer.Ordinal);
        files.Sort(StringComparer.Ordinal);
        return ([.. folders], [.. files]);
    }

    /// <summary>
    /// .NET decodes a name that is not valid UTF-8 with U+FFFD, so the decoded name opens nothing; the raw bytes, read
    /// again with readdir, show the user which entry it is (\xNN for each undecodable byte).
    /// </summary>
    internal static ImageFolderException UndecodableName(string decoded)
    {
        var folder = Path.GetDirectoryName(decoded)!;
        var shown = RawNames.Escaped(folder).FirstOrDefault(n => n.Contains("\\x", StringComparison.Ordinal)) ?? Path.GetFileName(decoded);
        var path = Path.Join(folder, shown);
        return new ImageFolderException(ImageFolderProblem.UndecodableName, path,
            $"'{path}' has a name that is not valid UTF-8 (undecodable bytes shown as \\xNN), so it cannot be opened by name. Rename it.");
    }

    /// <summary>Whether the entry's name was not valid UTF-8: it holds U+FFFD and, so decoded, names nothing.</summary>
    internal static bool IsUndecodable(string path) =>
        Path.GetFileName(path).Contains('\uFFFD') && FileNode.Of(path) == FileNode.Kind.Absent;

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

    /// <summary>
    /// The folders of the walk so far, as a list (their order) and a set (a constant-time loop check): checking each new
    /// folder against a list of all its ancestors made a deep tree's walk cost the cube of its depth.
    /// </summary>
    private sealed class Ancestors
    {
        private readonly List<string> order;
        private readonly HashSet<string> set;

        public Ancestors(IEnumerable<string> keys)
        {
            order = [.. keys];
            set = new HashSet<string>(order, StringComparer.Ordinal);
        }

        public IReadOnlyCollection<string> Keys => set;

        public bool Contains(string key) => set.Contains(key);

        public void Push(string key, string folder, int maxDepth)
        {
            if (order.Count > maxDepth) // order[0] is the data folder (level 0); the new folder would be at level order.Count
                throw new ImageFolderException(ImageFolderProblem.TreeTooLarge, folder,
                    $"'{folder}' is more than {maxDepth} folders deep: too deep for a dataset (a scan stops there rather than walk without end). " +
                    "Flatten the tree, or raise ImageFolderOptions.MaxDepth.");
            order.Add(key);
            set.Add(key);
        }

        public void Pop()
        {
            set.Remove(order[^1]);
            order.RemoveAt(order.Count - 1);
        }
    }
}
