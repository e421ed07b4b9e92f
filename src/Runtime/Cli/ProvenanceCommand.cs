using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>provenance &lt;product&gt; --point &lt;id&gt; [--format text|prov-json]</c>: the chain point ->
/// results -> step runs behind a current result, with each step's hash and stored source, the Cairn
/// and .NET versions, host, times and peak working set. <c>prov-json</c> is W3C PROV-JSON: points
/// and results are entities, step runs activities, each step version a <c>prov:Plan</c>, the host
/// program the agent, a reduction's input one <c>prov:Collection</c> (the map), and each external
/// program a step ran (<c>[Runs]</c>) an entity the run used, named by its SHA-256.
/// </summary>
internal static class ProvenanceCommand
{
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        string product = line.Positionals[0];
        string format = line.Choice("--format");
        CampaignGraph graph = definition.Graph;
        int step = StoreAccess.StepOf(graph, product);

        PointId? point = null;
        if (line.Has("--point"))
        {
            string text = line.Get("--point", "");
            point = PointId.TryParse(text, out PointId id) ? id
                : throw new UsageException($"'{text}' is not a point id: give the 32 hex digits that `results {product}` prints as point_id");
        }
        else if (step < graph.PerPointCount)
        {
            throw new UsageException($"'{product}' has one result per point: say which with --point <point_id> (`results {product}` lists them)");
        }

        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        string? parameters = point is { } p ? PointParameters(store, definition, p) : null;
        ProvenanceChain chain = ProvenanceChain.Find(definition, store, step, point);
        if (format == "prov-json")
        {
            stdout.WriteLine(ProvJson(graph, store, chain, parameters).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            WriteText(graph, store, chain, parameters, stdout);
        }

        return ExitCodes.Success;
    }

