using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Cairn.Generator;

/// <summary>
/// The provenance hash of a step: its tokens without trivia (so comments and whitespace do not
/// count), its <c>Version</c>, the same for every method, constructor and property of this
/// compilation it uses, transitively (each once, so cycles end), the shapes of its parameter and
/// output types, and the name and version of every referenced assembly whose members it uses.
/// </summary>
internal sealed class StepHasher
{
    /// <summary>What each member of a compilation contributes, computed once per compilation: every step that uses a helper shares it.</summary>
    private static readonly ConditionalWeakTable<Compilation, Cache> s_caches = new();

    private readonly Cache _cache;
    private readonly StringBuilder _text = new();
    private readonly HashSet<ISymbol> _visited = new(SymbolEqualityComparer.Default);
    private readonly SortedSet<string> _assemblies = new(System.StringComparer.Ordinal);
    private readonly CancellationToken _cancellationToken;

    private StepHasher(Compilation compilation, CancellationToken cancellationToken)
    {
        _cache = s_caches.GetValue(compilation, static c => new Cache(c));
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
        hasher.Append(hasher._cache.Describe(context.TargetNode, hasher._cache.Model(context.TargetNode.SyntaxTree), "", cancellationToken));
        string source = hasher._text.ToString();
        hasher._text.Append("\n// version ").Append(version);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            hasher._text.Append(hasher._cache.Shape(parameter.Type));
        }

        hasher._text.Append(hasher._cache.Shape(output));
        foreach (string assembly in hasher._assemblies)
        {
            hasher._text.Append("\n// uses ").Append(assembly);
        }

        return (Hex(hasher._text.ToString()), source);
    }

    /// <summary>Appends a member's code, then (depth first, each once) the code of the in-source members it uses.</summary>
    private void Append(MemberCode code)
    {
        _text.Append(code.Text);
        _assemblies.UnionWith(code.Assemblies);
        foreach (ISymbol used in code.Uses)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_visited.Add(used))
            {
                Append(_cache.Member(used, _cancellationToken));
            }
        }
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

    /// <summary>A member's normalized text, the in-source members it uses, and the assemblies it uses.</summary>
    private sealed record MemberCode(string Text, ISymbol[] Uses, string[] Assemblies);

    private sealed class Cache(Compilation compilation)
    {
        private readonly ConcurrentDictionary<ISymbol, MemberCode> _members = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, string> _shapes = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

        public MemberCode Member(ISymbol symbol, CancellationToken cancellationToken)
        {
            if (_members.TryGetValue(symbol, out MemberCode? known))
            {
                return known;
            }

            var text = new StringBuilder();
            var uses = new List<ISymbol>();
            var assemblies = new List<string>();
            foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
            {
                SyntaxNode declaration = reference.GetSyntax(cancellationToken);
                SemanticModel model = Model(declaration.SyntaxTree);
                MemberCode part = Describe(declaration, model, "\n// uses " + symbol.ToDisplayString() + "\n", cancellationToken);
                text.Append(part.Text);
                uses.AddRange(part.Uses);
                assemblies.AddRange(part.Assemblies);
            }

            return _members.GetOrAdd(symbol, new MemberCode(text.ToString(), [.. uses], [.. assemblies]));
        }

#pragma warning disable RSEXPERIMENTAL001
        public SemanticModel Model(SyntaxTree tree) => _models.GetOrAdd(tree, t => compilation.GetSemanticModel(t, SemanticModelOptions.DisableNullableAnalysis));
#pragma warning restore RSEXPERIMENTAL001

        public MemberCode Describe(SyntaxNode node, SemanticModel model, string header, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = new StringBuilder(header);
            NormalizedText.Append(text, node);
            var uses = new List<ISymbol>();
            var assemblies = new List<string>();
            foreach (SyntaxNode used in node.DescendantNodes())
            {
                if (used is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax)
                    || model.GetSymbolInfo(used, cancellationToken).Symbol is not { } symbol
                    || symbol is not (IMethodSymbol or IPropertySymbol))
                {
                    continue;
                }

                ISymbol definition = symbol.OriginalDefinition;
                if (SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, compilation.Assembly))
                {
                    uses.Add(definition);
                }
                else if (definition.ContainingAssembly is { } assembly)
                {
                    assemblies.Add(assembly.Identity.Name + " " + assembly.Identity.Version);
                }
            }

            return new MemberCode(text.ToString(), [.. uses], [.. assemblies]);
        }

        /// <summary>Member names and types of a type (its element type for lists and arrays).</summary>
        public string Shape(ITypeSymbol type)
        {
            while (type is IArrayTypeSymbol array)
            {
                type = array.ElementType;
            }

            if (type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Length == 1)
            {
                type = generic.TypeArguments[0];
            }

            return _shapes.GetOrAdd(type, static t =>
            {
                var shape = new StringBuilder("\n// shape ").Append(t.ToDisplayString());
                foreach (IPropertySymbol property in t.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic))
                {
                    shape.Append(' ').Append(property.Name).Append(':').Append(property.Type.ToDisplayString());
                }

                return shape.ToString();
            });
        }
    }
}

