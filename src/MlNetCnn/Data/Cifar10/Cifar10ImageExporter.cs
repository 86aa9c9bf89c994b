using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace MlNetCnn.Data.Cifar10;

/// <summary>
/// Writes CIFAR-10 records as lossless 32×32 RGB PNG files plus a TSV index (<c>ImagePath\tLabel</c>, header row,
/// paths relative to the index's directory, labels as class names) that ML.NET's <c>LoadFromTextFile</c> →
/// <c>LoadImages</c> → <c>ExtractPixels</c> pipeline reads back to the very same feature values.
/// </summary>
public static class Cifar10ImageExporter
{
    /// <summary>Header of the TSV index.</summary>
    internal const string IndexHeader = "ImagePath\tLabel";

    /// <summary>Exports records of the official binary files of <paramref name="split"/> in <paramref name="cifarDirectory"/>.</summary>
    public static Cifar10ExportResult Export(string cifarDirectory, Cifar10Split split, string outputDirectory,
        Cifar10ExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Reading only as many rows as can be exported keeps a small MaxCount cheap.
        var maxRows = options?.MaxPerClass is null ? options?.MaxCount : null;
        return Export(new Cifar10DataView(cifarDirectory, split, maxRows), outputDirectory, options, cancellationToken);
    }

    /// <summary>
    /// Exports rows of <paramref name="data"/>, which needs a <c>Features</c> column of 3×32×32 planar (CHW) floats in
    /// [0,1] and a <c>Label</c> column that is either text (the class name) or a <see cref="uint"/> key with text key
    /// values (as <see cref="Cifar10DataView"/> has). An <c>Int64</c> <c>Index</c> column, if present, names the files.
    /// </summary>
    /// <param name="data">Rows to export, in cursor order.</param>
    /// <param name="outputDirectory">Receives one folder per class and the TSV index; created if missing.</param>
    /// <param name="options">Limits and index file name; defaults export everything to <c>index.tsv</c>.</param>
    /// <param name="cancellationToken">Checked between images.</param>
    public static Cifar10ExportResult Export(IDataView data, string outputDirectory,
        Cifar10ExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        options ??= new Cifar10ExportOptions();
        options.Validate();

        var labelColumn = data.Schema.GetColumnOrNull(Cifar10DataView.LabelColumnName)
            ?? throw new ArgumentException($"The data has no '{Cifar10DataView.LabelColumnName}' column.", nameof(data));
        var featuresColumn = data.Schema.GetColumnOrNull(Cifar10DataView.FeaturesColumnName)
            ?? throw new ArgumentException($"The data has no '{Cifar10DataView.FeaturesColumnName}' column.", nameof(data));
        if (featuresColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: Cifar10Format.PixelBytes } featuresType
            || featuresType.ItemType != NumberDataViewType.Single)
            throw new ArgumentException(
                $"Column '{featuresColumn.Name}' must be a vector of {Cifar10Format.PixelBytes} Single values, not {featuresColumn.Type}.", nameof(data));
        var indexColumn = data.Schema.GetColumnOrNull(Cifar10DataView.IndexColumnName);
        if (indexColumn is { } ic && ic.Type != NumberDataViewType.Int64)
            indexColumn = null;

        outputDirectory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var indexPath = Path.Combine(outputDirectory, options.IndexFileName);

        var columns = new List<DataViewSchema.Column> { labelColumn, featuresColumn };
        if (indexColumn is { } idx) columns.Add(idx);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = new StringBuilder(IndexHeader).Append('\n');
        var pixels = new VBuffer<float>();
        var rgba = new byte[Cifar10Format.Height * Cifar10Format.Width * 4];
        var written = 0;

        using (var cursor = data.GetRowCursor(columns))
        {
            var getLabel = LabelGetter(cursor, labelColumn);
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featuresColumn);
            var getIndex = indexColumn is { } col ? cursor.GetGetter<long>(col) : null;

