namespace MlNetCnn.Reporting.Html;

/// <summary>The page's stylesheet: readable line length, quiet colours, tables and charts that scroll rather than overflow.</summary>
internal static class PageStyle
{
    public const string Css = """
        :root { --fg: #24292f; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa; --accent: #0969da; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--fg); background: #fff;
               font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        .page { max-width: 1180px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
        header h1 { margin: 0 0 .25rem; font-size: 2rem; line-height: 1.2; }
        header .subtitle { margin: 0; color: var(--muted); font-size: 1.1rem; }
        nav.toc { margin: 1.5rem 0 2rem; padding: 1rem 1.25rem; background: var(--bg-soft);
                  border: 1px solid var(--line); border-radius: 8px; }
        nav.toc h2 { margin: 0 0 .5rem; font-size: 1rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        nav.toc ol { margin: 0; padding-left: 1.5rem; columns: 2 22rem; }
        nav.toc a { color: var(--accent); text-decoration: none; }
        nav.toc a:hover { text-decoration: underline; }
        section { border-top: 1px solid var(--line); padding-top: 1.25rem; margin-top: 2rem; }
        section h2 { margin: 0 0 .75rem; font-size: 1.5rem; }
        section h2 .num { color: var(--muted); font-weight: normal; }
        .mlnetcnn-prose { max-width: 75ch; }
        .mlnetcnn-prose p { margin: 0 0 .75rem; }
        .mlnetcnn-prose ul { margin: 0 0 .75rem; padding-left: 1.5rem; }
        figure.mlnetcnn-block { margin: 1.25rem 0 1.75rem; }
        figure.mlnetcnn-block h3 { margin: 0 0 .5rem; font-size: 1.1rem; }
        figure.mlnetcnn-block figcaption { color: var(--muted); font-size: .92rem; max-width: 75ch; margin-top: .4rem; }
        figure.mlnetcnn-block figcaption p { margin: 0 0 .4rem; }
        .mlnetcnn-chart { overflow-x: auto; }
        .mlnetcnn-empty { color: var(--muted); font-style: italic; }
        .mlnetcnn-table-wrap { overflow-x: auto; }
        table.mlnetcnn-table { border-collapse: collapse; font-size: .92rem; }
        table.mlnetcnn-table th, table.mlnetcnn-table td { border: 1px solid var(--line); padding: .3rem .65rem; text-align: left; }
        table.mlnetcnn-table th { background: var(--bg-soft); }
        table.mlnetcnn-table td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        table.mlnetcnn-table tbody tr:nth-child(even) { background: #fbfcfd; }
        .mlnetcnn-callout { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px;
                            background: var(--bg-soft); padding: .6rem 1rem; max-width: 85ch; }
        .mlnetcnn-callout .label { font-weight: 600; font-size: 1.05rem; margin: 0 0 .35rem; }
        .mlnetcnn-callout .mlnetcnn-prose p:last-child { margin-bottom: 0; }
        .mlnetcnn-callout.tone-positive { border-left-color: #1a7f37; background: #dafbe1; }
        .mlnetcnn-callout.tone-positive .label { color: #1a7f37; }
        .mlnetcnn-callout.tone-negative { border-left-color: #cf222e; background: #ffebe9; }
        .mlnetcnn-callout.tone-negative .label { color: #cf222e; }
        .mlnetcnn-callout.tone-neutral { border-left-color: #9a6700; background: #fff8c5; }
        .mlnetcnn-callout.tone-neutral .label { color: #9a6700; }
        .mlnetcnn-callout.tone-error { border-left-color: #82071e; background: #ffebe9; }
        .mlnetcnn-callout.tone-error .label { color: #82071e; }
        footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
        @media print {
          /* Paper: the page's full width, and no chart toolbars (they are buttons, useless on paper). */
          .page { max-width: none; padding: 0; }
          .modebar-container, .modebar { display: none !important; }
        }
        """;
}