/// <summary>
/// The text of a declaration from its tokens alone (no comments, no directives, whitespace decided
/// here), so that the same tokens always give the same text. Cheaper than Roslyn's
/// NormalizeWhitespace by an order of magnitude: the generator hashes every step on every edit.
/// </summary>
internal static class NormalizedText
{
    /// <summary>
    /// The text of what a member declares that does not change its results (its <c>[Step]</c> time
    /// limit, its <c>[Resources]</c>), with the comma or the parentheses only they need: editing
    /// them keeps the hash.
    /// </summary>
    private static TextSpan[] LeftOut(SyntaxNode node)
    {
        if (node is not MemberDeclarationSyntax member || member.AttributeLists.Count == 0)
        {
            return [];
        }

        var spans = new List<TextSpan>();
        foreach (AttributeListSyntax attributes in member.AttributeLists)
        {
            // [Resources(...)] says what a run needs, not what it computes: left out whole.
            SeparatedSyntaxList<AttributeSyntax> all = attributes.Attributes;
            int resources = all.IndexOf(a => NameOf(a) is "Resources" or "ResourcesAttribute");
            if (resources >= 0)
            {
                spans.Add(all.Count == 1 ? attributes.Span : all[resources].Span);
                if (all.Count > 1)
                {
                    spans.Add(all.GetSeparator(resources > 0 ? resources - 1 : 0).Span);
                }
            }
        }

        foreach (AttributeSyntax attribute in member.AttributeLists.SelectMany(list => list.Attributes))
        {
            string name = NameOf(attribute);
            if (name is not ("Step" or "StepAttribute") || attribute.ArgumentList is not { } list)
            {
                continue;
            }

            SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments;
            int index = arguments.IndexOf(a => a.NameEquals?.Name.Identifier.Text == MethodParser.TimeoutArgument);
            if (index < 0)
            {
                continue;
            }

            if (arguments.Count == 1)
            {
                spans.Add(list.Span);
            }
            else
            {
                spans.Add(arguments[index].Span);
                spans.Add(arguments.GetSeparator(index > 0 ? index - 1 : 0).Span);
            }
        }

        return spans.ToArray();
    }

    private static string NameOf(AttributeSyntax attribute) =>
        attribute.Name is QualifiedNameSyntax qualified ? qualified.Right.Identifier.Text : attribute.Name.ToString();

