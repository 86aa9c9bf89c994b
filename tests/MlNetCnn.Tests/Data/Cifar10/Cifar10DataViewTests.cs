using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Data.Cifar10;

public class Cifar10DataViewTests
{
    private static string Shared => SharedData.CifarDirectory;

    [Fact]
    public void SharedSubsetTrainAndTestRowCounts()
    {
        var train = new Cifar10DataView(Shared, Cifar10Split.Train);
        var test = new Cifar10DataView(Shared, Cifar10Split.Test);

        Assert.Equal(5 * SharedData.RecordsPerFile, train.GetRowCount());
        Assert.Equal(SharedData.RecordsPerFile, test.GetRowCount());
        Assert.Equal(5085, CountRows(train));
        Assert.Equal(1017, CountRows(test));
    }

    [Fact]
    public void SchemaHasKeyLabelPlanarFeaturesAndIndex()
    {
        var view = new Cifar10DataView(Shared, Cifar10Split.Test);

        Assert.Equal(3, view.Schema.Count);
        var label = view.Schema[Cifar10DataView.LabelColumnName];
        var key = Assert.IsType<KeyDataViewType>(label.Type);
        Assert.Equal(typeof(uint), key.RawType);
        Assert.Equal(10UL, key.Count);

        var features = Assert.IsType<VectorDataViewType>(view.Schema[Cifar10DataView.FeaturesColumnName].Type);
        Assert.Equal(NumberDataViewType.Single, features.ItemType);
        Assert.Equal([3, 32, 32], features.Dimensions.ToArray());
        Assert.Equal(3072, features.Size);

        Assert.Equal(NumberDataViewType.Int64, view.Schema[Cifar10DataView.IndexColumnName].Type);
    }

    [Fact]
    public void KeyValuesAreClassNamesFromMetaFile()
    {
        var expected = File.ReadAllLines(Path.Combine(Shared, "batches.meta.txt")).Where(l => l.Trim().Length > 0).ToArray();
        var view = new Cifar10DataView(Shared, Cifar10Split.Train);

        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        view.Schema[Cifar10DataView.LabelColumnName].GetKeyValues(ref keyValues);

        Assert.Equal(expected, keyValues.DenseValues().Select(v => v.ToString()).ToArray());
        Assert.Equal(expected, view.ClassNames);
        Assert.Equal("airplane", expected[0]);
        Assert.Equal("truck", expected[9]);
    }

    [Fact]
    public void RecordsMatchRawBytesReadIndependently()
    {
        // Row 0 is the first record of data_batch_1, row 1017 the first of data_batch_2, row 5084 the last of data_batch_5.
        var checks = new (long Row, string File, int Record)[]
        {
            (0, "data_batch_1.bin", 0), (1, "data_batch_1.bin", 1), (1017, "data_batch_2.bin", 0), (5084, "data_batch_5.bin", 1016),
        };
        var rows = ReadRows(new Cifar10DataView(Shared, Cifar10Split.Train), checks.Select(c => c.Row).ToHashSet());

        foreach (var (row, file, record) in checks)
        {
            var raw = ReadRawRecord(Path.Combine(Shared, file), record);
            var (label, features, index) = rows[row];
            Assert.Equal(row, index);
            Assert.Equal(raw[0] + 1u, label);
            Assert.Equal(3072, features.Length);
            foreach (var i in new[] { 0, 1, 31, 32, 1023, 1024, 2047, 2048, 3071 })
                Assert.Equal(raw[i + 1] * (1f / 255), features[i]);
            Assert.Equal(raw.Skip(1).Select(b => b * (1f / 255)), features);
        }
    }

    [Fact]
    public void FirstTrainRecordHasTheKnownLabel()
    {
        // The first official training image is a frog (label 6), the first test image a cat (label 3).
        var train = ReadRows(new Cifar10DataView(Shared, Cifar10Split.Train), [0]);
        var test = ReadRows(new Cifar10DataView(Shared, Cifar10Split.Test), [0]);
        Assert.Equal(7u, train[0].Label);
        Assert.Equal(4u, test[0].Label);
    }

