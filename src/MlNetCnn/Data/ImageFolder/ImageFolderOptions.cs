namespace MlNetCnn.Data.ImageFolder;

/// <summary>Options for <see cref="Microsoft.ML.ImageFolderCatalog.LoadFromImageFolder"/>.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>Default values of the options, for callers that show or reuse them.</summary>
    public static class Defaults
    {
        /// <summary>Default share of each class held out as the test split of a single tree.</summary>
        public const double TestFraction = 0.2;

        /// <summary>Default deepest folder a scan enters, counted from the data folder (datasets are 2–4 deep).</summary>
        public const int MaxDepth = 32;

        /// <summary>Default most entries (files and folders) a scan lists: ImageNet's training set has about 1.3 million.</summary>
        public const long MaxEntries = 10_000_000;
    }

    /// <summary>Share of each class held out as the test split of a single tree (0 ≤ f &lt; 1; default <see cref="Defaults.TestFraction"/>). Ignored when a <c>test/</c> tree exists.</summary>
    public double TestFraction { get; init; } = Defaults.TestFraction;

    /// <summary>Seeds which images of each class form the test split of a single tree; the same seed gives the same split.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// False (default): an empty, unreadable, truncated, corrupt or non-image file is an <see cref="ImageFolderException"/>
    /// naming it. True: such files are left out and listed in <see cref="ImageFolderDataView.SkippedFiles"/> — when the
    /// folder is opened, or (with <see cref="VerifyImages"/> off) when the row is first read.
    /// </summary>
    public bool SkipInvalidFiles { get; init; }

    /// <summary>
    /// True (default): every file is decoded in full when the folder is opened, so a file that is not an image, is
    /// truncated (the decoder runs out of data) or has corrupt data (the decoder reports an error, e.g. a PNG CRC) fails
    /// here, naming it, before any training; also gives <see cref="ImageFolderDataView.ImageSizes"/>. This costs one
    /// decode of every image (about what one epoch's image loading costs), once. False only checks names and sizes
    /// when opening (faster on very large folders); each file is then decoded in full the first time its row is read,
    /// so a damaged file still fails — or is skipped — before the training sees it. JPEG data has no checksum: garbled
    /// bytes inside a JPEG that still decode are not detectable (PIL does not detect them either).
    /// </summary>
    public bool VerifyImages { get; init; } = true;

    /// <summary>
    /// Deepest folder a scan enters, counted from the data folder (default <see cref="Defaults.MaxDepth"/>): a deeper tree
    /// is an <see cref="ImageFolderException"/> (<see cref="ImageFolderProblem.TreeTooLarge"/>) naming the folder,
    /// before any image is read.
    /// </summary>
    public int MaxDepth { get; init; } = Defaults.MaxDepth;

    /// <summary>Most files and folders a scan lists (default <see cref="Defaults.MaxEntries"/>); more is an <see cref="ImageFolderProblem.TreeTooLarge"/> error.</summary>
    public long MaxEntries { get; init; } = Defaults.MaxEntries;

    /// <summary>File name extensions read as images (case-insensitive), the formats ML.NET's LoadImages decodes through SkiaSharp.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    internal void Validate()
    {
        if (!(TestFraction >= 0 && TestFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "TestFraction must be at least 0 and less than 1.");
        if (MaxDepth < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "MaxDepth must be at least 1 (root/<class>/<image>).");
        if (MaxEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries, "MaxEntries must be at least 1.");
    }
}
