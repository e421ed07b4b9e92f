using System.Collections.Generic;

namespace Cairn.Reporting;

/// <summary>One series of a result plot: the points whose series parameter has one value (<see cref="Label"/>; empty for a plot of one series).</summary>
internal sealed record ResultSeries(string Label, List<double> X, List<double> Y);
