using System.Text.Json;
using MlNetCnn.Reporting.Blocks;

namespace MlNetCnn.Tests.Reporting.Blocks;

public sealed class BlockValidationTests
{
    [Fact]
    public void ImageLengthMustBeThreePlanes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ImageStrip().Add(new float[3 * 32 * 32 - 1], 32, 32, "x"));
        Assert.Equal("rgb", ex.ParamName);
        Assert.Contains("3072", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3071", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagePixelsArePlanarRgbScaledToBytes()
    {
        // 1×2 image: pixel 0 red, pixel 1 half-grey; out-of-range and NaN are clamped.
        float[] rgb = [1f, 0.5f, 0f, 0.5f, 0f, float.NaN];
        var strip = new ImageStrip().AddPrediction(rgb, 1, 2, "cat", "dog");
        using var fig = JsonDocument.Parse(strip.ToFigureJson());
        var trace = fig.RootElement.GetProperty("data")[0];
        var z = trace.GetProperty("z");

        Assert.Equal("image", trace.GetProperty("type").GetString());
        Assert.Equal([255, 0, 0], z[0][0].EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([128, 128, 0], z[0][1].EnumerateArray().Select(v => v.GetInt32()));
        var title = fig.RootElement.GetProperty("layout").GetProperty("annotations")[0].GetProperty("text").GetString()!;
        Assert.Contains("true: cat<br>pred: dog", title, StringComparison.Ordinal);
        Assert.Contains("#cf222e", title, StringComparison.Ordinal); // wrong prediction shown in red
    }

    [Fact]
    public void LineSeriesNeedsAsManyXAsY()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LineChart().AddSeries("loss", "train", [1, 2, 3], [1, 2]));
        Assert.Contains("3 x values but 2 y values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineChartKeepsSeriesColourAcrossPanelsAndListsItOnce()
    {
        var chart = new LineChart()
            .AddSeries("loss", "train", [1, 2], [2, double.NaN])
            .AddSeries("accuracy", "train", [1, 2], [0.1, 0.2]);
        using var fig = JsonDocument.Parse(chart.ToFigureJson());
        var data = fig.RootElement.GetProperty("data");

        Assert.Equal(data[0].GetProperty("line").GetProperty("color").GetString(), data[1].GetProperty("line").GetProperty("color").GetString());
        Assert.True(data[0].GetProperty("showlegend").GetBoolean());
        Assert.False(data[1].GetProperty("showlegend").GetBoolean());
        Assert.Equal("x2", data[1].GetProperty("xaxis").GetString());
        Assert.Equal(JsonValueKind.Null, data[0].GetProperty("y")[1].ValueKind);
    }

    [Fact]
    public void BarSeriesNeedsOneValuePerCategory()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BarChart(["a", "b"]).AddSeries("s", [1.0]));
        Assert.Contains("1 values but there are 2 categories", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfusionMatrixMustBeSquareAndNamed()
    {
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new int[2, 3], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new int[2, 2], ["a"]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[,] { { 1, -1 }, { 0, 0 } }, ["a", "b"]));
    }

    [Fact]
    public void ConfusionMatrixRowsAreActualWithCountsAsCellText()
    {
        var cm = new ConfusionMatrix(new[,] { { 3, 1 }, { 0, 2 } }, ["cat", "dog"]);
        using var fig = JsonDocument.Parse(cm.ToFigureJson());
        var trace = fig.RootElement.GetProperty("data")[0];
        var layout = fig.RootElement.GetProperty("layout");

        Assert.Equal("1", trace.GetProperty("text")[0][1].GetString());  // actual cat, predicted dog
        Assert.Equal(0.75, trace.GetProperty("z")[0][0].GetDouble());    // share of the actual-cat row
        Assert.Equal("actual", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("reversed", layout.GetProperty("yaxis").GetProperty("autorange").GetString());
    }

    [Fact]
    public void TableRowsMustMatchTheHeader()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Table(["a", "b"]).AddRow("only"));
        Assert.Contains("1 cells but the table has 2 columns", ex.Message, StringComparison.Ordinal);
    }
}
