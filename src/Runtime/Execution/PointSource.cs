using System;
using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// The campaign's [Points] enumeration, with an exception of the user's method turned into the one
/// message that says it was the [Points] method and that nothing was lost.
/// </summary>
internal static class PointSource
{
    public static IEnumerator<TPoint> Start<TPoint>(CampaignDefinition<TPoint> definition)
    {
        try
        {
            return definition.Points().GetEnumerator();
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
