using System.Globalization;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>Drives the report's explorer in headless Chromium: real pointer clicks and key presses, then reads the panel.</summary>
internal sealed class ExplorerPage(HeadlessChromium browser)
{
    public IWebDriver Driver => browser.Driver;

    /// <summary>Opens the page with the network emulated offline and waits until the explorer says it is ready.</summary>
    public void OpenOffline(string htmlPath, int charts)
    {
        browser.Driver.ExecuteCdpCommand("Network.enable", []);
        browser.Driver.ExecuteCdpCommand("Network.emulateNetworkConditions", new Dictionary<string, object?>
        {
            ["offline"] = true,
            ["latency"] = 0,
            ["downloadThroughput"] = 0,
            ["uploadThroughput"] = 0,
        });
        browser.Open(htmlPath, charts, TimeSpan.FromSeconds(150));
        new WebDriverWait(Driver, TimeSpan.FromSeconds(60)).Until(_ => Attribute("#explorer", "data-ready") == "true");
    }

    /// <summary>Every resource the page fetched (performance entries); the explorer page must fetch none.</summary>
    public IReadOnlyList<string> ResourceRequests() =>
        [.. (browser.Js.ExecuteScript("return performance.getEntriesByType('resource').map(e => e.name);") as IEnumerable<object> ?? []).Select(o => $"{o}")];

    public double ReadyMilliseconds() =>
        Convert.ToDouble(browser.Js.ExecuteScript("return performance.getEntriesByName('mlnetcnn-explorer-ready')[0].startTime;"), CultureInfo.InvariantCulture);

    public string? Attribute(string selector, string name) =>
        browser.Js.ExecuteScript("var e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", selector, name) as string;

    public void ChooseImage(int index) => Click(Driver.FindElement(By.Id($"explorer-image-{index + 1}")), 0, 0);

    public IWebElement MapCanvas(int layer, int channel) =>
        Driver.FindElement(By.CssSelector($".explorer-maps canvas[data-layer='{layer}'][data-channel='{channel}']"));

    /// <summary>A real pointer click at the centre of unit (row, col) of one channel's map.</summary>
    public void ClickUnit(ConvLayerShape layer, int channel, int row, int col)
    {
        var canvas = MapCanvas(layer.Index, channel);
        Scroll(canvas);
        var width = Convert.ToDouble(browser.Js.ExecuteScript("return arguments[0].clientWidth;", canvas), CultureInfo.InvariantCulture);
        var height = Convert.ToDouble(browser.Js.ExecuteScript("return arguments[0].clientHeight;", canvas), CultureInfo.InvariantCulture);
        var (sx, sy) = (width / layer.OutWidth, height / layer.OutHeight);
        // Selenium 4 offsets are from the element's centre.
        new Actions(Driver).MoveToElement(canvas, (int)Math.Floor((col + 0.5) * sx - width / 2), (int)Math.Floor((row + 0.5) * sy - height / 2)).Click().Perform();
    }

    public void Click(IWebElement element, int x, int y)
    {
        Scroll(element);
        new Actions(Driver).MoveToElement(element, x, y).Click().Perform();
    }

    public void Scroll(IWebElement element) => browser.Js.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", element);

    /// <summary>The unit the panel shows: layer name, channel, row, column, image.</summary>
    public (string Layer, int Channel, int Row, int Col, int Image) PanelUnit() =>
        (Attribute("#explorer-panel", "data-layer")!, Int("data-channel"), Int("data-row"), Int("data-col"), Int("data-image"));

    /// <summary>A number as the panel displays it (data-role = sum, bias, pre, value, map-value).</summary>
    public double Shown(string role) =>
        double.Parse(Driver.FindElement(By.CssSelector($"#explorer-panel [data-role='{role}']")).Text, CultureInfo.InvariantCulture);

    public string Summary() => Driver.FindElement(By.CssSelector("#explorer-panel [data-role=summary]")).Text;

    /// <summary>The receptive field the page states for the chosen unit: r0, r1, c0, c1 (unclipped).</summary>
    public int[] StatedField() => [.. Attribute("#explorer-input", "data-rf")!.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

    /// <summary>
    /// The image rows and columns covered by the outline as DRAWN: the bounding box of the pure-magenta pixels of the
    /// input canvas, divided by the canvas's scale. Null when nothing is drawn.
    /// </summary>
    public int[]? DrawnField(int imageHeight)
    {
        var box = browser.Js.ExecuteScript("""
            const c = document.getElementById('explorer-input'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let x0 = 1e9, y0 = 1e9, x1 = -1, y1 = -1;
            for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
              const o = (y * c.width + x) * 4;
              if (d[o] === 255 && d[o + 1] === 0 && d[o + 2] === 255) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
            }
            return x1 < 0 ? null : [y0, y1, x0, x1, c.height];
            """) as IEnumerable<object>;
        if (box is null) return null;
        var v = box.Select(o => Convert.ToInt32(o, CultureInfo.InvariantCulture)).ToArray();
        var scale = v[4] / imageHeight;
        return [v[0] / scale, v[1] / scale, v[2] / scale, v[3] / scale];
    }

    /// <summary>How many times the page has run the network so far (data-recomputed).</summary>
    public int Recomputed() => int.Parse(Attribute("#explorer", "data-recomputed") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Chooses a file through the page's file input (as a reader's file dialog does) and waits until the page has run the network on it.</summary>
    public void LoadFile(string path)
    {
        var before = Recomputed();
        Driver.FindElement(By.Id("explorer-file")).SendKeys(path);
        new WebDriverWait(Driver, TimeSpan.FromSeconds(30)).Until(_ => Attribute("#explorer", "data-file-loaded") == Path.GetFileName(path) && Recomputed() > before);
    }

    /// <summary>The page's current post-ReLU maps of conv layer <paramref name="layer"/> (C×H×W).</summary>
    public double[] Maps(int layer) => Numbers("return window.mlnetcnnExplorer.maps(arguments[0]);", layer);

    /// <summary>The page's current class probabilities.</summary>
    public double[] Probabilities() => Numbers("return window.mlnetcnnExplorer.probabilities();");

    /// <summary>The picture the page is running the network on (planar C×H×W, [0, 1]).</summary>
    public double[] Pixels() => Numbers("return window.mlnetcnnExplorer.pixels();");

    /// <summary>The probabilities as the page lists them (data-p of each class's row).</summary>
    public double[] ShownProbabilities(int classes) =>
        [.. Enumerable.Range(0, classes).Select(c => double.Parse(Attribute($"#explorer-prediction li[data-class='{c}']", "data-p")!, CultureInfo.InvariantCulture))];

    private double[] Numbers(string script, params object[] args) =>
        [.. ((IEnumerable<object>)browser.Js.ExecuteScript(script, args)!).Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture))];

    private int Int(string attribute) => int.Parse(Attribute("#explorer-panel", attribute)!, CultureInfo.InvariantCulture);
}
