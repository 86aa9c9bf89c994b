using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>How a <see cref="Callout"/> is coloured.</summary>
internal enum CalloutTone
{
    /// <summary>Green: a claim held up.</summary>
    Positive,

    /// <summary>Red: a claim failed.</summary>
    Negative,

    /// <summary>Amber: undecided.</summary>
    Neutral,

    /// <summary>Dark red: something went wrong (a run failed).</summary>
    Error,
}

/// <summary>
/// A boxed, coloured statement with a bold label, e.g. an experiment's verdict and why. Plain HTML, no chart.
/// </summary>
internal sealed class Callout : ReportBlock
{
    /// <param name="label">The bold first line, e.g. "Verdict: Supported".</param>
    /// <param name="text">Prose under it (blank lines separate paragraphs, "- " lines are bullets); may be empty.</param>
    /// <param name="tone">The colour.</param>
    public Callout(string label, string? text, CalloutTone tone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label;
        Text = text ?? string.Empty;
        Tone = tone;
    }

    /// <summary>The bold first line.</summary>
    public string Label { get; }

    /// <summary>The prose under the label; may be empty.</summary>
    public string Text { get; }

    /// <summary>The colour.</summary>
    public CalloutTone Tone { get; }

    internal override string Kind => "callout";

    internal override void RenderBody(StringBuilder html)
    {
        var tone = Tone.ToString().ToLowerInvariant();
        html.Append("<div class=\"mlnetcnn-callout tone-").Append(tone).Append("\" data-tone=\"").Append(tone).Append("\">\n")
            .Append("<p class=\"label\">").Append(HtmlText.Escape(Label)).Append("</p>\n");
        if (!string.IsNullOrWhiteSpace(Text))
        {
            html.Append("<div class=\"mlnetcnn-prose\">\n");
            HtmlText.AppendProse(html, Text);
            html.Append("</div>\n");
        }

        html.Append("</div>\n");
    }
}
