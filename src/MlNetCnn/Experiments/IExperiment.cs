namespace MlNetCnn.Experiments;

/// <summary>
/// One controlled experiment about what the CNN's convolutions detect. <see cref="Run"/> measures, decides a
/// <see cref="Verdict"/> from the numbers and returns plain data a report can render.
/// </summary>
public interface IExperiment
{
    /// <summary>Short registry key, e.g. "permutation".</summary>
    string Name { get; }

    /// <summary>A human-readable title for reports.</summary>
    string Title { get; }

    /// <summary>The claim under test, stated before anything is measured.</summary>
    string Hypothesis { get; }

    /// <inheritdoc />
    ExperimentResult Run(ExperimentContext context);
}
