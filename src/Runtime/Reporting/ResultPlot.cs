using System.Collections.Generic;
using System.Linq;

namespace Cairn.Reporting;

/// <summary>
/// One numeric output property of a per-point product against a point parameter: its series, how
/// many points it draws and how many current results the product has (more when it was thinned, see
/// <see cref="ResultPlots.MostDrawn"/>).
/// </summary>
internal sealed record ResultPlot(string Product, string Property, string XName, string? SeriesName, IReadOnlyList<ResultSeries> Series, long Results)
{
    /// <summary>The points drawn, over all series.</summary>
    public int Drawn => Series.Sum(s => s.X.Count);
}
