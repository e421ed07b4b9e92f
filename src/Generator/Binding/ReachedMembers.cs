using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cairn.Generator;

/// <summary>
/// The members a piece of code reaches, each read where the code names or implies it: by name
/// (methods, properties, fields, constants, enum members), by <c>new</c>, by an index (indexers),
/// by an operator or a conversion (user-defined ones, cast or implicit), by a deconstruction, by a
/// <c>foreach</c> (its enumerator's members) and by a collection initializer (its <c>Add</c>).
/// With a member comes what it brings along (<see cref="AlongWith"/>). Whatever of these the project
/// declares is code that decides a step's results: the step's hash covers it (<c>StepHasher</c>),
/// and CAIRN011/CAIRN012 check it (<c>ReproducibilityAnalyzer</c>).
/// </summary>
internal static class ReachedMembers
{
    /// <summary>Adds the members that <paramref name="node"/> itself reaches (not its descendants') to <paramref name="found"/>.</summary>
    public static void Add(SyntaxNode node, SemanticModel model, List<ISymbol> found, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case SimpleNameSyntax or BaseObjectCreationExpressionSyntax or ElementAccessExpressionSyntax or ElementBindingExpressionSyntax
                or ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax:
                AddMember(model.GetSymbolInfo(node, cancellationToken).Symbol, found);
                break;
            case BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or CastExpressionSyntax:
                AddOperator(model.GetSymbolInfo(node, cancellationToken).Symbol, found);
                break;
            case AssignmentExpressionSyntax assignment:
                AddOperator(model.GetSymbolInfo(node, cancellationToken).Symbol, found);
                if (assignment.Left is TupleExpressionSyntax or DeclarationExpressionSyntax)
                {
                    AddDeconstruction(model.GetDeconstructionInfo(assignment), found);
                }

                break;
            case PositionalPatternClauseSyntax pattern:
                AddMember(model.GetSymbolInfo(pattern, cancellationToken).Symbol, found);
                break;
            case CommonForEachStatementSyntax loop:
                ForEachStatementInfo info = model.GetForEachStatementInfo(loop);
                AddMember(info.GetEnumeratorMethod, found);
                AddMember(info.MoveNextMethod, found);
                AddMember(info.CurrentProperty, found);
                if (loop is ForEachVariableStatementSyntax deconstructing)
                {
                    AddDeconstruction(model.GetDeconstructionInfo(deconstructing), found);
                }

                break;
            case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.CollectionInitializerExpression):
                foreach (ExpressionSyntax element in initializer.Expressions)
                {
                    AddMember(model.GetCollectionInitializerSymbolInfo(element, cancellationToken).Symbol, found);
                }

