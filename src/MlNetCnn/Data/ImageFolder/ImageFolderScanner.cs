namespace MlNetCnn.Data.ImageFolder;

/// <summary>One image found in an image-folder dataset.</summary>
public sealed class ImageFolderFile
{
    internal ImageFolderFile(string relativePath, int classIndex, int width, int height, bool isGrayscale)
    {
        RelativePath = relativePath;
        ClassIndex = classIndex;
        Width = width;
        Height = height;
        IsGrayscale = isGrayscale;
    }

    /// <summary>Path under the dataset root, '/'-separated (what the <c>ImagePath</c> column holds).</summary>
    public string RelativePath { get; }

    /// <summary>0-based class (position of the class name in ordinal order).</summary>
    public int ClassIndex { get; }

    /// <summary>Pixel width from the file's header (0 when images were not verified).</summary>
    public int Width { get; }

    /// <summary>Pixel height from the file's header (0 when images were not verified).</summary>
    public int Height { get; }

    /// <summary>The file stores a single grey channel.</summary>
    public bool IsGrayscale { get; }
}

/// <summary>A file left out because <see cref="ImageFolderOptions.SkipInvalidFiles"/> was set, and why.</summary>
public sealed class SkippedImageFile
{
    internal SkippedImageFile(string path, ImageFolderProblem problem, string reason)
    {
        Path = path;
        Problem = problem;
        Reason = reason;
    }

    /// <summary>The file left out.</summary>
    public string Path { get; }

    /// <summary>What was wrong with it.</summary>
    public ImageFolderProblem Problem { get; }

    /// <summary>The error message, naming the file.</summary>
    public string Reason { get; }
}

/// <summary>
/// Walks an image-folder tree: class folders sorted ordinally (so class keys never depend on the file system's
/// order), image files sorted ordinally within each, every file checked. Hidden files and folders (names starting with
/// '.') and files directly in the root (an index, a README) are ignored. Symbolic links and cancellation: see
/// <see cref="ImageFolderWalker"/>; what a file check decodes: see <see cref="ImageFileInspector"/>.
/// </summary>
internal static class ImageFolderScanner
{
    public const string TrainFolder = "train";
    public const string TestFolder = "test";

    internal sealed record Scan(
        string Root,
        ImageFolderLayout Layout,
        IReadOnlyList<string> ClassNames,
        IReadOnlyList<ImageFolderFile> Train,
        IReadOnlyList<ImageFolderFile> Test,
        IReadOnlyList<SkippedImageFile> Skipped,
        VerifiedImageFiles Verified,
        ImageFolderOptions Options);

    /// <summary>
    /// Whether <paramref name="directory"/> looks like an image-folder dataset: a class folder (or train/) holding a file
    /// with an image extension. A folder it cannot list, a name it cannot decode or a tree past the default limits is
    /// an <see cref="ImageFolderException"/> naming it (an unreadable class folder is not taken for "no images").
    /// </summary>
    public static bool LooksLikeImageFolder(string directory, CancellationToken cancellation = default)
    {
        if (!Directory.Exists(directory)) return false;
        var root = FindChild(directory, TrainFolder) ?? directory;
        var walker = new ImageFolderWalker(directory, cancellation);
        return VisibleDirectories(root).Any(d => walker.AnyFile(d, IsImageName));
    }

    /// <summary>
    /// Why <paramref name="directory"/>, which <see cref="LooksLikeImageFolder"/> refused, is not an image-folder
    /// dataset, when something in it says one was meant (a train/ folder, images without class folders); else null.
    /// </summary>
    public static string? WhyNotImageFolder(string directory)
    {
        var train = FindChild(directory, TrainFolder);
        var root = train ?? directory;
        var loose = Directory.EnumerateFiles(root).Count(IsImageName);
        var classes = VisibleDirectories(root).Count();
        if (train != null)
            return $"'{train}' is there but holds no class folder with images ({classes} sub-folder(s){(loose > 0 ? $", {loose} image file(s) directly in it" : "")}): " +
                   $"an image-folder dataset with a {TrainFolder}/ folder is {TrainFolder}/<class>/<image> (a {TestFolder}/<class>/… beside it is optional).";
        if (loose > 0)
            return $"'{directory}' holds {loose} image file(s) but no class folder of images: put each class's images in a sub-folder named after the class (root/<class>/<image>).";
        return null;
    }

