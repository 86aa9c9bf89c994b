using Microsoft.ML.Data;
using MlNetCnn.Data;
using MlNetCnn.Reporting.CnnReport;

namespace MlNetCnn.Tests.Reporting.CnnReport;

[Collection(CnnReportCollection.Name)]
public sealed class FeatureMapColumnsForReportTests(CnnReportFixture fixture)
{
    [Fact]
    public void Adds_one_CHW_column_per_layer_holding_Infer_output_and_keeps_input_columns()
    {
        var model = fixture.Classifier.Model;
        var view = FeatureMapColumnsForReport.Append(fixture.Ml, model, fixture.Test, "Features", ["conv1", "conv2"]);

        Assert.NotNull(view.Schema.GetColumnOrNull(Cifar10DataView.LabelColumnName));
        Assert.NotNull(view.Schema.GetColumnOrNull(Cifar10DataView.IndexColumnName));
        var conv1 = (VectorDataViewType)view.Schema["conv1"].Type;
        var conv2 = (VectorDataViewType)view.Schema["conv2"].Type;
        Assert.Equal(NumberDataViewType.Single, conv1.ItemType);
        Assert.Equal([6, 32, 32], conv1.Dimensions.ToArray());
        Assert.Equal([12, 16, 16], conv2.Dimensions.ToArray());

        using var cursor = view.GetRowCursor(view.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        var maps = new[] { cursor.GetGetter<VBuffer<float>>(view.Schema["conv1"]), cursor.GetGetter<VBuffer<float>>(view.Schema["conv2"]) };
        VBuffer<float> image = default, map = default;
        for (var row = 0; row < 3 && cursor.MoveNext(); row++)
        {
            features(ref image);
            var expected = new[] { new float[6 * 32 * 32], new float[12 * 16 * 16] };
            model.Infer(image.DenseValues().ToArray(), 1, null, [0, 1], expected);
            for (var l = 0; l < 2; l++)
            {
                maps[l](ref map);
                Assert.Equal(expected[l], map.DenseValues().ToArray());
            }
        }
    }
}
