using System.Collections.Generic;

namespace Cairn.Execution;

/// <summary>The values a streamed reduction input gives, read as the step enumerates them (<see cref="ProductStream{TPoint}"/>).</summary>
internal interface IValueStream
{
    /// <summary>The values, typed as the step takes them.</summary>
    IEnumerable<T> Values<T>();
}
