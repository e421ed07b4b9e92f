using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Cairn.Analyzers.Tests;

public class StepMethodShapeAnalyzerTests
{
    [Fact]
    public async Task Instance_generic_and_private_steps_are_reported_at_the_method_name()
    {
        var diagnostics = await AnalyzerHarness.VerifyAsync(new StepMethodShapeAnalyzer(), """
            using Cairn;
            public record P(int I);
            public class Steps
            {
                [Step] public int [|Instance|](P p) => p.I;
                [Step] public static T [|Generic|]<T>(P p) => default!;
                [Step] private static int [|Hidden|](P p) => p.I;
                private static class Inner { [Step] public static int [|Nested|](P p) => p.I; }
                public static int NotAStep(P p) => p.I;
            }
            """, DiagnosticDescriptors.StepMethodShapeId);

        Diagnostic first = diagnostics[0];
        Assert.Equal(DiagnosticSeverity.Error, first.Severity);
        Assert.Equal("Step 'Instance' is not static; make it a non-generic static method that is public or internal, in a public or internal type", first.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("docs/diagnostics.md#cairn005", first.Descriptor.HelpLinkUri);
    }

    [Fact]
    public async Task Static_public_and_internal_steps_are_fine()
    {
        var diagnostics = await AnalyzerHarness.VerifyAsync(new StepMethodShapeAnalyzer(), """
            using Cairn;
            public record P(int I);
            internal static class Steps
            {
                [Step] public static int A(P p) => p.I;
                [Step] internal static int B(P p) => p.I;
            }
            """, DiagnosticDescriptors.StepMethodShapeId);

        Assert.Empty(diagnostics);
    }
}
