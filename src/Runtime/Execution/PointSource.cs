using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// The campaign's [Points] enumeration, with an exception of the user's method turned into the one
/// message that says it was the [Points] method and that nothing was lost.
/// </summary>
internal static class PointSource
{
    /// <summary>
    /// The enumeration from place <paramref name="first"/> on: <see cref="Enumerable.Skip{TSource}"/>
    /// goes there at once where [Points] returns a list, an array or a range that LINQ can index, and
    /// walks there otherwise.
    /// </summary>
    public static IEnumerator<TPoint> Start<TPoint>(CampaignDefinition<TPoint> definition, long first = 0)
    {
        try
        {
            IEnumerable<TPoint> points = definition.Points();
            return (first is > 0 and <= int.MaxValue ? points.Skip((int)first) : points).GetEnumerator();
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
    }

    public static bool Next<TPoint>(IEnumerator<TPoint> points)
    {
        try
        {
            return points.MoveNext();
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
    }

    private static CairnException Failed(Exception e) =>
        new($"the [Points] method threw {e.GetType().Name}: {e.Message}; fix it and run again (nothing was lost).", ExitCodes.Error, e);
}
