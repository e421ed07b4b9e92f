namespace Cairn.Hosting;

/// <summary>One <c>[Input]</c> parameter of a step.</summary>
/// <param name="Product">The product it receives.</param>
/// <param name="IsList">Whether it receives the list of that product over all points (a reduction input).</param>
public sealed record StepInput(string Product, bool IsList);
