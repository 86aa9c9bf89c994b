using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>Scores images with a <see cref="TrainedCnn"/>: a probability vector column and an argmax key column.</summary>
internal sealed class ClassificationScorer : IBatchScorer
{
    private readonly TrainedCnn model;

    public TrainedCnn Model => model;

    public ClassificationScorer(TrainedCnn model, string featureColumn, string scoreColumn, string predictedLabelColumn,
        int batchSize)
    {
        this.model = model;
        InputColumnName = featureColumn;
        BatchSize = batchSize;
        var classes = model.Architecture.ClassCount;

        OutputColumns = DescribeColumns(scoreColumn, predictedLabelColumn, model.ClassNames);
        OutputLengths = new[] { classes, 1 };
    }

    /// <summary>
    /// The two columns with the annotations ML.NET's evaluators and MapKeyToValue read: Score carries the class names
    /// as slot names and marks itself a multiclass score; PredictedLabel is a U4 key whose key values are the names.
    /// </summary>
    public static DataViewSchema DescribeColumns(string scoreColumn, string predictedLabelColumn, IReadOnlyList<string> classNames)
    {
        var classes = classNames.Count;
        var names = classNames.Select(n => n.AsMemory()).ToArray();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getNames = (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(names.Length, names);
        var namesType = new VectorDataViewType(TextDataViewType.Instance, classes);

        var score = new DataViewSchema.Annotations.Builder();
        score.Add(AnnotationKinds.SlotNames, namesType, getNames);
        score.Add(AnnotationKinds.ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "MulticlassClassification".AsMemory());
        score.Add(AnnotationKinds.ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "Score".AsMemory());
        var predicted = new DataViewSchema.Annotations.Builder();
        predicted.Add(AnnotationKinds.KeyValues, namesType, getNames);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(scoreColumn, new VectorDataViewType(NumberDataViewType.Single, classes), score.ToAnnotations());
        builder.AddColumn(predictedLabelColumn, new KeyDataViewType(typeof(uint), classes), predicted.ToAnnotations());
        return builder.ToSchema();
    }

    public string InputColumnName { get; }

    public int InputLength => model.Architecture.InputLength;

    public ConvNetArchitecture Input => model.Architecture;

    public int BatchSize { get; }

    public DataViewSchema OutputColumns { get; }

    public IReadOnlyList<int> OutputLengths { get; }

    public void Score(float[] inputs, int count, bool[] active, float[][] outputs)
    {
        var classes = model.Architecture.ClassCount;
        var probabilities = active[0] ? outputs[0] : new float[count * classes];
        model.Infer(inputs, count, probabilities, Array.Empty<int>(), Array.Empty<float[]>());
        if (!active[1]) return;
        for (var r = 0; r < count; r++)
            outputs[1][r] = TrainedCnn.MostProbable(probabilities.AsSpan(r * classes, classes)) + 1; // keys are 1-based; 0 means missing
    }
}
