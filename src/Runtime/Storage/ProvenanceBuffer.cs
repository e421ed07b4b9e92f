using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>
/// One row per step run, as stored in <c>provenance/</c>: the result's key, the step and its code
/// hash, the point (none for a global step), the keys of its inputs (for a global step: the digest
/// of each input, one node for the whole map), where, when and how long it ran, the process's peak
/// working set, and whether it succeeded. Repeated values (step, hash, host, versions) cost next to
/// nothing once dictionary-encoded; the keys and the point id are most of a row.
/// </summary>
internal sealed class ProvenanceBuffer
{
    public const string Succeeded = "ok";

    public const string Failed = "failed";

    /// <summary>A row written after the fact for a stored result that had none (see <c>ProvenanceRecovery</c>).</summary>
    public const string Recovered = "recovered";

    private static readonly Guid[] NoInputs = [];

    /// <summary>The name of this host, as recorded.</summary>
    public static string Host { get; } = Environment.MachineName;

    /// <summary>The version of the Cairn runtime that ran the step.</summary>
    public static string CairnVersion { get; } =
        typeof(ProvenanceBuffer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ProvenanceBuffer).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The .NET runtime that ran the step.</summary>
    public static string DotnetVersion { get; } = RuntimeInformation.FrameworkDescription;

    public Column<Guid> Key { get; } = new(StoreLayout.KeyColumn);

    public Column<string> Step { get; } = new("step");

    public Column<string> StepHash { get; } = new("step_hash");

    public Column<Guid?> PointId { get; } = new(StoreLayout.PointIdColumn);

    public Column<Guid[]> InputKeys { get; } = new("input_keys");

    public Column<string> HostName { get; } = new("host");

    public Column<DateTime> Start { get; } = new("start");

    public Column<long> DurationMicroseconds { get; } = new("duration_us");

    public Column<long> PeakWorkingSet { get; } = new("peak_working_set");

    public Column<string> Status { get; } = new("status");

    public Column<string?> Error { get; } = new("error");

    public Column<string> Cairn { get; } = new("cairn_version");

    public Column<string> Dotnet { get; } = new("dotnet_version");

    public IReadOnlyList<Column> All => [Key, Step, StepHash, PointId, InputKeys, HostName, Start, DurationMicroseconds, PeakWorkingSet, Status, Error, Cairn, Dotnet];

    public ShardSchema Schema => ShardSchema.Of(All);

    public int Count => Key.Count;

    /// <summary>
    /// Records one step run. The peak working set is filled in for all rows at once by
    /// <see cref="CompletePeakWorkingSet"/> when the rows are written.
    /// </summary>
    public void Add(Guid key, StepInfo step, Guid? point, Guid[] inputKeys, DateTime start, TimeSpan duration, Exception? error) =>
        Add(key, step, point, inputKeys, start, duration, error is null ? null : Describe(error));

    /// <summary>An exception as the <c>error</c> column holds it: its type, then its message.</summary>
    public static string Describe(Exception error) => $"{error.GetType().FullName}: {error.Message}";

    /// <summary>Records one step run that failed with <paramref name="error"/> (cause and message), or succeeded when it is null.</summary>
    public void Add(Guid key, StepInfo step, Guid? point, Guid[] inputKeys, DateTime start, TimeSpan duration, string? error) =>
        Append(key, step, point, inputKeys, Host, start, duration, error is null ? Succeeded : Failed, error);

    private void Append(Guid key, StepInfo step, Guid? point, Guid[] inputKeys, string host, DateTime start, TimeSpan duration, string status, string? error)
    {
        Key.Append(key);
        Step.Append(step.Name);
        StepHash.Append(step.CodeHash);
        PointId.Append(point);
        InputKeys.Append(inputKeys.Length == 0 ? NoInputs : inputKeys);
        HostName.Append(host);
        Start.Append(start);
        DurationMicroseconds.Append(duration.Ticks / TimeSpan.TicksPerMicrosecond);
        Status.Append(status);
        Error.Append(error);
        Cairn.Append(CairnVersion);
        Dotnet.Append(DotnetVersion);
    }

    /// <summary>
    /// Records what can be told of a stored result that has no provenance row (its run ended before
    /// the row was committed): its key, step and code hash, point and input keys; host, start,
    /// duration and peak working set are unknown (empty, the epoch, 0, 0).
    /// </summary>
    public void AddRecovered(Guid key, StepInfo step, Guid? point, Guid[] inputKeys)
    {
        Append(key, step, point, inputKeys, "", DateTime.UnixEpoch, TimeSpan.Zero, Recovered,
            "recorded after the fact: the run that computed this result ended before its provenance was committed; host, start and duration are unknown");
        PeakWorkingSet.Append(0);
    }

    /// <summary>Sets the peak working set of the rows added since the last call to the process's peak so far.</summary>
    public void CompletePeakWorkingSet()
    {
        if (PeakWorkingSet.Count == Count)
        {
            return;
        }

        using var process = Process.GetCurrentProcess();
        long peak = process.PeakWorkingSet64;
        while (PeakWorkingSet.Count < Count)
        {
            PeakWorkingSet.Append(peak);
        }
    }

    public void Clear()
    {
        foreach (Column column in All)
        {
            column.Clear();
        }
    }
}
