using System.Globalization;
using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>A plain HTML table of strings (statistics, a worked convolution example). Cells are escaped.</summary>
internal sealed class Table : ReportBlock
{
    private readonly string[] header;
    private readonly List<string[]> rows = [];

    /// <summary>A table with <paramref name="header"/> and optional <paramref name="rows"/> of formatted cells.</summary>
    public Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(header));
        }

        this.header = [.. header];
        foreach (var row in rows ?? [])
        {
            AddRow(row);
        }
    }

    /// <summary>The column headings.</summary>
    public IReadOnlyList<string> Header => header;

    /// <summary>The rows of cells.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;

    internal override string Kind => "table";

    /// <summary>Adds a row; it must have one cell per header column.</summary>
    public Table AddRow(params IReadOnlyList<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count != header.Length)
        {
            throw new ArgumentException(
                $"Row {rows.Count} has {cells.Count} cells but the table has {header.Length} columns.", nameof(cells));
        }

        rows.Add([.. cells.Select(c => c ?? string.Empty)]);
        return this;
    }

    internal override void RenderBody(StringBuilder html)
    {
        html.Append("<div class=\"mlnetcnn-table-wrap\"><table class=\"mlnetcnn-table\">\n<thead><tr>");
        foreach (var h in header)
        {
            html.Append("<th>").Append(HtmlText.Escape(h)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                // Numbers align right so digits line up down a column.
                html.Append(IsNumeric(cell) ? "<td class=\"num\">" : "<td>").Append(HtmlText.Escape(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n");
    }

    private static bool IsNumeric(string cell) =>
        double.TryParse(cell.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
