namespace MlNetCnn.Reporting.CnnReport.Parts;

/// <summary>
/// How a grid of per-channel heatmaps (feature maps, first-layer kernels) is laid out on the page: columns and cell
/// size from the channel count, so grids of the same layer line up across sections.
/// </summary>
internal static class ChannelGridLayout
{
    /// <summary>Width available for a grid's maps on the page, in pixels (the page is ~1130 px wide; the colour bar needs ~120).</summary>
    private const int MapsWidthPx = 960;

    /// <summary>Columns and cell size (px) for a grid of <paramref name="channels"/> maps.</summary>
    public static (int Columns, int Cell) For(int channels)
    {
        // Up to 12 maps in one row keeps each image's grids short; wider layers wrap into equal rows.
        var rows = (channels + 11) / 12;
        var columns = (channels + rows - 1) / rows;
        return (columns, Math.Clamp((MapsWidthPx - (columns - 1) * 18) / columns, 48, 140));
    }
}
