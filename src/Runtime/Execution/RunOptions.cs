using System;
using System.Collections.Generic;
using System.Threading;

namespace Cairn.Execution;

/// <summary>Settings of a local run.</summary>
internal sealed record RunOptions
{
    public required string Store { get; init; }

    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>The format asked for (<c>--format</c>): a new store's; an existing store must have it.</summary>
    public Container Container { get; init; }

    private readonly long? _rowsPerShard;

    /// <summary>
    /// A shard is committed when it holds this many rows... By default as many as
    /// <see cref="RowsPerFile"/>: compaction then leaves a run's full shards alone instead of
    /// writing every row a second time (it did, with shards of 10^5: half of a first run's time).
    /// </summary>
    public long RowsPerShard
    {
        get => _rowsPerShard ?? RowsPerFile;
        init => _rowsPerShard = value;
    }

    /// <summary>The default of <see cref="RowsPerFile"/>, for <c>run</c> and <c>compact</c> (<c>--rows</c>).</summary>
    public const long DefaultRowsPerFile = 1_000_000;

    /// <summary>At the end of the run, the store's small shards (of every writer) are merged into files of up to this many rows (<c>--rows</c>).</summary>
    public long RowsPerFile { get; init; } = DefaultRowsPerFile;

    /// <summary>Skip unreadable shards (reported to <see cref="Warn"/>) instead of stopping: <c>--skip-corrupt</c>.</summary>
    public bool SkipCorrupt { get; init; }

    /// <summary>Where the run shows how far its per-point steps are while they run; null for nowhere (<c>--quiet</c>, tests).</summary>
    public IProgressDisplay? Progress { get; init; }

    /// <summary>Where warnings go (stderr in the CLI).</summary>
    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>...or has been open this long, so a crash loses at most this much work.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A worker hands its buffers to the writer after this many points...</summary>
    public int FlushPoints { get; init; } = 16_384;

    /// <summary>...or after this long.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most points a worker takes at a time. Chunks start at one point and grow towards
    /// <see cref="ChunkDuration"/> of work each, so that slow steps spread over all workers and fast
    /// ones do not pay for the hand-over.
    /// </summary>
    public int MaxChunkSize { get; init; } = 1024;

    /// <summary>
    /// The most points whose stored inputs are loaded at once. Points beyond it are handled in
    /// further groups, each reading the input products again.
    /// </summary>
    public int DeferredGroup { get; init; } = 1 << 20;

    /// <summary>
    /// Only these points, by their place in the [Points] enumeration (ascending), each checked
    /// against the id it had when planned: a Slurm task's bundle. Null for all points. With
    /// <see cref="PerPointOnly"/>, the run takes which results are stored from the plan and does
    /// not read the store's state.
    /// </summary>
    public IReadOnlyList<PlannedPoint>? Bundle { get; init; }

    /// <summary>
    /// When the bundle was planned (the time of its file), for a task whose plan may have aged: a
    /// compaction since then moved shards, so the task reads the store's state instead of trusting
    /// the plan (Slurm requeued the task after its submission finished, say). Null: the plan is new.
    /// </summary>
    public DateTime? PlannedAt { get; init; }

    /// <summary>
    /// The shards, relative to the store, that hold the stored inputs of the bundle's points, as the
    /// submission found them; null to look in every shard. When one of them is gone (a compaction
    /// merged it), every shard is read.
    /// </summary>
    public IReadOnlyList<string>? InputShards { get; init; }

    /// <summary>
    /// A name for the shards this run writes (<c>s3a0t17</c> for task 17 of array 0 of submission 3):
    /// a task that Slurm starts again finds what its first attempt committed by the name alone.
    /// </summary>
    public string? ShardTag { get; init; }

    /// <summary>Run the per-point steps only: no global steps and no compaction (a Slurm task; the submission's finish job does those).</summary>
    public bool PerPointOnly { get; init; }

    /// <summary>
    /// The time limit of a step that declares none (<c>--step-timeout</c>): a point whose step runs
    /// longer is recorded as failed (<c>TIMEOUT</c>) and the run goes on. Null for no limit.
    /// </summary>
    public TimeSpan? StepTimeout { get; init; }

    /// <summary>
    /// Cancelled to stop the run early (SIGINT, SIGTERM): no more points are taken, every finished
    /// result is committed with its provenance, and global steps and compaction are left for the
    /// next run.
    /// </summary>
    public CancellationToken Stop { get; init; }

    /// <summary>
    /// How long a step may run for one point before the points after it in its worker's chunk are
    /// handed to a helper thread, so that a slow or hung step holds back no other point.
    /// </summary>
    public TimeSpan HandOverAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When set, the most points that run at once: there are no more workers, and no helper takes
    /// over the rest of a slow step's chunk (see <see cref="HandOverAfter"/>). For points that share
    /// a task's memory, such as those retried after running out of it. Only a step given up on past
    /// its time limit may still run beside them.
    /// </summary>
    public int? PointsAtOnce { get; init; }

    /// <summary>How long a stopped run waits for the steps still running before it leaves them (their points stay pending).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Points its supervisor recorded as failed during this run (their process crashed): left out, whatever else is asked.</summary>
    public IReadOnlySet<PointId> LeaveOut { get; init; } = new HashSet<PointId>();

    /// <summary>The crash journal its supervisor made for this run (see <see cref="CrashJournal"/>); null when not supervised.</summary>
    public string? Journal { get; init; }

    /// <summary>
    /// Only these points (by id), each run even when an earlier run crashed on it, and the per-point
    /// steps only: the run of one suspect point alone (<c>run --isolate</c>). Null for all points,
    /// leaving out those whose open failure is <see cref="FailureCauses.Crashed"/>.
    /// </summary>
    public IReadOnlySet<PointId>? Only { get; init; }

    /// <summary>How much work a chunk should hold.</summary>
    public TimeSpan ChunkDuration { get; init; } = TimeSpan.FromMilliseconds(10);
}
