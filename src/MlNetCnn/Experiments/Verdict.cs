namespace MlNetCnn.Experiments;

/// <summary>What the measurements say about an experiment's hypothesis.</summary>
public enum Verdict
{
    /// <summary>The numbers support the hypothesis.</summary>
    Supported,
    /// <summary>The numbers contradict the hypothesis.</summary>
    NotSupported,

    /// <summary>The numbers neither clearly support nor contradict it (e.g. differences within noise).</summary>
    Inconclusive,
}
