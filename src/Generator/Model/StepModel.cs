namespace Cairn.Generator.Model;

/// <summary>One <c>[Step]</c> method, as parsed from its own syntax and symbol.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Method">The method to call, fully qualified.</param>
/// <param name="MethodDisplay">The method as <c>Type.Method</c>.</param>
/// <param name="Product">The product it outputs.</param>
/// <param name="Version">The user's <c>[Step(Version = n)]</c>.</param>
/// <param name="Output">The output type's shape.</param>
/// <param name="Awaits">Whether the method returns a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</param>
/// <param name="Parameters">The parameters in order.</param>
/// <param name="CodeHash">The provenance hash (see <see cref="StepHasher"/>); empty in the graph's
/// copy, so that a body edit leaves the graph and the host unchanged.</param>
/// <param name="Source">The normalized source the hash covers; empty in the graph's copy.</param>
/// <param name="Problem">Why the step cannot be wired, or <see langword="null"/>.</param>
internal sealed record StepModel(
    string Name,
    string Method,
    string MethodDisplay,
    string Product,
    int Version,
    TypeModel Output,
    bool Awaits,
    EquatableArray<ParameterModel> Parameters,
    string CodeHash,
    string Source,
    string? Problem)
{
    /// <summary>The identifier of the generated class that holds the step's hash and source.</summary>
    public string Identifier => StepIdentifier(Name);

    /// <summary>This step without its hash and source: what the graph and the host depend on.</summary>
    public StepModel WithoutCode() => this with { CodeHash = "", Source = "" };

    /// <summary>A C# identifier for a step name; names that are not identifiers get a hash suffix so they stay distinct.</summary>
    public static string StepIdentifier(string name)
    {
        if (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
        {
            return name;
        }

        var safe = new System.Text.StringBuilder("Step_");
        foreach (char c in name)
        {
            safe.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return safe.Append('_').Append(StepHasher.Hex(name).Substring(0, 8)).ToString();
    }
}
