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

    public void Add(string step, Guid point, Exception error)
    {
        Step.Append(step);
        PointId.Append(point);
        ErrorType.Append(error.GetType().FullName ?? error.GetType().Name);
        Message.Append(error.Message);
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
