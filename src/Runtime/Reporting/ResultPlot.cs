using System.Collections.Generic;
using System.Linq;

namespace Cairn.Reporting;

/// <summary>
/// One numeric output property of a per-point product against a point parameter: its series, how
/// many current results the product has, and which it draws: every <see cref="Stride"/>-th in
/// point-id order (1 unless there are more than <see cref="ResultPlots.MostDrawn"/>), those whose
/// values are finite.
/// </summary>
internal sealed record ResultPlot(string Product, string Property, string XName, string? SeriesName, IReadOnlyList<ResultSeries> Series, long Results, int Stride)
{
    /// <summary>The points drawn, over all series.</summary>
    public int Drawn => Series.Sum(s => s.X.Count);
}