    /// <summary>The point's parameters as <c>name=value, ...</c>.</summary>
    /// <exception cref="CairnException">The store has no such point.</exception>
    private static string PointParameters<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, PointId point)
    {
        ProductBuffer points = ProductReader.LoadPoints(store, definition);
        Guid wanted = point.ToGuid();
        int row = points.PointIds.Values.IndexOf(wanted);
        if (row < 0)
        {
            throw new CairnException($"the store has no point {point}; `results <product>` prints the stored point ids.", ExitCodes.NotFound);
        }

        return string.Join(", ", points.Values.Columns.Select(c => $"{c.Name}={Column.Format(c.GetBoxed(row))}"));
    }

    private static string Code(CampaignStore store, string hash)
    {
        string path = store.CodePath(hash);
        return File.Exists(path) ? File.ReadAllText(path) : $"(no stored source for hash {hash})\n";
    }

    private static string Time(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteText(CampaignGraph graph, CampaignStore store, ProvenanceChain chain, string? parameters, TextWriter stdout)
    {
        ProvenanceBuffer rows = chain.Rows;
        if (chain.Point is { } point)
        {
            stdout.WriteLine($"point {point}: {parameters}");
        }

        foreach (ChainRun run in chain.Runs)
        {
            int row = run.Row;
            StepInfo step = graph.Steps[run.Step];
            stdout.WriteLine();
            stdout.WriteLine($"{step.Product} {run.Key}: made by step {step.Name}{(run.Group is { } group ? $" for group {group}" : "")}, {rows.Status[row]}{(rows.Error[row] is { } error ? $" ({error})" : "")}");
            stdout.WriteLine($"  code     {step.Method}, version {step.Version}, hash {rows.StepHash[row]}");
            stdout.WriteLine($"  ran on   {rows.HostName[row]} with Cairn {rows.Cairn[row]}, {rows.Dotnet[row]}");
            stdout.WriteLine($"  at       {Time(rows.Start[row])} for {rows.DurationMicroseconds[row]} us (peak working set {rows.PeakWorkingSet[row] / (1024.0 * 1024.0):F1} MiB)");
            foreach (ChainInput input in run.Inputs)
            {
                string what = input.MapCount > 0
                    ? $"the map of {input.MapCount} '{graph.Steps[input.Step].Product}' results, digest {input.Key}"
                    : $"{graph.Steps[input.Step].Product} {input.Key}";
                stdout.WriteLine($"  used     {what}");
            }

            if (step.UsesPoint && chain.Point is { } used)
            {
                stdout.WriteLine($"  used     point {used}");
            }
        }

        foreach (string hash in chain.Runs.Select(r => rows.StepHash[r.Row]).Distinct())
        {
            stdout.WriteLine();
            stdout.WriteLine($"code {hash}:");
            foreach (string codeLine in Code(store, hash).TrimEnd('\n').Split('\n'))
            {
                stdout.WriteLine("  " + codeLine);
            }
        }
    }

    private static JsonObject ProvJson(CampaignGraph graph, CampaignStore store, ProvenanceChain chain, string? parameters)
    {
        ProvenanceBuffer rows = chain.Rows;
        var entities = new JsonObject();
        var activities = new JsonObject();
        var agents = new JsonObject();
        var used = new JsonObject();
        var generated = new JsonObject();
        var associated = new JsonObject();
        var members = new JsonObject();
        int relation = 0;
        string Id(string prefix) => $"_:{prefix}{++relation}";

        if (chain.Point is { } point)
        {
            entities[$"point:{point}"] = new JsonObject { ["prov:type"] = "cairn:Point", ["prov:label"] = parameters };
        }

        foreach (ChainRun run in chain.Runs)
        {
            int row = run.Row;
            StepInfo step = graph.Steps[run.Step];
            string result = $"result:{run.Key}";
            string activity = $"run:{run.Key}";
            string plan = $"step:{rows.StepHash[row]}";
            string agent = $"agent:{StoreHash(rows.HostName[row] + "\n" + rows.Cairn[row] + "\n" + rows.Dotnet[row])}";
            entities[result] = new JsonObject { ["prov:type"] = "cairn:Result", ["cairn:product"] = step.Product, ["cairn:step"] = step.Name };
            if (run.Group is { } group)
            {
                entities[result]!["cairn:group"] = group;
            }

            string source = Code(store, rows.StepHash[row]);
            entities[plan] = new JsonObject
            {
                ["prov:type"] = "prov:Plan",
                ["prov:label"] = step.Name,
                ["cairn:method"] = step.Method,
                ["cairn:version"] = step.Version,
                ["cairn:hash"] = rows.StepHash[row],
                ["cairn:source"] = source,
            };
            agents[agent] = new JsonObject
            {
                ["prov:type"] = "prov:SoftwareAgent",
                ["prov:label"] = $"Cairn {rows.Cairn[row]} on {rows.Dotnet[row]} at {rows.HostName[row]}",
                ["cairn:host"] = rows.HostName[row],
                ["cairn:cairnVersion"] = rows.Cairn[row],
                ["cairn:dotnetVersion"] = rows.Dotnet[row],
            };
            DateTime start = rows.Start[row];
            var runNode = new JsonObject
            {
                ["prov:type"] = "cairn:StepRun",
                ["prov:startTime"] = Time(start),
                ["prov:endTime"] = Time(start.AddTicks(rows.DurationMicroseconds[row] * TimeSpan.TicksPerMicrosecond)),
                ["cairn:status"] = rows.Status[row],
                ["cairn:durationMicroseconds"] = rows.DurationMicroseconds[row],
                ["cairn:peakWorkingSet"] = rows.PeakWorkingSet[row],
            };
            if (rows.Error[row] is { } error)
            {
                runNode["cairn:error"] = error;
            }

            activities[activity] = runNode;
            // A recovered row's result was made by the run it stands for, as a succeeded one's was.
            if (rows.Status[row] != ProvenanceBuffer.Failed)
            {
                generated[Id("g")] = new JsonObject { ["prov:entity"] = result, ["prov:activity"] = activity };
            }

            associated[Id("a")] = new JsonObject { ["prov:activity"] = activity, ["prov:agent"] = agent, ["prov:plan"] = plan };
            // The programs the step ran ([Runs]), as its code text recorded them when it ran.
            foreach (ProgramIdentity program in ProgramIdentity.InSource(source))
            {
                string entity = $"program:{program.Sha256}";
                var node = new JsonObject
                {
                    ["prov:type"] = "cairn:Program",
                    ["prov:label"] = program.Version is { } text ? $"{program.Program} {text.Split('\n')[0]}" : program.Program,
                    ["cairn:path"] = program.Path,
                    ["cairn:sha256"] = program.Sha256,
                };
                if (program.Version is { } version)
                {
                    node["cairn:version"] = version;
                }

                entities[entity] = node;
                used[Id("u")] = new JsonObject { ["prov:activity"] = activity, ["prov:entity"] = entity };
            }

            if (step.UsesPoint && chain.Point is { } usedPoint)
            {
                used[Id("u")] = new JsonObject { ["prov:activity"] = activity, ["prov:entity"] = $"point:{usedPoint}" };
            }

            foreach (ChainInput input in run.Inputs)
            {
                string entity = input.MapCount > 0 ? $"map:{input.Key}" : $"result:{input.Key}";
                if (input.MapCount > 0)
                {
                    entities[entity] = new JsonObject
                    {
                        ["prov:type"] = "prov:Collection",
                        ["prov:label"] = $"{input.MapCount} '{graph.Steps[input.Step].Product}' results",
                        ["cairn:product"] = graph.Steps[input.Step].Product,
                        ["cairn:count"] = input.MapCount,
                    };
                    if (chain.Point is not null && chain.Runs.FirstOrDefault(r => r.Step == input.Step) is { } member)
                    {
                        members[Id("m")] = new JsonObject { ["prov:collection"] = entity, ["prov:entity"] = $"result:{member.Key}" };
                    }
                }

                used[Id("u")] = new JsonObject { ["prov:activity"] = activity, ["prov:entity"] = entity };
            }
        }

        var document = new JsonObject
        {
            ["prefix"] = new JsonObject
            {
                ["cairn"] = "urn:cairn:",
                ["point"] = "urn:cairn:point:",
                ["result"] = "urn:cairn:result:",
                ["map"] = "urn:cairn:map:",
                ["run"] = "urn:cairn:run:",
                ["step"] = "urn:cairn:step:",
                ["agent"] = "urn:cairn:agent:",
                ["program"] = "urn:cairn:program:",
            },
            ["entity"] = entities,
            ["activity"] = activities,
            ["agent"] = agents,
            ["used"] = used,
            ["wasGeneratedBy"] = generated,
            ["wasAssociatedWith"] = associated,
        };
        if (members.Count > 0)
        {
            document["hadMember"] = members;
        }

        return document;
    }

    private static string StoreHash(string text) => CampaignStore.HashText(text)[..16];
}
