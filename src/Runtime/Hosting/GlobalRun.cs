using System;
using System.Collections.Generic;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// The inputs and output of one run of a global step (of one group, for a grouped step), driven by
/// the generated <c>RunGlobal</c>. List inputs are aligned: element i of every list, and of the list
/// of points, belongs to the same point, ordered by point id so that a reduction sees its inputs in
/// the same order on every run.
/// </summary>
public sealed class GlobalRun
{
    private readonly ProductBuffer?[] _inputs;
    private readonly GlobalInputs _run;
    private readonly ProductBuffer? _points;
    private readonly ProductBuffer _output;
    private readonly IValueStream?[]? _streams;

    internal GlobalRun(ProductBuffer?[] inputs, GlobalInputs run, ProductBuffer? points, ProductBuffer output, IValueStream?[]? streams = null)
    {
        _streams = streams;
        _inputs = inputs;
        _run = run;
        _points = points;
        _output = output;
    }

    internal bool Succeeded { get; private set; }

    /// <summary>List input <paramref name="input"/> (its position among the <c>[Input]</c> parameters) over the points that have every list input.</summary>
    public IReadOnlyList<T> List<T>(int input)
    {
        var values = (RecordColumns<T>)Input(input).Values;
        return Gather(values, _run.Rows[input]);
    }

    /// <summary>
    /// Streamed input <paramref name="input"/>: the current values of a per-point product, read shard
    /// by shard as the step enumerates them, in the order the store holds them; for a grouped step,
    /// its group's values, in point-id order.
    /// </summary>
    public IEnumerable<T> Stream<T>(int input) =>
        _streams?[input] is { } stream ? stream.Values<T>() : List<T>(input);

    /// <summary>The points the list inputs are over, aligned with them.</summary>
    public IReadOnlyList<TPoint> Points<TPoint>()
    {
        if (_points is null || _run.PointRows is null)
        {
            throw new InvalidOperationException("the points were not loaded for this step");
        }

        return Gather((RecordColumns<TPoint>)_points.Values, _run.PointRows);
    }

    /// <summary>Single input <paramref name="input"/>: the current value of another global step's product.</summary>
    public T Single<T>(int input) => ((RecordColumns<T>)Input(input).Values).Get(_run.Rows[input][0]);

    /// <summary>Input <paramref name="input"/>: the current results of every group of a grouped step, keyed by group, in key order.</summary>
    public IReadOnlyDictionary<TKey, T> Groups<TKey, T>(int input)
        where TKey : notnull => Input(input).ByGroup<TKey, T>(_run.Rows[input]);

    /// <summary>Records the value the step returned.</summary>
    /// <exception cref="InvalidOperationException">The step returned null (recorded as the step's failure).</exception>
    public void Succeed<T>(T value)
    {
        if (value is null)
        {
            throw new InvalidOperationException("the step returned null; return a value, or throw to record a failure");
        }

        ((RecordColumns<T>)_output.Values).Append(value);
        Succeeded = true;
    }

    private static T[] Gather<T>(RecordColumns<T> values, int[] rows)
    {
        var list = new T[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            list[i] = values.Get(rows[i]);
        }

        return list;
    }

    private ProductBuffer Input(int input) =>
        _inputs[input] ?? throw new InvalidOperationException($"input {input} was not loaded");
}
