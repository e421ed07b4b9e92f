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
                    && node.FirstAncestorOrSelf<ExpressionSyntax>() is { } random:
                    Register(context, diagnostic, "Seed the Random", root, random, SeededRandom(random));
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

    /// <summary><c>new Random()</c> or <c>Random.Shared</c> becomes <c>new Random(0)</c>: deterministic, and the seed is there to be chosen.</summary>
    private static ExpressionSyntax SeededRandom(ExpressionSyntax random)
    {
        ArgumentListSyntax seed = SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)))));
        return random switch
        {
            BaseObjectCreationExpressionSyntax creation => creation.WithArgumentList(seed),
            _ => SyntaxFactory.ParseExpression("new System.Random(0)").WithTriviaFrom(random),
        };
    }
}
