namespace Cairn.Generator.Model;

/// <summary>The <c>[Points]</c> method.</summary>
/// <param name="Method">The method to call, fully qualified.</param>
/// <param name="PointType">The element type's shape.</param>
/// <param name="Problem">Why it cannot be used, or <see langword="null"/>.</param>
internal sealed record PointsModel(string Method, TypeModel PointType, string? Problem);
