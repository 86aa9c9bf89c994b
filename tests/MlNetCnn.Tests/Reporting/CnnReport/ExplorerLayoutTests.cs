using System.Globalization;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// How the explorer reads at real window sizes (issue 26 leftovers, found by a page reviewer): the computation panel fits
/// its column at 1280 px, the pooled inputs' rows line up with the kernel's, the "yours" button stays away until a file
/// is loaded, a revived dead channel stops being called dead, a trace through a pooling tie is flagged in the trail.
/// Everything is read from what the reader sees: computed style, bounding boxes and text.
/// </summary>
[Collection(CnnReportCollection.Name)]
public sealed class ExplorerLayoutTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public void AtTwelveEightyThePanelFitsAndEachPooledRowLinesUpWithTheKernelRow()
    {
        using var temp = new TempDirectory();
        var model = fixture.Classifier.Model;
        var a = model.Architecture;
        var png = temp.Combine("mine.png");
        ImageFolderWriter.WriteImage(png, ImageFolderWriter.Pattern("checker", a.InputHeight, a.InputWidth, 3, new Random(5)), a.InputHeight, a.InputWidth, grayscale: false);
        using var browser = new HeadlessChromium();
        SetViewport(browser, 1280, 800);
        var page = LivePageBrowserTests.Open(browser, LivePageBrowserTests.ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "layout"));
        var js = browser.Js;

        // The "yours" button is not displayed until a file is chosen, then it is.
        Assert.Equal("none", js.ExecuteScript("return getComputedStyle(document.getElementById('explorer-image-own')).display;"));
        Assert.Equal(0L, Convert.ToInt64(js.ExecuteScript("return Math.round(document.getElementById('explorer-image-own').getBoundingClientRect().width);"), CultureInfo.InvariantCulture));

        page.ClickUnit(model.ConvLayers[1], 1, 6, 6);
        // Nothing of the side column overflows it (no horizontal scroll) or the window.
        var fit = ((IEnumerable<object>)js.ExecuteScript("""
            const s = document.querySelector('.explorer-side');
            const right = Math.max(...Array.from(s.querySelectorAll('*')).map(e => e.getBoundingClientRect().right));
            return [s.scrollWidth, s.clientWidth, right, window.innerWidth, document.documentElement.scrollWidth];
            """)!).Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture)).ToArray();
        output.WriteLine($"side scrollWidth {fit[0]}, clientWidth {fit[1]}, rightmost element {fit[2]:F1}, window {fit[3]}, page scrollWidth {fit[4]}");
        Assert.Equal(1280, fit[3]);
        Assert.True(fit[0] <= fit[1], $"the side column scrolls sideways: {fit[0]} > {fit[1]}");
        Assert.True(fit[2] <= fit[3], $"an element of the side column ends at {fit[2]:F1} px, beyond the {fit[3]} px window");
        Assert.True(fit[4] <= fit[3], $"the page scrolls sideways: {fit[4]} > {fit[3]}");

        // Row i of every input channel's pooled patch and row i of its kernel share a top (within 2 px).
        var tops = ((IEnumerable<object>)js.ExecuteScript("""
            return Array.from(document.querySelectorAll('#explorer-panel .explorer-term')).flatMap(t => {
              const rows = role => Array.from(t.querySelectorAll('table[data-role=' + role + '] tr')).map(r => r.getBoundingClientRect().top);
              const i = rows('input'), k = rows('kernel');
              return i.map((top, r) => Math.abs(top - k[r]));
            });
            """)!).Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(model.ConvLayers[0].OutChannels * a.KernelSize, tops.Count);
        Assert.All(tops, d => Assert.True(d <= 2, $"an input row and its kernel row are {d:F1} px apart"));

        // The bias box starts at the float32 bias in its shortest digits (not the float64 digits of a float32: a
        // reader saw "0.30000001192092896"), and shows a value like -0.123456 whole.
        var bias = page.Driver.FindElement(By.Id("explorer-bias"));
        var shown = bias.GetAttribute("value")!;
        Assert.True(shown.TrimStart('-').Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length <= 9, $"the bias box starts at {shown}");
        js.ExecuteScript("arguments[0].value = '-0.123456';", bias);
        var (scroll, client) = (Convert.ToInt32(js.ExecuteScript("return arguments[0].scrollWidth;", bias), CultureInfo.InvariantCulture), Convert.ToInt32(js.ExecuteScript("return arguments[0].clientWidth;", bias), CultureInfo.InvariantCulture));
        Assert.True(scroll <= client, $"the bias box cuts -0.123456: text {scroll} px in a {client} px box");

        page.LoadFile(png);
        Assert.Equal("flex", js.ExecuteScript("return getComputedStyle(document.getElementById('explorer-image-own')).display;"));
        Assert.Empty(browser.PageErrors());
    }

    [BrowserFact]
    public void ARevivedDeadChannelIsNoLongerCalledDeadAndATraceThroughATieIsFlaggedInTheTrail()
    {
        const int killed = 2;
        var trained = fixture.Classifier.Model;
        using var temp = new TempDirectory();
        // conv1 channel 2 dead through the API: zero kernel and zero bias (0 everywhere), written to a .pth and loaded.
        using var model = Conv1KernelEdit.DeadChannel(trained, temp, killed, bias: 0f);
        using var browser = new HeadlessChromium();
        var page = LivePageBrowserTests.Open(browser, LivePageBrowserTests.ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "revive"));
        var (conv1, conv2) = (model.ConvLayers[0], model.ConvLayers[1]);
        string Label() => page.Driver.FindElement(By.XPath($"//canvas[@data-layer='0'][@data-channel='{killed}']/following-sibling::span")).Text;
        Assert.Equal($"ch {killed} · dead", Label());

        // A trace through a pooled value of the dead channel: every window is all 0, a tie; the trail says so.
        page.ClickUnit(conv2, 0, 6, 6);
        var tie = page.Driver.FindElement(By.CssSelector($"#explorer-panel div[data-in-channel='{killed}'] button.trace[data-tie='true']"));
        page.Click(tie, 0, 0);
        var trail = page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=trail]")).Text;
        output.WriteLine(trail);
        Assert.Matches(@$"Path: conv2 ch 0 \(6,6\) → conv1 ch {killed} \(\d+,\d+\) \[tie: no unit won, the first of the window\] → pixels", trail);
        page.Click(page.Driver.FindElement(By.Id("explorer-back")), 0, 0);
        Assert.DoesNotContain("tie", page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=trail]")).Text, StringComparison.Ordinal);

        // Bias edited to +0.25: the channel is 0.25 everywhere, its label stops calling it dead.
        page.ClickUnit(conv1, killed, 4, 4);
        var bias = page.Driver.FindElement(By.Id("explorer-bias"));
        bias.Clear();
        bias.SendKeys("0.25" + Keys.Enter);
        Assert.Equal(0.25, page.Maps(0).Skip(killed * conv1.OutHeight * conv1.OutWidth).Take(conv1.OutHeight * conv1.OutWidth).Max(), 6);
        Assert.Equal($"ch {killed} · fires now", Label());
        Assert.Equal("true", page.Attribute($".explorer-maps canvas[data-layer='0'][data-channel='{killed}']", "data-fires"));
        Assert.Contains("Dead with the trained weights", page.Driver.FindElement(By.XPath($"//canvas[@data-layer='0'][@data-channel='{killed}']/..")).GetAttribute("title"), StringComparison.Ordinal);

        // Reset: dead again.
        page.Click(page.Driver.FindElement(By.Id("explorer-reset-all")), 0, 0);
        Assert.Equal($"ch {killed} · dead", Label());
        Assert.Empty(browser.PageErrors());
    }

    /// <summary>A real viewport of <paramref name="width"/>×<paramref name="height"/> CSS px (window.innerWidth is exactly the width).</summary>
    internal static void SetViewport(HeadlessChromium browser, int width, int height) =>
        browser.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = false,
        });
}
