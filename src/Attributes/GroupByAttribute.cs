using System;

namespace Cairn;

/// <summary>
/// Makes a reduction run once per group of points rather than once over all of them: the points
/// that have equal values of the named properties of the point type form a group. Each group's
/// run receives, in its list inputs, the values of its own points (in point-id order), and yields
/// one result, stored with the group's properties as columns before the output's. A group's result
/// key covers its own points' inputs only, so adding points to one group recomputes that group's
/// result alone. Another once-run step reads all groups' results as an
/// <c>IReadOnlyDictionary&lt;TKey, T&gt;</c>, where <c>TKey</c> is the property's type (a tuple of
/// them for several properties).
/// </summary>
/// <example>
/// <code>
/// [Step, GroupBy(nameof(Point.Size)), Output("curves")]
/// public static GapCurve Curve([Input("obs")] IReadOnlyList&lt;Observables&gt; obs, IReadOnlyList&lt;Point&gt; points) => ...;
///
/// [Step, Output("limit")]
/// public static Limit Extrapolate([Input("curves")] IReadOnlyDictionary&lt;int, GapCurve&gt; bySize) => ...;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GroupByAttribute : Attribute
{
    /// <summary>Groups by the named properties of the point type, in this order (use <c>nameof</c>).</summary>
    /// <param name="properties">The properties whose values make the group.</param>
    public GroupByAttribute(params string[] properties) => Properties = properties;

    /// <summary>The properties of the point type whose values make the group.</summary>
    public string[] Properties { get; }
}
