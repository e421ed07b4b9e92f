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
    private CampaignStore(string root, Container container, string campaign)
    {
        Root = root;
        Container = container;
        Campaign = campaign;
    }

    /// <summary>The campaign the store holds.</summary>
    public string Campaign { get; }

    public string Root { get; }

    /// <summary>The campaign's format, chosen when the store was created: points and the products that do not choose their own.</summary>
    public Container Container { get; }

    /// <summary>The format new point shards are written in.</summary>
    public IShardFormat PointsFormat => FormatOf(Container);

    /// <summary>The format new shards of <paramref name="step"/>'s product are written in: its own <c>[Output(Container = ...)]</c>, else the campaign's.</summary>
    public IShardFormat ProductFormat(StepInfo step) => FormatOf(step.Container == Container.Default ? Container : step.Container);

    /// <summary>Failures and provenance are bookkeeping tables, always Parquet.</summary>
    public static IShardFormat TableFormat => ParquetShardFormat.Instance;

    private static IShardFormat FormatOf(Container container) =>
        container == Container.Hdf5 ? Hdf5.Hdf5ShardFormat.Instance : ParquetShardFormat.Instance;

    /// <summary>The name <c>run --format</c> and the manifest give a container.</summary>
    public static string NameOf(Container container) => container == Container.Hdf5 ? "hdf5" : "parquet";

    public string PointsDirectory => Path.Combine(Root, StoreLayout.Points);

    public string FailuresDirectory => Path.Combine(Root, StoreLayout.Failures);

    public string ProvenanceDirectory => Path.Combine(Root, StoreLayout.Provenance);

    public string CodeDirectory => Path.Combine(Root, StoreLayout.Code);

    /// <summary>The directory of a product's current results, <c>results/&lt;product&gt;</c>.</summary>
    /// <exception cref="StoreException">The name could lead out of <c>results/</c> (a hand-written campaign; the generator refuses it with CAIRN018).</exception>
    public string ProductDirectory(string product) =>
        Generator.StoreNames.Problem(product) is string problem
            ? throw new StoreException($"the product name '{product}' {problem}, so it cannot name a directory of the store; rename it with letters, digits, '_', '-' and '.' (not first).")
            : Path.Combine(Root, StoreLayout.Results, product);

    /// <summary>The directory under <c>history/</c> that holds what stopped being current in <paramref name="directory"/> (points/ or a product's).</summary>
    public string HistoryOf(string directory) => Path.Combine(Root, StoreLayout.History, Path.GetRelativePath(Root, directory));

    /// <summary>The names of the products that have a directory under <c>results/</c>, current or not.</summary>
    public IReadOnlyList<string> StoredProducts() =>
        Directory.Exists(Path.Combine(Root, StoreLayout.Results))
            ? Directory.EnumerateDirectories(Path.Combine(Root, StoreLayout.Results)).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>
    /// Opens the store, creating it when asked and absent with the format <paramref name="container"/>
    /// (Parquet when <see cref="Container.Default"/>), and checks it holds this campaign. An existing
    /// store keeps the format it was created with: another one asked for is reported to
    /// <paramref name="warn"/> and ignored. The campaign's graph may have changed since: steps,
    /// products and their types come and go, and keys tell which stored results are still current.
    /// </summary>
    /// <exception cref="StoreException">The directory holds something else, or another campaign.</exception>
    public static CampaignStore Open(string root, string campaign, bool create, Container container = Container.Default, Action<string>? warn = null)
    {
        RefuseFile(root);
        string manifest = Path.Combine(root, StoreLayout.Manifest);
        bool provenanceComplete;
        if (!File.Exists(manifest))
        {
            bool empty = !Directory.Exists(root) || !Directory.EnumerateFileSystemEntries(root).Any(e => Path.GetFileName(e) != RunLease.FileName);
            if (!empty)
            {
                throw new StoreException($"{root} is not empty and has no {StoreLayout.Manifest}, so it is not a Cairn store; give --store a new or empty directory.");
            }

            if (!create)
            {
                throw new StoreException($"no store at {root}: run the campaign first ('run --store {root}').");
            }

            container = container == Container.Default ? Container.Parquet : container;
            MakeRoot(root);
            WriteManifest(manifest, campaign, container);

            provenanceComplete = true;
        }
        else
        {
            (string storedCampaign, Container stored, provenanceComplete) = ReadManifest(manifest);
            if (storedCampaign != campaign)
            {
                throw new StoreException($"{root} holds campaign '{storedCampaign}', not '{campaign}'; give --store a new directory for this campaign.");
            }

            if (container != Container.Default && container != stored)
            {
                warn?.Invoke($"warning: {root} was created with --format {NameOf(stored)} and keeps it; --format {NameOf(container)} applies to a new store (give --store a new directory for one).");
            }

            container = stored;
        }

        return new CampaignStore(root, container, campaign) { ProvenanceComplete = provenanceComplete };
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

    /// <summary>Whether process <paramref name="pid"/> of this host is running.</summary>
    public static bool IsRunning(int pid)
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
    /// Keeps the normalized source of each step version once, as <c>code/{hash}.txt</c>, so that the
    /// code behind a result can be shown after the source has changed. An existing file is never
    /// rewritten. Not <c>.cs</c>: a store inside a project directory would be compiled into it.
    /// </summary>
    public void SaveCode(IEnumerable<StepInfo> steps)
    {
        Directory.CreateDirectory(CodeDirectory);
        RenameLegacyCode();
        foreach (StepInfo step in steps)
        {
            string path = CodePath(step.CodeHash);
            if (File.Exists(path))
            {
                continue;
            }

            string temporary = Path.Combine(CodeDirectory, $".{step.CodeHash}-{Environment.MachineName}-{Environment.ProcessId}-0{StoreLayout.CodeExtension}.tmp");
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

    /// <summary>
    /// Stores made by earlier versions kept code as <c>code/{hash}.cs</c>, which MSBuild compiled into a
    /// project holding the store: renamed to <see cref="StoreLayout.CodeExtension"/>, content unchanged.
    /// </summary>
    private void RenameLegacyCode()
    {
        foreach (string legacy in Directory.EnumerateFiles(CodeDirectory, "*" + StoreLayout.LegacyCodeExtension))
        {
            if (Path.GetFileName(legacy).StartsWith('.'))
            {
                continue;
            }

            string renamed = Path.ChangeExtension(legacy, StoreLayout.CodeExtension);
            try
            {
                File.Move(legacy, renamed, overwrite: false);
            }
            catch (IOException) when (File.Exists(renamed))
            {
                // Renamed by another writer, or stored anew: same hash, same text.
                File.Delete(legacy);
            }
        }
    }

    /// <summary>Where the source of the step version with <paramref name="hash"/> is kept (in a store not yet run by this version, possibly under its old name).</summary>
    public string CodePath(string hash)
    {
        string path = Path.Combine(CodeDirectory, hash + StoreLayout.CodeExtension);
        string legacy = Path.Combine(CodeDirectory, hash + StoreLayout.LegacyCodeExtension);
        return !File.Exists(path) && File.Exists(legacy) ? legacy : path;
    }

    /// <summary>The committed shards of a directory, oldest first (names start with their UTC commit time).</summary>
    public IReadOnlyList<string> Shards(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory)
            .Where(path => !Path.GetFileName(path).StartsWith('.') && FormatOfFile(path) is not null && !_damaged.Contains(path))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private readonly HashSet<string> _damaged = new(StringComparer.Ordinal);

    /// <summary>
    /// Leaves damaged shards (found by <see cref="StoreVerification"/>) out of <see cref="Shards"/>
    /// for the rest of this command: none of their rows counts, so <c>run</c> computes them again,
    /// and compaction neither merges nor deletes them. The files stay as they are.
    /// </summary>
    public void Exclude(IEnumerable<string> damaged) => _damaged.UnionWith(damaged);

    /// <summary>The format of a shard, by its extension; null for other files.</summary>
    private static IShardFormat? FormatOfFile(string path) =>
        path.EndsWith(ParquetShardFormat.Instance.Extension, StringComparison.Ordinal) ? ParquetShardFormat.Instance
        : path.EndsWith(Hdf5.Hdf5ShardFormat.Instance.Extension, StringComparison.Ordinal) ? Hdf5.Hdf5ShardFormat.Instance
        : null;

    /// <summary>
    /// Whether a shard that cannot be read is skipped (<c>--skip-corrupt</c>) rather than stopping
    /// the command. A skipped shard is reported to <see cref="Warn"/> and left where it is: its results
    /// count as missing, so <c>run</c> computes them again.
    /// </summary>
    public bool SkipCorrupt { get; set; }

    /// <summary>Receives one line per skipped shard.</summary>
    public Action<string> Warn { get; set; } = _ => { };

    /// <summary>The tag that the names of the shards this process writes carry (see <see cref="ShardWriter.IsTagged"/>); null for none.</summary>
    public string? ShardTag { get; set; }

    /// <summary>Appends every row of one committed shard, of either format, to <paramref name="columns"/>, when it holds <paramref name="schema"/>.</summary>
    /// <returns>False when nothing of the shard was appended: it holds another schema (an older type's
    /// rows, none of them current), or it was unreadable and skipped.</returns>
    /// <exception cref="StoreException">The shard is unreadable and <see cref="SkipCorrupt"/> is off.</exception>
    public bool Read(string shard, IReadOnlyList<Column> columns, ShardSchema schema)
    {
        int[] counts = columns.Select(c => c.Count).ToArray();
        try
        {
            return FormatOfShard(shard).Read(shard, columns, schema);
        }
        catch (StoreException) when (!File.Exists(shard))
        {
            // Compacted away since it was listed: its rows are in a newer shard (see ReadAll).
            Truncate(columns, counts);
            return false;
        }
        catch (StoreException e) when (SkipCorrupt)
        {
            Truncate(columns, counts);
            Warn($"warning: skipped (--skip-corrupt) {e.Problem}; it stays in the store, and its results count as missing");
            return false;
        }
    }

    /// <summary>Whether a readable shard holds another schema than <paramref name="schema"/> (false for an unreadable one).</summary>
    public static bool HoldsOtherSchema(string shard, ShardSchema schema)
    {
        try
        {
            return FormatOfFile(shard) is { } format && !format.Read(shard, [], schema);
        }
        catch (StoreException)
        {
            return false;
        }
    }

    private static void Truncate(IReadOnlyList<Column> columns, int[] counts)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            columns[i].Truncate(counts[i]);
        }
    }

    /// <summary>The number of rows of a committed shard, from its metadata.</summary>
    public static long Rows(string shard) => FormatOfShard(shard).Rows(shard);

    /// <summary>Entries of a committed shard's metadata, one per key (null when it has none by that name), from one read of it.</summary>
    public static string?[] Metadata(string shard, params string[] keys) => FormatOfShard(shard).Metadata(shard, keys);

    /// <summary>The format of a committed shard, by its extension.</summary>
    /// <exception cref="StoreException">It has no shard's extension.</exception>
    private static IShardFormat FormatOfShard(string shard) => FormatOfFile(shard) ?? throw StoreException.Unreadable(shard, "is not a Cairn shard");

    /// <summary>
    /// The committed shards of a directory, then those of its history (<see cref="HistoryOf"/>): a
    /// row stays current where it lies until a run moves it, so readers that decide currency by key
    /// read both.
    /// </summary>
    public IReadOnlyList<string> ShardsWithHistory(string directory) => [.. Shards(directory), .. Shards(HistoryOf(directory))];

    /// <summary>Appends every committed row of a directory and of its history to <paramref name="columns"/>, from the shards that hold <paramref name="schema"/>.</summary>
    /// <remarks>
    /// A shard that a concurrent compaction merged, moved or deleted after it was listed is gone by
    /// the time it is read: the directories are listed again and the new shards read too. Rows read
    /// twice that way are harmless, as readers count a result once.
    /// </remarks>
    public void ReadAll(string directory, IReadOnlyList<Column> columns, ShardSchema schema) => ReadEach(directory, columns, schema, shardRead: null);

    /// <summary>
    /// Reads the shards of a directory and of its history one at a time, as <see cref="ReadAll(string, IReadOnlyList{Column}, ShardSchema)"/>
    /// does, calling <paramref name="shardRead"/> with each shard's rows in <paramref name="columns"/>
    /// and clearing them after it: a reader whose memory must not grow with the store's rows.
    /// </summary>
    public void ReadEach(string directory, IReadOnlyList<Column> columns, ShardSchema schema, Action? shardRead)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool vanished = true;
        while (vanished)
        {
            vanished = false;
            foreach (string shard in ShardsWithHistory(directory))
            {
                if (!seen.Add(shard))
                {
                    continue;
                }

                if (Read(shard, columns, schema))
                {
                    if (shardRead is not null)
                    {
                        shardRead();
                        foreach (Column column in columns)
                        {
                            column.Clear();
                        }
                    }
                }
                else if (!File.Exists(shard))
                {
                    vanished = true;
                }
            }
        }
    }

    /// <summary>Appends every committed row of a directory to the buffer.</summary>
    public void ReadAll(string directory, ProductBuffer buffer) => ReadAll(directory, buffer.All, buffer.Schema);

    /// <summary>A sink for shards of <paramref name="content"/> in <paramref name="directory"/>, with this store's metadata.</summary>
    public ShardSink CreateSink(IShardFormat format, string directory, string content, long rowsPerShard, TimeSpan commitInterval) =>
        new(format, directory, Metadata(content), rowsPerShard, commitInterval, ShardTag);

    /// <summary>Commits <paramref name="rows"/> as one table shard (failures, provenance) of <paramref name="directory"/>; returns the files committed (none for no rows).</summary>
    public int CommitTable(string directory, string content, IReadOnlyList<Column> rows)
    {
        using ShardSink sink = CreateSink(TableFormat, directory, content, long.MaxValue, TimeSpan.MaxValue);
        sink.Append(rows);
        sink.Commit();
        return sink.FilesCommitted;
    }

    /// <summary>
    /// A sink for shards of <paramref name="step"/>'s product, in its format, with the step's name and
    /// code hash in the metadata, and the signature of the key chain every row is computed under
    /// (<see cref="StoreLayout.KeyChainKey"/>) when <paramref name="keyChain"/> is given.
    /// </summary>
    public ShardSink CreateSink(StepInfo step, long rowsPerShard, TimeSpan commitInterval, string? keyChain = null)
    {
        Dictionary<string, string> metadata = Metadata(step.Product);
        metadata["cairn.step"] = step.Name;
        metadata["cairn.code_hash"] = step.CodeHash;
        if (keyChain is not null)
        {
            metadata[StoreLayout.KeyChainKey] = keyChain;
        }

        return new(ProductFormat(step), ProductDirectory(step.Product), metadata, rowsPerShard, commitInterval, ShardTag);
    }

    /// <summary>The metadata written into every shard.</summary>
    private Dictionary<string, string> Metadata(string content) => new()
    {
        ["cairn.format"] = StoreLayout.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["cairn.campaign"] = Campaign,
        ["cairn.content"] = content,
        ["cairn.version"] = typeof(CampaignStore).Assembly.GetName().Version?.ToString() ?? "",
    };

    private static void RefuseFile(string root)
    {
        if (File.Exists(root))
        {
            throw new StoreException($"{root} is a file, not a directory; give --store a directory (a new or empty one for a new campaign).");
        }
    }

    /// <summary>Makes the directory of a store (nothing when it exists), or says in one line why it cannot.</summary>
    /// <exception cref="StoreException">It is a file, or it cannot be made.</exception>
    public static void MakeRoot(string root)
    {
        RefuseFile(root);
        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !DiskSpace.IsFull(e))
        {
            throw new StoreException($"cannot make a store at {root} ({e.Message}); give --store a directory you can create and write in.");
        }
    }

    private static void WriteManifest(string path, string campaign, Container container)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("format", StoreLayout.FormatVersion);
            json.WriteString("campaign", campaign);
            json.WriteString("container", NameOf(container));
            json.WriteString("created", DateTime.UtcNow);
            json.WriteBoolean(StoreLayout.ProvenanceCompleteKey, true);
            json.WriteEndObject();
        }

        string temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, buffer.ToArray());
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the store at the same moment: its manifest stands, and is checked as any.
            File.Delete(temp);
        }
    }

    /// <summary>Whether every stored result has its provenance row (<see cref="StoreLayout.ProvenanceCompleteKey"/>).</summary>
    public bool ProvenanceComplete { get; private set; }

    /// <summary>Marks in the manifest that every stored result has its provenance row; the rest of the manifest stays as it is.</summary>
    public void MarkProvenanceComplete()
    {
        string path = Path.Combine(Root, StoreLayout.Manifest);
        System.Text.Json.Nodes.JsonNode manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllBytes(path))!;
        manifest[StoreLayout.ProvenanceCompleteKey] = true;
        AtomicFile.Write(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        ProvenanceComplete = true;
    }

    private static (string Campaign, Container Container, bool ProvenanceComplete) ReadManifest(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            // Stores made before HDF5 existed have no container: they are Parquet.
            string container = root.TryGetProperty("container", out JsonElement c) ? c.GetString() ?? "" : "parquet";
            return (root.GetProperty("campaign").GetString() ?? "",
                container switch
                {
                    "parquet" => Container.Parquet,
                    "hdf5" => Container.Hdf5,
                    _ => throw new StoreException($"{path} names container '{container}', which this Cairn does not know; use the Cairn version that made the store."),
                },
                root.TryGetProperty(StoreLayout.ProvenanceCompleteKey, out JsonElement complete) && complete.ValueKind == JsonValueKind.True);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new StoreException($"{path} is not a valid Cairn manifest ({e.Message.Split('\n')[0]}); restore it from a backup, or give --store a new directory.", e);
        }
    }

    /// <summary>Hex of a 128-bit hash of UTF-8 text.</summary>
    public static string HashText(string text) => PointId.Of(Encoding.UTF8.GetBytes(text)).ToString();
}
