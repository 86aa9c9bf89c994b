using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.IO;

namespace MlNetCnn.Data.Cifar10;

/// <summary>
/// Streams CIFAR-10 binary batch files as an <see cref="IDataView"/>: <c>Label</c> (key type whose key values are
/// the class names), <c>Features</c> (3×32×32 planar floats scaled to [0,1]) and <c>Index</c> (the record's position
/// across the files read). Cursors read records one at a time from disk; nothing is held in memory.
/// </summary>
public sealed class Cifar10DataView : IDataView
{
    /// <summary>Name of the key-typed label column (keys 1..10, class names as key values).</summary>
    public const string LabelColumnName = "Label";
    /// <summary>Name of the pixel column: 3×32×32 floats, planar, scaled to [0,1].</summary>
    public const string FeaturesColumnName = "Features";
    /// <summary>Name of the column holding the 0-based record index within the split.</summary>
    public const string IndexColumnName = "Index";

    /// <summary>Pixel bytes are multiplied by this to land in [0,1].</summary>
    public const float PixelScale = Model.ImageArrays.ByteScale;

    private readonly IReadOnlyList<Cifar10BinaryFile> files;

    /// <summary>Opens the files of <paramref name="split"/> under <paramref name="directory"/>, validating each.</summary>
    public Cifar10DataView(string directory, Cifar10Split split, int? maxRows = null)
        : this(Cifar10Format.FileNames(split).Select(f => Path.Combine(directory, f)).ToArray(),
               Cifar10Format.ReadClassNames(directory), maxRows)
    {
    }

    /// <summary>Opens explicit batch files with explicit class names (10 of them).</summary>
    public Cifar10DataView(IReadOnlyList<string> batchFiles, IReadOnlyList<string> classNames, int? maxRows = null)
    {
        if (classNames.Count != Cifar10Format.ClassCount)
            throw new ArgumentException($"Expected {Cifar10Format.ClassCount} class names, got {classNames.Count}.", nameof(classNames));
        Model.ClassNameCheck.ThrowIfRepeatedArgument(classNames, "The class names given", nameof(classNames));
        if (maxRows is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "maxRows must be >= 0.");
        files = batchFiles.Select(Cifar10BinaryFile.Open).ToArray();
        ClassNames = classNames.ToArray();
        var total = files.Sum(f => (long)f.RecordCount);
        RowCount = maxRows is { } m ? Math.Min(m, total) : total;
        Schema = BuildSchema(ClassNames);
    }

    /// <summary>Class names in label order (from batches.meta.txt).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of images in the view.</summary>
    public long RowCount { get; }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => RowCount;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private static DataViewSchema BuildSchema(IReadOnlyList<string> classNames)
    {
        var builder = new DataViewSchema.Builder();
        KeyLabelColumn.AddTo(builder, LabelColumnName, classNames);
        builder.AddColumn(FeaturesColumnName,
            new VectorDataViewType(NumberDataViewType.Single, Cifar10Format.Channels, Cifar10Format.Height, Cifar10Format.Width));
        builder.AddColumn(IndexColumnName, NumberDataViewType.Int64);
        return builder.ToSchema();
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly Cifar10DataView parent;
        private readonly HashSet<int> active;
        private readonly bool readsRecords;
        private readonly byte[] record = new byte[Cifar10Format.RecordBytes];
        private int fileIndex = -1;
        private int recordInFile;
        private FileStream? stream;
        private long position = -1;

        public Cursor(Cifar10DataView parent, HashSet<int> active)
        {
            this.parent = parent;
            this.active = active;
            readsRecords = active.Contains(parent.Schema[LabelColumnName].Index) || active.Contains(parent.Schema[FeaturesColumnName].Index);
        }

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (position + 1 >= parent.RowCount)
            {
                CloseStream();
                return false;
            }
            while (fileIndex < 0 || recordInFile >= parent.files[fileIndex].RecordCount)
            {
                CloseStream();
                fileIndex++;
                recordInFile = 0;
                if (readsRecords)
                    stream = FileNode.OpenForReading(parent.files[fileIndex].Path, "CIFAR-10 batch file", 1 << 16);
            }
            if (!readsRecords)
            {
                // Only Index (or nothing) was asked for: a cursor that passes rows through need not touch the disk.
                recordInFile++;
                position++;
                return true;
            }
            var offset = (long)recordInFile * Cifar10Format.RecordBytes;
            try
            {
                stream!.ReadExactly(record);
            }
            catch (EndOfStreamException e)
            {
                // The file shrank after it was validated on open; report it like any other truncation.
                throw new InvalidDataException(
                    $"CIFAR-10 batch file '{parent.files[fileIndex].Path}' is truncated: the record at byte offset {offset} ends early " +
                    "(the file changed after it was opened).", e);
            }
            Cifar10BinaryFile.CheckLabel(record[0], parent.files[fileIndex].Path, offset);
            recordInFile++;
            position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            Delegate getter = column.Name switch
            {
                LabelColumnName => (ValueGetter<uint>)((ref uint value) => value = (uint)record[0] + 1),
                FeaturesColumnName => (ValueGetter<VBuffer<float>>)GetFeatures,
                IndexColumnName => (ValueGetter<long>)((ref long value) => value = position),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Name, "Unknown column."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
        }

        private void GetFeatures(ref VBuffer<float> value)
        {
            var editor = VBufferEditor.Create(ref value, Cifar10Format.PixelBytes);
            // Bytes are already planar (all red, then green, then blue), exactly ML.NET's CHW pixel order. Multiplying
            // by 1/255 (not dividing) is what ExtractPixels(scaleImage: 1f/255) does, so both routes agree bit for bit.
            var pixels = record.AsSpan(1, Cifar10Format.PixelBytes);
            var values = editor.Values[..pixels.Length];
            for (var i = 0; i < values.Length; i++)
                values[i] = pixels[i] * PixelScale;
            value = editor.Commit();
        }

        private void CloseStream()
        {
            stream?.Dispose();
            stream = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) CloseStream();
            base.Dispose(disposing);
        }
    }
}
