using System;

namespace Cairn;

/// <summary>
/// Marks the public static method that returns the campaign's initial parameter space,
/// as an <c>IEnumerable&lt;TPoint&gt;</c>. The element type is the campaign's point type.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PointsAttribute : Attribute
{
}
