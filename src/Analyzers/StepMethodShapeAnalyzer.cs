using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cairn.Analyzers;

/// <summary>CAIRN005: the generated host calls every step as <c>Type.Method(...)</c>, so a step must be static, non-generic and reachable.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StepMethodShapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.StepMethodShape);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? step = start.Compilation.GetTypeByMetadataName("Cairn.StepAttribute");
            if (step is not null)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, step), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol step)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, step)))
        {
            return;
        }

        string? problem = !method.IsStatic ? "is not static"
            : method.IsGenericMethod ? "is generic"
            : !IsReachable(method) ? "is not accessible from the generated host"
            : null;
        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StepMethodShape, method.Locations[0], method.Name, problem));
        }
    }

    private static bool IsReachable(ISymbol symbol)
    {
        for (ISymbol? s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