            while ((options.MaxCount is not { } max || written < max) && cursor.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var label = getLabel();
                counts.TryGetValue(label, out var classCount);
                if (options.MaxPerClass is { } perClass && classCount >= perClass)
                    continue;

                long rowIndex = cursor.Position;
                getIndex?.Invoke(ref rowIndex);
                getFeatures(ref pixels);
                ToRgba(pixels, rgba, cursor.Position);

                var relative = $"{SafeFileName(label)}/{rowIndex.ToString("D5", CultureInfo.InvariantCulture)}.png";
                var fullPath = Path.Combine(outputDirectory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
                WritePng(rgba, fullPath);

                index.Append(relative).Append('\t').Append(label).Append('\n');
                counts[label] = classCount + 1;
                written++;
            }
        }

        // The index is written last and renamed into place, so a reader never sees an index naming missing images.
        WriteAtomically(indexPath, stream =>
        {
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(index.ToString());
            stream.Write(bytes);
        });
        return new Cifar10ExportResult(indexPath, written, counts);
    }

    /// <summary>Reads the label as a class name, whether the column is text or a key with text key values.</summary>
    private static Func<string> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is TextDataViewType)
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var text = default(ReadOnlyMemory<char>);
            return () =>
            {
                getter(ref text);
                return CheckLabelText(text.ToString(), column.Name);
            };
        }
        if (column.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint)
            && column.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues) is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            column.Annotations.GetValue(AnnotationKinds.KeyValues, ref names);
            var classNames = names.DenseValues().Select(n => CheckLabelText(n.ToString(), column.Name)).ToArray();
            var getter = cursor.GetGetter<uint>(column);
            uint key = 0;
            return () =>
            {
                getter(ref key);
                // Key 0 is ML.NET's "missing"; real keys are 1-based.
                if (key == 0 || key > classNames.Length)
                    throw new InvalidDataException($"Row {cursor.Position}: label key {key} has no class name.");
                return classNames[key - 1];
            };
        }
        throw new ArgumentException(
            $"Column '{column.Name}' must be text or a UInt32 key with text key values, not {column.Type}.", nameof(column));
    }

    private static string CheckLabelText(string label, string columnName)
    {
        // A tab or line break would corrupt the TSV; an empty name would make an unnamed folder.
        if (label.Length == 0 || label.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
            throw new InvalidDataException($"Column '{columnName}' holds the label '{label}', which cannot be written to a TSV index.");
        return label;
    }

    private static string SafeFileName(string label)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var chars = label.Select(c => invalid.Contains(c) || c == '/' || c == '\\' ? '_' : c).ToArray();
        var name = new string(chars);
        return name is "." or ".." ? "_" : name;
    }

    /// <summary>Planar CHW floats in [0,1] → interleaved opaque RGBA bytes (row-major), as the PNG encoder wants.</summary>
    private static void ToRgba(VBuffer<float> pixels, byte[] rgba, long row)
    {
        if (pixels.Length != Cifar10Format.PixelBytes)
            throw new InvalidDataException($"Row {row}: expected {Cifar10Format.PixelBytes} feature values, got {pixels.Length}.");
        var values = pixels.IsDense ? pixels.GetValues() : pixels.DenseValues().ToArray();
        const int plane = Cifar10Format.Height * Cifar10Format.Width;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < Cifar10Format.Channels; c++)
                rgba[p * 4 + c] = ToByte(values[c * plane + p], row);
            rgba[p * 4 + 3] = 255;
        }
    }

    private static byte ToByte(float value, long row)
    {
        if (float.IsNaN(value) || value < -0.5f / 255 || value > 1 + 0.5f / 255)
            throw new InvalidDataException($"Row {row}: feature value {value} is outside [0,1].");
        // Rounding undoes the reader's /255 exactly, so the PNG holds the original bytes.
        return (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);
    }

    private static void WritePng(byte[] rgba, string path)
    {
        // Opaque RGBA: no premultiplication can alter colour values, and PNG stores them losslessly.
        var info = new SKImageInfo(Cifar10Format.Width, Cifar10Format.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var rowBytes = info.Width * 4;
        var target = bitmap.GetPixels();
        for (var y = 0; y < info.Height; y++)
            Marshal.Copy(rgba, y * rowBytes, target + y * bitmap.RowBytes, rowBytes);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode '{path}' as PNG.");
        WriteAtomically(path, stream => encoded.SaveTo(stream));
    }

    /// <summary>Writes to a temporary sibling file, then renames it over <paramref name="path"/>.</summary>
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
