using Microsoft.ML;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// What a batched-inference transform computes: from a batch of input vectors, one float block per output column.
/// <see cref="BatchedInferenceDataView"/> supplies the cursors; implementations only do the maths.
/// </summary>
internal interface IBatchScorer
{
    /// <summary>Name of the input float-vector column.</summary>
    string InputColumnName { get; }

    /// <summary>Values per input row.</summary>
    int InputLength { get; }

    /// <summary>The network the rows feed: its input shape and the column's pixel layout.</summary>
    Model.ConvNetArchitecture Input { get; }

    int BatchSize { get; }

    /// <summary>The network scored with: a cached row answers only while it is not disposed.</summary>
    Model.TrainedCnn Model { get; }

    /// <summary>The columns this scorer adds, described as a schema (names, types, annotations).</summary>
    DataViewSchema OutputColumns { get; }

    /// <summary>Values per row of each output column (1 for scalars), in the order of <see cref="OutputColumns"/>.</summary>
    IReadOnlyList<int> OutputLengths { get; }

    /// <summary>
    /// Scores <paramref name="count"/> rows laid out back to back in <paramref name="inputs"/> and fills
    /// <c>outputs[c]</c> (length count × OutputLengths[c]) for every column c with <c>active[c]</c> set.
    /// </summary>
    void Score(float[] inputs, int count, bool[] active, float[][] outputs);

    /// <summary>A key column read beside the input (e.g. the label an attribution explains); null when none is needed.</summary>
    string? KeyColumnName => null;

    /// <summary>
    /// <see cref="Score(float[], int, bool[], float[][])"/> for scorers with a <see cref="KeyColumnName"/>: <paramref name="keys"/>
    /// holds each row's raw key (1-based; 0 = missing).
    /// </summary>
    void Score(float[] inputs, uint[] keys, int count, bool[] active, float[][] outputs) => Score(inputs, count, active, outputs);
}
