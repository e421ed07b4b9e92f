using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Cairn.Execution;
using Cairn.Storage;

namespace Cairn.Scheduling;

/// <summary>
/// The plan of an array, one file, read a task at a time. Task t holds points
/// [t * points per task, (t + 1) * points per task) of the array, in enumeration order.
/// </summary>
/// <remarks>
/// Layout (little-endian): the magic <c>CAIRNBD2</c>; the task count; the distinct stored masks of
/// the points (a u32 count, then u64 each); the byte offset of every task's block and of the end.
/// A task's block: its point count; the shards that hold its points' stored inputs (a u32 count,
/// then each as a u16 byte length and UTF-8); its points as runs of consecutive places with one
/// mask (two varints: the gap from the end of the run before, then (length - 1) * masks + the
/// mask's number); then a u32 fingerprint per point. Points planned in one sweep form one run, so a
/// point costs about 4 bytes, and at most 8 (plus a few bytes per task) while fewer than 128 masks
/// are planned and neighbours in the plan are less than 2^21 places apart.
/// </remarks>
internal static class BundleFile
{
    private static ReadOnlySpan<byte> Magic => "CAIRNBD2"u8;

    /// <summary>Writes the plan of an array whose tasks hold <paramref name="pointsPerTask"/> points each.</summary>
    /// <param name="path">The file, written under a temporary name and renamed.</param>
    /// <param name="points">The array's points, in enumeration order.</param>
    /// <param name="pointsPerTask">Points per task (the last task may hold fewer).</param>
    /// <param name="inputShards">The shards, relative to the store, that hold a point's stored inputs.</param>
    public static void Write(string path, IReadOnlyList<BundlePoint> points, int pointsPerTask, Func<BundlePoint, IEnumerable<string>>? inputShards = null)
    {
        int tasks = (points.Count + pointsPerTask - 1) / pointsPerTask;
        ulong[] masks = points.Select(p => p.Planned.Stored).Distinct().Order().ToArray();
        var maskNumber = masks.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var blocks = new List<byte[]>(tasks);
        for (int task = 0; task < tasks; task++)
        {
            int first = task * pointsPerTask;
            int count = Math.Min(pointsPerTask, points.Count - first);
            blocks.Add(Block(points, first, count, maskNumber, inputShards));
        }

        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(tasks);
            writer.Write(masks.Length);
            foreach (ulong mask in masks)
            {
                writer.Write(mask);
            }

            long offset = Magic.Length + 4 + 4 + (8L * masks.Length) + (8L * (tasks + 1));
            foreach (byte[] block in blocks)
            {
                writer.Write(offset);
                offset += block.Length;
            }

            writer.Write(offset);
            foreach (byte[] block in blocks)
            {
                writer.Write(block);
            }
        }

        File.Move(temporary, path);
    }

    private static byte[] Block(IReadOnlyList<BundlePoint> points, int first, int count, Dictionary<ulong, int> maskNumber, Func<BundlePoint, IEnumerable<string>>? inputShards)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        writer.Write(count);
        string[] shards = inputShards is null ? [] : Enumerable.Range(first, count).SelectMany(i => inputShards(points[i])).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        writer.Write(shards.Length);
        foreach (string shard in shards)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(shard);
            writer.Write(checked((ushort)bytes.Length));
            writer.Write(bytes);
        }

        long end = 0;
        for (int i = first; i < first + count;)
        {
            PlannedPoint start = points[i].Planned;
            int length = 1;
            while (i + length < first + count && points[i + length].Index == start.Index + length && points[i + length].Planned.Stored == start.Stored)
            {
                length++;
            }

            writer.Write7BitEncodedInt64(start.Index - end);
            writer.Write7BitEncodedInt64(((length - 1L) * maskNumber.Count) + maskNumber[start.Stored]);
            end = start.Index + length;
            i += length;
        }

        for (int i = first; i < first + count; i++)
        {
            writer.Write(points[i].Planned.Fingerprint);
        }

        writer.Flush();
        return buffer.ToArray();
    }


    /// <summary>The points of task <paramref name="task"/> (none past the last task), and the shards of their stored inputs.</summary>
    /// <exception cref="StoreException">The file is not a bundle of this version.</exception>
    public static BundleTask ReadTask(string path, int task)
    {
        using BinaryReader reader = Open(path);
        int tasks = reader.ReadInt32();
        if (task >= tasks)
        {
            return new BundleTask([], []);
        }

        var masks = new ulong[reader.ReadInt32()];
        for (int i = 0; i < masks.Length; i++)
        {
            masks[i] = reader.ReadUInt64();
        }

        reader.BaseStream.Position += 8L * task;
        long offset = reader.ReadInt64();
        reader.BaseStream.Position = offset;
        int count = reader.ReadInt32();
        var shards = new string[reader.ReadInt32()];
        for (int i = 0; i < shards.Length; i++)
        {
            shards[i] = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
        }

        var points = new PlannedPoint[count];
        long end = 0;
        for (int read = 0; read < count;)
        {
            long start = end + reader.Read7BitEncodedInt64();
            long lengthAndMask = reader.Read7BitEncodedInt64();
            int length = (int)(lengthAndMask / masks.Length) + 1;
            ulong mask = masks[lengthAndMask % masks.Length];
            for (int i = 0; i < length; i++)
            {
                points[read++] = new PlannedPoint(start + i, 0, mask);
            }

            end = start + length;
        }

        for (int i = 0; i < count; i++)
        {
            points[i] = points[i] with { Fingerprint = reader.ReadUInt32() };
        }

        return new BundleTask(points, shards);
    }

    private static BinaryReader Open(string path)
    {
        var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        Span<byte> magic = stackalloc byte[8];
        if (reader.Read(magic) != magic.Length || !magic.SequenceEqual(Magic))
        {
            reader.Dispose();
            throw new StoreException($"{path} is not a bundle that this version of Cairn reads; submit again to plan with it.");
        }

        return reader;
    }
}
