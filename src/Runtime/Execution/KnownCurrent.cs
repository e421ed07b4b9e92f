using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// What a run knows, from its table of point masks, about where the current rows lie: how many
/// current rows each directory must hold, and whether any lies in history. The history pass
/// (<see cref="Supersession{TPoint}"/>) then reads no key of a directory whose shards already hold
/// exactly that many rows when none lies in history (every current row is in it, so there is no
/// room for another), and no shard of history at all: a cached rerun pays a look at each shard's
/// row count, not a second read of every key.
/// </summary>
internal sealed class KnownCurrent
{
    private readonly PointMasks _masks;

    private KnownCurrent(PointMasks masks, bool inHistory)
    {
        _masks = masks;
        InHistory = inHistory;
    }

    /// <summary>Whether some current row (a point, or a current result of one) lies in history.</summary>
    public bool InHistory { get; }

    /// <summary>
    /// From a run's table (current points marked <see cref="StoredState.SeenBit"/>) and the table of
    /// what <see cref="StoredState.Load"/> found in history.
    /// </summary>
    public static KnownCurrent Of(PointMasks masks, PointMasks history)
    {
        long count = history.Count;
        var ids = new PointId[count];
        int found = history.CopyHaving(0, ids);
        bool inHistory = false;
        for (int i = 0; i < found && !inHistory; i++)
        {
            inHistory = (masks.Get(ids[i]) & StoredState.SeenBit) != 0;
        }

        return new KnownCurrent(masks, inHistory);
    }

    /// <summary>How many current rows <c>points/</c> must hold.</summary>
    public long Points => _masks.CountHaving(StoredState.SeenBit);

    /// <summary>How many current rows per-point step <paramref name="step"/>'s product must hold.</summary>
    public long Results(int step) => _masks.CountHaving(StepSet.Only(step).Bits | StoredState.SeenBit);

    /// <summary>
    /// Whether every row of <paramref name="directory"/> is current, each point's once: none lies in
    /// history, so all <paramref name="expected"/> current rows are in the directory, and its shards
    /// hold that many rows by their metadata, which leaves room for no other row.
    /// </summary>
    public bool AllCurrent(CampaignStore store, string directory, long expected) => !InHistory && RowsIn(store, directory) == expected;

    /// <summary>The rows a directory's shards hold, from their metadata; -1 when one cannot be read.</summary>
    private static long RowsIn(CampaignStore store, string directory)
    {
        long rows = 0;
        foreach (string shard in store.Shards(directory))
        {
            try
            {
                rows += CampaignStore.Rows(shard);
            }
            catch (StoreException)
            {
                return -1;
            }
        }

        return rows;
    }
}
