using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cairn.Analyzers;

/// <summary>
/// The code fixes of Cairn's diagnostics: make a step static (CAIRN005), mark a parameter
/// <c>[Input]</c> with the product of its type (CAIRN006), read the product the name was meant to
/// be (CAIRN001), and seed a <c>Random</c> (CAIRN011).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CairnCodeFixProvider))]
[Shared]
public sealed class CairnCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.StepMethodShape, DiagnosticIds.UnboundParameter, DiagnosticIds.UnknownProduct, DiagnosticIds.NonDeterministic);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            diagnostic.Properties.TryGetValue(CampaignAnalyzer.ProductProperty, out string? product);
            switch (diagnostic.Id)
            {
                case DiagnosticIds.StepMethodShape when node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method && !method.Modifiers.Any(SyntaxKind.StaticKeyword):
                    Register(context, diagnostic, $"Make step '{method.Identifier.ValueText}' static", root, method, MakeStatic(method));
                    break;
                case DiagnosticIds.UnboundParameter when product is not null && node.FirstAncestorOrSelf<ParameterSyntax>() is { } parameter:
                    Register(context, diagnostic, $"Read product '{product}' with [Input(\"{product}\")]", root, parameter, AddInput(parameter, product));
                    break;
                case DiagnosticIds.UnknownProduct when product is not null && node.FirstAncestorOrSelf<ParameterSyntax>() is { } parameter:
                    Register(context, diagnostic, $"Read product '{product}'", root, parameter, RenameInput(parameter, product));
                    break;
                case DiagnosticIds.NonDeterministic when diagnostic.Properties.TryGetValue(ReproducibilityAnalyzer.FixProperty, out string? fix) && fix == ReproducibilityAnalyzer.SeedFix
                    && node.FirstAncestorOrSelf<ExpressionSyntax>() is { } random
                    && await PointSeedAsync(context, random).ConfigureAwait(false) is { } seed:
                    Register(context, diagnostic, "Seed the Random from the point", root, random, SeededRandom(random, seed));
                    break;
            }
        }
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, string title, SyntaxNode root, SyntaxNode old, SyntaxNode replacement) =>
        context.RegisterCodeFix(
            CodeAction.Create(title, (CancellationToken _) => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(old, replacement))), equivalenceKey: title),
            diagnostic);

    /// <summary>Adds <c>static</c> after the access modifiers (as the IDE orders modifiers).</summary>
    private static MethodDeclarationSyntax MakeStatic(MethodDeclarationSyntax method)
    {
        SyntaxTokenList modifiers = method.Modifiers;
        int at = 0;
        while (at < modifiers.Count && modifiers[at].Kind() is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword)
        {
            at++;
        }

        SyntaxToken token = SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count == 0)
        {
            // The method's leading trivia (indentation, comments) moves to the new first token.
            return method.WithReturnType(method.ReturnType.WithoutLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(token.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia())));
        }

        return method.WithModifiers(modifiers.Insert(at, token));
    }

    private static ParameterSyntax AddInput(ParameterSyntax parameter, string product)
    {
        AttributeListSyntax input = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Input"), ProductArgument(product))))
            .WithTrailingTrivia(SyntaxFactory.Space);
        SyntaxTriviaList leading = parameter.GetLeadingTrivia();
        return parameter.WithoutLeadingTrivia().WithAttributeLists(parameter.AttributeLists.Insert(0, input)).WithLeadingTrivia(leading);
    }

    /// <summary>Points <c>[Input]</c> or <c>[Input("misspelt")]</c> at the product.</summary>
    private static ParameterSyntax RenameInput(ParameterSyntax parameter, string product)
    {
        AttributeSyntax? input = CampaignAnalyzer.FindAttribute(parameter.AttributeLists, "Input");
        return input is null ? parameter : parameter.ReplaceNode(input, input.WithArgumentList(ProductArgument(product)));
    }

    private static AttributeArgumentListSyntax ProductArgument(string product) =>
        SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(product)))));

    /// <summary>
    /// A seed that differs from point to point and is the same for a point on every run: the
    /// point's own <c>Seed</c> property when it has an integer one, else <c>Campaign.Seed(p)</c>, a
    /// stable hash of the point. Null outside a step that receives the point (a helper): there the
    /// seed must be passed in, and no fix is offered.
    /// </summary>
    private static async Task<string?> PointSeedAsync(CodeFixContext context, ExpressionSyntax random)
    {
        if (random.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || CampaignAnalyzer.FindAttribute(method.AttributeLists, "Step") is null
            || method.ParameterList.Parameters.FirstOrDefault(p => CampaignAnalyzer.FindAttribute(p.AttributeLists, "Input") is null) is not { } point
            || await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model
            || model.GetDeclaredSymbol(point, context.CancellationToken) is not { } parameter)
        {
            return null;
        }

        string name = point.Identifier.ValueText;
        IPropertySymbol? seed = parameter.Type.GetMembers("Seed").OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic);
        return seed?.Type.SpecialType switch
        {
            SpecialType.System_Int32 => $"{name}.Seed",
            SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Byte or SpecialType.System_SByte => $"unchecked((int){name}.Seed)",
            _ => $"Campaign.Seed({name})",
        };
    }

    /// <summary><c>new Random()</c> or <c>Random.Shared</c> becomes <c>new Random(seed)</c>.</summary>
    private static ExpressionSyntax SeededRandom(ExpressionSyntax random, string seed)
    {
        ArgumentListSyntax arguments = SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(seed))));
        return random switch
        {
            BaseObjectCreationExpressionSyntax creation => creation.WithArgumentList(arguments),
            _ => SyntaxFactory.ParseExpression($"new System.Random({seed})").WithTriviaFrom(random),
        };
    }
}
