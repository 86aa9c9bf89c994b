namespace MlNetCnn.Tests.Experiments;

/// <summary>
/// Experiment tests seed libtorch's process-wide generator and then build networks; running alone keeps another test's
/// draws out of that window, so "same seed ⇒ same numbers" is checked, not hoped for.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSerialCollection
{
    public const string Name = "Experiments (serial libtorch)";
}
