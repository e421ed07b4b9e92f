using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>
/// Reads every shard of a store whole, every column of every page (Parquet pages verified against
/// their checksums), to find the damaged ones, whichever column the damage is in: <c>verify</c>, and
/// <c>run --skip-corrupt</c> before it decides what to compute.
/// </summary>
internal static class StoreVerification
{
    /// <summary>Every damaged shard of the store, and how many shards were read.</summary>
    public static (IReadOnlyList<DamagedShard> Damaged, int Checked) Run<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        bool skip = store.SkipCorrupt;
        store.SkipCorrupt = false;
        var damaged = new List<DamagedShard>();
        int count = 0;
        try
        {
            foreach (StoreDirectory directory in StoreDirectories.Of(store, definition))
            {
                Column[] columns = directory.Columns.Select(c => c.CreateEmpty()).ToArray();
                ShardSchema schema = ShardSchema.Of(columns);
                foreach (string shard in store.Shards(directory.Path))
                {
                    count++;
                    foreach (Column column in columns)
                    {
                        column.Clear();
                    }

                    try
                    {
                        // A shard of another schema (an older type) is not read: none of its rows is current.
                        _ = store.Read(shard, columns, schema);
                    }
                    catch (StoreException e)
                    {
                        damaged.Add(new DamagedShard(shard, e.Problem));
                    }
                }
            }
        }
        finally
        {
            store.SkipCorrupt = skip;
        }

        return (damaged, count);
    }
}
