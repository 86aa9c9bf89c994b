namespace MlNetCnn.Data;

/// <summary>Options for <see cref="Microsoft.ML.ImageFolderCatalog.LoadFromImageFolder"/>.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>Share of each class held out as the test split of a single tree (0 ≤ f &lt; 1; default 0.2). Ignored when a <c>test/</c> tree exists.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seeds which images of each class form the test split of a single tree; the same seed gives the same split.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// False (default): an empty, unreadable or non-image file is an <see cref="ImageFolderException"/> naming it.
    /// True: such files are left out and listed in <see cref="ImageFolderDataView.SkippedFiles"/>.
    /// </summary>
    public bool SkipInvalidFiles { get; init; }

    /// <summary>
    /// True (default): every file's header is decoded when the folder is opened, so a file that is not an image fails
    /// here, naming it, rather than deep inside a pipeline; also gives <see cref="ImageFolderDataView.ImageSizes"/>.
    /// False only checks names and sizes (faster on very large folders).
    /// </summary>
    public bool VerifyImages { get; init; } = true;

    /// <summary>File name extensions read as images (case-insensitive), the formats ML.NET's LoadImages decodes through SkiaSharp.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    internal void Validate()
    {
        if (!(TestFraction >= 0 && TestFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "TestFraction must be at least 0 and less than 1.");
    }
}
