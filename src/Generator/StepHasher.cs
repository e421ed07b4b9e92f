using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cairn.Generator;

/// <summary>
/// The provenance hash of a step: its tokens without trivia (so comments and whitespace do not
/// count), its <c>Version</c>, the same for every method, constructor and property of this
/// compilation it uses, transitively (each once, so cycles end), the shapes of its parameter and
/// output types, and the name and version of every referenced assembly whose members it uses.
/// </summary>
internal sealed class StepHasher
{
    private readonly Compilation _compilation;
    private readonly StringBuilder _text = new();
    private readonly HashSet<ISymbol> _visited = new(SymbolEqualityComparer.Default);
    private readonly SortedSet<string> _assemblies = new(System.StringComparer.Ordinal);
    private readonly CancellationToken _cancellationToken;

    private StepHasher(Compilation compilation, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// The step's hash, and the normalized source it covers: the step method, then each in-source
    /// member it uses (transitively), all without comments and with normalized whitespace.
    /// </summary>
    public static (string Hash, string Source) Hash(GeneratorAttributeSyntaxContext context, IMethodSymbol method, ITypeSymbol output, int version, CancellationToken cancellationToken)
    {
        var hasher = new StepHasher(context.SemanticModel.Compilation, cancellationToken);
        hasher._visited.Add(method);
        hasher.AppendCode(context.TargetNode, context.SemanticModel);
        string source = hasher._text.ToString();
        hasher._text.Append("\n// version ").Append(version);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            hasher.AppendShape(parameter.Type);
        }

        hasher.AppendShape(output);
        foreach (string assembly in hasher._assemblies)
        {
            hasher._text.Append("\n// uses ").Append(assembly);
        }

        return (Hex(hasher._text.ToString()), source);
    }

    /// <summary>The first 16 bytes of the SHA-256 of the text, as 32 hex digits.</summary>
    public static string Hex(string text)
    {
        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(32);
        for (int i = 0; i < 16; i++)
        {
            hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    private void AppendCode(SyntaxNode node, SemanticModel model)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        _text.Append(TriviaRemover.Instance.Visit(node).NormalizeWhitespace("    ", "\n").ToFullString()).Append('\n');

        foreach (SyntaxNode used in node.DescendantNodes().Where(n => n is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or IdentifierNameSyntax))
        {
            ISymbol? symbol = model.GetSymbolInfo(used, _cancellationToken).Symbol;
            if (symbol is IMethodSymbol or IPropertySymbol)
            {
                Visit(symbol.OriginalDefinition);
            }
        }
    }

    private void Visit(ISymbol symbol)
    {
        if (!SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly))
        {
            if (symbol.ContainingAssembly is { } assembly)
            {
                _assemblies.Add(assembly.Identity.Name + " " + assembly.Identity.Version);
            }

            return;
        }

        if (!_visited.Add(symbol))
        {
            return;
        }

        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            SyntaxNode declaration = reference.GetSyntax(_cancellationToken);
            _text.Append("\n// uses ").Append(symbol.ToDisplayString()).Append('\n');
            AppendCode(declaration, _compilation.GetSemanticModel(declaration.SyntaxTree));
        }
    }

    /// <summary>Member names and types of a type (its element type for lists and arrays).</summary>
    private void AppendShape(ITypeSymbol type)
    {
        while (type is IArrayTypeSymbol array)
        {
            type = array.ElementType;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Length == 1)
        {
            type = generic.TypeArguments[0];
        }

        _text.Append("\n// shape ").Append(type.ToDisplayString());
        foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic))
        {
            _text.Append(' ').Append(property.Name).Append(':').Append(property.Type.ToDisplayString());
        }
    }
}

/// <summary>Removes every comment, directive and whitespace, so that only tokens are left to normalize.</summary>
internal sealed class TriviaRemover : CSharpSyntaxRewriter
{
    public static TriviaRemover Instance { get; } = new();

    public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia) => default;
}
