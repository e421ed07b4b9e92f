using System;

namespace Cairn.Runtime.Tests;

/// <summary>
/// Tests of the test campaign with no failing point (Square fails nowhere) on 100 points, each on a
/// store of its own: a run's product shards then hold the same points as its points shards.
/// Derived classes run in the "campaign" collection, since they change the campaign's settings.
/// </summary>
public abstract class ReliableCampaignTests : IDisposable
{
    protected ReliableCampaignTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.Unlucky = false;
        TestSteps.ResetCalls();
    }

    private protected TempStore Store { get; } = new();

    public void Dispose()
    {
        TestSteps.Unlucky = true;
        Store.Dispose();
        GC.SuppressFinalize(this);
    }
}
