using System.CommandLine;
using System.Globalization;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Reporting.CnnReport;

namespace MlNetCnn.Cli.Options;

/// <summary>
/// The --images option of <c>report</c> and <c>explain</c>: test-set indices, parsed while the command line is. Whether
/// they are rows of the test split is asked once, by the report generator before its scan; <c>CliRunner</c> words its
/// refusal as this option's.
/// </summary>
public static class ImageIndices
{
    /// <summary>What the report shows without --images, read from <see cref="CnnReportOptions"/>'s defaults: "default: 8 images, one per class".</summary>
    public static string DefaultDescription
    {
        get
        {
            var defaults = new CnnReportOptions();
            var perClass = defaults.ImagesPerClass == 1 ? "one" : defaults.ImagesPerClass.ToString(CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture, $"default: {defaults.ImageCount} images, {perClass} per class");
        }
    }

    /// <summary>The --images option, parsed into indices while the command line is parsed; <paramref name="verb"/> says what the page does with them ("show").</summary>
    public static Option<IReadOnlyList<long>?> Option(string verb) =>
        new Option<IReadOnlyList<long>?>("--images")
        {
            Description = $"Test-set indices of the images to {verb}, comma separated, each once, at most {MaxCount} ({DefaultDescription})",
        }.ParsedAs(Parse, listExample: "0,5,12");

    /// <summary>Most images --images may name: each is measured and drawn on the page (400 took 12.8 s and 32 MB).</summary>
    public const int MaxCount = 100;

    /// <summary>"0, 5,12" → [0, 5, 12]; null when not given. Each index once, at most <see cref="MaxCount"/>: a usage error otherwise.</summary>
    public static IReadOnlyList<long>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        // Counted before anything is parsed, so 5,000 repeats of one index cost nothing.
        if (parts.Length > MaxCount)
            throw new CliException(ExitCodes.UsageError, $"--images names {parts.Length:N0} images; a page shows at most {MaxCount}.");
        var indices = parts
            .Select(p => p.Length > 0 && long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 0
                ? index
                : throw new CliException(ExitCodes.UsageError, $"--images: '{p}' is not a test-set index (expected e.g. 0,5,12)."))
            .ToArray();
        var repeated = indices.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
            throw new CliException(ExitCodes.UsageError, $"--images: {string.Join(", ", repeated)} {(repeated.Length == 1 ? "is" : "are")} given more than once; name each image once.");
        return indices;
    }
}
