using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>results &lt;product&gt;</c>: prints a product's current results (those of the current code,
/// for the points [Points] yields now) as CSV or JSON. A per-point product prints one row per point
/// (<c>point_id</c> first, then with <c>--with-points</c> the point's parameters); a global product
/// prints its current row, after <c>input_count</c> and <c>points</c> (what it covered, of how many),
/// and a grouped one a row per group, its group's columns first, in key order.
/// With <c>--all-versions</c>, every stored row, history included, with its <c>key</c>.
/// </summary>
internal static class ResultsCommand
{
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        string product = line.Positionals[0];
        string format = line.Choice("--format");
        CampaignGraph graph = definition.Graph;
        int step = StoreAccess.StepOf(graph, product);

        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        if (ProgramIdentity.Warning(graph) is string missing)
        {
            line.Warn(missing);
        }

        ProductBuffer buffer = ProductReader.Load(store, definition, step);
        using CurrentPoints points = CurrentPoints.Enumerate(definition);
        var current = new CurrentResults<TPoint>(definition, store, points);
        bool allVersions = line.Has("--all-versions");
        bool perPoint = step < graph.PerPointCount;
        int[] currentRows = perPoint ? [.. current.PerPointRows(buffer, step).Values] : current.GlobalRows(buffer, step);
        Column<bool> isCurrent = IsCurrent(buffer.Count, currentRows);
        IEnumerable<int> rows = InStableOrder(allVersions ? Enumerable.Range(0, buffer.Count) : currentRows, buffer, perPoint, currentRows);
        // A reduction's row says how many points its inputs covered, of how many the campaign (or its group) had;
        // a grouped one's rows start with the group's columns.
        IReadOnlyList<Column> groupColumns = buffer.GroupKeys?.Columns ?? [];
        IReadOnlyList<Column> columns = allVersions ? [.. buffer.All, isCurrent]
            : perPoint ? [buffer.PointIds, .. buffer.Values.Columns]
            : [.. groupColumns, buffer.InputCount, buffer.PointCount, .. buffer.Values.Columns];
        if (line.Has("--with-points") && perPoint)
        {
            (columns, rows) = JoinPoints(store, definition, buffer.PointIds, columns.Skip(1), rows);
        }

        if (line.Has("--extract"))
        {
            int[] printed = [.. rows];
            rows = printed;
            Column<Guid>? ids = perPoint && !allVersions ? columns.OfType<Column<Guid>>().FirstOrDefault(c => c.Name == StoreLayout.PointIdColumn) : null;
            columns = Extract(line.Get("--extract", ""), columns, printed, ids);
        }

