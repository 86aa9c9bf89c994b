using MlNetCnn.Reporting.Blocks;

namespace MlNetCnn.Reporting.Experiments;

/// <summary>
/// A closing section of the CNN report that points at the experiments page (<see cref="ExperimentReport"/>): a link
/// when that page exists, else the command that writes it. Append it with
/// <see cref="CnnReport.CnnReportOptions.AppendedSections"/>.
/// </summary>
public sealed class ExperimentsLinkSection : IPrebuiltSection
{
    /// <param name="href">The experiments page relative to the report (URL-escaped), or null when there is none yet.</param>
    /// <param name="command">What writes the page, e.g. <c>mlnetcnn experiment all</c>; said when <paramref name="href"/> is null.</param>
    public ExperimentsLinkSection(string? href, string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        Href = href;
        Command = command;
    }

    /// <summary>The experiments page relative to the report, or null.</summary>
    public string? Href { get; }

    /// <summary>The command that writes the experiments page.</summary>
    public string Command { get; }

    /// <inheritdoc />
    public string Title => "Experiments: why convolutions detect local patterns";

    /// <inheritdoc />
    public void AddTo(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string what = "This page shows what one trained network computes. The experiments test the claim behind it — that convolutions " +
                            "detect local spatial patterns — by measurement: shuffled pixels, translated images, occlusion, receptive fields, " +
                            "each with a verdict over several seeds.";
        if (Href is null)
        {
            report.AddPart(Title, $"{what}\n\nNo experiments page was found beside this report. `{Command}` writes it (it takes minutes; it prints its estimated time first).");
            return;
        }

        report.AddPart(Title, $"{what} They are on their own page, written by `{Command}`:").Add(new LinkBlock(Href, "Open the experiments page"));
    }
}
