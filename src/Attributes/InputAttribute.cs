using System;

namespace Cairn;

/// <summary>
/// Binds a step parameter to a product. Without a name the parameter's own name is the product's name.
/// A parameter of type <c>IReadOnlyList&lt;T&gt;</c> of a per-point product makes the step a reduction.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Binds the parameter to the product that has the parameter's name.</summary>
    public InputAttribute()
    {
    }

    /// <summary>Binds the parameter to the named product.</summary>
    /// <param name="product">The name of the product, as given by the producing step's <see cref="OutputAttribute"/>.</param>
    public InputAttribute(string product) => Product = product;

    /// <summary>The product this parameter receives, or <see langword="null"/> for the parameter's name.</summary>
    public string? Product { get; }
}
