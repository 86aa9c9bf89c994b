namespace MlNetCnn.Model;

/// <summary>
/// One unit of a conv layer's output map (before its pool) chosen by <see cref="StrongestUnits.StrongestInMap"/>.
/// </summary>
/// <param name="Channel">Output channel.</param>
/// <param name="Row">Row in the conv output map.</param>
/// <param name="Col">Column in the conv output map.</param>
/// <param name="Value">The map's value there.</param>
/// <param name="FieldInside">True when the unit's theoretical receptive field lies inside the image (no zero padding under it).</param>
internal sealed record StrongestUnit(int Channel, int Row, int Col, float Value, bool FieldInside);