    [Fact]
    public void FeatureValuesAreWithinUnitRange()
    {
        var view = new Cifar10DataView(Shared, Cifar10Split.Test);
        using var cursor = view.GetRowCursor(view.Schema);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[Cifar10DataView.FeaturesColumnName]);
        VBuffer<float> features = default;
        float min = float.MaxValue, max = float.MinValue;
        while (cursor.MoveNext())
        {
            getter(ref features);
            foreach (var v in features.DenseValues())
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        Assert.InRange(min, 0f, 1f);
        Assert.InRange(max, 0f, 1f);
        Assert.True(max > 0.9f && min < 0.1f, $"Implausible range [{min}, {max}].");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10)]
    [InlineData(1500, 1500)]
    [InlineData(100_000, 5085)]
    public void MaxRowsLimitsRowCount(int maxRows, long expected)
    {
        var view = new Cifar10DataView(Shared, Cifar10Split.Train, maxRows);
        Assert.Equal(expected, view.GetRowCount());
        Assert.Equal(expected, CountRows(view));
    }

    [Fact]
    public void MaxRowsNegativeThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cifar10DataView(Shared, Cifar10Split.Test, -1));

    [Fact]
    public void CatalogVerbLoadsSplit()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromCifar10(Shared, Cifar10Split.Test, maxRows: 25);
        Assert.Equal(25, view.GetRowCount());
        Assert.Equal(25, CountRows(view));
    }

    [Fact]
    public void CatalogVerbMissingDirectoryNamesItAndSaysHowToGetTheData()
    {
        using var temp = new TempDirectory();
        var missing = temp.Combine("nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => new MLContext().Data.LoadFromCifar10(missing, Cifar10Split.Train));
        Assert.Contains(missing, e.Message);
        Assert.Contains("`mlnetcnn download`", e.Message);
        Assert.Contains("new Cifar10Downloader().DownloadAsync(", e.Message);
    }

    [Fact]
    public void MapKeyToValueGivesClassNames()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromCifar10(Shared, Cifar10Split.Test, maxRows: 20);
        var names = ml.Transforms.Conversion.MapKeyToValue("LabelName", "Label").Fit(view).Transform(view);
        var labels = names.GetColumn<string>("LabelName").ToArray();
        var raw = File.ReadAllBytes(Path.Combine(Shared, "test_batch.bin"));
        var classNames = Cifar10Format.ReadClassNames(Shared);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => classNames[raw[i * 3073]]), labels);
    }

    [Fact]
    public void SyntheticFilesReadBackExactly()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path, recordsPerFile: 2);
        var view = new Cifar10DataView(temp.Path, Cifar10Split.Train);
        var rows = ReadRows(view, Enumerable.Range(0, 10).Select(i => (long)i).ToHashSet());
        Assert.Equal(10, rows.Count);
        for (var i = 0; i < 10; i++)
        {
            var expected = SyntheticCifar10.Record((byte)(i % 10));
            Assert.Equal(expected[0] + 1u, rows[i].Label);
            Assert.Equal(expected.Skip(1).Select(b => b * (1f / 255)), rows[i].Features);
        }
    }

    [Fact]
    public void TruncatedFileErrorNamesFileAndOffset()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path, recordsPerFile: 3);
        var path = Path.Combine(temp.Path, "data_batch_3.bin");
        using (var stream = new FileStream(path, FileMode.Open))
            stream.SetLength(2 * 3073 + 100);

        var e = Assert.Throws<InvalidDataException>(() => new Cifar10DataView(temp.Path, Cifar10Split.Train));
        Assert.Contains("data_batch_3.bin", e.Message);
        Assert.Contains("offset 6146", e.Message);
    }

    [Fact]
    public void EmptyFileErrorNamesFile()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        File.WriteAllBytes(Path.Combine(temp.Path, "test_batch.bin"), []);

        var e = Assert.Throws<InvalidDataException>(() => new Cifar10DataView(temp.Path, Cifar10Split.Test));
        Assert.Contains("test_batch.bin", e.Message);
    }

    [Fact]
    public void BadLabelByteErrorNamesFileAndOffset()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        var path = Path.Combine(temp.Path, "test_batch.bin");
        SyntheticCifar10.WriteBatch(path, [SyntheticCifar10.Record(1), SyntheticCifar10.Record(10), SyntheticCifar10.Record(2)]);

        var e = Assert.Throws<InvalidDataException>(() => new Cifar10DataView(temp.Path, Cifar10Split.Test));
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains("offset 3073", e.Message);
        Assert.Contains("10", e.Message);
    }

    [Fact]
    public void FileShrinkingAfterOpenErrorNamesFileAndOffset()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path, recordsPerFile: 3);
        var view = new Cifar10DataView(temp.Path, Cifar10Split.Test);
        using (var stream = new FileStream(Path.Combine(temp.Path, "test_batch.bin"), FileMode.Open))
            stream.SetLength(3073 + 10);

        var e = Assert.Throws<InvalidDataException>(() => CountRows(view));
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains("offset 3073", e.Message);
    }

    [Fact]
    public void MissingBatchFileFileNotFoundNamesIt()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        var path = Path.Combine(temp.Path, "data_batch_4.bin");
        File.Delete(path);

        var e = Assert.Throws<FileNotFoundException>(() => new Cifar10DataView(temp.Path, Cifar10Split.Train));
        Assert.Equal(path, e.FileName);
        Assert.Contains("data_batch_4.bin", e.Message);
        // The test split does not need the missing file.
        Assert.Equal(3, new Cifar10DataView(temp.Path, Cifar10Split.Test).GetRowCount());
    }

    [Fact]
    public void MissingMetaFileFileNotFoundNamesIt()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        File.Delete(Path.Combine(temp.Path, "batches.meta.txt"));

        var e = Assert.Throws<FileNotFoundException>(() => new Cifar10DataView(temp.Path, Cifar10Split.Test));
        Assert.Contains("batches.meta.txt", e.Message);
    }

    [Fact]
    public void MetaFileWithWrongClassCountIsInvalid()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        SyntheticCifar10.WriteMeta(temp.Path, ["a", "b", "c"]);

        var e = Assert.Throws<InvalidDataException>(() => new Cifar10DataView(temp.Path, Cifar10Split.Test));
        Assert.Contains("batches.meta.txt", e.Message);
        Assert.Contains("got 3", e.Message);
    }

    [Fact]
    public void InactiveColumnGetterThrows()
    {
        var view = new Cifar10DataView(Shared, Cifar10Split.Test, 1);
        using var cursor = view.GetRowCursor([view.Schema[Cifar10DataView.IndexColumnName]]);
        Assert.True(cursor.IsColumnActive(view.Schema[Cifar10DataView.IndexColumnName]));
        Assert.False(cursor.IsColumnActive(view.Schema[Cifar10DataView.FeaturesColumnName]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(view.Schema[Cifar10DataView.FeaturesColumnName]));
    }

    internal static long CountRows(IDataView view)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        long n = 0;
        while (cursor.MoveNext()) n++;
        return n;
    }

    private static byte[] ReadRawRecord(string path, int record)
    {
        using var stream = File.OpenRead(path);
        stream.Position = (long)record * 3073;
        var bytes = new byte[3073];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Dictionary<long, (uint Label, float[] Features, long Index)> ReadRows(Cifar10DataView view, HashSet<long> wanted)
    {
        var result = new Dictionary<long, (uint, float[], long)>();
        using var cursor = view.GetRowCursor(view.Schema);
        var label = cursor.GetGetter<uint>(view.Schema[Cifar10DataView.LabelColumnName]);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema[Cifar10DataView.FeaturesColumnName]);
        var index = cursor.GetGetter<long>(view.Schema[Cifar10DataView.IndexColumnName]);
        uint l = 0;
        long i = 0;
        VBuffer<float> f = default;
        while (cursor.MoveNext())
        {
            if (!wanted.Contains(cursor.Position)) continue;
            label(ref l);
            features(ref f);
            index(ref i);
            result[cursor.Position] = (l, f.DenseValues().ToArray(), i);
        }
        return result;
    }

    [Fact]
    public void IndexOnlyCursorSkipsReadingButKeepsPositionsAcrossFiles()
    {
        var train = new Cifar10DataView(Shared, Cifar10Split.Train);
        var index = train.Schema[Cifar10DataView.IndexColumnName];
        using var cursor = train.GetRowCursor(new[] { index });
        var getIndex = cursor.GetGetter<long>(index);
        long value = 0, rows = 0;
        while (cursor.MoveNext())
        {
            getIndex(ref value);
            Assert.Equal(rows, value);
            Assert.Equal(rows, cursor.Position);
            rows++;
        }
        Assert.Equal(train.RowCount, rows);
    }
}
