using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cairn.Generator;

/// <summary>
/// The provenance hash of a step: its tokens without trivia (so comments and whitespace do not
/// count), its <c>Version</c>, the same for every member of this compilation it reaches
/// (<see cref="ReachedMembers"/>: methods, constructors, properties, fields and constants, operators,
/// ...), transitively (each once, so cycles end), the shapes of its parameter and output types, and
/// the name and version of every referenced assembly whose members it uses.
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
        hasher.AppendEach(ReachedMembers.ArrivingWith(method));
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
        AppendEach(code.Uses);
    }

    /// <summary>Appends the code of each of <paramref name="members"/> not appended yet (<see cref="Append"/>).</summary>
    private void AppendEach(IEnumerable<ISymbol> members)
    {
        foreach (ISymbol member in members)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_visited.Add(member))
            {
                Append(_cache.Member(member, _cancellationToken));
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
        private readonly Lazy<IReadOnlyList<INamedTypeSymbol>> _types = new(() => ReachedMembers.ProjectTypes(compilation));

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
                SyntaxNode declaration = Declaration(reference.GetSyntax(cancellationToken));
                SemanticModel model = Model(declaration.SyntaxTree);
                MemberCode part = Describe(declaration, model, "\n// uses " + symbol.ToDisplayString() + "\n", cancellationToken);
                text.Append(part.Text);
                uses.AddRange(part.Uses);
                assemblies.AddRange(part.Assemblies);
            }

            // Also for a member without syntax of its own (an implicit constructor).
            uses.AddRange(ReachedMembers.AlongWith(symbol, _types.Value));
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
            var reached = new List<ISymbol>();
            foreach (SyntaxNode used in node.DescendantNodes())
            {
                reached.Clear();
                ReachedMembers.Add(used, model, reached, cancellationToken);
                foreach (ISymbol symbol in reached)
                {
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
            }

            return new MemberCode(text.ToString(), [.. uses], [.. assemblies]);
        }

        /// <summary>
        /// What an edit to a member's declaration can change it by: a field's whole declaration (its
        /// type and initializer, not only its name), and an enum member's whole enum (a member's
        /// value can follow from its position).
        /// </summary>
        private static SyntaxNode Declaration(SyntaxNode declared) => declared switch
        {
            VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } => field,
            EnumMemberDeclarationSyntax { Parent: EnumDeclarationSyntax enumeration } => enumeration,
            _ => declared,
        };

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
