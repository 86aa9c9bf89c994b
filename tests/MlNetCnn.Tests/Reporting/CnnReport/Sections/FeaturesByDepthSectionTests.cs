using System.Globalization;
using MlNetCnn.FeatureVisualization;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport.Sections;

/// <summary>The "features by depth" section and the optimized picture beside each channel's top crops in the explorer.</summary>
[Collection(CnnReportCollection.Name)]
public sealed class FeaturesByDepthSectionTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void OneRowPerLayerWithEachChannelsPictureCutToItsFieldAndItsActivation()
    {
        var report = new ReportDocument("t");
        new FeaturesByDepthSection().AddTo(report, fixture.Data);
        var section = Assert.Single(report.Parts);
        var model = fixture.Classifier.Model;
        Assert.Equal(model.ConvLayers.Count, section.Blocks.Count);
        foreach (var (layer, block) in model.ConvLayers.Zip(section.Blocks))
        {
            var strip = Assert.IsType<ImageStrip>(block);
            var expected = new FeatureVisualizer().Visualize(model, layer.Name); // the section's pictures are the library's defaults
            Assert.Equal(layer.OutChannels, strip.Images.Count);
            for (var ch = 0; ch < layer.OutChannels; ch++)
            {
                Assert.Equal(expected.Crop(ch), strip.Images[ch].Rgb);
                Assert.Equal((expected.CropSide, expected.CropSide), (strip.Images[ch].Height, strip.Images[ch].Width));
                Assert.EndsWith(expected.Channels[ch].Activation.ToString("F2", CultureInfo.InvariantCulture), strip.Images[ch].Caption, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Under a layer's pictures, the section names the channels that never fire on the test images: exactly the library's dead channels.</summary>
    [Fact]
    public void PicturesOfChannelsDeadOnTheTestImagesAreSaidToNeverFire()
    {
        using var temp = new TempDirectory();
        using var model = Conv1KernelEdit.DeadChannel(fixture.Classifier.Model, temp, channel: 1, bias: -1f);
        var data = CnnReportGenerator.Measure(fixture.Ml, model, fixture.Test);
        var report = new ReportDocument("t");
        new FeaturesByDepthSection().AddTo(report, data);
        var dead = ExplorerReadingTests.DeadChannels(model, fixture.Test);
        Assert.Contains("conv1 ch 1", dead);
        foreach (var (layer, block) in model.ConvLayers.Zip(Assert.Single(report.Parts).Blocks))
        {
            var caption = Assert.IsType<ImageStrip>(block).Caption;
            output.WriteLine($"{layer.Name}: {caption}");
            var expected = dead.Where(d => d.StartsWith(layer.Name + " ", StringComparison.Ordinal)).ToList();
            if (expected.Count == 0) { Assert.Null(caption); continue; }
            Assert.StartsWith($"Dead on the test images: {string.Join(", ", expected)} never fire", caption, StringComparison.Ordinal);
            Assert.Contains($"every one of the {CnnReportFixture.TestRows} test images", caption, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LeftOutWhenTheOptionSaysSo()
    {
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { IncludeFeatureVisualization = false });
        var report = new ReportDocument("t");
        new FeaturesByDepthSection().AddTo(report, data);
        Assert.Empty(report.Parts);
        Assert.Contains(CnnReportGenerator.DefaultSections(), s => s is FeaturesByDepthSection);
    }

    [BrowserFact]
    public void ThePageShowsOnePicturePerChannelAndTheExplorerShowsItBesideTheCrops()
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, "features-by-depth.html");
        var options = new CnnReportOptions { Sections = [new FeaturesByDepthSection(), new ExplorerSection()] };
        var report = CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier, fixture.Test, options, overwrite: true);
        var model = fixture.Classifier.Model;
        var section = report.Parts.Single(s => s.Title == new FeaturesByDepthSection().Title);

        using var browser = new HeadlessChromium();
        browser.Open(path, report.ChartCount, TimeSpan.FromSeconds(120));
        var strips = browser.Driver.FindElements(By.CssSelector($"section#{section.Id} div.{ChartBlock.ChartCssClass}[data-kind=image-strip]"));
        Assert.Equal(model.ConvLayers.Count, strips.Count);
        foreach (var (layer, strip) in model.ConvLayers.Zip(strips))
            Assert.Equal(layer.OutChannels, strip.FindElements(By.CssSelector("g.imagelayer image")).Count);

        var js = (IJavaScriptExecutor)browser.Driver;
        foreach (var layer in model.ConvLayers)
        {
            var expected = fixture.Data.FeaturePictures(layer.Name);
            var ch = layer.OutChannels - 1;
            js.ExecuteScript($"window.mlnetcnnExplorer.select({layer.Index}, {ch}, 0, 0);");
            var caption = browser.WaitForText($"var f = document.querySelector('.explorer-feature[data-channel=\"{ch}\"] figcaption'); return f ? f.textContent : '';");
            Assert.Equal($"optimized picture: {expected.Channels[ch].Activation.ToString("F3", CultureInfo.InvariantCulture)}", caption);
        }

        var errors = browser.PageErrors();
        Assert.True(errors.Count == 0, "page errors:\n" + string.Join("\n", errors));
        browser.SaveFullPageScreenshot(Path.ChangeExtension(path, ".png"));
        output.WriteLine($"screenshot: {Path.ChangeExtension(path, ".png")}");
    }
}
