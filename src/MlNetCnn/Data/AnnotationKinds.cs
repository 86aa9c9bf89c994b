namespace MlNetCnn.Data;

/// <summary>ML.NET's annotation kind names (its own constants are internal).</summary>
internal static class AnnotationKinds
{
    public const string KeyValues = "KeyValues";
    public const string SlotNames = "SlotNames";
    public const string ScoreColumnKind = "ScoreColumnKind";
    public const string ScoreValueKind = "ScoreValueKind";
    public const string ScoreColumnSetId = "ScoreColumnSetId";
    public const string TrainingLabelValues = "TrainingLabelValues";
}
