using Microsoft.ML.Transforms.Image;
using MlNetCnn.Data.ImageFolder;

// In ML.NET's namespace, as its extension packages put their catalog verbs: `using Microsoft.ML;` finds them all.
namespace Microsoft.ML;

/// <summary>ML.NET catalog verbs for image-folder datasets (one sub-folder of images per class).</summary>
public static class ImageFolderCatalog
{
    /// <summary>
    /// Reads an image-folder tree: <c>root/&lt;class&gt;/&lt;image&gt;</c> (the test split is a seeded, stratified
    /// <see cref="ImageFolderOptions.TestFraction"/> of each class) or <c>root/train/&lt;class&gt;/…</c> plus
    /// <c>root/test/&lt;class&gt;/…</c>. Class names are the folder names, sorted ordinally. Images may be PNG, JPEG,
    /// BMP, GIF or WebP, of any size, colour or grey.
    /// </summary>
    /// <param name="catalog">The <c>mlContext.Data</c> catalog.</param>
    /// <param name="directory">The dataset root.</param>
    /// <param name="split">Which images to read.</param>
    /// <param name="options">Test fraction, seed, skipping of invalid files; null uses the defaults.</param>
    /// <param name="cancellation">Stops the scan (checked between folder entries and between files) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A view with <c>ImagePath</c> (relative to the root) and <c>Label</c> (key with the class names as key values).</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="ImageFolderException">An empty class folder, fewer than two classes, an inconsistent train/test layout, a
    /// symbolic link looping back up the tree, or an empty, unreadable, truncated, corrupt or non-image file (unless
    /// <see cref="ImageFolderOptions.SkipInvalidFiles"/>); the message names it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    /// <example>
    /// <code language="csharp">
    /// var train = ml.Data.LoadFromImageFolder("flowers", ImageFolderSplit.Train);
    /// var model = ml.Transforms.LoadImages("Image", train.RootDirectory, "ImagePath")
    ///     .Append(ml.Transforms.ResizeImages("Image", 64, 64))
    ///     .Append(ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255))
    ///     .Append(ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 5))
    ///     .Fit(train);
    /// </code>
    /// </example>
    public static ImageFolderDataView LoadFromImageFolder(this DataOperationsCatalog catalog, string directory,
        ImageFolderSplit split = ImageFolderSplit.All, ImageFolderOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new ImageFolderOptions();
        options.Validate();
        return new ImageFolderDataView(ImageFolderScanner.Read(directory, options, cancellation), split);
    }

    /// <summary>Opens both splits with one scan of the folder (each file is checked once); errors and cancellation as <see cref="LoadFromImageFolder"/>.</summary>
    /// <param name="catalog">The <c>mlContext.Data</c> catalog.</param>
    /// <param name="directory">The dataset root.</param>
    /// <param name="options">Test fraction, seed, skipping of invalid files; null uses the defaults.</param>
    /// <param name="cancellation">Stops the scan with <see cref="OperationCanceledException"/>.</param>
    public static (ImageFolderDataView Train, ImageFolderDataView Test) LoadFromImageFolderSplits(this DataOperationsCatalog catalog, string directory,
        ImageFolderOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new ImageFolderOptions();
        options.Validate();
        var scan = ImageFolderScanner.Read(directory, options, cancellation);
        return (new ImageFolderDataView(scan, ImageFolderSplit.Train), new ImageFolderDataView(scan, ImageFolderSplit.Test));
    }

    /// <summary>
    /// Whether <paramref name="directory"/> looks like an image-folder dataset (a class folder, or <c>train/</c>, holding
    /// image files). Stops at the first image file; never follows a symbolic link loop.
    /// </summary>
    public static bool IsImageFolder(string directory, CancellationToken cancellation = default) => ImageFolderScanner.LooksLikeImageFolder(directory, cancellation);

    /// <summary>
    /// ML.NET's own image steps, in the order the SimpleCnn needs them: <c>LoadImages</c> → <c>ResizeImages</c>
    /// (to <paramref name="height"/>×<paramref name="width"/>) → [<c>ConvertToGrayscale</c>] → <c>ExtractPixels</c>
    /// (planar, scaled to [0,1]). The output column has dimensions (3 or 1, height, width), which the trainer reads.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageFolder">Folder the paths are relative to (<see cref="ImageFolderDataView.RootDirectory"/>).</param>
    /// <param name="grayscale">One grey channel instead of three colour channels.</param>
    public static IEstimator<ITransformer> LoadImagePixels(this TransformsCatalog catalog, string imageFolder, int height, int width,
        bool grayscale = false, string outputColumnName = "Features", string inputColumnName = ImageFolderDataView.ImagePathColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        const string image = "Image";
        IEstimator<ITransformer> chain = catalog.LoadImages(image, imageFolder, inputColumnName)
            .Append(catalog.ResizeImages(image, width, height, resizing: ImageResizingEstimator.ResizingKind.Fill));
        if (grayscale) chain = chain.Append(catalog.ConvertToGrayscale(image));
        return chain.Append(catalog.ExtractPixels(outputColumnName, image,
            colorsToExtract: grayscale ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb,
            interleavePixelColors: false, scaleImage: 1f / 255));
    }
}