        if (format == "json")
        {
            WriteJson(stdout, columns, rows);
        }
        else
        {
            WriteCsv(stdout, columns, rows);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Puts the point's columns after <c>point_id</c>: the joined table is built row by row, so the
    /// printing below stays one loop over columns. A point property named like a property of the
    /// product is printed as <c>point.Name</c>, so that no column name appears twice.
    /// </summary>
    private static (IReadOnlyList<Column> Columns, IEnumerable<int> Rows) JoinPoints<TPoint>(
        CampaignStore store, CampaignDefinition<TPoint> definition, Column<Guid> pointIds, IEnumerable<Column> productColumns, IEnumerable<int> rows)
    {
        ProductBuffer points = ProductReader.LoadPoints(store, definition);
        Dictionary<Guid, int> pointRow = ProductReader.FirstRows(points);
        var joined = ProductBuffer.Points(definition.CreatePointColumns());
        var values = (RecordColumns<TPoint>)points.Values;
        var pointValues = (RecordColumns<TPoint>)joined.Values;
        var kept = new List<int>();
        foreach (int row in rows)
        {
            if (pointRow.TryGetValue(pointIds[row], out int at))
            {
                pointValues.Append(values.Get(at));
                kept.Add(row);
            }
        }

        var copy = new RowCopier(kept);
        Column[] product = [.. productColumns.Select(c => copy.Copy(c))];
        var taken = product.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var all = new RowCopier([.. Enumerable.Range(0, kept.Count)]);
        Column[] point = [.. pointValues.Columns.Select(c => taken.Contains(c.Name) ? all.Copy(c, "point." + c.Name) : c)];
        return ([copy.Copy(pointIds), .. point, .. product], Enumerable.Range(0, kept.Count));
    }

    /// <summary>
    /// The same order whatever the shards' order (which compaction changes): per-point rows by point
    /// id, as the typed readers give them; current rows before history (a grouped step's in group key
    /// order); then as stored.
    /// </summary>
    private static int[] InStableOrder(IEnumerable<int> rows, ProductBuffer buffer, bool perPoint, int[] currentRows)
    {
        var rank = new Dictionary<int, int>(currentRows.Length);
        for (int i = 0; i < currentRows.Length; i++)
        {
            rank[currentRows[i]] = i;
        }

        return [.. rows.OrderBy(row => perPoint ? PointId.FromGuid(buffer.PointIds[row]) : default)
            .ThenBy(row => rank.TryGetValue(row, out int at) ? at : int.MaxValue)
            .ThenBy(row => row)];
    }

    /// <summary>The <c>current</c> column of <c>--all-versions</c>: whether a row is the current code's result.</summary>
    private static Column<bool> IsCurrent(int count, int[] currentRows)
    {
        var flags = new bool[count];
        foreach (int row in currentRows)
        {
            flags[row] = true;
        }

        var column = new Column<bool>("current");
        column.AppendRange(flags);
        return column;
    }

    /// <summary>Copies chosen rows of a column into a new column of the same type.</summary>
    private sealed class RowCopier(List<int> rows) : IColumnVisitor
    {
        private Column? _result;
        private string _name = "";

        /// <summary>The chosen rows of <paramref name="column"/>, under <paramref name="name"/> (its own when null).</summary>
        public Column Copy(Column column, string? name = null)
        {
            _name = name ?? column.Name;
            column.Accept(this);
            return _result!;
        }

        public void Visit<T>(Column<T> column)
        {
            var copy = new Column<T>(_name);
            foreach (int row in rows)
            {
                copy.Append(column[row]);
            }

            _result = copy;
        }
    }

    /// <summary>
    /// Writes every <c>byte[]</c> value of the rows (a file a step kept) to a file of its own in
    /// <paramref name="directory"/>, named <c>POINT.COLUMN</c> (<c>rowN.COLUMN</c> for a global
    /// product or <c>--all-versions</c>, N counting the rows printed from 1), and gives the columns
    /// with those paths in the place of the bytes.
    /// </summary>
    private static IReadOnlyList<Column> Extract(string directory, IReadOnlyList<Column> columns, int[] rows, Column<Guid>? points)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"option '--extract' takes a directory to write the files into; {directory} cannot be one: {e.Message}");
        }

        var labels = new Dictionary<int, string>();
        for (int i = 0; i < rows.Length; i++)
        {
            labels[rows[i]] = points is null ? $"row{i + 1}" : PointId.FromGuid(points[rows[i]]).ToString();
        }

        var extracted = new List<Column>(columns.Count);
        foreach (Column column in columns)
        {
            if (column is not Column<byte[]> bytes)
            {
                extracted.Add(column);
                continue;
            }

            var paths = new Column<string>(column.Name);
            for (int row = 0; row < bytes.Count; row++)
            {
                string? path = null;
                if (labels.TryGetValue(row, out string? label) && bytes[row] is { } content)
                {
                    path = Path.GetFullPath(Path.Combine(directory, $"{label}.{column.Name}"));
                    File.WriteAllBytes(path, content);
                }

                paths.Append(path!);
            }

            extracted.Add(paths);
        }

        return extracted;
    }

    private static void WriteCsv(TextWriter stdout, IReadOnlyList<Column> columns, IEnumerable<int> rows)
    {
        stdout.WriteLine(string.Join(",", columns.Select(c => Escape(c.Name))));
        foreach (int row in rows)
        {
            stdout.WriteLine(string.Join(",", columns.Select(c => Escape(Text(c.GetBoxed(row))))));
        }
    }

    /// <summary>A value as a cell of <c>results</c> prints it: a point id in its short form, arrays in brackets.</summary>
    public static string Text(object? value) => value switch
    {
        Guid id => PointId.FromGuid(id).ToString(),
        Array { Rank: 2 } matrix => "[" + string.Join(" ", Enumerable.Range(0, matrix.GetLength(0))
            .Select(i => "[" + string.Join(" ", Enumerable.Range(0, matrix.GetLength(1)).Select(j => Column.Format(matrix.GetValue(i, j)))) + "]")) + "]",
        Array array => "[" + string.Join(" ", array.Cast<object?>().Select(Column.Format)) + "]",
        _ => Column.Format(value),
    };

    private static string Escape(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteJson(TextWriter stdout, IReadOnlyList<Column> columns, IEnumerable<int> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartArray();
            foreach (int row in rows)
            {
                json.WriteStartObject();
                foreach (Column column in columns)
                {
                    json.WritePropertyName(column.Name);
                    WriteValue(json, column.GetBoxed(row));
                }

                json.WriteEndObject();
                if (json.BytesPending > 1 << 16)
                {
                    json.Flush();
                    stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                    buffer.SetLength(0);
                }
            }

            json.WriteEndArray();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case Guid id:
                json.WriteStringValue(PointId.FromGuid(id).ToString());
                break;
            case double d when !double.IsFinite(d):
            case float f when !float.IsFinite(f):
                json.WriteStringValue(Column.Format(value));
                break;
            case DateTime t:
                json.WriteStringValue(t);
                break;
            case System.Numerics.Complex z:
                // [re, im], as numpy's tolist() and h5py's compound {r, i} have it.
                json.WriteStartArray();
                WriteValue(json, z.Real);
                WriteValue(json, z.Imaginary);
                json.WriteEndArray();
                break;
            case Array { Rank: 2 } matrix:
                json.WriteStartArray();
                for (int i = 0; i < matrix.GetLength(0); i++)
                {
                    json.WriteStartArray();
                    for (int j = 0; j < matrix.GetLength(1); j++)
                    {
                        WriteValue(json, matrix.GetValue(i, j));
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            case IFormattable number:
                json.WriteRawValue(Column.Format(number));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }
}
