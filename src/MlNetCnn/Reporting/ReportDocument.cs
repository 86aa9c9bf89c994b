using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting;

/// <summary>
/// A self-contained HTML report: title, table of contents, and sections of charts, images, tables
/// and prose. The page embeds plotly.js once and needs no network to render.
/// </summary>
/// <example>
/// <code>
/// var report = new ReportDocument("CIFAR-10 CNN", "What the network learned");
/// report.AddPart("Training", "Loss and accuracy per epoch.")
///       .Add(new LineChart("epoch").AddSeries("loss", "train", epochs, trainLoss));
/// report.Save("report.html", overwrite: force);
/// </code>
/// </example>
public sealed class ReportDocument
{
    private readonly List<PagePart> sections = [];

    /// <summary>Id of the inert script element holding plotly.js until the page's loader runs it.</summary>
    internal const string PlotlyElementId = "mlnetcnn-plotly-js";

    /// <summary>An empty report with a title and an optional subtitle.</summary>
    public ReportDocument(string title, string? subtitle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
        Subtitle = subtitle;
    }

    /// <summary>The page title (HTML &lt;title&gt; and main heading).</summary>
    public string Title { get; }

    /// <summary>The line under the title; null for none.</summary>
    public string? Subtitle { get; }

    /// <summary>Free text for the page footer (e.g. tool version, data set, date). Escaped.</summary>
    public string? Footer { get; init; }

    /// <summary>The page's parts (one per section added), in page order.</summary>
    public IReadOnlyList<PagePart> Parts => sections;

    /// <summary>Number of plotly charts the page will contain (one per non-empty chart block).</summary>
    internal int ChartCount => sections.Sum(s => s.ChartCount);

    /// <summary>Adds a titled part (what a section shows); its explanation is plain text (blank lines separate paragraphs, "- " lines are bullets).</summary>
    public PagePart AddPart(string title, string? explanation = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var number = sections.Count + 1;
        var section = new PagePart($"section-{number}", number, title, explanation);
        sections.Add(section);
        return section;
    }

    /// <summary>Renders the whole page.</summary>
    /// <param name="progress">Receives the fraction of blocks rendered (0–1), e.g. for a CLI progress bar.</param>
    public string ToHtml(IProgress<double>? progress = null)
    {
        var totalBlocks = sections.Sum(s => s.Blocks.Count);
        var done = 0;
        progress?.Report(0);

        // plotly.js alone is ~3.6 MB; reserve it up front.
        var html = new StringBuilder(PlotlyScript.Source.Length + 256 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"MlNetCnn\">\n")
            .Append("<title>").Append(HtmlText.Escape(Title)).Append("</title>\n")
            .Append("<style>\n").Append(PageStyle.Css).Append("\n</style>\n")
            // Inline, in the head, as inert text: parsing 3.6 MB of script would hold up the page. The loader at the end of
            // the body runs it once the page (and the explorer) is up, then draws the queued charts.
            .Append("<script type=\"text/plain\" id=\"").Append(PlotlyElementId).Append("\" data-plotly-version=\"").Append(PlotlyScript.Version).Append("\">\n")
            .Append(PlotlyScript.Source)
            .Append("\n</script>\n</head>\n<body>\n<div class=\"page\">\n<header>\n<h1>")
            .Append(HtmlText.Escape(Title)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(Subtitle))
        {
            html.Append("<p class=\"subtitle\">").Append(HtmlText.Escape(Subtitle)).Append("</p>\n");
        }

        html.Append("</header>\n");
        AppendTableOfContents(html);
        html.Append("<main>\n");
        foreach (var section in sections)
        {
            section.Render(html, () =>
            {
                done++;
                progress?.Report(totalBlocks == 0 ? 1 : Math.Min(0.99, (double)done / totalBlocks));
            });
        }

        html.Append("</main>\n");
        if (!string.IsNullOrWhiteSpace(Footer))
        {
            html.Append("<footer>").Append(HtmlText.Escape(Footer)).Append("</footer>\n");
        }

        // Run plotly.js and draw the queued charts (ChartBlock.Deferred) in the background, after the page is up.
        html.Append("</div>\n<script>\n").Append(ChartLoader.Script).Append("\n</script>\n</body>\n</html>\n");
        progress?.Report(1);
        return html.ToString();
    }

    /// <summary>
    /// Writes the page atomically (temporary file in the same directory, then rename), creating the directory if needed.
    /// The path is checked before the (slow) rendering.
    /// </summary>
    /// <exception cref="IO.OutputFileExistsException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="IO.OutputFileException">The path is a folder, or its folder cannot be created or written.</exception>
    public void Save(string path, bool overwrite = false, IProgress<double>? progress = null) =>
        Save(IO.OutputFile.Check(path, overwrite), progress);

    /// <summary>As <see cref="Save(string, bool, IProgress{double}?)"/>, to an output already checked (<see cref="IO.OutputFile.Check"/>).</summary>
    public void Save(IO.OutputTarget output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var html = ToHtml(progress);
        IO.AtomicFile.Write(output, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            writer.Write(html);
        });
    }

    private void AppendTableOfContents(StringBuilder html)
    {
        if (sections.Count == 0)
        {
            return;
        }

        html.Append("<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n");
        foreach (var s in sections)
        {
            html.Append("<li><a href=\"#").Append(s.Id).Append("\">").Append(HtmlText.Escape(s.Title)).Append("</a></li>\n");
        }

        html.Append("</ol>\n</nav>\n");
    }
}
