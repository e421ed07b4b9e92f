using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Cairn.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Cairn.Analyzers;

/// <summary>
/// CAIRN011 and CAIRN012: a step's result must follow from its code and its inputs, or caching and
/// provenance mean nothing. All code of the compilation (methods, and the initializers of fields and
/// properties) is scanned once for clocks, unseeded randomness, new GUIDs, file-system reads and
/// writes to static state; at the end, the code each step reaches is followed (transitively, by the
/// rules its provenance hash follows: <see cref="ReachedMembers"/>) and each such use that a step
/// reaches is reported once, where it is, naming the first step that reaches it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReproducibilityAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property that tells the code fix what to do: <see cref="SeedFix"/>.</summary>
    public const string FixProperty = "fix";

    /// <summary>The value of <see cref="FixProperty"/> for an unseeded <c>Random</c>.</summary>
    public const string SeedFix = "seed";

    private const string Time = "take times from the point; Cairn records every step's duration in its provenance";
    private const string Seed = "seed it from the point, e.g. new Random(p.Seed)";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NonDeterministic, DiagnosticDescriptors.StaticWrite);

    /// <summary>
    /// The operations that can use a non-deterministic API, write static state, or reach code
    /// (calls, references, and what implies code: operators, conversions, loops, deconstructions,
    /// <c>await</c>, <c>using</c>); bench/GeneratorCost's idle analyzer registers the same.
    /// </summary>
    internal static readonly OperationKind[] InspectedOperations =
    [
        OperationKind.Invocation,
        OperationKind.PropertyReference,
        OperationKind.ObjectCreation,
        OperationKind.MethodReference,
        OperationKind.SimpleAssignment,
        OperationKind.CompoundAssignment,
        OperationKind.CoalesceAssignment,
        OperationKind.Increment,
        OperationKind.Decrement,
        OperationKind.FieldReference,
        OperationKind.Binary,
        OperationKind.Unary,
        OperationKind.Conversion,
        OperationKind.Loop,
        OperationKind.DeconstructionAssignment,
        OperationKind.RecursivePattern,
        OperationKind.Await,
        OperationKind.Using,
        OperationKind.UsingDeclaration,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? step = start.Compilation.GetTypeByMetadataName(MethodParser.StepAttribute);
            if (step is null)
            {
                return;
            }

            var scan = new Scan(start.Compilation);
            var steps = new ConcurrentBag<(IMethodSymbol Method, string Name)>();
            start.RegisterSymbolAction(
                symbol =>
                {
                    var method = (IMethodSymbol)symbol.Symbol;
                    AttributeData? attribute = method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, step));
                    if (attribute is not null)
                    {
                        steps.Add((method, MethodParser.StepName(method, attribute)));
                    }
                },
                SymbolKind.Method);
            start.RegisterOperationAction(scan.Inspect, InspectedOperations);
            HelpLinks links = HelpLinks.From(start.Options);
            start.RegisterCompilationEndAction(end =>
            {
                var reported = new HashSet<Location>();
                var order = new DeclarationOrder(end.Compilation);
                foreach (var (method, name) in steps.OrderBy(s => s.Method, order))
                {
                    foreach (ISymbol reached in scan.Reachable(method, order))
                    {
                        string via = SymbolEqualityComparer.Default.Equals(reached, method) ? "" : $" (through '{Through(reached)}')";
                        foreach (Finding finding in scan.FindingsOf(reached))
                        {
                            // A program run by name is this step's to declare: reported for the first step that reaches it without.
                            if (finding.Program is { } program && MethodParser.Programs(method).Any(p => p.Program == program))
                            {
                                continue;
                            }

                            if (reported.Add(finding.Location))
                            {
                                end.ReportDiagnostic(Diagnostic.Create(links.For(finding.Descriptor), finding.Location, finding.Properties, name, via, finding.Detail, finding.Advice));
                            }
                        }
                    }
                }
            });
        });
    }

    /// <summary>How a message names code that a step reaches: as it is written, <c>Tables.Weights</c>, <c>new Mesh()</c>, <c>static Tables()</c>, <c>Vec.operator +</c>, <c>Grid.this[]</c>.</summary>
    private static string Through(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } => $"static {member.ContainingType.Name}()",
        IMethodSymbol { MethodKind: MethodKind.Constructor } => $"new {member.ContainingType.Name}()",
        IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op => $"{op.ContainingType.Name}.operator {SyntaxFacts.GetText(SyntaxFacts.GetOperatorKind(op.MetadataName))}",
        IMethodSymbol { MethodKind: MethodKind.Conversion } conversion =>
            $"{conversion.ContainingType.Name}.{(conversion.MetadataName == WellKnownMemberNames.ImplicitConversionName ? "implicit" : "explicit")} operator {conversion.ReturnType.ToDisplayString()}",
        IMethodSymbol { AssociatedSymbol: IPropertySymbol property } => Through(property),
        IPropertySymbol { IsIndexer: true } => $"{member.ContainingType.Name}.this[]",
        _ => $"{member.ContainingType.Name}.{member.Name}",
    };

    /// <summary>
    /// One use of a non-deterministic API or one write to static state. <see cref="Detail"/> and
    /// <see cref="Advice"/> are the message's last two arguments: what is used and what to do
    /// (CAIRN011), or the member's kind and name (CAIRN012). <see cref="Program"/> names the
    /// program of an <c>ExternalProgram.Run</c>, which is a finding only for a step that does not
    /// declare it with <c>[Runs]</c>.
    /// </summary>
    private sealed record Finding(DiagnosticDescriptor Descriptor, Location Location, string Detail, string Advice, ImmutableDictionary<string, string?> Properties, string? Program = null);

    /// <summary>
    /// What all code of one compilation uses and reaches, by its owner: a method, or a field or
    /// property for its initializer. Filled concurrently by the operation actions.
    /// </summary>
    private sealed class Scan(Compilation compilation)
    {
        private static readonly ImmutableDictionary<string, string?> s_none = ImmutableDictionary<string, string?>.Empty;
        private static readonly ImmutableDictionary<string, string?> s_seed = s_none.Add(FixProperty, SeedFix);

        private readonly ConcurrentDictionary<ISymbol, ConcurrentQueue<Finding>> _findings = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ConcurrentDictionary<ISymbol, bool>> _calls = new(SymbolEqualityComparer.Default);
        private readonly System.Lazy<IReadOnlyList<INamedTypeSymbol>> _types = new(() => ReachedMembers.ProjectTypes(compilation));
        private readonly INamedTypeSymbol? _dateTime = compilation.GetTypeByMetadataName("System.DateTime");
        private readonly INamedTypeSymbol? _dateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        private readonly INamedTypeSymbol? _environment = compilation.GetTypeByMetadataName("System.Environment");
        private readonly INamedTypeSymbol? _guid = compilation.GetTypeByMetadataName("System.Guid");
        private readonly INamedTypeSymbol? _random = compilation.GetTypeByMetadataName("System.Random");
        private readonly INamedTypeSymbol? _stopwatch = compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch");
        private readonly INamedTypeSymbol? _file = compilation.GetTypeByMetadataName("System.IO.File");
        private readonly INamedTypeSymbol? _directory = compilation.GetTypeByMetadataName("System.IO.Directory");
        private readonly INamedTypeSymbol? _fileStream = compilation.GetTypeByMetadataName("System.IO.FileStream");
        private readonly INamedTypeSymbol? _streamReader = compilation.GetTypeByMetadataName("System.IO.StreamReader");
        private readonly INamedTypeSymbol? _process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
        private readonly INamedTypeSymbol? _externalProgram = compilation.GetTypeByMetadataName("Cairn.ExternalProgram");

        public void Inspect(OperationAnalysisContext context)
        {
            if (context.ContainingSymbol is not (IMethodSymbol or IFieldSymbol or IPropertySymbol))
            {
                return;
            }

            ISymbol owner = context.ContainingSymbol;
            switch (context.Operation)
            {
                case IInvocationOperation invocation:
                    Reach(owner, invocation.TargetMethod);
                    Invoked(owner, invocation);
                    break;
                case IPropertyReferenceOperation property:
                    Reach(owner, property.Property.GetMethod);
                    Reach(owner, property.Property);
                    Property(owner, property);
                    break;
                case IFieldReferenceOperation field:
                    Reach(owner, field.Field);
                    break;
                case IObjectCreationOperation creation:
                    Reach(owner, creation.Constructor);
                    Created(owner, creation);
                    break;
                case IMethodReferenceOperation reference:
                    Reach(owner, reference.Method);
                    break;
                case IAssignmentOperation assignment:
                    ReachImplied(owner, assignment, context.CancellationToken);
                    Written(owner, assignment.Target);
                    break;
                case IIncrementOrDecrementOperation increment:
                    ReachImplied(owner, increment, context.CancellationToken);
                    Written(owner, increment.Target);
                    break;
                case IRecursivePatternOperation { Syntax: RecursivePatternSyntax { PositionalPatternClause: { } clause } } pattern:
                    ReachImplied(owner, pattern, context.CancellationToken, clause);
                    break;
                default: // operators, conversions, foreach loops, deconstructions, await, using
                    ReachImplied(owner, context.Operation, context.CancellationToken);
                    break;
            }
        }

        /// <summary>The step and all code of the compilation it reaches, transitively, each once.</summary>
        public IEnumerable<ISymbol> Reachable(IMethodSymbol step, DeclarationOrder order)
        {
            var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { step };
            var queue = new Queue<ISymbol>(seen);
            foreach (ISymbol arriving in ReachedMembers.ArrivingWith(step))
            {
                if (seen.Add(arriving))
                {
                    queue.Enqueue(arriving);
                }
            }

            while (queue.Count > 0)
            {
                ISymbol member = queue.Dequeue();
                yield return member;
                IEnumerable<ISymbol> callees = _calls.TryGetValue(member, out var called) ? called.Keys.OrderBy(c => c, order) : [];
                foreach (ISymbol callee in callees.Concat(ReachedMembers.AlongWith(member, _types.Value)))
                {
                    if (seen.Add(callee))
                    {
                        queue.Enqueue(callee);
                    }
                }
            }
        }

        public IEnumerable<Finding> FindingsOf(ISymbol member) =>
            _findings.TryGetValue(member, out var findings) ? findings.OrderBy(f => f.Location.SourceSpan.Start) : [];

        /// <summary>What the operation's syntax implies without naming it (<see cref="ReachedMembers"/>): an operator, a conversion, an enumerator, a <c>Deconstruct</c>.</summary>
        private void ReachImplied(ISymbol owner, IOperation operation, CancellationToken cancellationToken, SyntaxNode? syntax = null)
        {
            if (!ImpliesCode(operation) || operation.SemanticModel is not { } model)
            {
                return;
            }

            var found = new List<ISymbol>();
            ReachedMembers.Add(syntax ?? operation.Syntax, model, found, cancellationToken);
            foreach (ISymbol member in found)
            {
                Reach(owner, member);
            }
        }

        /// <summary>
        /// Whether the operation applies code that its syntax does not name: a user-defined operator
        /// or conversion, an enumerator, a <c>Deconstruct</c>, an awaiter, a <c>Dispose</c>. Most operations are built-in ones,
        /// which this tells from the operation alone, before any lookup.
        /// </summary>
        private static bool ImpliesCode(IOperation operation) => operation switch
        {
            IBinaryOperation { OperatorMethod: not null } or IUnaryOperation { OperatorMethod: not null }
                or ICompoundAssignmentOperation { OperatorMethod: not null } or IIncrementOrDecrementOperation { OperatorMethod: not null }
                or IConversionOperation { OperatorMethod: not null } => true,
            IForEachLoopOperation or IDeconstructionAssignmentOperation or IRecursivePatternOperation { DeconstructSymbol: not null } => true,
            IAwaitOperation or IUsingOperation or IUsingDeclarationOperation => true,
            _ => false,
        };

        /// <summary>Records that <paramref name="owner"/> reaches <paramref name="member"/> when the member is this compilation's.</summary>
        private void Reach(ISymbol owner, ISymbol? member)
        {
            if (member?.OriginalDefinition is { Locations.IsEmpty: false } definition
                && SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, compilation.Assembly))
            {
                _calls.GetOrAdd(owner, _ => new(SymbolEqualityComparer.Default)).TryAdd(definition, true);
            }
        }

        private void Invoked(ISymbol method, IInvocationOperation invocation)
        {
            IMethodSymbol target = invocation.TargetMethod;
            INamedTypeSymbol type = target.ContainingType;
            string name = $"'{type.Name}.{target.Name}()'";
            if (Is(type, _guid) && target.Name is "NewGuid" or "CreateVersion7")
            {
                Add(method, invocation, DiagnosticDescriptors.NonDeterministic, name, "derive ids from the point (Cairn gives every point a stable id)");
            }
            else if (Is(type, _stopwatch) && target.IsStatic)
            {
                Add(method, invocation, DiagnosticDescriptors.NonDeterministic, name, Time);
            }
            else if ((Is(type, _file) && (target.Name.StartsWith("Read", System.StringComparison.Ordinal) || target.Name.StartsWith("Open", System.StringComparison.Ordinal) || target.Name == "Exists"))
                || (Is(type, _directory) && (target.Name.StartsWith("Get", System.StringComparison.Ordinal) || target.Name.StartsWith("Enumerate", System.StringComparison.Ordinal) || target.Name == "Exists")))
            {
                Add(method, invocation, DiagnosticDescriptors.NonDeterministic, $"the file system ({name})", FileRemedy);
            }

            else if (Is(type, _process) && target.Name == "Start")
            {
                Add(method, invocation, DiagnosticDescriptors.NonDeterministic, $"a program ({name})", ProgramRemedy);
            }
            else if (Is(type, _externalProgram) && target.Name == "Run"
                && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value.ConstantValue is { HasValue: true, Value: string program })
            {
                Add(method, invocation, DiagnosticDescriptors.NonDeterministic, $"the program '{program}', which it does not declare",
                    $"add [Runs(\"{program}\")] to the step, which hashes the program's file into its key (without it the run refuses to start the program)", program: program);
            }

            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                {
                    Written(method, argument.Value);
                }
            }
        }

        private const string ProgramRemedy = "the step's hash does not cover the program, so run it with ExternalProgram.Run and declare it with [Runs(\"name\")], which hashes its file";

        private const string FileRemedy = "the step's hash does not cover the file, so put what it holds in the point, or bump [Step(Version)] whenever the file changes";

        private void Property(ISymbol method, IPropertyReferenceOperation reference)
        {
            IPropertySymbol property = reference.Property;
            INamedTypeSymbol type = property.ContainingType;
            string name = $"'{type.Name}.{property.Name}'";
            if (((Is(type, _dateTime) || Is(type, _dateTimeOffset)) && property.Name is "Now" or "UtcNow" or "Today")
                || (Is(type, _environment) && property.Name is "TickCount" or "TickCount64"))
            {
                Add(method, reference, DiagnosticDescriptors.NonDeterministic, name, Time);
            }
            else if (Is(type, _random) && property.Name == "Shared")
            {
                Add(method, reference, DiagnosticDescriptors.NonDeterministic, name, "use a Random you create with a seed, e.g. new Random(p.Seed)", s_seed);
            }
        }

        private void Created(ISymbol method, IObjectCreationOperation creation)
        {
            INamedTypeSymbol? type = creation.Type as INamedTypeSymbol;
            if (Is(type, _random) && creation.Arguments.Length == 0)
            {
                Add(method, creation, DiagnosticDescriptors.NonDeterministic, "'new Random()' without a seed", Seed, s_seed);
            }
            else if (Is(type, _stopwatch))
            {
                Add(method, creation, DiagnosticDescriptors.NonDeterministic, "'Stopwatch'", Time);
            }
            else if ((Is(type, _fileStream) || Is(type, _streamReader)) && creation.Constructor?.Parameters.FirstOrDefault()?.Type.SpecialType == SpecialType.System_String)
            {
                Add(method, creation, DiagnosticDescriptors.NonDeterministic, $"the file system ('new {type!.Name}(path)')", FileRemedy);
            }
        }

        private void Written(ISymbol method, IOperation target)
        {
            if (method is IMethodSymbol { MethodKind: MethodKind.StaticConstructor })
            {
                return;
            }

            (string kind, ISymbol member)? written = target switch
            {
                IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field } => ("field", field),
                IPropertyReferenceOperation { Property.IsStatic: true } property => ("property", property.Property),
                _ => null,
            };
            if (written is { } w)
            {
                Add(method, target, DiagnosticDescriptors.StaticWrite, w.kind, $"{w.member.ContainingType.Name}.{w.member.Name}");
            }
        }

        private void Add(ISymbol method, IOperation operation, DiagnosticDescriptor descriptor, string detail, string advice, ImmutableDictionary<string, string?>? properties = null, string? program = null) =>
            _findings.GetOrAdd(method, _ => new()).Enqueue(new Finding(descriptor, operation.Syntax.GetLocation(), detail, advice, properties ?? s_none, program));

        private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? wanted) => wanted is not null && SymbolEqualityComparer.Default.Equals(type, wanted);
    }
}
