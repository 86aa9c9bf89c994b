namespace MlNetCnn.Experiments;

public enum ChartKind
{
    Line,
    Bar,
}
