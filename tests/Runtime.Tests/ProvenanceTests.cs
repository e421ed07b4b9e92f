using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>The <c>provenance</c> verb: the chain behind a result, as text and as W3C PROV-JSON.</summary>
[Collection("campaign")]
public sealed class ProvenanceTests : IDisposable
{
    private readonly TempStore _store = new();

    public ProvenanceTests()
    {
        TestSteps.PointCount = 50;
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
    }

    public void Dispose() => _store.Dispose();

    /// <summary>The point ids of the current results of a product, from <c>results</c>.</summary>
    private string[] PointIds(string product) =>
        Cli.Run("results", product, "--store", _store.Root).Out.Trim().Split('\n').Skip(1).Select(l => l.Split(',')[0]).ToArray();

    /// <summary>A point whose Square failed, from the failures <c>status</c> lists.</summary>
    private string FailedPoint() =>
        System.Text.RegularExpressions.Regex.Match(Cli.Run("status", "--store", _store.Root).Out, "\n  Square  ([0-9a-f]{32})  ").Groups[1].Value;

    private static string Hash(string step) => Campaign.Graph.Steps.Single(s => s.Name == step).CodeHash;

    /// <summary>Loads a PROV-JSON document with the reference library (python3-prov).</summary>
    private static JsonDocument ProvCheck(string json)
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, json);
        try
        {
            return Tools.RunJson("/usr/bin/python3", "prov-check.py", file, "python3-prov could not load the document (the README's test command installs it)");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int Count(JsonDocument check, string type) =>
        check.RootElement.GetProperty("counts").TryGetProperty(type, out JsonElement n) ? n.GetInt32() : 0;

    [Fact]
    public void Text_shows_the_point_every_run_of_its_chain_and_the_code_of_each_step()
    {
        string point = PointIds("shift")[0];

        var (exit, text, error) = Cli.Run("provenance", "shift", "--point", point, "--store", _store.Root);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.StartsWith($"point {point}: Index=", text, StringComparison.Ordinal);
        Assert.Matches($"shift [0-9a-f]{{32}}: made by step Shift, ok", text);
        Assert.Matches($"square [0-9a-f]{{32}}: made by step Square, ok", text);
        Assert.Contains($"TestSteps.Square, version 1, hash {Hash("Square")}", text, StringComparison.Ordinal);
        Assert.Contains($"ran on   {Environment.MachineName} with Cairn 0.1.0, .NET {Environment.Version}", text, StringComparison.Ordinal);
        Assert.Contains($"code {Hash("Shift")}:", text, StringComparison.Ordinal);
        Assert.Contains("public static Shifted Shift([Input(\"square\")] Squared s, TestPoint p)", text, StringComparison.Ordinal);
        Assert.Contains("return new(s.Value - p.Index, s.Value >= 50, new System.Numerics.Complex(p.Index, -0.5 * p.Index), block);", text, StringComparison.Ordinal);

        // Shift used Square's result of the same point: the key shown under Shift is Square's own.
        string squareKey = System.Text.RegularExpressions.Regex.Match(text, "square ([0-9a-f]{32}): made by").Groups[1].Value;
        Assert.Contains($"used     square {squareKey}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_store_is_marked_as_holding_the_provenance_of_every_result()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_store.Root, "campaign.json")));
        Assert.True(manifest.RootElement.GetProperty("provenance_complete").GetBoolean());
    }

    [Fact]
    public void Results_whose_provenance_an_older_version_lost_get_a_recovered_row_once()
    {
        // An older store that a crash left with results but no provenance, and no mark in its manifest.
        foreach (string shard in _store.Files("provenance"))
        {
            File.Delete(shard);
        }

        string manifestPath = Path.Combine(_store.Root, "campaign.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest.Remove("provenance_complete");
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        string point = PointIds("shift")[0];
        Assert.Equal(ExitCodes.NotFound, Cli.Run("provenance", "shift", "--point", point, "--store", _store.Root).Exit);

        var (exit, _, warnings) = Cli.Run("run", "--store", _store.Root);

        Assert.Equal(ExitCodes.StepsFailed, exit);
        // 45 results of each per-point step, the two reductions', one per phase and the balance.
        Assert.Contains("95 stored result(s) had no provenance", warnings, StringComparison.Ordinal);
        var (found, text, error) = Cli.Run("provenance", "shift", "--point", point, "--store", _store.Root);
        Assert.True(found == ExitCodes.Success, error);
        Assert.Matches("shift [0-9a-f]{32}: made by step Shift, recovered \\(recorded after the fact", text);
        Assert.Matches("square [0-9a-f]{32}: made by step Square, recovered", text);
        Assert.Equal(1, Count(ProvCheck(Cli.Run("provenance", "total", "--store", _store.Root, "--format", "prov-json").Out), "prov:Generation"));
        using JsonDocument marked = JsonDocument.Parse(File.ReadAllText(manifestPath));
        Assert.True(marked.RootElement.GetProperty("provenance_complete").GetBoolean());
        Assert.Equal("Cairn.Runtime.Tests", marked.RootElement.GetProperty("campaign").GetString());

        // Once: the next run neither looks again nor writes more.
        var (_, _, again) = Cli.Run("run", "--store", _store.Root);
        Assert.DoesNotContain("had no provenance", again, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_run_shows_its_error()
    {
        string failed = FailedPoint();

        var (exit, text, _) = Cli.Run("provenance", "square", "--point", failed, "--store", _store.Root);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches("made by step Square, failed \\(System.InvalidOperationException: point \\d+ is unlucky\\)", text);
    }

    [Fact]
    public void Prov_json_loads_with_the_reference_PROV_library()
    {
        string point = PointIds("shift")[0];
        var (exit, json, error) = Cli.Run("provenance", "shift", "--point", point, "--store", _store.Root, "--format", "prov-json");
        Assert.True(exit == ExitCodes.Success, error);

        using JsonDocument check = ProvCheck(json);

        // The point, two results and two plans; two runs by one agent; Square used the point, Shift the point and Square's result.
        Assert.Equal(5, Count(check, "prov:Entity"));
        Assert.Equal(2, Count(check, "prov:Activity"));
        Assert.Equal(1, Count(check, "prov:Agent"));
        Assert.Equal(3, Count(check, "prov:Usage"));
        Assert.Equal(2, Count(check, "prov:Generation"));
        Assert.Equal(2, Count(check, "prov:Association"));
        Assert.Equal(new[] { Hash("Shift"), Hash("Square") }.Select(h => $"step:{h}").Order(StringComparer.Ordinal),
            check.RootElement.GetProperty("plans").EnumerateArray().Select(p => p.GetString()!));
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Contains("public static Squared Square(TestPoint p)", document.RootElement.GetProperty("entity").GetProperty($"step:{Hash("Square")}").GetProperty("cairn:source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reduction_is_one_run_over_a_map_of_N_results_and_a_point_joins_it_as_a_member()
    {
        var (exit, json, error) = Cli.Run("provenance", "total", "--store", _store.Root, "--format", "prov-json");
        Assert.True(exit == ExitCodes.Success, error);
        using (JsonDocument check = ProvCheck(json))
        {
            // The total, its plan and the map: not 45 nodes.
            Assert.Equal(3, Count(check, "prov:Entity"));
            Assert.Equal(1, Count(check, "prov:Activity"));
            Assert.Equal(1, Count(check, "prov:Usage"));
        }

        using (JsonDocument document = JsonDocument.Parse(json))
        {
            JsonElement map = document.RootElement.GetProperty("entity").EnumerateObject().Single(e => e.Name.StartsWith("map:", StringComparison.Ordinal)).Value;
            Assert.Equal("prov:Collection", map.GetProperty("prov:type").GetString());
            Assert.Equal(45, map.GetProperty("cairn:count").GetInt32());
        }

        string point = PointIds("shift")[3];
        var (pointExit, withPoint, _) = Cli.Run("provenance", "total", "--point", point, "--store", _store.Root, "--format", "prov-json");
        Assert.Equal(ExitCodes.Success, pointExit);
        using JsonDocument member = ProvCheck(withPoint);
        Assert.Equal(1, Count(member, "prov:Membership"));
        Assert.Equal(3, Count(member, "prov:Activity"));
        Assert.Contains("used     the map of 45 'shift' results, digest ", Cli.Run("provenance", "total", "--store", _store.Root).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_kept_as_cs_by_an_earlier_version_is_shown_and_renamed_by_the_next_run_so_no_build_compiles_it()
    {
        string kept = Path.Combine(_store.Root, "code", Hash("Square") + ".txt");
        string legacy = Path.ChangeExtension(kept, ".cs");
        string text = File.ReadAllText(kept);
        File.Move(kept, legacy);
        string point = PointIds("square")[0];

        var (exit, shown, _) = Cli.Run("provenance", "square", "--point", point, "--store", _store.Root);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("  " + text.Split('\n')[0] + "\n", shown, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        Assert.False(File.Exists(legacy));
        Assert.Equal(text, File.ReadAllText(kept));
        Assert.Empty(Directory.GetFiles(Path.Combine(_store.Root, "code"), "*.cs"));
    }

    [Fact]
    public void The_code_of_every_step_version_is_kept_once_and_never_rewritten()
    {
        string[] code = _store.Files("code");
        Assert.Equal(Campaign.Graph.Steps.Select(s => Path.Combine(_store.Root, "code", s.CodeHash + ".txt")).Order(StringComparer.Ordinal), code);
        var before = _store.Snapshot().Where(f => f.Path.Contains("/code/", StringComparison.Ordinal)).ToArray();

        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);

        Assert.Equal(before, _store.Snapshot().Where(f => f.Path.Contains("/code/", StringComparison.Ordinal)).ToArray());
        Assert.StartsWith($"// step 'Square' (TestSteps.Square), version 1, hash {Hash("Square")}\n[Step, Output(\"square\")]\npublic static Squared Square(TestPoint p)",
            File.ReadAllText(Path.Combine(_store.Root, "code", Hash("Square") + ".txt")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "provenance", "shift" }, ExitCodes.Usage, "'shift' has one result per point: say which with --point <point_id>")]
    [InlineData(new[] { "provenance", "shift", "--point", "xyz" }, ExitCodes.Usage, "'xyz' is not a point id")]
    [InlineData(new[] { "provenance", "nope", "--point", "00000000000000000000000000000000" }, ExitCodes.Usage, "no product 'nope'")]
    [InlineData(new[] { "provenance", "shift", "--point", "00000000000000000000000000000000" }, ExitCodes.NotFound, "the store has no point 00000000000000000000000000000000")]
    public void Bad_input_gets_one_line_that_says_what_to_do(string[] args, int code, string message)
    {
        var (exit, _, error) = Cli.Run([.. args, "--store", _store.Root]);

        Assert.Equal(code, exit);
        Assert.StartsWith($"error: {message}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_point_has_no_shift_result_to_explain()
    {
        string failed = FailedPoint();

        var (exit, _, error) = Cli.Run("provenance", "shift", "--point", failed, "--store", _store.Root);

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.StartsWith("error: no 'shift' result of the current code for point ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_provenance_shard_is_named_and_run_keeps_every_file()
    {
        string shard = _store.Files("provenance")[0];
        byte[] bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..(bytes.Length / 2)]);
        var before = _store.Snapshot();

        var (exit, _, error) = Cli.Run("provenance", "total", "--store", _store.Root);

        Assert.Equal(ExitCodes.Store, exit);
        Assert.Contains(Path.GetFileName(shard), error, StringComparison.Ordinal);
        Assert.Equal(before, _store.Snapshot());
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        Assert.True(File.Exists(shard));
        Assert.Equal(bytes.Length / 2, new FileInfo(shard).Length);
    }
}
