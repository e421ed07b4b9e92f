namespace Cairn.Generator.Model;

/// <summary>The <c>[Points]</c> method.</summary>
/// <param name="Method">The method to call, fully qualified.</param>
/// <param name="Name">The method's own name.</param>
/// <param name="PointType">The element type's shape.</param>
/// <param name="HasPointType">Whether the method returns an <c>IEnumerable&lt;T&gt;</c>, so that <see cref="PointType"/> is known.</param>
/// <param name="Problems">What is wrong with the method on its own.</param>
internal sealed record PointsModel(string Method, string Name, TypeModel PointType, bool HasPointType, EquatableArray<Problem> Problems);
