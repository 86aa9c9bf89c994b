using System.Globalization;

namespace MlNetCnn.Reporting.CnnReport.Parts;

/// <summary>
/// What a first-layer kernel responds to, measured from its weights: the colour-summed kernel's response to
/// synthetic step edges through its centre whose brightness rises towards 0°, 45°, 90° and 135° (gradient directions;
/// the edge's line is perpendicular), relative to its total
/// absolute weight. A strong best response means an edge detector of that orientation; otherwise the kernel
/// mostly reacts to colour or brightness of the whole patch ("colour/blob-like").
/// </summary>
/// <param name="Filter">Output channel index.</param>
/// <param name="Label">"vertical edges", "horizontal edges", "diagonal edges (\)", "diagonal edges (/)" or "colour/blob-like".</param>
/// <param name="EdgeResponses">Signed response per angle in <see cref="Angles"/>, each in [-1, 1]: Σ K·step / Σ|K|.</param>
/// <param name="BestAngle">Angle (degrees) with the largest |response|.</param>
/// <param name="Strength">max |response| over the angles.</param>
/// <param name="FlatResponse">Σ K / Σ|K|: the response to a uniform bright patch (brightness sensitivity).</param>
/// <param name="ChannelSums">Sum of weights per input (colour) channel.</param>
internal sealed record KernelOrientation(int Filter, string Label, IReadOnlyList<double> EdgeResponses, int BestAngle, double Strength, double FlatResponse, IReadOnlyList<double> ChannelSums)
{
    /// <summary>Normal directions of the synthetic step edges, in degrees (0 = intensity changes left→right).</summary>
    public static IReadOnlyList<int> Angles { get; } = [0, 45, 90, 135];

    /// <summary>Minimum <see cref="Strength"/> to call a kernel an edge detector.</summary>
    public const double EdgeThreshold = 0.6;

    public bool IsEdge => Strength >= EdgeThreshold;

    /// <summary>Which side of the edge the kernel wants bright, e.g. "bright on the right".</summary>
    public string Polarity
    {
        get
        {
            var positive = EdgeResponses[Angles.ToList().IndexOf(BestAngle)] >= 0;
            return BestAngle switch
            {
                0 => positive ? "bright on the right" : "bright on the left",
                90 => positive ? "bright above" : "bright below",
                45 => positive ? "bright towards the upper right" : "bright towards the lower left",
                _ => positive ? "bright towards the upper left" : "bright towards the lower right",
            };
        }
    }

    /// <summary>Analyses filter <paramref name="filter"/> of weights [out, in, k, k].</summary>
    public static KernelOrientation Analyse(ReadOnlySpan<float> weights, int filter, int inChannels, int kernelSize)
    {
        var plane = kernelSize * kernelSize;
        var kernel = weights.Slice(filter * inChannels * plane, inChannels * plane);
        var summed = new double[plane];
        var channelSums = new double[inChannels];
        for (var c = 0; c < inChannels; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                summed[i] += kernel[c * plane + i];
                channelSums[c] += kernel[c * plane + i];
            }
        }

        var mass = summed.Sum(Math.Abs);
        var centre = (kernelSize - 1) / 2.0;
        var responses = new double[Angles.Count];
        for (var a = 0; a < Angles.Count; a++)
        {
            var theta = Angles[a] * Math.PI / 180;
            // Normal (cos θ, −sin θ) in image coordinates (y down): +1 on the side the normal points to, 0 on the edge.
            double nx = Math.Cos(theta), ny = -Math.Sin(theta), r = 0;
            for (var y = 0; y < kernelSize; y++)
            {
                for (var x = 0; x < kernelSize; x++)
                {
                    var d = (x - centre) * nx + (y - centre) * ny;
                    r += summed[y * kernelSize + x] * (Math.Abs(d) < 1e-9 ? 0 : Math.Sign(d));
                }
            }

            responses[a] = mass > 0 ? r / mass : 0;
        }

        var best = 0;
        for (var a = 1; a < responses.Length; a++)
            if (Math.Abs(responses[a]) > Math.Abs(responses[best])) best = a;
        var strength = Math.Abs(responses[best]);
        var label = strength < EdgeThreshold
            ? (inChannels == 1 ? "brightness/blob-like" : "colour/blob-like")
            : Angles[best] switch
            {
                0 => "vertical edges",
                90 => "horizontal edges",
                45 => "diagonal edges (\\)",
                _ => "diagonal edges (/)",
            };
        return new KernelOrientation(filter, label, responses, Angles[best], strength, mass > 0 ? summed.Sum() / mass : 0, channelSums);
    }

    /// <summary>One sentence with the numbers behind the label.</summary>
    public string Describe(IReadOnlyList<string> channelNames)
    {
        var inv = CultureInfo.InvariantCulture;
        var colours = ChannelSums.Count == 1
            ? $"net weight {ChannelSums[0].ToString("+0.00;−0.00", inv)}"
            : "net colour weights " + string.Join(", ", ChannelSums.Select((s, c) => $"{(c < channelNames.Count ? channelNames[c] : $"in{c}")} {s.ToString("+0.00;−0.00", inv)}"));
        var responses = string.Join(", ", Angles.Select((a, i) => $"{a}°: {EdgeResponses[i].ToString("+0.00;−0.00", inv)}"));
        var signed = EdgeResponses[Angles.ToList().IndexOf(BestAngle)];
        if (!IsEdge)
            return $"filter {Filter}: {Label} (no edge orientation reaches {EdgeThreshold.ToString("0.0", inv)}; response to a step brightening towards {GradientNote}: {responses}; " +
                   $"flat-patch response {FlatResponse.ToString("+0.00;−0.00", inv)}; {colours}).";
        // The angles are gradient directions (where brightness rises), not the direction of the edge's line: say so, and
        // say why the listed value may carry the opposite sign of the response the label describes.
        return $"filter {Filter}: {Label}, {Polarity}: its response to that step is {Strength.ToString("+0.00", inv)} of its weight mass " +
               $"(the edge's line runs at {(BestAngle + 90) % 180}°). Response to a step brightening towards {GradientNote}: {responses}" +
               (signed < 0 ? $"; the {BestAngle}° value is negative because that step is the reverse of the one it prefers" : string.Empty) +
               $"; {colours}.";
    }

    /// <summary>How the listed angles read: the direction in which brightness rises across the edge.</summary>
    public const string GradientNote = "each angle (the gradient direction across the edge; 0° = left to right, 90° = bottom to top)";
}
