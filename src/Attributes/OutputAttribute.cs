using System;

namespace Cairn;

/// <summary>
/// Names the product a step returns. Without it the product has the method's name.
/// May stand on the method or on its return value (<c>[return: Output("psi")]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.ReturnValue, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
    /// <summary>Names the product.</summary>
    /// <param name="product">The product's name: lower-case letters, digits, '_' and '-' keep it portable as a directory name.</param>
    public OutputAttribute(string product) => Product = product;

    /// <summary>The product's name.</summary>
    public string Product { get; }

    /// <summary>
    /// The format its results are stored in, whatever the campaign's: <see cref="Container.Hdf5"/>
    /// for wavefunctions, spectra and matrices that h5py should read as N x shape datasets.
    /// </summary>
    public Container Container { get; set; }
}
