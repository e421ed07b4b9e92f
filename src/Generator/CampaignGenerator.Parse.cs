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
        StepModel step = MethodParser.Step(method, context.Attributes[0]);
        cancellationToken.ThrowIfCancellationRequested();
        (string hash, string source) = StepHasher.Hash(context, method, MethodParser.Returned(method, out _), step.Version, cancellationToken);
        return step with { CodeHash = hash, Source = source };
    }

    private static PointsModel ParsePoints(GeneratorAttributeSyntaxContext context, CancellationToken _) =>
        MethodParser.Points((IMethodSymbol)context.TargetSymbol);
}
