using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>The points a plan names, found again in the [Points] enumeration.</summary>
internal static class PlannedPoints
{
    /// <summary>
    /// Walks [Points] to each planned place (<paramref name="planned"/> in ascending order) and
    /// yields the point there with its id.
    /// </summary>
    /// <exception cref="CairnException">[Points] no longer gives the planned point at a place.</exception>
    public static IEnumerable<(TPoint Point, PointId Id, PlannedPoint Planned)> Walk<TPoint>(CampaignDefinition<TPoint> definition, IReadOnlyList<PlannedPoint> planned)
    {
        if (planned.Count == 0)
        {
            yield break;
        }

        var canonical = new CanonicalWriter();
        // Places below the first planned one need not be seen: a list of points is entered there.
        long first = planned[0].Index <= int.MaxValue ? planned[0].Index : 0;
        using IEnumerator<TPoint> points = PointSource.Start(definition, first);
        long index = first - 1;
        foreach (PlannedPoint wanted in planned)
        {
            while (index < wanted.Index)
            {
                if (!PointSource.Next(points))
                {
                    throw Changed($"it gives only {index + 1} points");
                }

                index++;
            }

            canonical.Reset();
            definition.WriteCanonical(points.Current, canonical);
            PointId id = canonical.ToPointId();
            if (!wanted.Matches(id))
            {
                throw Changed($"point {wanted.Index} is {id}, not the point planned there");
            }

            yield return (points.Current, id, wanted);
        }
    }

    private static CairnException Changed(string detail) =>
        new($"the [Points] method no longer gives the points this task was planned with ({detail}); it must give the same points in the same order on every call. Submit again to plan with the current points.", ExitCodes.Error);
}
