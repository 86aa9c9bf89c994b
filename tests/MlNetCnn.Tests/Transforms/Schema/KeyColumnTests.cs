using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.Schema;

namespace MlNetCnn.Tests.Transforms.Schema;

/// <summary>A label key stored as a byte (not MapValueToKey's uint) is read alike wherever a key column is read.</summary>
public class KeyColumnTests
{
    private sealed class ByteKeyedImage
    {
        [VectorType(3, 8, 8)]
        public float[] Features { get; set; } = new float[3 * 8 * 8];

        /// <summary>0-based in the class; LoadFromEnumerable stores it as key value + 1.</summary>
        [KeyType(2)]
        public byte Label { get; set; }
    }

    private sealed class Explained
    {
        public float[] Attribution { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void AByteKeyLabelTrainsAndIsExplainedInBatchesAndThroughPredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 8)
            .Select(i => new ByteKeyedImage { Label = (byte)(i % 2), Features = Enumerable.Repeat(i % 2 * 0.5f, 3 * 8 * 8).ToArray() })
            .ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        Assert.Equal(typeof(byte), ((KeyDataViewType)data.Schema["Label"].Type).RawType);

        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfThreads = 1 }).Fit(data);
        var explain = ml.Transforms.Attribute(model, method: "saliency", target: AttributionTarget.Label).Fit(data);

        Assert.Equal(8, DataViewColumns.ReadFloats(explain.Transform(data), "Attribution").Length);
        var engine = ml.Model.CreatePredictionEngine<ByteKeyedImage, Explained>(explain);
        Assert.Equal(3 * 8 * 8, engine.Predict(rows[1]).Attribution.Length);
    }

    [Fact]
    public void AKeyBeyondUInt32SaturatesInsteadOfWrappingToAValidKey()
    {
        Assert.Equal(2u, KeyColumn.ToUInt32(2));
        Assert.Equal(uint.MaxValue, KeyColumn.ToUInt32((ulong)uint.MaxValue + 2));
    }
}
