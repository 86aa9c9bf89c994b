using MlNetCnn.Cli.Kernel;
using MlNetCnn.Experiments;

namespace MlNetCnn.Cli.Options;

/// <summary>Which experiments a command line names, and the one line printed for each finished run.</summary>
public static class ExperimentSelection
{
    /// <summary>The name that selects every registered experiment.</summary>
    public const string All = "all";

    /// <summary>The experiments <paramref name="name"/> selects ("all" or one registry name); a usage error lists the valid names.</summary>
    public static IReadOnlyList<string> Select(ExperimentRegistry registry, string? name)
    {
        if (string.Equals(name, All, StringComparison.OrdinalIgnoreCase)) return registry.Names;
        if (name != null && registry.TryGet(name, out var experiment)) return [experiment.Name];
        throw new CliException(ExitCodes.UsageError,
            $"Unknown experiment '{name}'. Valid names: {All}, {string.Join(", ", registry.Names)}.");
    }

    /// <summary>"a,b" or "all" → the selected names, each once, in order (a usage error names the first unknown one).</summary>
    public static IReadOnlyList<string> SelectList(ExperimentRegistry registry, string list) =>
        list.Split(',', StringSplitOptions.TrimEntries).SelectMany(n => Select(registry, n)).Distinct().ToArray();

    /// <summary>"name: verdict in time — key numbers", the line <c>experiment</c> and <c>report --experiments</c> print for a run that finished.</summary>
    public static string Describe(string label, ExperimentResult result, TimeSpan elapsed) =>
        $"{label}: {result.DescribeVerdict()} in {Durations.Describe(elapsed)} — {result.DescribeKeyNumbers()}";
}
