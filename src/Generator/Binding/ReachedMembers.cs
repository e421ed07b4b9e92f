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
/// <c>foreach</c> (its enumerator's members, <c>Dispose</c> too), by a collection initializer (its
/// <c>Add</c>), by <c>await</c> (the awaiter's members), by <c>using</c> (<c>Dispose</c>) and by a
/// query expression (its <c>Select</c>, <c>Where</c>, ...). With a member comes what it brings along
/// (<see cref="AlongWith"/>), and with a step's inputs the code their objects run
/// (<see cref="ArrivingWith"/>). Whatever of these the project declares is code that decides a
/// step's results: the step's hash covers it (<c>StepHasher</c>), and CAIRN011/CAIRN012 check it
/// (<c>ReproducibilityAnalyzer</c>).
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
                AddMember(info.DisposeMethod, found);
                if (loop is ForEachVariableStatementSyntax deconstructing)
                {
                    AddDeconstruction(model.GetDeconstructionInfo(deconstructing), found);
                }

                break;
            case AwaitExpressionSyntax awaited:
                AwaitExpressionInfo awaiter = model.GetAwaitExpressionInfo(awaited);
                AddMember(awaiter.GetAwaiterMethod, found);
                AddMember(awaiter.IsCompletedProperty, found);
                AddMember(awaiter.GetResultMethod, found);
                break;
            case UsingStatementSyntax statement:
                AddMember(Disposal(statement.Declaration?.Type ?? statement.Expression, statement.AwaitKeyword, model, cancellationToken), found);
                break;
            case LocalDeclarationStatementSyntax local when !local.UsingKeyword.IsKind(SyntaxKind.None):
                AddMember(Disposal(local.Declaration.Type, local.AwaitKeyword, model, cancellationToken), found);
                break;
            case QueryClauseSyntax clause:
                QueryClauseInfo query = model.GetQueryClauseInfo(clause, cancellationToken);
                AddMember(query.CastInfo.Symbol, found);
                AddMember(query.OperationInfo.Symbol, found);
                break;
            case SelectOrGroupClauseSyntax or OrderingSyntax:
                AddMember(model.GetSymbolInfo(node, cancellationToken).Symbol, found);
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

        // The object a constructor makes runs its type's overrides and interface implementations
        // wherever it goes; and a constructor without an initializer runs its base class's.
        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
        {
            INamedTypeSymbol created = constructor.ContainingType;
            foreach (ISymbol run in RunByObjectsOf(created))
            {
                yield return run;
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

    /// <summary>
    /// What objects of project types that a step does not make itself, its inputs (points and
    /// stored results, in lists and dictionaries too), bring into it: the code they run
    /// (<see cref="RunByObjectsOf"/>), which the step's code, or code outside the project it calls,
    /// may run without naming it (<c>List.Sort</c> runs an input's <c>CompareTo</c>, <c>$"{p}"</c>
    /// its <c>ToString</c>).
    /// </summary>
    public static IEnumerable<ISymbol> ArrivingWith(IMethodSymbol step)
    {
        var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var types = new Stack<ITypeSymbol>(step.Parameters.Reverse().Select(p => p.Type));
        while (types.Count > 0)
        {
            ITypeSymbol type = types.Pop();
            if (!seen.Add(type))
            {
                continue;
            }

            if (type is IArrayTypeSymbol array)
            {
                types.Push(array.ElementType);
            }
            else if (type is INamedTypeSymbol named)
            {
                foreach (ITypeSymbol argument in named.TypeArguments.Reverse())
                {
                    types.Push(argument);
                }

                if (SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, step.ContainingAssembly))
                {
                    foreach (ISymbol run in RunByObjectsOf(named.OriginalDefinition))
                    {
                        yield return run;
                    }
                }
            }
        }
    }

    /// <summary>
    /// What an object of a project type runs wherever it goes, also in code outside the project
    /// (<c>Array.Sort</c> calls a comparer's <c>Compare</c>): the overrides and interface
    /// implementations of its type and of its project base classes, as written (not those the
    /// compiler makes, such as a record's <c>Equals</c>).
    /// </summary>
    private static IEnumerable<ISymbol> RunByObjectsOf(INamedTypeSymbol created)
    {
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

    /// <summary>
    /// The method a <c>using</c> of a value of <paramref name="resource"/>'s type ends with: its
    /// <c>IDisposable.Dispose</c> (<c>IAsyncDisposable.DisposeAsync</c> with <c>await</c>), or a
    /// <c>ref struct</c>'s <c>Dispose()</c> found by name.
    /// </summary>
    private static IMethodSymbol? Disposal(SyntaxNode? resource, SyntaxToken awaitKeyword, SemanticModel model, CancellationToken cancellationToken)
    {
        if (resource is null || model.GetTypeInfo(resource, cancellationToken).Type is not INamedTypeSymbol type)
        {
            return null;
        }

        bool async = !awaitKeyword.IsKind(SyntaxKind.None);
        string name = async ? "DisposeAsync" : "Dispose";
        INamedTypeSymbol? contract = async ? model.Compilation.GetTypeByMetadataName("System.IAsyncDisposable") : model.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        return (contract?.GetMembers(name).FirstOrDefault() is { } required ? type.FindImplementationForInterfaceMember(required) as IMethodSymbol : null)
            ?? type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsStatic && m.Parameters.IsEmpty);
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
