namespace Cairn;

/// <summary>A stored per-point value with the id of its point.</summary>
/// <typeparam name="T">The product's (or the point's) type.</typeparam>
/// <param name="Point">The id of the point.</param>
/// <param name="Value">The stored value.</param>
public readonly record struct Result<T>(PointId Point, T Value);
