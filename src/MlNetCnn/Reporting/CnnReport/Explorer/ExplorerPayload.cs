using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Parts;
using MlNetCnn.Reporting.Plotting;

namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>
/// The explorer's data as compact JSON: float32 arrays as base64 of their little-endian bytes (input images, kernels,
/// biases, every conv layer's post-ReLU maps per image — the page recomputes patch × kernel, sums and 2×2 pool winners
/// from them in float32), each layer's receptive-field windows per output row and column (from
/// <see cref="ReceptiveFields.Window"/>, the one source of that arithmetic), and per channel the top test crops as bytes.
/// </summary>
internal static class ExplorerPayload
{
    /// <summary>Id of the JSON script element.</summary>
    public const string DataElementId = "mlnetcnn-explorer-data";

    /// <param name="maps">[layer][image] post-ReLU C×H×W maps of every conv layer of the model.</param>
    /// <param name="topPatches">Per shown layer, each channel's strongest test images; null for none.</param>
    public static string Build(CnnReportData data, IReadOnlyList<float[][]> maps, IReadOnlyList<IReadOnlyList<ChannelTopPatches>>? topPatches)
    {
        var model = data.Model;
        var a = model.Architecture;
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("inC", a.InputChannels);
            json.WriteNumber("H", a.InputHeight);
            json.WriteNumber("W", a.InputWidth);
            json.WriteNumber("k", a.KernelSize);
            json.WriteNumber("pad", a.Padding);
            json.WriteBoolean("circular", a.PaddingMode == ConvPadding.Circular);
            json.WriteStartArray("channelNames");
            for (var c = 0; c < a.InputChannels; c++) json.WriteStringValue(InputChannelNames.Of(a.InputChannels, c));
            json.WriteEndArray();

            json.WriteStartArray("classes");
            foreach (var name in data.ClassNames) json.WriteStringValue(name);
            json.WriteEndArray();
            // The page runs the whole network (issue 26): fc1 and fc2 beside the conv kernels below.
            var (hidden, output) = model.GetDenseLayers();
            WriteDense(json, "fc1", a.FlattenedFeatures(), a.HiddenUnits, hidden);
            WriteDense(json, "fc2", a.HiddenUnits, a.ClassCount, output);
            // The same value → colour scale as the feature-map heatmaps of the report's other sections.
            json.WriteStartArray("colorscale");
            foreach (var stop in ColorScales.Sequential)
            {
                json.WriteStartArray();
                json.WriteNumberValue(Convert.ToDouble(stop[0], CultureInfo.InvariantCulture));
                json.WriteStringValue((string)stop[1]);
                json.WriteEndArray();
            }

            json.WriteEndArray();

            json.WriteStartArray("images");
            for (var i = 0; i < data.Samples.Count; i++)
            {
                var s = data.Samples[i];
                json.WriteStartObject();
                json.WriteNumber("row", s.Row);
                if (s.File is { } file) json.WriteString("file", file);
                json.WriteString("caption", SampleImages.Caption(data, s).Replace("\n", ", ", StringComparison.Ordinal));
                json.WriteString("pixels", Floats(s.Image));
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("layers");
            foreach (var layer in model.ConvLayers)
            {
                var (weights, bias) = model.GetKernels(layer.Name);
                json.WriteStartObject();
                json.WriteString("name", layer.Name);
                json.WriteNumber("inC", layer.InChannels);
                json.WriteNumber("outC", layer.OutChannels);
                json.WriteNumber("H", layer.OutHeight);
                json.WriteNumber("W", layer.OutWidth);
                json.WriteNumber("pH", layer.PooledHeight);
                json.WriteNumber("pW", layer.PooledWidth);
                json.WriteString("weights", Floats(weights));
                json.WriteString("bias", Floats(bias));
                WriteWindows(json, "rowWin", a, layer.Index, layer.OutHeight);
                WriteWindows(json, "colWin", a, layer.Index, layer.OutWidth);
                json.WriteStartArray("maps");
                foreach (var map in maps[layer.Index]) json.WriteStringValue(Floats(map));
                json.WriteEndArray();
                var shown = data.IndexOfLayer(layer.Name);
                if (topPatches is { } top && shown >= 0)
                {
                    json.WriteStartObject("top");
                    json.WriteNumber("side", StrongestUnits.CropSide(a, layer.Index));
                    json.WriteNumber("searched", data.RowCount);
                    json.WriteStartArray("channels");
                    foreach (var channel in top[shown])
                    {
                        json.WriteStartObject();
                        json.WriteStartArray("rows");
                        foreach (var r in channel.Rows) json.WriteNumberValue(r);
                        json.WriteEndArray();
                        json.WriteStartArray("values");
                        foreach (var v in channel.Values) json.WriteNumberValue(float.IsFinite(v) ? v : 0f);
                        json.WriteEndArray();
                        json.WriteString("crops", Bytes(channel.Crops));
                        if (channel.Files.Any(f => f is not null))
                        {
                            json.WriteStartArray("files");
                            foreach (var f in channel.Files) json.WriteStringValue(f);
                            json.WriteEndArray();
                        }

                        json.WriteNumber("max", float.IsFinite(channel.Max) ? channel.Max : 0f);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                if (data.HasFeaturePictures && shown >= 0)
                    WriteFeatures(json, data.FeaturePictures(layer.Name));

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        // The default encoder escapes <, > and & as \u003C …, so the text is safe inside a script element.
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Base64 of the float32 values' little-endian bytes (what a JavaScript Float32Array reads on x86/ARM).</summary>
    internal static string Floats(ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The explorer embeds little-endian float32 data; this machine is big-endian.");
        }

        return Convert.ToBase64String(MemoryMarshal.AsBytes(values));
    }

    // Each channel's optimized picture cut to its unit's receptive field (bytes, like the top crops) and the activation it reaches.
    private static void WriteFeatures(Utf8JsonWriter json, FeatureVisualization.FeatureVisualizationResult features)
    {
        json.WriteStartObject("features");
        json.WriteNumber("side", features.CropSide);
        json.WriteStartArray("values");
        foreach (var c in features.Channels) json.WriteNumberValue(c.Activation);
        json.WriteEndArray();
        json.WriteString("crops", Bytes([.. features.Channels.Select(c => features.Crop(c.Channel))]));
        json.WriteEndObject();
    }

    private static string Bytes(float[][] crops)
    {
        var bytes = new byte[crops.Sum(c => c.Length)];
        var n = 0;
        foreach (var crop in crops)
            foreach (var v in crop)
                bytes[n++] = (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);
        return Convert.ToBase64String(bytes);
    }

    private static void WriteDense(Utf8JsonWriter json, string name, int inputs, int outputs, (float[] Weights, float[] Bias) layer)
    {
        json.WriteStartObject(name);
        json.WriteNumber("in", inputs);
        json.WriteNumber("out", outputs);
        json.WriteString("weights", Floats(layer.Weights));
        json.WriteString("bias", Floats(layer.Bias));
        json.WriteEndObject();
    }

    private static void WriteWindows(Utf8JsonWriter json, string name, ConvNetArchitecture a, int layerIndex, int count)
    {
        json.WriteStartArray(name);
        for (var p = 0; p < count; p++)
        {
            var (start, end) = ReceptiveFields.Window(a, layerIndex, p);
            json.WriteStartArray();
            json.WriteNumberValue(start);
            json.WriteNumberValue(end);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }
}
