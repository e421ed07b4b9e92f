namespace Cairn.Execution;

/// <summary>Where the history pass (<see cref="Supersession{TPoint}"/>) puts a stored row.</summary>
internal enum RowPlace
{
    /// <summary>A current row, the first copy met: in <c>points/</c> or <c>results/</c>.</summary>
    Results,

    /// <summary>A row that is not current: in <c>history/</c>.</summary>
    History,

    /// <summary>A second copy of a current row (the same key is the same result): not kept anywhere.</summary>
    Dropped,
}
