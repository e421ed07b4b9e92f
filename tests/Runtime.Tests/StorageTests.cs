using System;
using System.Collections.Generic;
using System.IO;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

public sealed class StorageTests : IDisposable
{
    private readonly TempStore _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Column<double>[] Values(params double[] values)
    {
        var column = new Column<double>("x");
        column.AppendRange(values);
        return [column];
    }

    [Fact]
    public void A_shard_is_invisible_until_committed_and_then_appears_whole_under_its_final_name()
    {
        using var writer = new ShardWriter(ParquetShardFormat.Instance, _dir.Root, Values(1), new Dictionary<string, string>());
        writer.Append(Values(1, 2, 3));

        Assert.Empty(Directory.GetFiles(_dir.Root, "*.parquet"));
        writer.Commit();

        string shard = Assert.Single(Directory.GetFiles(_dir.Root));
        Assert.Equal(writer.FinalPath, shard);
        var read = new Column<double>("x");
        Assert.True(ParquetShardFormat.Instance.Read(shard, [read], ShardSchema.Of([read])));
        Assert.Equal([1.0, 2, 3], read.Values.ToArray());
    }

    [Fact]
    public void A_shard_of_another_schema_is_passed_over_whether_a_name_or_only_a_type_differs()
    {
        using (var writer = new ShardWriter(ParquetShardFormat.Instance, _dir.Root, Values(1), new Dictionary<string, string>()))
        {
            writer.Append(Values(1, 2, 3));
            writer.Commit();
        }

        string shard = Assert.Single(Directory.GetFiles(_dir.Root));
        var retyped = new Column<long>("x");
        var renamed = new Column<double>("y");

        Assert.False(ParquetShardFormat.Instance.Read(shard, [retyped], ShardSchema.Of([retyped])));
        Assert.False(ParquetShardFormat.Instance.Read(shard, [renamed], ShardSchema.Of([renamed])));
        Assert.Equal(0, retyped.Count + renamed.Count);
        var same = new Column<double>("x");
        Assert.True(ParquetShardFormat.Instance.Read(shard, [same], ShardSchema.Of([same])));
        Assert.Equal(3, same.Count);
    }

    [Fact]
    public void Disposing_an_uncommitted_shard_leaves_no_file_behind()
    {
        using (var writer = new ShardWriter(ParquetShardFormat.Instance, _dir.Root, Values(1), new Dictionary<string, string>()))
        {
            writer.Append(Values(1, 2));
        }

        Assert.Empty(Directory.GetFiles(_dir.Root));
    }

