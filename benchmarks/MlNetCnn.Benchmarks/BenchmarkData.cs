using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data;
using MlNetCnn.Model;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Benchmarks;

/// <summary>Loads benchmark inputs; kept apart from Program so the timed code reads plainly.</summary>
internal static class BenchmarkData
{
    public static string FindCifarDirectory() =>
        Cifar10Locator.Find()?.Directory
        ?? throw new DirectoryNotFoundException("No CIFAR-10 data: pass a directory holding data_batch_*.bin and test_batch.bin.");

    public static InMemoryImageSet Load(IDataView view)
    {
        var features = new List<float>();
        var labels = new List<long>();
        using var cursor = view.GetRowCursor(view.Schema);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(view.Schema[Cifar10DataView.FeaturesColumnName]);
        var getLabel = cursor.GetGetter<uint>(view.Schema[Cifar10DataView.LabelColumnName]);
        VBuffer<float> row = default;
        uint label = 0;
        while (cursor.MoveNext())
        {
            getFeatures(ref row);
            getLabel(ref label);
            features.AddRange(row.DenseValues());
            labels.Add(label - 1);
        }
        return new InMemoryImageSet(features.ToArray(), labels.ToArray(), 3, 32, 32);
    }

    public static InMemoryImageSet Slice(InMemoryImageSet set, int count) =>
        new(set.Features.narrow(0, 0, count).contiguous().data<float>().ToArray(), set.Labels.Take(count).ToArray(), 3, 32, 32);

    public static SimpleCnnTransformer AsTransformer(TrainedCnn model) =>
        new(model, Cifar10DataView.FeaturesColumnName, "Score", "PredictedLabel", TrainingDefaults.InferenceBatchSize);
}
