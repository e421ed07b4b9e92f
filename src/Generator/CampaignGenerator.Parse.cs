using System.Linq;
using System.Threading;
using Cairn.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cairn.Generator;

public sealed partial class CampaignGenerator
{
    private static bool IsMethod(SyntaxNode node, CancellationToken _) => node is MethodDeclarationSyntax;

    private static StepModel ParseStep(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        AttributeData step = context.Attributes[0];
        string name = Named<string>(step, "Name") ?? method.Name;
        int version = Named<int?>(step, "Version") ?? 1;
        string product = OutputName(method) ?? method.Name;

        ITypeSymbol returned = method.ReturnType;
        bool awaits = false;
        if (returned is INamedTypeSymbol { IsGenericType: true } generic
            && generic.ConstructedFrom.ToDisplayString() is "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>")
        {
            returned = generic.TypeArguments[0];
            awaits = true;
        }

        var parameters = method.Parameters.Select(ParseParameter).ToEquatableArray();
        string? problem = StepProblem(method, returned);
        cancellationToken.ThrowIfCancellationRequested();
        (string hash, string source) = StepHasher.Hash(context, method, returned, version, cancellationToken);
        return new StepModel(
            name,
            method.ContainingType.ToDisplayString(TypeShapes.FullName) + "." + method.Name,
            method.ContainingType.Name + "." + method.Name,
            product,
            version,
            TypeShapes.Describe(returned),
            awaits,
            parameters,
            hash,
            source,
            problem);
    }

    private static PointsModel ParsePoints(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        string call = method.ContainingType.ToDisplayString(TypeShapes.FullName) + "." + method.Name;
        ITypeSymbol? element = method.ReturnType.AllInterfaces
            .Concat(method.ReturnType is INamedTypeSymbol self ? new[] { self } : [])
            .FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];
        string? problem = !method.IsStatic || method.IsGenericMethod || method.Parameters.Length > 0 || !TypeShapes.IsAccessible(method)
            ? $"the [Points] method '{method.Name}' must be static, non-generic, parameterless and public or internal"
            : element is null ? $"the [Points] method '{method.Name}' must return IEnumerable<TPoint>" : null;
        cancellationToken.ThrowIfCancellationRequested();
        TypeModel pointType = element is null
            ? new TypeModel("object", "object", "object", EquatableArray<MemberModel>.Empty, problem)
            : TypeShapes.Describe(element);
        return new PointsModel(call, pointType, problem);
    }

    private static ParameterModel ParseParameter(IParameterSymbol parameter)
    {
        AttributeData? input = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == InputAttribute);
        string? product = input is null ? null : input.ConstructorArguments.FirstOrDefault().Value as string ?? parameter.Name;
        if (parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IReadOnlyList_T } list)
        {
            return new ParameterModel(parameter.Name, list.TypeArguments[0].ToDisplayString(TypeShapes.FullName), product, true);
        }

        return new ParameterModel(parameter.Name, parameter.Type.ToDisplayString(TypeShapes.FullName), product, false);
    }

    private static string? StepProblem(IMethodSymbol method, ITypeSymbol returned)
    {
        if (!method.IsStatic || method.IsGenericMethod || !TypeShapes.IsAccessible(method))
        {
            return $"step '{method.Name}' must be a static, non-generic method that is public or internal";
        }

        if (method.ReturnsVoid || returned.ToDisplayString() is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask")
        {
            return $"step '{method.Name}' returns no value; a step must return its product";
        }

        return method.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None || p.IsParams) is IParameterSymbol bad
            ? $"step '{method.Name}' has a ref, out, in or params parameter '{bad.Name}'"
            : null;
    }

    private static string? OutputName(IMethodSymbol method)
    {
        AttributeData? output = method.GetAttributes().Concat(method.GetReturnTypeAttributes())
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OutputAttribute);
        return output?.ConstructorArguments.FirstOrDefault().Value as string;
    }

    private static T? Named<T>(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is T value)
            {
                return value;
            }
        }

        return default;
    }
}
