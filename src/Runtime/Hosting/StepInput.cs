namespace Cairn.Hosting;

/// <summary>One <c>[Input]</c> parameter of a step.</summary>
/// <param name="Product">The product it receives.</param>
/// <param name="IsList">Whether it receives the list of that product over all points (a reduction input), or a stream of it.</param>
public sealed record StepInput(string Product, bool IsList)
{
    /// <summary>Whether it receives the product's values as a stream (<c>IEnumerable&lt;T&gt;</c>), read shard by shard, rather than as a list.</summary>
    public bool Streamed { get; init; }
}
