using MlNetCnn.Model;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport.Explorer;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Reporting.CnnReport.Sections;

/// <summary>The explorer's embedded data, its top patches and its links from the explanation section, checked without a browser.</summary>
[Collection(CnnReportCollection.Name)]
public sealed class ExplorerSectionTests(CnnReportFixture fixture)
{
    [Fact]
    public void TopPatchesAreEachChannelsStrongestRowsFoundByTheSharedSearch()
    {
        var data = fixture.Data;
        var model = data.Model;
        var top = Assert.IsAssignableFrom<IReadOnlyList<IReadOnlyList<ChannelTopPatches>>>(ExplorerSection.TopPatches(data));
        var layer = model.ConvLayers[1];
        var candidates = StrongestUnits.InsideUnits(model.Architecture, layer);
        // Independent: score every test row with the model and rank (value desc, row asc), as the experiment does.
        var pixels = DataViewColumns.ReadFloats(fixture.Test, "Features");
        var area = layer.OutHeight * layer.OutWidth;
        var best = pixels.Select(p =>
        {
            var maps = model.GetFeatureMaps(p, layer.Name);
            var flat = new float[layer.MapLength];
            Buffer.BlockCopy(maps, 0, flat, 0, flat.Length * sizeof(float));
            return Enumerable.Range(0, layer.OutChannels).Select(ch => StrongestUnits.Strongest(flat.AsSpan(ch * area, area), candidates)).ToArray();
        }).ToArray();
        for (var ch = 0; ch < layer.OutChannels; ch++)
        {
            var expected = Enumerable.Range(0, pixels.Length).OrderByDescending(i => best[i][ch].Value).ThenBy(i => i).Take(9).ToArray();
            var channel = top[1][ch];
            Assert.Equal(expected.Length, channel.Rows.Length);
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.Equal(best[expected[j]][ch].Value, channel.Values[j], 4);
                // Batched (report) and single-image inference may differ in the last bits: rows must agree unless a neighbour is that close.
                var v = best[expected[j]][ch].Value;
                var isolated = Enumerable.Range(0, pixels.Length).All(i => i == expected[j] || Math.Abs(best[i][ch].Value - v) > 1e-5);
                if (isolated) Assert.Equal(expected[j], channel.Rows[j]);
                var side = StrongestUnits.CropSide(model.Architecture, layer.Index);
                Assert.Equal(model.Architecture.InputChannels * side * side, channel.Crops[j].Length);
            }
        }
    }

    [Fact]
    public void ExplanationLinksEachImageToItsExplorerViewOnlyWhenThePageHasTheExplorer()
    {
        var with = new ReportDocument("t");
        new ExplorerSection().AddTo(with, fixture.Data);
        new ExplanationSection { Methods = ["saliency"] }.AddTo(with, fixture.Data);
        var html = with.ToHtml();
        for (var i = 1; i <= fixture.Data.Samples.Count; i++)
            Assert.Contains($"<a href=\"#explorer-image-{i}\">", html, StringComparison.Ordinal);
        Assert.Contains("id=\"explorer\"", html, StringComparison.Ordinal);

        var without = new ReportDocument("t");
        new ExplanationSection { Methods = ["saliency"] }.AddTo(without, fixture.Data);
        Assert.DoesNotContain("#explorer-image-", without.ToHtml(), StringComparison.Ordinal);
    }
}
