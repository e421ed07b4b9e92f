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
/// Whatever of these the project declares is code that decides a step's results: the step's hash
/// covers it (<c>StepHasher</c>), and CAIRN011/CAIRN012 check it (<c>ReproducibilityAnalyzer</c>).
/// </summary>
internal static class ReachedMembers
{
    /// <summary>Adds the members that <paramref name="node"/> itself reaches (not its descendants') to <paramref name="found"/>.</summary>
    public static void Add(SyntaxNode node, SemanticModel model, List<ISymbol> found, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case SimpleNameSyntax or BaseObjectCreationExpressionSyntax or ElementAccessExpressionSyntax or ElementBindingExpressionSyntax:
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
            case PositionalPatternClauseSyntax pattern when pattern.Parent is RecursivePatternSyntax:
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
    /// The static constructor written in the type of a static field or property, which may set
    /// its value (<c>static Tables() { Weights = Load(); }</c>): reached with it.
    /// </summary>
    public static IMethodSymbol? StaticConstructorOf(ISymbol member) =>
        member is IFieldSymbol { IsStatic: true, IsConst: false } or IPropertySymbol { IsStatic: true }
            ? member.ContainingType.StaticConstructors.FirstOrDefault(constructor => !constructor.IsImplicitlyDeclared)
            : null;

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
