using System;
using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>Failed step runs, as stored in <c>failures/</c>: step, point (empty for a global step), error, time.</summary>
internal sealed class FailureBuffer
{
    public Column<string> Step { get; } = new("step");

    public Column<Guid> PointId { get; } = new(StoreLayout.PointIdColumn);

    public Column<string> ErrorType { get; } = new("error_type");

    public Column<string> Message { get; } = new("message");

    public Column<DateTime> Time { get; } = new("time");

    public IReadOnlyList<Column> All => [Step, PointId, ErrorType, Message, Time];

    public int Count => Step.Count;

    public void Add(string step, Guid point, Exception error) => Add(step, point, CauseOf(error), error.Message);

    /// <summary>The cause a failure records for an exception: its type's full name.</summary>
    public static string CauseOf(Exception error) => error.GetType().FullName ?? error.GetType().Name;

    /// <summary>A failure that is no exception of a step, such as a Slurm task killed for its memory.</summary>
    public void Add(string step, Guid point, string errorType, string message)
    {
        Step.Append(step);
        PointId.Append(point);
        ErrorType.Append(errorType);
        Message.Append(message);
        Time.Append(DateTime.UtcNow);
    }

    public void Clear()
    {
        foreach (Column column in All)
        {
            column.Clear();
        }
    }
}