    [Fact]
    public void Temporaries_of_dead_writers_on_this_host_are_removed_and_all_others_kept()
    {
        CampaignStore store = CampaignStore.Open(_dir.Root, "c", create: true);
        string results = Path.Combine(_dir.Root, "results", "x");
        Directory.CreateDirectory(results);
        string host = Environment.MachineName;
        string dead = Path.Combine(results, $".20261125T000000-{host}-{int.MaxValue}-0001.parquet.tmp");
        string live = Path.Combine(results, $".20261125T000000-{host}-{Environment.ProcessId}-0002.parquet.tmp");
        string elsewhere = Path.Combine(results, $".20261125T000000-other-node-07-{int.MaxValue}-0003.parquet.tmp");
        string committed = Path.Combine(results, $"20261125T000000-{host}-{int.MaxValue}-0004.parquet");
        foreach (string path in new[] { dead, live, elsewhere, committed })
        {
            File.WriteAllText(path, "x");
        }

        Assert.Equal(1, store.RemoveAbandonedTemporaries());

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(elsewhere));
        Assert.True(File.Exists(committed));
    }

    [Fact]
    public void Point_ids_print_as_the_hex_of_their_uuid_and_parse_back()
    {
        PointId id = PointId.Of([1, 2, 3]);

        Assert.Equal(id.ToString(), id.ToGuid().ToString("N"));
        Assert.Equal(id, PointId.FromGuid(id.ToGuid()));
        Assert.True(PointId.TryParse(id.ToGuid().ToString("D"), out PointId parsed));
        Assert.Equal(id, parsed);
        Assert.False(PointId.TryParse("xyz", out _));

        // The UUID's big-endian bytes are the id's bytes, high half first.
        var known = new PointId(0x0011223344556677, 0x8899aabbccddeeff);
        Assert.Equal(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), known.ToGuid());
        Assert.Equal(known, PointId.FromGuid(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")));
    }

    [Fact]
    public void Canonical_bytes_tell_apart_what_equality_of_numbers_would_not()
    {
        static PointId Id(Action<CanonicalWriter> write)
        {
            var writer = new CanonicalWriter();
            write(writer);
            return writer.ToPointId();
        }

        Assert.Equal(Id(w => w.Write(1.5)), Id(w => w.Write(1.5)));
        Assert.NotEqual(Id(w => w.Write(0.0)), Id(w => w.Write(-0.0)));
        Assert.NotEqual(Id(w => { w.Write("ab"); w.Write("c"); }), Id(w => { w.Write("a"); w.Write("bc"); }));
        Assert.NotEqual(Id(w => w.Write((string?)null)), Id(w => w.Write("")));
    }

    [Fact]
    public void The_planner_runs_missing_steps_and_loads_the_stored_inputs_they_need()
    {
        var graph = new CampaignGraph("c", "P",
        [
            new StepInfo("A", "a", "S.A", "T", StepKind.PerPoint, 1, "h", true, []),
            new StepInfo("B", "b", "S.B", "T", StepKind.PerPoint, 1, "h", true, [new StepInput("a", false)]),
            new StepInfo("C", "c", "S.C", "T", StepKind.PerPoint, 1, "h", true, []),
        ]);
        var planner = new Planner(graph);

        static PointPlan Plan(ulong run, ulong load) => new(StepSet.Of(run), StepSet.Of(load));
        Assert.Equal(Plan(0b111, 0), planner.Plan(0UL));
        Assert.Equal(Plan(0, 0), planner.Plan(0b111UL));
        Assert.Equal(Plan(0b010, 0b001), planner.Plan(0b101UL));
        Assert.Equal(Plan(0b100, 0), planner.Plan(0b011UL));
        Assert.Equal(Plan(0b100, 0), planner.Plan(StoredState.PointBit | StoredState.SeenBit | 0b011));
    }

    [Fact]
    public void A_step_set_holds_the_steps_of_a_point_table_mask_without_its_flags()
    {
        StepSet stored = StepSet.Of(StoredState.PointBit | StoredState.SeenBit | 0b101);
        Assert.Equal(0b101UL, stored.Bits);
        Assert.Equal((true, false, true, 2), (stored.Contains(0), stored.Contains(1), stored.Contains(2), stored.Count));
        Assert.Equal(StepSet.Of(0b111), stored.With(1));
        Assert.Equal(StepSet.Only(1), StepSet.FirstSteps(3).Except(stored));
        Assert.True(stored.Overlaps(StepSet.Only(2)));
        Assert.False(stored.Overlaps(StepSet.Only(1)));
        Assert.Equal(StepSet.FirstSteps(CampaignGraph.MaxPerPointSteps), StepSet.Of(ulong.MaxValue));
        Assert.Equal("{0, 2}", stored.ToString());
    }

    private sealed class TextColumns : RecordColumns<string>
    {
        private readonly Column<string> _text = new("Text");

        public override IReadOnlyList<Column> Columns => [_text];

        public override void Append(string value) => _text.Append(value);

        public override string Get(int row) => _text[row];
    }

    [Fact]
    public void A_step_that_returns_null_is_a_failure_with_a_message_that_says_what_to_do()
    {
        var graph = new CampaignGraph("c", "P", [new StepInfo("A", "a", "S.A", "T", StepKind.PerPoint, 1, "h", true, [])]);
        var run = new PointRun(graph, new ResultBatch(() => new TextColumns(), _ => new TextColumns(), graph));
        run.Start(Guid.NewGuid(), new PointPlan(StepSet.Only(0), StepSet.Empty));
        Assert.True(run.Begin(0));

        var error = Assert.Throws<InvalidOperationException>(() => run.Succeed<string?>(0, null));

        Assert.Equal("step 'A' returned null; return a value, or throw to record a failure", error.Message);
        run.Fail(0, error);
        Assert.Equal(1, run.Counts[0].Failed);
        Assert.Equal(0, run.Counts[0].Computed);
    }

    [Fact]
    public void A_graph_whose_input_comes_from_no_earlier_step_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new CampaignGraph("c", "P",
            [new StepInfo("B", "b", "S.B", "T", StepKind.PerPoint, 1, "h", true, [new StepInput("a", false)])]));

        Assert.StartsWith("step 'B' reads product 'a', which no earlier step outputs", error.Message, StringComparison.Ordinal);
    }
}