    public static void Append(StringBuilder text, SyntaxNode node)
    {
        int depth = 0;
        bool lineStart = true;
        SyntaxToken previous = default;
        TextSpan[] leftOut = LeftOut(node);
        foreach (SyntaxToken token in node.DescendantTokens())
        {
            if (leftOut.Length > 0 && System.Array.Exists(leftOut, span => span.Contains(token.SpanStart)))
            {
                continue;
            }

            // The braces of an interpolation ({x:F2}) belong to the string: no block, no line break.
            bool block = token.Parent is not InterpolationSyntax;
            if (block && token.IsKind(SyntaxKind.CloseBraceToken))
            {
                depth = System.Math.Max(0, depth - 1);
                if (!lineStart)
                {
                    text.Append('\n');
                    lineStart = true;
                }
            }

            if (lineStart)
            {
                text.Append(' ', 4 * depth);
            }
            else if (NeedsSpace(previous, token))
            {
                text.Append(' ');
            }

            text.Append(token.Text);
            lineStart = false;
            if (block && token.IsKind(SyntaxKind.OpenBraceToken))
            {
                depth++;
            }

            if ((block && (token.IsKind(SyntaxKind.OpenBraceToken) || token.IsKind(SyntaxKind.CloseBraceToken)))
                || (token.IsKind(SyntaxKind.SemicolonToken) && token.Parent is not ForStatementSyntax)
                || (token.IsKind(SyntaxKind.CloseBracketToken) && token.Parent is AttributeListSyntax { Parent: MemberDeclarationSyntax }))
            {
                text.Append('\n');
                lineStart = true;
            }

            previous = token;
        }

        if (!lineStart)
        {
            text.Append('\n');
        }
    }

    private static bool NeedsSpace(SyntaxToken left, SyntaxToken right)
    {
        if (InString(left, after: true) || InString(right, after: false))
        {
            return false;
        }

        SyntaxKind l = left.Kind();
        SyntaxKind r = right.Kind();
        if (l is SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken or SyntaxKind.DotToken or SyntaxKind.ExclamationToken
            || r is SyntaxKind.CloseParenToken or SyntaxKind.CloseBracketToken or SyntaxKind.DotToken or SyntaxKind.CommaToken or SyntaxKind.SemicolonToken)
        {
            return false;
        }

        if (r is SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken)
        {
            // A call or an index (f(x), a[i]) is written tight; after a keyword (if (, new [) a space.
            return SyntaxFacts.IsKeywordKind(l) && l is not SyntaxKind.ThisKeyword and not SyntaxKind.BaseKeyword and not SyntaxKind.NewKeyword
                    && right.Parent is not ArrayRankSpecifierSyntax
                || l is SyntaxKind.CommaToken or SyntaxKind.EqualsGreaterThanToken || SyntaxFacts.IsBinaryExpressionOperatorToken(l) || SyntaxFacts.IsAssignmentExpressionOperatorToken(l);
        }

        if (l is SyntaxKind.LessThanToken && left.Parent is TypeArgumentListSyntax or TypeParameterListSyntax
            || r is SyntaxKind.LessThanToken or SyntaxKind.GreaterThanToken && right.Parent is TypeArgumentListSyntax or TypeParameterListSyntax)
        {
            return false;
        }

        if (r is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken || l is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken && right.IsKind(SyntaxKind.IdentifierToken) && left.Parent is PrefixUnaryExpressionSyntax)
        {
            return false;
        }

        if (l is SyntaxKind.MinusToken or SyntaxKind.PlusToken or SyntaxKind.TildeToken && left.Parent is PrefixUnaryExpressionSyntax)
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the token is part of an interpolated string's own text, where a space would change
    /// the string: its start and end, its literal text, the braces of a hole and the <c>,</c> and
    /// <c>:</c> of its alignment and format. Nothing goes after (<paramref name="after"/>) or before it.
    /// </summary>
    private static bool InString(SyntaxToken token, bool after) =>
        token.Kind() switch
        {
            SyntaxKind.InterpolatedStringTextToken => true,
            SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedVerbatimStringStartToken
                or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken => after,
            SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedRawStringEndToken => !after,
            SyntaxKind.OpenBraceToken => after && token.Parent is InterpolationSyntax,
            SyntaxKind.CloseBraceToken => !after && token.Parent is InterpolationSyntax,
            SyntaxKind.ColonToken => token.Parent is InterpolationFormatClauseSyntax,
            SyntaxKind.CommaToken => token.Parent is InterpolationAlignmentClauseSyntax,
            _ => false,
        };
}
