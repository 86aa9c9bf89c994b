namespace MlNetCnn.Experiments;

/// <summary>One measured number; <paramref name="Unit"/> is free text ("accuracy", "px", "s") and may be empty.</summary>
public sealed record Measurement(string Name, double Value, string Unit = "");