    public static Scan Read(string directory, ImageFolderOptions options, CancellationToken cancellation = default)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Image folder '{root}' not found; expected one sub-folder of images per class.");
        var skipped = new List<SkippedImageFile>();
        var walker = new ImageFolderWalker(root, cancellation, options.MaxDepth, options.MaxEntries);
        var verified = new VerifiedImageFiles();
        var rootChain = new[] { walker.Enter(root, []) };
        List<ImageFolderFile> ReadClassOf((string Folder, string Key) folder, int classIndex, string[] chain) =>
            ReadClass(root, folder.Folder, classIndex, options, skipped, walker, verified, [.. chain, folder.Key], cancellation);
        var train = FindChild(root, TrainFolder);
        var test = FindChild(root, TestFolder);
        if (test != null && train == null)
            throw new ImageFolderException(ImageFolderProblem.InvalidLayout, test,
                $"Image folder '{root}' has a '{Path.GetFileName(test)}' folder but no '{TrainFolder}' folder: use root/{TrainFolder}/<class>/… and root/{TestFolder}/<class>/…, or one tree root/<class>/….");

        if (train != null)
        {
            string[] trainChain = [.. rootChain, walker.Enter(train, rootChain)];
            var classFolders = ClassFolders(train, walker, trainChain);
            var classNames = classFolders.Select(f => Path.GetFileName(f.Folder)).ToArray();
            var trainFiles = classFolders.SelectMany((folder, c) => ReadClassOf(folder, c, trainChain)).ToArray();
            IReadOnlyList<ImageFolderFile> testFiles;
            if (test != null)
            {
                var index = classNames.Select((n, i) => (n, i)).ToDictionary(p => p.n!, p => p.i, StringComparer.Ordinal);
                var list = new List<ImageFolderFile>();
                string[] testChain = [.. rootChain, walker.Enter(test, rootChain)];
                foreach (var folder in walker.Folders(test, testChain))
                {
                    if (!index.TryGetValue(Path.GetFileName(folder.Folder), out var c))
                        throw new ImageFolderException(ImageFolderProblem.InvalidLayout, folder.Folder,
                            $"Test class folder '{folder.Folder}' has no counterpart in '{train}': every test class must also be a training class " +
                            $"(training classes: {string.Join(", ", classNames)}).");
                    list.AddRange(ReadClassOf(folder, c, testChain));
                }
                testFiles = Sorted(list);
                return new Scan(root, ImageFolderLayout.TrainTestTrees, classNames!, trainFiles, testFiles, skipped, verified, options);
            }
            var (t, h) = SplitStratified(trainFiles, classNames.Length, options);
            return new Scan(root, ImageFolderLayout.TrainTreeOnly, classNames!, t, h, skipped, verified, options);
        }

