namespace Cairn.Storage;

/// <summary>A shard that cannot be read whole, and what is wrong with it.</summary>
internal sealed record DamagedShard(string Path, string Problem);
