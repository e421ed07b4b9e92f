using System;
using System.Linq;
using System.Threading.Tasks;
using Cairn.Execution;
using Xunit;

namespace Cairn.Runtime.Tests;

public class PointMasksTests
{
    private static PointId Id(int i) => PointId.Of(System.BitConverter.GetBytes(i));

    [Fact]
    public void Or_returns_the_mask_before_and_accumulates_bits_through_growth()
    {
        using var masks = new PointMasks();
        for (int i = 0; i < 100_000; i++)
        {
            Assert.Equal(0UL, masks.Or(Id(i), 1));
        }

        for (int i = 0; i < 100_000; i += 7)
        {
            Assert.Equal(1UL, masks.Or(Id(i), 4));
        }

        Assert.Equal(100_000, masks.Count);
        Assert.Equal(5UL, masks.Get(Id(7)));
        Assert.Equal(1UL, masks.Get(Id(8)));
        Assert.Equal(0UL, masks.Get(Id(-1)));
    }

    [Fact]
    public void A_frozen_table_counts_as_before_and_refuses_writes()
    {
        using var masks = new PointMasks();
        for (ulong i = 1; i <= 100; i++)
        {
            masks.Or(new PointId(i * 7919, i), i % 3 == 0 ? 0b11UL : 0b01UL);
        }

        masks.Freeze();

        Assert.Equal(100, masks.CountHaving(0b01));
        Assert.Equal(33, masks.CountHaving(0b11));
        Assert.Equal(33, masks.CountHaving(0b11));
        Assert.Throws<InvalidOperationException>(() => masks.Or(new PointId(1, 1), 0b10));
        Assert.Throws<InvalidOperationException>(() => masks.OrInPart(new PointId(1, 1), 0b10));
        Assert.Equal(33, masks.CountHaving(0b10));
    }

    [Fact]
    public void The_all_zero_id_is_an_id_like_any_other()
    {
        using var masks = new PointMasks();
        var zero = new PointId(0, 0);

        Assert.Equal(0UL, masks.Get(zero));
        Assert.Equal(0UL, masks.Or(zero, 2));
        Assert.Equal(2UL, masks.Or(zero, 1));
        Assert.Equal(3UL, masks.Get(zero));
        Assert.Equal(1, masks.Count);
    }

    [Fact]
    public void Concurrent_adds_of_the_same_ids_see_each_id_first_exactly_once()
    {
        using var masks = new PointMasks();
        int[] firsts = new int[4];

        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                if (masks.Or(Id(i), 1) == 0)
                {
                    firsts[t]++;
                }
            }
        });

        Assert.Equal(50_000, firsts.Sum());
        Assert.Equal(50_000, masks.Count);
    }

    [Fact]
    public void Having_lists_exactly_the_ids_with_all_the_bits_also_when_sized_up_front()
    {
        using var masks = new PointMasks(expected: 10_000);
        for (int i = 0; i < 20_000; i++)
        {
            masks.Or(Id(i), (ulong)(i % 4));
        }

        masks.Or(new PointId(0, 0), 3);
        PointId[] expected = [.. Enumerable.Range(0, 20_000).Where(i => i % 4 == 3).Select(Id), new PointId(0, 0)];

        Assert.Equal(expected.Length, masks.CountHaving(3));
        var ids = new PointId[expected.Length];
        Assert.Equal(expected.Length, masks.CopyHaving(3, ids));
        Assert.Equal(expected.Order(), ids.Order());
        Assert.Equal(20_001, masks.Count);
    }

    [Fact]
    public void Each_part_owns_whole_stripes_so_parts_can_fill_the_table_without_locks()
    {
        using var masks = new PointMasks();
        Parallel.For(0, 3, part =>
        {
            for (int i = 0; i < 30_000; i++)
            {
                if (PointMasks.PartOf(Id(i), 3) == part)
                {
                    masks.OrInPart(Id(i), 1);
                }
            }
        });

        Assert.Equal(30_000, masks.Count);
        Assert.Equal(30_000, masks.CountHaving(1));
        Assert.All(Enumerable.Range(0, 1000), i => Assert.InRange(PointMasks.PartOf(Id(i), 3), 0, 2));
    }

    [Fact]
    public void A_disposed_table_refuses_lookups()
    {
        var masks = new PointMasks();
        masks.Or(Id(1), 1);
        masks.Dispose();

        Assert.Throws<System.ObjectDisposedException>(() => masks.Get(Id(1)));
    }

    [Fact]
    public void A_digest_does_not_depend_on_the_order_of_its_keys_and_parts_add_up_to_the_whole()
    {
        PointId[] keys = [.. Enumerable.Range(0, 200_000).Select(Id)];
        PointId[] shuffled = [.. keys.OrderBy(k => k.Low ^ 0x5555)];
        var first = default(KeyDigest);
        var second = default(KeyDigest);
        foreach (PointId key in shuffled.AsSpan(0, 70_000))
        {
            first.Add(key);
        }

        foreach (PointId key in shuffled.AsSpan(70_000))
        {
            second.Add(key);
        }

        first.Add(second);

        Assert.Equal(KeyDigest.Of(keys), KeyDigest.Of(shuffled));
        Assert.Equal(KeyDigest.Of(keys), first.Result());
        Assert.NotEqual(KeyDigest.Of(keys), KeyDigest.Of(keys.AsSpan(1)));
        // The count is part of it: the empty set and the set of the zero key differ.
        Assert.NotEqual(KeyDigest.Of([]), KeyDigest.Of([default]));
    }
}
