using System.Globalization;
using MlNetCnn.Cli.Kernel;
namespace MlNetCnn.Cli.Inputs;

/// <summary>How the image-folder pixels are made: size and channel count, each either chosen or read from the data.</summary>
public sealed record ImageShapeRequest(int? Height, int? Width, bool Grayscale)
{
    public static ImageShapeRequest None { get; } = new(null, null, false);

    public bool IsSet => Height != null || Grayscale;

    /// <summary>Largest --image-size side: a 4096×4096 colour image is already 200 MB of floats.</summary>
    public const int MaxSide = 4096;

    /// <summary>"32x32", "28X28" or "64×48" → (height, width); a usage error naming --image-size otherwise (checked while parsing).</summary>
    public static (int Height, int Width)? ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split('x', 'X', '×');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && h > 0 && w > 0)
        {
            if (h > MaxSide || w > MaxSide)
                throw new CliException(ExitCodes.UsageError, $"--image-size: '{text}' is too large; each side may be at most {MaxSide} pixels.");
            return (h, w);
        }
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var lh) && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var lw) && lh > 0 && lw > 0)
            throw new CliException(ExitCodes.UsageError, $"--image-size: '{text}' is too large; each side may be at most {MaxSide} pixels.");
        throw new CliException(ExitCodes.UsageError, $"--image-size: '{text}' is not HEIGHTxWIDTH (e.g. 32x32 or 28x28).");
    }
}
