using System;
using System.Globalization;
using System.IO.Hashing;

namespace Cairn.Storage;

/// <summary>
/// The digest of a shard's point ids in row order: XxHash128 over each id's 16 bytes, big-endian (the
/// bytes of Parquet's UUID column; HDF5 holds them as 32 hex digits), printed as 32 hex digits. Two shards with the same digest hold
/// the same points in the same order, so what one says of its rows is said of the other's: a run
/// writes a batch's new points and their results together, and a rerun reads such a product shard's
/// rows with the points shard's (see <see cref="StoreLayout.PointIdsKey"/>). Built as the rows are
/// appended, so a shard of 10^6 rows costs a few ms more to write.
/// </summary>
internal sealed class PointIdsDigest
{
    private readonly XxHash128 _hash = new();
    private readonly byte[] _block = new byte[16 * 1024];

    /// <summary>Adds ids, in row order.</summary>
    public void Append(ReadOnlySpan<Guid> ids)
    {
        while (!ids.IsEmpty)
        {
            int count = Math.Min(ids.Length, _block.Length / 16);
            for (int i = 0; i < count; i++)
            {
                ids[i].TryWriteBytes(_block.AsSpan(i * 16, 16), bigEndian: true, out _);
            }

            _hash.Append(_block.AsSpan(0, count * 16));
            ids = ids[count..];
        }
    }

    /// <summary>The digest of the ids appended so far.</summary>
    public string Text => _hash.GetCurrentHashAsUInt128().ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>The digest of <paramref name="ids"/>.</summary>
    public static string Of(ReadOnlySpan<Guid> ids)
    {
        var digest = new PointIdsDigest();
        digest.Append(ids);
        return digest.Text;
    }
}
