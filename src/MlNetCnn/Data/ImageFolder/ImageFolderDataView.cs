using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetCnn.Data.ImageFolder;

/// <summary>
/// An image-folder dataset (one sub-folder per class) as an <see cref="IDataView"/> with columns <c>ImagePath</c>
/// (text, relative to <see cref="RootDirectory"/>) and <c>Label</c> (key type whose key values are the class names,
/// in ordinal order). Feed it to ML.NET's <c>LoadImages("Image", RootDirectory, "ImagePath")</c> → <c>ResizeImages</c>
/// → <c>ExtractPixels</c>. Create it with <c>mlContext.Data.LoadFromImageFolder(...)</c>.
/// </summary>
/// <remarks>
/// A cursor that reads <c>ImagePath</c> checks each row's file before handing its path on: a file decoded in full when
/// the folder was opened (<see cref="ImageFolderOptions.VerifyImages"/>) and unchanged since costs one file-status call;
/// any other file is decoded in full once (not once per epoch). A truncated or corrupt file is an
/// <see cref="ImageFolderException"/> naming it — ML.NET's <c>LoadImages</c> would otherwise decode whatever part of a
/// truncated file is there and train on it — or, with <see cref="ImageFolderOptions.SkipInvalidFiles"/> and without
/// <see cref="ImageFolderOptions.VerifyImages"/>, the row is left out and the file listed in <see cref="SkippedFiles"/>.
/// </remarks>
public sealed class ImageFolderDataView : IDataView
{
    /// <summary>Name of the text column holding each image's path relative to <see cref="RootDirectory"/>.</summary>
    public const string ImagePathColumnName = "ImagePath";
    /// <summary>Name of the key-typed label column (class names as key values).</summary>
    public const string LabelColumnName = "Label";

    private readonly ImageFolderFile[] files;
    private readonly IReadOnlyList<SkippedImageFile> skippedWhenOpened;
    private readonly VerifiedImageFiles verified;
    private readonly bool skipWhenRead;

    internal ImageFolderDataView(ImageFolderScanner.Scan scan, ImageFolderSplit split)
    {
        RootDirectory = scan.Root;
        Layout = scan.Layout;
        Split = split;
        ClassNames = scan.ClassNames.ToArray();
        files = split switch
        {
            ImageFolderSplit.Train => scan.Train.ToArray(),
            ImageFolderSplit.Test => scan.Test.ToArray(),
            _ => ImageFolderScanner.Sorted(scan.Train.Concat(scan.Test)),
        };
        skippedWhenOpened = scan.Skipped.ToArray();
        verified = scan.Verified;
        // Rows can only be left out while reading when the files were not all decoded at opening: otherwise the row
        // count is known, and a file damaged after that is an error even with SkipInvalidFiles.
        skipWhenRead = scan.Options.SkipInvalidFiles && !scan.Options.VerifyImages;
        Schema = BuildSchema(ClassNames);
    }

    /// <summary>Full path of the dataset root; <c>ImagePath</c> values are relative to it.</summary>
    public string RootDirectory { get; }

    /// <summary>How the dataset root is laid out (class folders, or train/ and test/ trees of them).</summary>
    public ImageFolderLayout Layout { get; }

    /// <summary>Which images this view holds.</summary>
    public ImageFolderSplit Split { get; }

    /// <summary>Class names (folder names) in key order: ordinal, so keys never depend on the file system.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The images of this split, in row order (by class, then path).</summary>
    public IReadOnlyList<ImageFolderFile> Files => files;

    /// <summary>
    /// Files left out because <see cref="ImageFolderOptions.SkipInvalidFiles"/> was set: those found when the folder
    /// was opened (all splits), then those found while rows were read (views opened together share them).
    /// </summary>
    public IReadOnlyList<SkippedImageFile> SkippedFiles => [.. skippedWhenOpened, .. verified.SkippedOnRead];

    /// <summary>Images per class in this split.</summary>
    public IReadOnlyList<int> ClassCounts => [.. Enumerable.Range(0, ClassNames.Count).Select(c => files.Count(f => f.ClassIndex == c))];

    /// <summary>(height, width) → number of images of that size in this split, most common first (empty when images were not verified).</summary>
    public IReadOnlyList<(int Height, int Width, int Count)> ImageSizes =>
        [.. files.Where(f => f.Width > 0).GroupBy(f => (f.Height, f.Width)).Select(g => (g.Key.Height, g.Key.Width, g.Count()))
            .OrderByDescending(s => s.Item3).ThenBy(s => s.Height).ThenBy(s => s.Width)];

    /// <summary>Whether every image of this split stores a single grey channel (false when images were not verified).</summary>
    public bool AllGrayscale => files.Length > 0 && files.All(f => f.IsGrayscale);

    /// <summary>Number of images in the view.</summary>
    public long RowCount => files.Length;

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    /// <remarks>Unknown (null) when rows may still be left out as they are read: <see cref="ImageFolderOptions.SkipInvalidFiles"/> without <see cref="ImageFolderOptions.VerifyImages"/>.</remarks>
    public long? GetRowCount() => skipWhenRead ? null : files.Length;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static DataViewSchema BuildSchema(IReadOnlyList<string> classNames)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImagePathColumnName, TextDataViewType.Instance);
        KeyLabelColumn.AddTo(builder, LabelColumnName, classNames);
        return builder.ToSchema();
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageFolderDataView parent;
        private readonly HashSet<int> active;
        private readonly bool checkFiles;
        private long position = -1;
        private int index = -1;

        public Cursor(ImageFolderDataView parent, HashSet<int> active)
        {
            this.parent = parent;
            this.active = active;
            // Only a reader of the paths can decode the images; label-only cursors (counts, splits) stay cheap.
            checkFiles = active.Contains(parent.Schema[ImagePathColumnName].Index);
        }

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            while (index + 1 < parent.files.Length)
            {
                index++;
                if (checkFiles && parent.verified.Check(Path.Combine(parent.RootDirectory, parent.files[index].RelativePath)) is { } error)
                {
                    if (!parent.skipWhenRead) throw error;
                    parent.verified.SkippedWhenRead(error);
                    continue;
                }
                position++;
                return true;
            }
            return false;
        }

        // The file's index, not the row position: ids stay the same whether or not rows before it were left out.
        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)index, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            Delegate getter = column.Name switch
            {
                ImagePathColumnName => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = parent.files[index].RelativePath.AsMemory()),
                LabelColumnName => (ValueGetter<uint>)((ref uint value) => value = (uint)parent.files[index].ClassIndex + 1),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Name, "Unknown column."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}