                break;
        }

        // An implicit user-defined conversion has no syntax of its own: it is the conversion of
        // the expression it applies to (of the names, only a lone identifier can be a value).
        if (node is ExpressionSyntax expression and (not TypeSyntax or IdentifierNameSyntax)
            && model.GetConversion(expression, cancellationToken) is { IsUserDefined: true } conversion)
        {
            AddOperator(conversion.MethodSymbol, found);
        }
    }

    /// <summary>
    /// What reaching a member of the project reaches with it: for a static field or property, the
    /// static constructor written in its type, which may set its value (<c>static Tables() { Weights
    /// = Load(); }</c>); for a constructor, the overrides and interface implementations of its type,
    /// which code outside the project may call (a comparer's <c>Compare</c>); for an interface,
    /// abstract or virtual member, each implementation and override in the project, one of which a
    /// call through it runs (<c>IPotential.V</c>, then <c>LennardJones.V</c>).
    /// <paramref name="projectTypes"/> is <see cref="ProjectTypes"/>.
    /// </summary>
    public static IEnumerable<ISymbol> AlongWith(ISymbol member, IReadOnlyList<INamedTypeSymbol> projectTypes)
    {
        if (member is IFieldSymbol { IsStatic: true, IsConst: false } or IPropertySymbol { IsStatic: true }
            && member.ContainingType.StaticConstructors.FirstOrDefault(constructor => !constructor.IsImplicitlyDeclared) is { } initializer)
        {
            yield return initializer;
        }

        // An object of a project type runs its overrides and interface implementations wherever it
        // goes, also in code outside the project (Array.Sort calls a comparer's Compare), and those
        // its project base classes declare; and a constructor without an initializer runs its base
        // class's.
        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
        {
            INamedTypeSymbol created = constructor.ContainingType;
            for (INamedTypeSymbol? type = created; type is not null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, created.ContainingAssembly); type = type.BaseType)
            {
                foreach (ISymbol own in type.GetMembers())
                {
                    if (own is IMethodSymbol { IsOverride: true } or IPropertySymbol { IsOverride: true } && !own.IsImplicitlyDeclared)
                    {
                        yield return own;
                    }
                }
            }

            foreach (INamedTypeSymbol implemented in created.AllInterfaces)
            {
                foreach (ISymbol required in implemented.GetMembers())
                {
                    if (created.FindImplementationForInterfaceMember(required) is { IsImplicitlyDeclared: false } implementation
                        && SymbolEqualityComparer.Default.Equals(implementation.ContainingAssembly, created.ContainingAssembly))
                    {
                        yield return implementation.OriginalDefinition;
                    }
                }
            }

            if (created.BaseType is { } baseType && SymbolEqualityComparer.Default.Equals(baseType.ContainingAssembly, created.ContainingAssembly)
                && constructor.DeclaringSyntaxReferences.All(reference => reference.GetSyntax() is not ConstructorDeclarationSyntax { Initializer: not null }))
            {
                foreach (IMethodSymbol inherited in baseType.InstanceConstructors.Where(c => c.Parameters.IsEmpty))
                {
                    yield return inherited;
                }
            }
        }

        bool inInterface = member.ContainingType.TypeKind == TypeKind.Interface;
        if (!(member.IsAbstract || member.IsVirtual || inInterface) || member is not (IMethodSymbol or IPropertySymbol))
        {
            yield break;
        }

        foreach (INamedTypeSymbol type in projectTypes)
        {
            if (inInterface)
            {
                foreach (INamedTypeSymbol implemented in type.AllInterfaces)
                {
                    if (type.TypeKind != TypeKind.Interface
                        && SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, member.ContainingType)
                        && implemented.GetMembers(member.Name).FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, member)) is { } constructed
                        && type.FindImplementationForInterfaceMember(constructed) is { } implementation
                        && SymbolEqualityComparer.Default.Equals(implementation.ContainingType.OriginalDefinition, type))
                    {
                        yield return implementation.OriginalDefinition;
                    }
                }
            }
            else
            {
                foreach (ISymbol candidate in type.GetMembers(member.Name))
                {
                    for (ISymbol? overridden = Overridden(candidate); overridden is not null; overridden = Overridden(overridden))
                    {
                        if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, member))
                        {
                            yield return candidate;
                            break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Every type the project declares (nested ones too), in the order of its syntax trees, then of their text.</summary>
    public static IReadOnlyList<INamedTypeSymbol> ProjectTypes(Compilation compilation)
    {
        var types = new List<INamedTypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        namespaces.Push(compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            INamespaceSymbol current = namespaces.Pop();
            foreach (INamespaceSymbol inner in current.GetNamespaceMembers())
            {
                namespaces.Push(inner);
            }

            var nested = new Stack<INamedTypeSymbol>(current.GetTypeMembers());
            while (nested.Count > 0)
            {
                INamedTypeSymbol type = nested.Pop();
                types.Add(type);
                foreach (INamedTypeSymbol inner in type.GetTypeMembers())
                {
                    nested.Push(inner);
                }
            }
        }

        return [.. types.Where(t => !t.DeclaringSyntaxReferences.IsEmpty).OrderBy(t => t, new DeclarationOrder(compilation))];
    }

    private static ISymbol? Overridden(ISymbol member) => member switch
    {
        IMethodSymbol method => method.OverriddenMethod,
        IPropertySymbol property => property.OverriddenProperty,
        _ => null,
    };

    private static void AddMember(ISymbol? symbol, List<ISymbol> found)
    {
        if (symbol is IMethodSymbol or IPropertySymbol or IFieldSymbol { ContainingType.IsTupleType: false })
        {
            found.Add(symbol);
        }
    }

    /// <summary>A user-defined operator or conversion; the built-in ones (<c>double + double</c>) are the language's.</summary>
    private static void AddOperator(ISymbol? symbol, List<ISymbol> found)
    {
        if (symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion })
        {
            found.Add(symbol);
        }
    }

    private static void AddDeconstruction(DeconstructionInfo info, List<ISymbol> found)
    {
        AddMember(info.Method, found);
        AddOperator(info.Conversion?.MethodSymbol, found);
        foreach (DeconstructionInfo nested in info.Nested)
        {
            AddDeconstruction(nested, found);
        }
    }
}
