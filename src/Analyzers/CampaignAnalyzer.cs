using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Cairn.Generator;
using Cairn.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cairn.Analyzers;

/// <summary>
/// Reports everything that keeps the generator from wiring a campaign, with the same rules (the
/// shared <see cref="MethodParser"/> and <see cref="GraphBuilder"/>): each <c>[Step]</c> and
/// <c>[Points]</c> method's own problems as soon as it is analyzed, and the graph's problems
/// (products, types, cycles, names) once the whole compilation is known.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CampaignAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property that holds the product a code fix writes.</summary>
    public const string ProductProperty = "product";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All
        .Where(d => d.Id is not (DiagnosticIds.NonDeterministic or DiagnosticIds.StaticWrite)).ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? step = start.Compilation.GetTypeByMetadataName(MethodParser.StepAttribute);
            INamedTypeSymbol? points = start.Compilation.GetTypeByMetadataName(MethodParser.PointsAttribute);
            if (step is null || points is null)
            {
                return;
            }

            HelpLinks links = HelpLinks.From(start.Options);
            var steps = new ConcurrentBag<(IMethodSymbol Method, StepModel Model)>();
            var pointMethods = new ConcurrentBag<(IMethodSymbol Method, PointsModel Model)>();
            start.RegisterSymbolAction(
                symbol =>
                {
                    var method = (IMethodSymbol)symbol.Symbol;
                    foreach (AttributeData attribute in method.GetAttributes())
                    {
                        if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, step))
                        {
                            StepModel model = MethodParser.Step(method, attribute);
                            Report(symbol.ReportDiagnostic, links, model.Problems, _ => method, symbol.CancellationToken);
                            steps.Add((method, model));
                            return;
                        }

                        if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, points))
                        {
                            PointsModel model = MethodParser.Points(method);
                            Report(symbol.ReportDiagnostic, links, model.Problems, _ => method, symbol.CancellationToken);
                            pointMethods.Add((method, model));
                            return;
                        }
                    }
                },
                SymbolKind.Method);

            start.RegisterCompilationEndAction(end =>
            {
                var orderedSteps = steps.OrderBy(s => s.Method, new DeclarationOrder(end.Compilation)).ToArray();
                var orderedPoints = pointMethods.OrderBy(p => p.Method, new DeclarationOrder(end.Compilation)).ToArray();
                CampaignModel? campaign = GraphBuilder.Build(
                    end.Compilation.AssemblyName ?? "Campaign",
                    orderedPoints.Select(p => p.Model).ToImmutableArray(),
                    orderedSteps.Select(s => s.Model).ToImmutableArray());
                if (campaign is null)
                {
                    return;
                }

                // The methods' own problems come first; they were reported with their methods.
                int own = orderedPoints.Sum(p => p.Model.Problems.Count) + orderedSteps.Sum(s => s.Model.Problems.Count);
                Report(
                    end.ReportDiagnostic,
                    links,
                    campaign.Problems.Skip(own),
                    problem => problem.Subject == Subject.Points ? orderedPoints[problem.Index].Method : orderedSteps[problem.Index].Method,
                    end.CancellationToken,
                    related => orderedSteps[related].Method);
            });
        });
    }

    private static void Report(
        System.Action<Diagnostic> report,
        HelpLinks links,
        IEnumerable<Problem> problems,
        System.Func<Problem, IMethodSymbol> method,
        CancellationToken cancellationToken,
        System.Func<int, IMethodSymbol>? relatedStep = null)
    {
        foreach (Problem problem in problems)
        {
            Location location = Locate(method(problem), problem.Site, problem.Parameter, cancellationToken);
            IEnumerable<Location> related = relatedStep is null
                ? []
                : problem.Related.Select(i => Locate(relatedStep(i), problem.Site, -1, cancellationToken));
            ImmutableDictionary<string, string?> properties = problem.Fix is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(ProductProperty, problem.Fix);
            report(Diagnostic.Create(links.For(DiagnosticDescriptors.ById[problem.Id]), location, related, properties, problem.Arguments.ToArray<object>()));
        }
    }

    /// <summary>Where on a method a problem is shown: the exact token or expression the user has to change.</summary>
    internal static Location Locate(IMethodSymbol method, Site site, int parameter, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
        {
            return method.Locations.FirstOrDefault() ?? Location.None;
        }

        ParameterSyntax? p = parameter >= 0 && parameter < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[parameter] : null;
        SyntaxNode? node = site switch
        {
            Site.ReturnType => syntax.ReturnType,
            Site.StepName => Argument(syntax.AttributeLists, "Step", "Name"),
            Site.Output => Argument(syntax.AttributeLists, "Output", null),
            Site.ParameterType => p?.Type,
            Site.Input when p is not null => Argument(p.AttributeLists, "Input", null),
            Site.GroupBy => FindAttribute(syntax.AttributeLists, "GroupBy") is { } groupBy
                ? (SyntaxNode?)groupBy.ArgumentList?.Arguments.Where(x => x.NameEquals is null).ElementAtOrDefault(parameter)?.Expression ?? groupBy
                : null,
            Site.RunsProgram => Attributes(syntax.AttributeLists, "Runs").ElementAtOrDefault(parameter) is { } runs ? (SyntaxNode?)ArgumentOf(runs, null) ?? runs : null,
            Site.RunsVersionPattern => Attributes(syntax.AttributeLists, "Runs").ElementAtOrDefault(parameter) is { } runs ? (SyntaxNode?)ArgumentOf(runs, "VersionPattern") ?? runs : null,
            Site.Resources => FindAttribute(syntax.AttributeLists, "Resources") is { } resources
                ? (SyntaxNode?)ArgumentOf(resources, MethodParser.ResourcesArguments[parameter]) ?? resources
                : null,
            _ => null,
        };
        return node?.GetLocation()
            ?? (p is not null && site is Site.Parameter or Site.Input or Site.ParameterType ? p.Identifier.GetLocation() : syntax.Identifier.GetLocation());
    }

    /// <summary>The expression of an attribute's first positional argument, or of its named argument.</summary>
    private static ExpressionSyntax? Argument(SyntaxList<AttributeListSyntax> lists, string attribute, string? named) =>
        FindAttribute(lists, attribute) is { } found ? ArgumentOf(found, named) : null;

    /// <summary>The expression of an attribute's first positional argument, or of its named argument.</summary>
    private static ExpressionSyntax? ArgumentOf(AttributeSyntax attribute, string? named)
    {
        AttributeArgumentListSyntax? arguments = attribute.ArgumentList;
        AttributeArgumentSyntax? argument = named is null
            ? arguments?.Arguments.FirstOrDefault(x => x.NameEquals is null && x.NameColon is null)
            : arguments?.Arguments.FirstOrDefault(x => x.NameEquals?.Name.Identifier.ValueText == named);
        return argument?.Expression;
    }

    /// <summary>The first attribute of that name (<c>Input</c>, <c>InputAttribute</c>, <c>Cairn.Input</c>, ...) in a list of attribute lists, as written.</summary>
    internal static AttributeSyntax? FindAttribute(SyntaxList<AttributeListSyntax> lists, string attribute) => Attributes(lists, attribute).FirstOrDefault();

    /// <summary>The attributes of that name, in the order they are written.</summary>
    private static IEnumerable<AttributeSyntax> Attributes(SyntaxList<AttributeListSyntax> lists, string attribute) =>
        lists.SelectMany(l => l.Attributes).Where(a =>
            (a.Name is QualifiedNameSyntax q ? q.Right.Identifier.ValueText : a.Name is IdentifierNameSyntax i ? i.Identifier.ValueText : "") is string name
            && (name == attribute || name == attribute + "Attribute"));
}
