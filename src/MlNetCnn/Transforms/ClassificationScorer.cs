using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms;

/// <summary>Scores images with a <see cref="TrainedCnn"/>: a probability vector column and an argmax key column.</summary>
internal sealed class ClassificationScorer : IBatchScorer
{
    private readonly TrainedCnn model;

    public ClassificationScorer(TrainedCnn model, string featureColumn, string scoreColumn, string predictedLabelColumn,
        KeyDataViewType labelType, DataViewSchema.Annotations labelAnnotations, int batchSize)
    {
        this.model = model;
        InputColumnName = featureColumn;
        BatchSize = batchSize;
        var classes = model.Architecture.ClassCount;

        var builder = new DataViewSchema.Builder();
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        var names = model.ClassNames.Select(n => n.AsMemory()).ToArray();
        scoreAnnotations.Add(AnnotationKinds.SlotNames, new VectorDataViewType(TextDataViewType.Instance, classes),
            (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
        scoreAnnotations.Add(AnnotationKinds.ScoreColumnKind, TextDataViewType.Instance,
            (ref ReadOnlyMemory<char> v) => v = "MulticlassClassification".AsMemory());
        scoreAnnotations.Add(AnnotationKinds.ScoreValueKind, TextDataViewType.Instance,
            (ref ReadOnlyMemory<char> v) => v = "Score".AsMemory());
        builder.AddColumn(scoreColumn, new VectorDataViewType(NumberDataViewType.Single, classes), scoreAnnotations.ToAnnotations());
        // Same key type and key values as the training label, so MapKeyToValue and Evaluate work on it.
        builder.AddColumn(predictedLabelColumn, labelType, labelAnnotations);
        OutputColumns = builder.ToSchema();
        OutputLengths = new[] { classes, 1 };
    }

    public string InputColumnName { get; }

    public int InputLength => model.Architecture.InputLength;

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
        {
            var row = probabilities.AsSpan(r * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            outputs[1][r] = best + 1; // keys are 1-based; 0 means missing
        }
    }
}
