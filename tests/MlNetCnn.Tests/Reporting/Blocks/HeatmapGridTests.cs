using System.Text.Json;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;

namespace MlNetCnn.Tests.Reporting.Blocks;

public sealed class HeatmapGridTests
{
    // Channel 0 spans [0, 1], channel 1 spans [-3, 10]: a per-map scale would hide that difference.
    private static float[] TwoChannels() =>
    [
        0f, 0.5f, 0.25f, 1f,
        -3f, 10f, 2f, float.NaN,
    ];

    [Fact]
    public void AllMapsShareOneColourRange()
    {
        var grid = new HeatmapGrid(TwoChannels(), 2, 2, 2);
        using var fig = JsonDocument.Parse(grid.ToFigureJson());
        var data = fig.RootElement.GetProperty("data");
        var coloraxis = fig.RootElement.GetProperty("layout").GetProperty("coloraxis");

        Assert.Equal(2, data.GetArrayLength());
        foreach (var trace in data.EnumerateArray())
        {
            Assert.Equal("heatmap", trace.GetProperty("type").GetString());
            Assert.Equal("coloraxis", trace.GetProperty("coloraxis").GetString());
            Assert.False(trace.TryGetProperty("zmin", out _), "a per-trace zmin would override the shared scale");
        }

        Assert.Equal(-3.0, coloraxis.GetProperty("cmin").GetDouble());
        Assert.Equal(10.0, coloraxis.GetProperty("cmax").GetDouble());
        Assert.Equal(new ColorRange(-3, 10), grid.EffectiveRange);
    }

    [Theory]
    [InlineData(12, 12, 63)]    // conv2 of the seed in one strip: maps 63 px high, a bar of 0.9 × that would be 57 px
    [InlineData(6, 3, 150)]     // two rows of large maps: the bar follows the maps
    public void TheColourBarIsLongEnoughForItsLabelsAndFitsInTheFigure(int channels, int columns, int cell)
    {
        var grid = new HeatmapGrid(new float[channels * 16 * 16], channels, 16, 16) { Columns = columns, CellSize = cell };
        using var fig = JsonDocument.Parse(grid.ToFigureJson());
        var layout = fig.RootElement.GetProperty("layout");
        var bar = layout.GetProperty("coloraxis").GetProperty("colorbar");
        var margin = layout.GetProperty("margin");
        var (top, bottom) = (margin.GetProperty("t").GetDouble(), margin.GetProperty("b").GetDouble());
        var plotHeight = layout.GetProperty("height").GetDouble() - top - bottom;

        Assert.Equal("pixels", bar.GetProperty("lenmode").GetString());
        var length = bar.GetProperty("len").GetDouble();
        Assert.True(length >= HeatmapGrid.MinColorBarPixels, $"bar {length} px");
        Assert.True(length >= 0.9 * plotHeight - 1, $"bar {length} px beside maps {plotHeight} px high");
        // Centred on the plot area (y = 0.5, anchored in the middle): its overhang must fit in the top and bottom margins.
        Assert.Equal(0.5, bar.GetProperty("y").GetDouble());
        Assert.Equal("middle", bar.GetProperty("yanchor").GetString());
        var overhang = (length - plotHeight) / 2;
        Assert.True(top >= overhang && bottom >= overhang, $"bar {length} px over maps {plotHeight} px with margins {top}/{bottom}");
    }

    [Fact]
    public void DivergingRangeIsSymmetricAroundZero()
    {
        var grid = new HeatmapGrid(TwoChannels(), 2, 2, 2) { Diverging = true };
        Assert.Equal(new ColorRange(-10, 10), grid.EffectiveRange);
    }

    [Fact]
    public void FixedRangeOverridesTheDataRange()
    {
        var grid = new HeatmapGrid(TwoChannels(), 2, 2, 2) { Range = new ColorRange(-1, 1) };
        using var fig = JsonDocument.Parse(grid.ToFigureJson());
        Assert.Equal(1.0, fig.RootElement.GetProperty("layout").GetProperty("coloraxis").GetProperty("cmax").GetDouble());
    }

    [Fact]
    public void MapsAreLaidOutLikeImagesWithTitlesAndHover()
    {
        var grid = new HeatmapGrid(TwoChannels(), 2, 2, 2);
        using var fig = JsonDocument.Parse(grid.ToFigureJson());
        var layout = fig.RootElement.GetProperty("layout");
        var data = fig.RootElement.GetProperty("data");

        Assert.Equal("reversed", layout.GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("x2", layout.GetProperty("yaxis2").GetProperty("scaleanchor").GetString());
        Assert.Equal(["ch 0", "ch 1"], layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()));

        // Row-major CHW: channel 1, row 0 is [-3, 10]; NaN becomes a gap (null), not invalid JSON.
        var z1 = data[1].GetProperty("z");
        Assert.Equal(-3.0, z1[0][0].GetDouble());
        Assert.Equal(10.0, z1[0][1].GetDouble());
        Assert.Equal(JsonValueKind.Null, z1[1][1].ValueKind);

        var hover = data[1].GetProperty("hovertemplate").GetString()!;
        Assert.Contains("ch 1", hover, StringComparison.Ordinal);
        Assert.Contains("row %{y}", hover, StringComparison.Ordinal);
        Assert.Contains("col %{x}", hover, StringComparison.Ordinal);
        Assert.Contains("%{z", hover, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongLengthNamesExpectedAndActual()
    {
        var ex = Assert.Throws<ArgumentException>(() => new HeatmapGrid(new float[149], 6, 5, 5));
        Assert.Equal("values", ex.ParamName);
        Assert.Contains("150", ex.Message, StringComparison.Ordinal);
        Assert.Contains("149", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelLabelCountMustMatch()
    {
        Assert.Throws<ArgumentException>(() => new HeatmapGrid(new float[8], 2, 2, 2) { ChannelLabels = ["only one"] });
    }

    [Theory]
    [InlineData(0, 2, 2)]
    [InlineData(2, 0, 2)]
    [InlineData(2, 2, -1)]
    public void NonPositiveDimensionsAreRejected(int c, int h, int w)
    {
        Assert.ThrowsAny<ArgumentException>(() => new HeatmapGrid([], c, h, w));
    }
}
