using System;
using System.Collections.Generic;
using Cairn.Columns;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// The inputs and output of one global step's run, driven by the generated <c>RunGlobal</c>.
/// List inputs are aligned: element i of every list belongs to the same point, ordered by point id
/// so that a reduction sees its inputs in the same order on every run.
/// </summary>
public sealed class GlobalRun
{
    private readonly ProductBuffer?[] _inputs;
    private readonly int[]?[] _rows;
    private readonly ProductBuffer _output;

    internal GlobalRun(ProductBuffer?[] inputs, int[]?[] rows, ProductBuffer output)
    {
        _inputs = inputs;
        _rows = rows;
        _output = output;
    }

    internal bool Succeeded { get; private set; }

    /// <summary>List input <paramref name="input"/> (its parameter position among the inputs) over all points that have every list input.</summary>
    public IReadOnlyList<T> List<T>(int input)
    {
        var values = (RecordColumns<T>)Input(input).Values;
        int[] rows = _rows[input] ?? throw new InvalidOperationException($"input {input} is not a list input");
        var list = new T[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            list[i] = values.Get(rows[i]);
        }

        return list;
    }

    /// <summary>Single input <paramref name="input"/>: the current value of another global step's product.</summary>
    public T Single<T>(int input)
    {
        int[] rows = _rows[input] ?? throw new InvalidOperationException($"input {input} was not loaded");
        return ((RecordColumns<T>)Input(input).Values).Get(rows[0]);
    }

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

    private ProductBuffer Input(int input) =>
        _inputs[input] ?? throw new InvalidOperationException($"input {input} was not loaded");
}
