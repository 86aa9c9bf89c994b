namespace MlNetCnn.Reporting.CnnReport.Parts;

/// <summary>Short names of the input image's channels, as the worked example and the explorer label them.</summary>
internal static class InputChannelNames
{
    private static readonly string[] Rgb = ["R", "G", "B"];

    /// <summary>R, G, B for a colour input, "grey" for a one-channel input, in0, in1, … otherwise.</summary>
    public static string Of(int channels, int channel) =>
        channels == 3 ? Rgb[channel] : channels == 1 ? "grey" : $"in{channel}";
}
