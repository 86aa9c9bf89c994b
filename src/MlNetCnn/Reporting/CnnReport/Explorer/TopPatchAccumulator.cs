using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>
/// What the explorer measures: streams every shown conv layer's maps, row by row, and keeps per channel the <c>k</c>
/// rows whose strongest unit (among units with the receptive field inside the image) is highest — ordered as the
/// top-patches experiment orders them: value descending, then row ascending. Crops the input only when a row enters a
/// channel's top k.
/// </summary>
internal sealed class TopPatchAccumulator(ConvNetArchitecture architecture, IReadOnlyList<ConvLayerShape> layers, int k) : IRowAccumulator
{
    private readonly LayerSearch[] layers = [.. layers.Select(l => new LayerSearch(architecture, l, k))];

    public void Accept(ScannedRow row)
    {
        for (var i = 0; i < layers.Length; i++) layers[i].Add(row.Row, row.Maps[i], row.Image, row.File);
    }

    /// <summary>Per shown layer, per channel, the top rows, best first.</summary>
    public IReadOnlyList<IReadOnlyList<ChannelTopPatches>> Result() => [.. layers.Select(l => l.Result())];

    /// <summary>One layer's search.</summary>
    private sealed class LayerSearch
    {
        private readonly ConvNetArchitecture architecture;
        private readonly ConvLayerShape layer;
        private readonly int k;
        private readonly int side;
        private readonly int[] candidates;
        private readonly List<(long Row, float Value, float[] Crop, string? File)>[] best;
        private readonly float[] max;

        public LayerSearch(ConvNetArchitecture architecture, ConvLayerShape layer, int k)
        {
            this.architecture = architecture;
            this.layer = layer;
            this.k = k;
            side = StrongestUnits.CropSide(architecture, layer.Index);
            candidates = StrongestUnits.InsideUnits(architecture, layer);
            best = [.. Enumerable.Range(0, layer.OutChannels).Select(_ => new List<(long, float, float[], string?)>(k + 1))];
            max = new float[layer.OutChannels];
        }

        /// <param name="map">The row's post-ReLU C×H×W map of this layer.</param>
        /// <param name="image">Gives the row's planar input image; called at most once per row, only when needed.</param>
        /// <param name="file">Gives the row's image file, or null when the data has none; called only when needed.</param>
        public void Add(long row, ReadOnlySpan<float> map, Func<float[]> image, Func<string?>? file = null)
        {
            var area = layer.OutHeight * layer.OutWidth;
            float[]? pixels = null;
            for (var ch = 0; ch < layer.OutChannels; ch++)
            {
                var channel = map.Slice(ch * area, area);
                // Every unit counts for "dead" (0 everywhere), not only the units the top search lets compete.
                foreach (var v in channel) if (v > max[ch]) max[ch] = v;
                var (value, position) = StrongestUnits.Strongest(channel, candidates);
                var list = best[ch];
                // Rows arrive in increasing order: a tie with the k-th best loses (row ascending breaks ties).
                if (list.Count == k && !(value > list[^1].Value)) continue;
                pixels ??= image();
                var crop = StrongestUnits.Crop(pixels, architecture, layer.Index, layer.OutWidth, position, side);
                var at = list.FindIndex(e => value > e.Value);
                list.Insert(at < 0 ? list.Count : at, (row, value, crop, file?.Invoke()));
                if (list.Count > k) list.RemoveAt(list.Count - 1);
            }
        }

        /// <summary>Per channel, the top rows, best first.</summary>
        public IReadOnlyList<ChannelTopPatches> Result() =>
            [.. best.Select((list, ch) => new ChannelTopPatches(
                [.. list.Select(e => e.Row)], [.. list.Select(e => e.Value)], [.. list.Select(e => e.Crop)], max[ch], [.. list.Select(e => e.File)]))];
    }
}
