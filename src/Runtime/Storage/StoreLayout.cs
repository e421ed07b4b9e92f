namespace Cairn.Storage;

/// <summary>Names of the store's directories, files and key columns: the on-disk contract.</summary>
internal static class StoreLayout
{
    public const string Manifest = "campaign.json";
    public const string Points = "points";
    public const string Results = "results";
    public const string Failures = "failures";
    public const string Provenance = "provenance";
    public const string Code = "code";

    /// <summary>
    /// Where rows that stopped being current go (results of older code, of points [Points] no
    /// longer yields, of removed steps, and second copies), mirroring the store's own layout:
    /// <c>history/points/</c>, <c>history/results/&lt;product&gt;/</c>.
    /// </summary>
    public const string History = "history";

    /// <summary>The extension of a step version's stored source: never one that a build compiles.</summary>
    public const string CodeExtension = ".txt";

    /// <summary>The extension earlier versions gave code, renamed when such a store is run.</summary>
    public const string LegacyCodeExtension = ".cs";
    /// <summary>
    /// Present while a compaction changes the store, and after one that was killed: the next
    /// compaction then looks for the copies a kill between a commit and a delete can leave.
    /// </summary>
    public const string UnfinishedCompaction = ".compact.unfinished";

    /// <summary>
    /// Written when a compaction starts: its time tells a Slurm task planned before it that shards
    /// have moved since, and that its plan no longer says what is stored.
    /// </summary>
    public const string LastCompaction = ".compacted";
    public const string PointIdColumn = "point_id";
    public const string KeyColumn = "key";
    public const string InputCountColumn = "input_count";
    public const string PointCountColumn = "points";
    public const int FormatVersion = 1;

    /// <summary>
    /// The manifest's mark that every stored result has its provenance row: true in stores made since
    /// results are committed after their provenance, and once a run has recovered an older store's.
    /// </summary>
    public const string ProvenanceCompleteKey = "provenance_complete";

    /// <summary>
    /// The metadata entry of a per-point product's shard that names the key chain all its rows were
    /// computed under (<c>KeyChain.Signature</c>): written by a run, never by a rewrite that merges
    /// rows of other shards, so that a shard that has it holds no row of another chain.
    /// </summary>
    public const string KeyChainKey = "cairn.key_chain";

    /// <summary>
    /// The metadata entry of a shard whose first column is the point ids: their digest in row order
    /// (<see cref="PointIdsDigest"/>), written when the shard is completed, by runs and rewrites alike.
    /// </summary>
    public const string PointIdsKey = "cairn.point_ids";
}
