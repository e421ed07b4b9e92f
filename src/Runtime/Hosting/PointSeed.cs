namespace Cairn.Hosting;

/// <summary>
/// A seed for a random generator that is the same for a point in every run, process and machine:
/// the low 32 bits of the point's id, the hash of its canonical bytes. What the generated
/// <c>Campaign.Seed(point)</c> returns, and what the CAIRN011 code fix seeds a <c>Random</c> with
/// when the point has no <c>Seed</c> property of its own.
/// </summary>
public static class PointSeed
{
    /// <summary>The seed of <paramref name="point"/>.</summary>
    public static int Of<TPoint>(CampaignDefinition<TPoint> definition, TPoint point)
    {
        System.ArgumentNullException.ThrowIfNull(definition);
        var canonical = new CanonicalWriter();
        definition.WriteCanonical(point, canonical);
        return unchecked((int)canonical.ToPointId().Low);
    }
}
