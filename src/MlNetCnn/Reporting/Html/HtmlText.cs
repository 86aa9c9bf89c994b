using System.Text;

namespace MlNetCnn.Reporting.Html;

/// <summary>HTML escaping and the small prose format used for explanations.</summary>
internal static class HtmlText
{
    /// <summary>Escapes text for element content and double- or single-quoted attributes.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => ch.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>
    /// Renders plain text as paragraphs: blank lines separate paragraphs, and lines starting
    /// with "- " or "* " become bullet lists. Everything is escaped, so callers cannot inject markup.
    /// </summary>
    public static void AppendProse(StringBuilder html, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var paragraph = new List<string>();
        var bullets = new List<string>();

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                html.Append("<p>").Append(Escape(string.Join(" ", paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }

        void FlushBullets()
        {
            if (bullets.Count > 0)
            {
                html.Append("<ul>");
                foreach (var b in bullets)
                {
                    html.Append("<li>").Append(Escape(b)).Append("</li>");
                }

                html.Append("</ul>\n");
                bullets.Clear();
            }
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                FlushParagraph();
                FlushBullets();
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
            {
                FlushParagraph();
                bullets.Add(line[2..].Trim());
            }
            else if (bullets.Count > 0 && raw.StartsWith("  ", StringComparison.Ordinal))
            {
                // An indented line continues the previous bullet.
                bullets[^1] += " " + line;
            }
            else
            {
                FlushBullets();
                paragraph.Add(line);
            }
        }

        FlushParagraph();
        FlushBullets();
    }
}
