using System.Text;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting;

/// <summary>
/// A titled part of the rendered page (an explanation followed by blocks, listed in the table of contents): what a
/// section — an <see cref="CnnReport.ICnnReportSection"/> or an <see cref="IPrebuiltSection"/> — adds to a
/// <see cref="ReportDocument"/> with <see cref="ReportDocument.AddPart"/>.
/// </summary>
public sealed class PagePart
{
    private readonly List<ReportBlock> blocks = [];

    internal PagePart(string id, int number, string title, string? explanation)
    {
        Id = id;
        Number = number;
        Title = title;
        Explanation = explanation;
    }

    /// <summary>HTML anchor id, e.g. "section-2"; the table of contents links to it.</summary>
    public string Id { get; }

    /// <summary>1-based position in the document.</summary>
    public int Number { get; }

    /// <summary>The section heading (also its table-of-contents entry).</summary>
    public string Title { get; }

    /// <summary>Plain text; blank lines separate paragraphs and "- " lines become bullets.</summary>
    public string? Explanation { get; }

    /// <summary>The blocks, in page order.</summary>
    internal IReadOnlyList<ReportBlock> Blocks => blocks;

    /// <summary>Number of Plotly charts the section's blocks draw.</summary>
    internal int ChartCount => blocks.Sum(b => b.ChartCount);

    /// <summary>Appends a block and returns this section, so calls can be chained.</summary>
    internal PagePart Add(ReportBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        blocks.Add(block);
        return this;
    }

    /// <summary>Appends prose (same format as <see cref="Explanation"/>).</summary>
    public PagePart AddText(string text) => Add(new TextBlock(text));

    /// <summary>
    /// Adds a table: one <paramref name="header"/> and rows of as many cells. What a section written outside the library
    /// uses for its own measurements (the chart and image blocks stay internal: they carry Plotly.NET).
    /// </summary>
    public PagePart AddTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? caption = null) =>
        Add(new Blocks.Table(header, rows) { Caption = caption });

    internal void Render(StringBuilder html, Action afterBlock)
    {
        html.Append("<section id=\"").Append(Id).Append("\">\n<h2><span class=\"num\">")
            .Append(Number).Append(".</span> ").Append(HtmlText.Escape(Title)).Append("</h2>\n");
        if (!string.IsNullOrWhiteSpace(Explanation))
        {
            html.Append("<div class=\"mlnetcnn-prose explanation\">\n");
            HtmlText.AppendProse(html, Explanation);
            html.Append("</div>\n");
        }

        foreach (var block in blocks)
        {
            block.Render(html);
            afterBlock();
        }

        html.Append("</section>\n");
    }
}
