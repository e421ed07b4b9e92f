using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Storage;

namespace Cairn.Scheduling;

/// <summary>
/// A submission as recorded in <c>slurm/{number}/submission.json</c>: written only after sbatch has
/// accepted all its jobs, so that a store never records as submitted what Slurm does not run.
/// </summary>
internal sealed record Submission(int Number, string Kind, DateTime Created, string Host, int? Throttle, IReadOnlyList<JobArray> Arrays, string? FinishJob, string Scheduler)
{
    public const string Directory = "slurm";

    private const string File = "submission.json";

    /// <summary>The job ids of the arrays and the finish job.</summary>
    public IEnumerable<string> Jobs => Arrays.Select(a => a.Job).Append(FinishJob).OfType<string>();

    public static string Root(CampaignStore store) => Path.Combine(store.Root, Directory);

    public static string DirectoryOf(CampaignStore store, int number) => Path.Combine(Root(store), number.ToString(CultureInfo.InvariantCulture));

    public static string BundlePath(string directory, int array) => Path.Combine(directory, $"array-{array}.bundle");

    public static string ScriptPath(string directory, int array) => Path.Combine(directory, $"array-{array}.sh");

    public static string FinishScriptPath(string directory) => Path.Combine(directory, "finish.sh");

    public static string LogsPath(string directory) => Path.Combine(directory, "logs");

    /// <summary>The tag of the shards that task <paramref name="task"/> of array <paramref name="array"/> writes (see <see cref="Storage.ShardWriter.IsTagged"/>).</summary>
    public static string TaskTag(int submission, int array, int task) => string.Create(CultureInfo.InvariantCulture, $"s{submission}a{array}t{task}");

    /// <summary>The log of task <paramref name="task"/> of <paramref name="job"/> (sbatch's <c>%A_%a.log</c>).</summary>
    public static string LogPath(string directory, string job, int task) => Path.Combine(LogsPath(directory), $"{job}_{task}.log");

    /// <summary>The recorded submissions of the store, oldest first.</summary>
    public static List<Submission> All(CampaignStore store)
    {
        string root = Root(store);
        if (!System.IO.Directory.Exists(root))
        {
            return [];
        }

        return System.IO.Directory.EnumerateDirectories(root)
            .Select(d => Path.Combine(d, File))
            .Where(System.IO.File.Exists)
            .Select(Load)
            .OrderBy(s => s.Number)
            .ToList();
    }

    /// <summary>
    /// What says that a submission of <paramref name="all"/> still has tasks queued or running, and
    /// what to do about it; null when none has.
    /// </summary>
    /// <exception cref="SchedulerException">The scheduler cannot be asked.</exception>
    public static string? StillQueued(List<Submission> all) =>
        FirstQueued(all) is ({ } submission, int tasks)
            ? $"submission {submission.Number} (jobs {string.Join(' ', submission.Jobs)}) still has {tasks} task(s) queued or running; wait for it ('status --watch') or cancel it (scancel {string.Join(' ', submission.Jobs)})"
            : null;

    /// <summary>The first of <paramref name="all"/> with tasks queued or running, and how many; null when none has.</summary>
    /// <exception cref="SchedulerException">The scheduler cannot be asked.</exception>
    public static (Submission Submission, int Tasks)? FirstQueued(IEnumerable<Submission> all)
    {
        foreach (Submission submission in all)
        {
            int queued = BatchSchedulers.Of(submission).Queued(submission.Jobs).Count;
            if (queued > 0)
            {
                return (submission, queued);
            }
        }

        return null;
    }

    /// <summary>Makes the directory of the next submission, numbered after the highest there.</summary>
    public static (int Number, string Directory) CreateNext(CampaignStore store)
    {
        string root = Root(store);
        System.IO.Directory.CreateDirectory(root);
        int next = System.IO.Directory.EnumerateDirectories(root)
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max() + 1;
        string directory = DirectoryOf(store, next);
        System.IO.Directory.CreateDirectory(LogsPath(directory));
        return (next, directory);
    }

    public static Submission Load(CampaignStore store, int number)
    {
        string path = Path.Combine(DirectoryOf(store, number), File);
        return System.IO.File.Exists(path)
            ? Load(path)
            : throw new StoreException($"{store.Root} has no submission {number} ({path} is missing)");
    }

    private static Submission Load(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            static long? Number(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
            var arrays = root.GetProperty("arrays").EnumerateArray().Select(a => new JobArray(
                (int)Number(a, "index")!.Value,
                Text(a, "cause") ?? "pending",
                Number(a, "points")!.Value,
                (int)Number(a, "tasks")!.Value,
                (int)Number(a, "points_per_task")!.Value,
                new TaskResources
                {
                    Partition = Text(a, "partition"),
                    Account = Text(a, "account"),
                    Time = Number(a, "time_seconds") is long s ? TimeSpan.FromSeconds(s) : null,
                    MemoryMb = Number(a, "mem_mb"),
                    CpusPerTask = (int?)Number(a, "cpus_per_task"),
                },
                Text(a, "job"),
                (int?)Number(a, "points_at_once"))).ToList();
            return new Submission(
                (int)Number(root, "number")!.Value,
                Text(root, "kind") ?? "submit",
                root.GetProperty("created").GetDateTime(),
                Text(root, "host") ?? "",
                (int?)Number(root, "throttle"),
                arrays,
                Text(root, "finish_job"),
                Text(root, "scheduler") ?? BatchSchedulers.Slurm.Name);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new StoreException($"{path} is not a valid submission record ({e.Message.Split('\n')[0]}); move it out of the store to go on.", e);
        }
    }

    /// <summary>Writes the record under a temporary name and renames it: readers see all of it or none.</summary>
    public void Save(string directory)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteTo(json);
        }

        string path = Path.Combine(directory, File);
        string temporary = path + ".tmp";
        System.IO.File.WriteAllBytes(temporary, buffer.ToArray());
        System.IO.File.Move(temporary, path, overwrite: false);
    }

    /// <summary>The record as one JSON object: the file's, and what <c>submit --json</c> prints.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("number", Number);
        json.WriteString("kind", Kind);
        json.WriteString("scheduler", Scheduler);
        json.WriteString("created", Created);
        json.WriteString("host", Host);
        if (Throttle is int throttle)
        {
            json.WriteNumber("throttle", throttle);
        }

        json.WriteStartArray("arrays");
        foreach (JobArray array in Arrays)
        {
            json.WriteStartObject();
            json.WriteNumber("index", array.Index);
            json.WriteString("cause", array.Cause);
            json.WriteString("job", array.Job);
            json.WriteNumber("points", array.Points);
            json.WriteNumber("tasks", array.Tasks);
            json.WriteNumber("points_per_task", array.PointsPerTask);
            if (array.PointsAtOnce is int atOnce)
            {
                json.WriteNumber("points_at_once", atOnce);
            }

            TaskResources r = array.Resources;
            if (r.Partition is not null)
            {
                json.WriteString("partition", r.Partition);
            }

            if (r.Account is not null)
            {
                json.WriteString("account", r.Account);
            }

            if (r.Time is { } time)
            {
                json.WriteNumber("time_seconds", (long)Math.Ceiling(time.TotalSeconds));
            }

            if (r.MemoryMb is { } memory)
            {
                json.WriteNumber("mem_mb", memory);
            }

            if (r.CpusPerTask is { } cpus)
            {
                json.WriteNumber("cpus_per_task", cpus);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("finish_job", FinishJob);
        json.WriteEndObject();
    }
}
