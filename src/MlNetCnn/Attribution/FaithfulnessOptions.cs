using MlNetCnn.Model;

namespace MlNetCnn.Attribution;

/// <summary>How deletion and insertion curves are drawn.</summary>
public sealed class FaithfulnessOptions
{
    /// <summary>The defaults, one source for these options and for the explanation-faithfulness experiment.</summary>
    public static class Defaults
    {
        /// <summary>Default <see cref="FaithfulnessOptions.Steps"/>.</summary>
        public const int Steps = 16;

        /// <summary>Default <see cref="FaithfulnessOptions.Fill"/> (mid grey).</summary>
        public const float Fill = 0.5f;
    }

    /// <summary>Points after the start of each curve: pixels are removed (or revealed) in this many equal steps.</summary>
    public int Steps { get; init; } = Defaults.Steps;

    /// <summary>Value a removed pixel takes in every channel, and the canvas insertion starts from (0.5 = mid grey).</summary>
    public float Fill { get; init; } = Defaults.Fill;

    /// <summary>Modified images per forward pass.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.InferenceBatchSize;

    /// <summary>Seed of the random baseline's pixel order.</summary>
    public int Seed { get; init; } = TrainingDefaults.Seed;

    internal void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Curves need at least 1 step.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (!float.IsFinite(Fill)) throw new ArgumentOutOfRangeException(nameof(Fill), Fill, "Fill must be a finite value.");
    }
}
