using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>
/// A store directory: <c>campaign.json</c> (which campaign and graph it holds), <c>points/</c>,
/// <c>results/&lt;product&gt;/</c> and <c>failures/</c>, each a set of immutable committed shards.
/// Many writers may add shards at once; nothing here modifies or deletes a committed shard.
/// </summary>
internal sealed class CampaignStore
{
    private CampaignStore(string root, IShardFormat format, string campaign, string signature)
    {
        Root = root;
        Format = format;
        Campaign = campaign;
        Signature = signature;
    }

    /// <summary>The campaign the store holds.</summary>
    public string Campaign { get; }

    /// <summary>The signature of its graph.</summary>
    public string Signature { get; }

    public string Root { get; }

    public IShardFormat Format { get; }

    public string PointsDirectory => Path.Combine(Root, StoreLayout.Points);

    public string FailuresDirectory => Path.Combine(Root, StoreLayout.Failures);

    public string ProvenanceDirectory => Path.Combine(Root, StoreLayout.Provenance);

    public string CodeDirectory => Path.Combine(Root, StoreLayout.Code);

    public string ProductDirectory(string product) => Path.Combine(Root, StoreLayout.Results, product);

    /// <summary>Opens the store, creating it when asked and absent; checks it holds this campaign.</summary>
    /// <exception cref="StoreException">The directory holds something else.</exception>
    public static CampaignStore Open(string root, string campaign, string signature, bool create)
    {
        string manifest = Path.Combine(root, StoreLayout.Manifest);
        if (!File.Exists(manifest))
        {
            bool empty = !Directory.Exists(root) || !Directory.EnumerateFileSystemEntries(root).Any();
            if (!empty)
            {
                throw new StoreException($"{root} is not empty and has no {StoreLayout.Manifest}, so it is not a Cairn store; give --store a new or empty directory.");
            }

            if (!create)
            {
                throw new StoreException($"no store at {root}: run the campaign first ('run --store {root}').");
            }

            Directory.CreateDirectory(root);
            WriteManifest(manifest, campaign, signature);
        }
        else
        {
            (string storedCampaign, string storedSignature) = ReadManifest(manifest);
            if (storedSignature != signature)
            {
                throw new StoreException($"{root} holds campaign '{storedCampaign}' with a different graph (steps, products or their types differ); give --store a new directory for this campaign.");
            }
        }

        return new CampaignStore(root, ParquetShardFormat.Instance, campaign, signature);
    }

    /// <summary>
    /// Deletes the temporary files of shards that a killed writer on this host left behind: hidden
    /// <c>.*.tmp</c> files whose name carries this host and the id of a process that is gone. They
    /// were never committed, so no result is lost; files of live writers and of other hosts stay.
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    public int RemoveAbandonedTemporaries()
    {
        int removed = 0;
        foreach (string path in Directory.EnumerateFiles(Root, ".*.tmp", SearchOption.AllDirectories))
        {
            // .{time}-{host}-{pid}-{sequence}{extension}.tmp; the host may itself contain '-'.
            string[] parts = Path.GetFileName(path)[1..].Split('-');
            if (parts.Length >= 4
                && string.Join('-', parts[1..^2]) == Environment.MachineName
                && int.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                && !IsRunning(pid))
            {
                File.Delete(path);
                removed++;
            }
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Keeps the normalized source of each step version once, as <c>code/{hash}.cs</c>, so that the
    /// code behind a result can be shown after the source has changed. An existing file is never rewritten.
    /// </summary>
    public void SaveCode(IEnumerable<StepInfo> steps)
    {
        Directory.CreateDirectory(CodeDirectory);
        foreach (StepInfo step in steps)
        {
            string path = CodePath(step.CodeHash);
            if (File.Exists(path))
            {
                continue;
            }

            string temporary = Path.Combine(CodeDirectory, $".{step.CodeHash}-{Environment.MachineName}-{Environment.ProcessId}-0.cs.tmp");
            File.WriteAllText(temporary, $"// step '{step.Name}' ({step.Method}), version {step.Version}, hash {step.CodeHash}\n{step.Source}");
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another writer stored the same version first: same hash, same text.
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Where the source of the step version with <paramref name="hash"/> is kept.</summary>
    public string CodePath(string hash) => Path.Combine(CodeDirectory, hash + ".cs");

    /// <summary>The committed shards of a directory, oldest first (names start with their UTC commit time).</summary>
    public IReadOnlyList<string> Shards(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*" + Format.Extension)
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Appends every committed row of a directory to <paramref name="columns"/>, checking each shard has <paramref name="schema"/>.</summary>
    public void ReadAll(string directory, IReadOnlyList<Column> columns, IReadOnlyList<string> schema)
    {
        foreach (string shard in Shards(directory))
        {
            Format.Read(shard, columns, schema);
        }
    }

    /// <summary>Appends every committed row of a directory to the buffer.</summary>
    public void ReadAll(string directory, ProductBuffer buffer) => ReadAll(directory, buffer.All, buffer.ColumnNames);

    /// <summary>A sink for shards of <paramref name="content"/> in <paramref name="directory"/>, with this store's metadata.</summary>
    public ShardSink CreateSink(string directory, string content, long rowsPerShard, TimeSpan commitInterval) =>
        new(Format, directory, Metadata(content), rowsPerShard, commitInterval);

    /// <summary>The metadata written into every shard.</summary>
    private Dictionary<string, string> Metadata(string content) => new()
    {
        ["cairn.format"] = StoreLayout.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["cairn.campaign"] = Campaign,
        ["cairn.graph"] = Signature,
        ["cairn.content"] = content,
        ["cairn.version"] = typeof(CampaignStore).Assembly.GetName().Version?.ToString() ?? "",
    };

    private static void WriteManifest(string path, string campaign, string signature)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("format", StoreLayout.FormatVersion);
            json.WriteString("campaign", campaign);
            json.WriteString("graph", signature);
            json.WriteString("created", DateTime.UtcNow);
            json.WriteEndObject();
        }

        string temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, buffer.ToArray());
        File.Move(temp, path, overwrite: false);
    }

    private static (string Campaign, string Signature) ReadManifest(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            return (root.GetProperty("campaign").GetString() ?? "", root.GetProperty("graph").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new StoreException($"{path} is not a valid Cairn manifest ({e.Message.Split('\n')[0]}); restore it from a backup, or give --store a new directory.", e);
        }
    }

    /// <summary>Hex of a 128-bit hash of UTF-8 text.</summary>
    public static string HashText(string text) => PointId.Of(Encoding.UTF8.GetBytes(text)).ToString();
}
