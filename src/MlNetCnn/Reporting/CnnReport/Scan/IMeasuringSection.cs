using MlNetCnn.Model;

namespace MlNetCnn.Reporting.CnnReport.Scan;

/// <summary>
/// A section that measures something over the whole test data: the generator asks it for an accumulator before the
/// single scan, feeds it every row, and the section reads the result back from <see cref="CnnReportData.Measurement{T}"/>.
/// Sections that only need the chosen images and the model do not implement it.
/// </summary>
public interface IMeasuringSection : ICnnReportSection
{
    /// <summary>A fresh accumulator for one scan, or null when these options need nothing measured (e.g. the section is switched off).</summary>
    /// <param name="model">The network the report is about.</param>
    /// <param name="options">The report's options.</param>
    /// <param name="layers">The shown conv layers, in the order of <see cref="ScannedRow.Maps"/>.</param>
    IRowAccumulator? CreateAccumulator(TrainedCnn model, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers);
}