        var folders = ClassFolders(root, walker, rootChain);
        var names = folders.Select(f => Path.GetFileName(f.Folder)).ToArray();
        var files = folders.SelectMany((folder, c) => ReadClassOf(folder, c, rootChain)).ToArray();
        var (trainSplit, testSplit) = SplitStratified(files, names.Length, options);
        return new Scan(root, ImageFolderLayout.SingleTree, names!, trainSplit, testSplit, skipped, verified, options);
    }

    /// <summary>Per class: a seeded shuffle, the first round(n·fraction) images are test (at least one when n ≥ 2 and fraction &gt; 0; never all).</summary>
    internal static (ImageFolderFile[] Train, ImageFolderFile[] Test) SplitStratified(IReadOnlyList<ImageFolderFile> files, int classCount, ImageFolderOptions options)
    {
        var train = new List<ImageFolderFile>();
        var test = new List<ImageFolderFile>();
        for (var c = 0; c < classCount; c++)
        {
            var members = files.Where(f => f.ClassIndex == c).OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToArray();
            var n = members.Length;
            var count = (int)Math.Round(n * options.TestFraction, MidpointRounding.AwayFromZero);
            if (options.TestFraction > 0 && n >= 2) count = Math.Max(count, 1);
            count = Math.Min(count, Math.Max(n - 1, 0));
            // A seeded Random is stable across .NET versions; one stream per class keeps classes independent of each other.
            var random = new Random(unchecked(options.Seed * 7919 + c));
            var order = Enumerable.Range(0, n).ToArray();
            for (var i = n - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            var held = order.Take(count).ToHashSet();
            for (var i = 0; i < n; i++) (held.Contains(i) ? test : train).Add(members[i]);
        }
        return (Sorted(train), Sorted(test));
    }

    /// <summary>The files in the view's row order: by class, then by ordinal relative path.</summary>
    internal static ImageFolderFile[] Sorted(IEnumerable<ImageFolderFile> files) =>
        files.OrderBy(f => f.ClassIndex).ThenBy(f => f.RelativePath, StringComparer.Ordinal).ToArray();

    private static (string Folder, string Key)[] ClassFolders(string parent, ImageFolderWalker walker, string[] chain)
    {
        var folders = walker.Folders(parent, chain);
        if (folders.Length == 0)
        {
            var images = Directory.EnumerateFiles(parent).Count(IsImageName);
            throw new ImageFolderException(ImageFolderProblem.NoClassFolders, parent,
                $"Image folder '{parent}' has no class folders" + (images > 0 ? $" ({images} image file(s) lie directly in it)" : "") +
                ": put each class's images in a sub-folder named after the class (root/<class>/<image>).");
        }
        if (folders.Length < 2)
            throw new ImageFolderException(ImageFolderProblem.TooFewClasses, parent,
                $"Image folder '{parent}' has one class folder ('{Path.GetFileName(folders[0].Folder)}'); a classifier needs at least two.");
        return folders;
    }

    /// <summary>Sub-folders not starting with '.', in ordinal order of their names.</summary>
    private static IEnumerable<string> VisibleDirectories(string parent)
    {
        try
        {
            return Directory.GetDirectories(parent).Where(d => !IsHidden(Path.GetFileName(d))).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFolderException(ImageFolderProblem.Unreadable, parent, $"Cannot list folder '{parent}': {e.Message}", e);
        }
    }

    private static string? FindChild(string parent, string name)
    {
        try
        {
            return Directory.GetDirectories(parent).FirstOrDefault(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFolderException(ImageFolderProblem.Unreadable, parent, $"Cannot list folder '{parent}': {e.Message}", e);
        }
    }

    private static List<ImageFolderFile> ReadClass(string root, string folder, int classIndex, ImageFolderOptions options, List<SkippedImageFile> skipped,
        ImageFolderWalker walker, VerifiedImageFiles verified, string[] chain, CancellationToken cancellation)
    {
        var paths = walker.FilesUnder(folder, chain);
        var files = new List<ImageFolderFile>(paths.Length);
        foreach (var path in paths)
        {
            cancellation.ThrowIfCancellationRequested();
            var file = Check(root, path, classIndex, options, verified);
            if (file.Error is { } error)
            {
                if (!options.SkipInvalidFiles) throw error;
                skipped.Add(new SkippedImageFile(path, error.Problem, error.Message));
                continue;
            }
            files.Add(file.File!);
        }
        if (files.Count == 0)
        {
            var why = paths.Length == 0 ? "it is empty" : $"none of its {paths.Length} file(s) is a readable image ({string.Join(", ", ImageFolderOptions.ImageExtensions)})";
            throw new ImageFolderException(ImageFolderProblem.EmptyClassFolder, folder,
                $"Class folder '{folder}' holds no images: {why}. Remove the folder or add images of class '{Path.GetFileName(folder)}'.");
        }
        return files;
    }

    private static (ImageFolderFile? File, ImageFolderException? Error) Check(string root, string path, int classIndex, ImageFolderOptions options, VerifiedImageFiles verified)
    {
        var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
        if (ImageFolderWalker.IsUndecodable(path)) return (null, ImageFolderWalker.UndecodableName(path));
        if (!IsImageName(path))
            return (null, new ImageFolderException(ImageFolderProblem.NotAnImage, path,
                $"'{path}' is not an image file: its extension '{Path.GetExtension(path)}' is not one of {string.Join(", ", ImageFolderOptions.ImageExtensions)}. " +
                "Remove it, or set SkipInvalidFiles to leave such files out."));
        if (!options.VerifyImages)
        {
            // Names and sizes only; the full decode happens when the row is first read.
            var error = ImageFileInspector.CheckPresent(path);
            return error != null ? (null, error) : (new ImageFolderFile(relative, classIndex, 0, 0, false), null);
        }
        var (header, problem) = ImageFileInspector.Inspect(path);
        if (problem != null) return (null, problem);
        verified.Passed(path);
        return (new ImageFolderFile(relative, classIndex, header!.Value.Width, header.Value.Height, header.Value.IsGrayscale), null);
    }

    private static bool IsImageName(string path) =>
        ImageFolderOptions.ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    private static bool IsHidden(string relativePath) =>
        relativePath.Split('/', '\\').Any(part => part.StartsWith('.'));
}
