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
        var masks = new PointMasks();
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
    public void The_all_zero_id_is_an_id_like_any_other()
    {
        var masks = new PointMasks();
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
        var masks = new PointMasks();
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
}
