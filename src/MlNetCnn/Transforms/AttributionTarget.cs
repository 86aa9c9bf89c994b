namespace MlNetCnn.Transforms;

/// <summary>Which class an attribution column explains for each row.</summary>
public enum AttributionTarget
{
    /// <summary>The class the model predicts for the row (the argmax of its scores).</summary>
    PredictedClass,

    /// <summary>The row's label (a key column; key k is class k − 1).</summary>
    Label,

    /// <summary>One class for every row, given as a 0-based class index.</summary>
    FixedClass,
}
