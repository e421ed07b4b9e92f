using System.Collections.Generic;
using System.Linq;
using Cairn.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Cairn.Generator;

/// <summary>
/// Reads one <c>[Step]</c> or <c>[Points]</c> method into its model, with the problems that method
/// has on its own (its shape, its parameters' modifiers, whether its types can be stored). Shared by
/// the generator and the analyzers, so that both apply the same rules.
/// </summary>
internal static class MethodParser
{
    public const string StepAttribute = "Cairn.StepAttribute";
    public const string PointsAttribute = "Cairn.PointsAttribute";
    public const string InputAttribute = "Cairn.InputAttribute";
    public const string OutputAttribute = "Cairn.OutputAttribute";
    public const string GroupByAttribute = "Cairn.GroupByAttribute";
    public const string RunsAttribute = "Cairn.RunsAttribute";
    public const string ResourcesAttribute = "Cairn.ResourcesAttribute";

    /// <summary>The <c>[Step]</c> argument that limits a step's time: it does not change the step's results, nor its hash.</summary>
    public const string TimeoutArgument = "TimeoutSeconds";

    /// <summary>The value of <c>Cairn.Container.Hdf5</c>.</summary>
    private const int Hdf5Container = 2;

    /// <summary>The step's model, without its provenance hash and source.</summary>
    public static StepModel Step(IMethodSymbol method, AttributeData step)
    {
        string name = StepName(method, step);
        int version = Named<int?>(step, "Version") ?? 1;
        bool final = Named<bool?>(step, "Final") ?? false;
        bool partial = Named<bool?>(step, "Partial") ?? false;
        double timeout = Named<double?>(step, TimeoutArgument) ?? 0;
        string product = OutputName(method) ?? method.Name;
        int container = Output(method) is { } outputAttribute ? Named<int?>(outputAttribute, "Container") ?? 0 : 0;
        ITypeSymbol returned = Returned(method, out bool awaits);
        TypeModel output = TypeShapes.Describe(returned);

        var problems = new List<Problem>();
        string? shape = !method.IsStatic ? "is not static"
            : method.IsGenericMethod ? "is generic"
            : !TypeShapes.IsAccessible(method) ? "is not accessible from the generated host"
            : null;
        if (shape is not null)
        {
            problems.Add(Problem.Local(DiagnosticIds.StepMethodShape, Site.Method, method.Name, shape));
        }

        if (method.ReturnsVoid || returned.ToDisplayString() is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask")
        {
            problems.Add(Problem.Local(DiagnosticIds.NoOutput, Site.ReturnType, name, method.ReturnsVoid ? "void" : returned.Name));
        }
        else if (output.Problem is not null && !method.IsGenericMethod)
        {
            problems.Add(Problem.Local(DiagnosticIds.Unstorable, Site.ReturnType, "output", output.Problem));
        }
        else if (output.Hdf5Only is string property && container != Hdf5Container)
        {
            problems.Add(Problem.Local(DiagnosticIds.Unstorable, Site.ReturnType, "output",
                $"{property}, which only HDF5 stores; declare [Output(\"{product}\", Container = Container.Hdf5)]"));
        }

        if (StoreNames.Problem(name) is string badStep)
        {
            problems.Add(Problem.Local(DiagnosticIds.BadName, Site.StepName, "step", name, badStep));
        }

        if (StoreNames.Problem(product) is string badProduct)
        {
            problems.Add(Problem.Local(DiagnosticIds.BadName, Site.Output, "product", product, badProduct));
        }

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            if (Modifier(method.Parameters[i]) is string modifier)
            {
                problems.Add(Problem.LocalParameter(DiagnosticIds.ParameterModifier, Site.Parameter, i, method.Parameters[i].Name, name, modifier));
            }
        }

        EquatableArray<ProgramModel> programs = Programs(method);
        ResourcesModel? resources = Resources(method);
        problems.AddRange(ProgramProblems(name, programs));
        problems.AddRange(ResourcesProblems(name, resources));
        EquatableArray<string> groupBy = GroupBy(method);
        return new StepModel(
            name,
            method.ContainingType.ToDisplayString(TypeShapes.FullName) + "." + method.Name,
            method.ContainingType.Name + "." + method.Name,
            product,
            version,
            final,
            partial,
            groupBy,
            timeout > 0 ? timeout : 0,
            container,
            output,
            awaits,
            method.Parameters.Select(Parameter).ToEquatableArray(),
            "",
            "",
            problems.ToEquatableArray())
        {
            Programs = programs,
            Resources = resources,
        };
    }

    /// <summary>The named arguments of <c>[Resources]</c>, in the order <see cref="Site.Resources"/> indexes them.</summary>
    public static readonly string[] ResourcesArguments = ["Cores", "Ranks", "MemoryGiB"];

    /// <summary>CAIRN023 for a <c>[Runs]</c> that names no program, or whose version pattern cannot pick a version.</summary>
    private static IEnumerable<Problem> ProgramProblems(string step, EquatableArray<ProgramModel> programs)
    {
        for (int k = 0; k < programs.Count; k++)
        {
            ProgramModel program = programs[k];
            if (string.IsNullOrWhiteSpace(program.Program))
            {
                yield return At(Site.RunsProgram, k, step, "[Runs] names no program; name it as it is on PATH (\"lmp\") or by its path");
            }

            if (program.VersionPattern is not { } pattern)
            {
                continue;
            }

            if (program.VersionArguments is null)
            {
                yield return At(Site.RunsVersionPattern, k, step, $"VersionPattern picks the version out of what VersionArguments make '{program.Program}' print, and it has none; add VersionArguments (\"--version\")");
            }
            else if (PatternProblem(pattern) is string problem)
            {
                yield return At(Site.RunsVersionPattern, k, step, $"VersionPattern \"{pattern}\" is not a regular expression ({problem})");
            }
        }
    }

    /// <summary>CAIRN023 for <c>[Resources]</c> values that no step can have.</summary>
    private static IEnumerable<Problem> ResourcesProblems(string step, ResourcesModel? resources)
    {
        if (resources is null)
        {
            yield break;
        }

        if (resources.Cores < 1)
        {
            yield return At(Site.Resources, 0, step, $"Cores = {resources.Cores}, but each rank needs at least 1 core");
        }

        if (resources.Ranks < 0)
        {
            yield return At(Site.Resources, 1, step, $"Ranks = {resources.Ranks}, but ranks are 0 (the step is not MPI) or more");
        }

        if (!(resources.MemoryGiB >= 0))
        {
            yield return At(Site.Resources, 2, step, $"MemoryGiB = {resources.MemoryGiB.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but memory is 0 (not said) or more");
        }
    }

    private static Problem At(Site site, int index, string step, string message) =>
        Problem.Error(DiagnosticIds.ProgramOrResources, Subject.Step, -1, site, index, step, message);

    /// <summary>Why <paramref name="pattern"/> is not a .NET regular expression; null when it is.</summary>
    private static string? PatternProblem(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern);
            return null;
        }
        catch (System.ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>A method's <c>[Resources]</c>; null without one.</summary>
    private static ResourcesModel? Resources(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ResourcesAttribute) is { } resources
            ? new ResourcesModel(Named<int?>(resources, "Cores") ?? 1, Named<int?>(resources, "Ranks") ?? 0, Named<double?>(resources, "MemoryGiB") ?? 0)
            : null;

    /// <summary>The programs a method declares with <c>[Runs]</c>, in declaration order.</summary>
    public static EquatableArray<ProgramModel> Programs(IMethodSymbol method) =>
        method.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == RunsAttribute && a.ConstructorArguments.Length == 1)
            .Select(a => new ProgramModel(a.ConstructorArguments[0].Value as string ?? "", Named<string>(a, "VersionArguments"), Named<string>(a, "VersionPattern")))
            .ToEquatableArray();

    /// <summary>The step's name: <c>[Step(Name = ...)]</c>, else the method's.</summary>
    public static string StepName(IMethodSymbol method, AttributeData step) => Named<string>(step, "Name") ?? method.Name;

    /// <summary>The <c>[Points]</c> method's model.</summary>
    public static PointsModel Points(IMethodSymbol method)
    {
        string call = method.ContainingType.ToDisplayString(TypeShapes.FullName) + "." + method.Name;
        ITypeSymbol? element = method.ReturnType.AllInterfaces
            .Concat(method.ReturnType is INamedTypeSymbol self ? new[] { self } : [])
            .FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];

        var problems = new List<Problem>();
        string? shape = !method.IsStatic ? "is not static"
            : method.IsGenericMethod ? "is generic"
            : method.Parameters.Length > 0 ? "has parameters"
            : !TypeShapes.IsAccessible(method) ? "is not accessible from the generated host"
            : null;
        if (shape is not null)
        {
            problems.Add(Problem.Local(DiagnosticIds.PointsMethod, Site.Method, $"The [Points] method '{method.Name}' {shape}"));
        }

        TypeModel pointType;
        if (element is null)
        {
            problems.Add(Problem.Local(DiagnosticIds.PointsMethod, Site.ReturnType, $"The [Points] method '{method.Name}' returns '{method.ReturnType.ToDisplayString()}', which is not an IEnumerable<T>"));
            pointType = new TypeModel("object", "object", "object", EquatableArray<MemberModel>.Empty, "it is not known");
        }
        else
        {
            pointType = TypeShapes.Describe(element);
            if (pointType.Problem is not null)
            {
                problems.Add(Problem.Local(DiagnosticIds.Unstorable, Site.ReturnType, "point", pointType.Problem));
            }
            else if (pointType.Hdf5Only is string property)
            {
                problems.Add(Problem.Local(DiagnosticIds.Unstorable, Site.ReturnType, "point",
                    $"{property}, which only HDF5 products store, not points; give the point the parameters it is computed from"));
            }
        }

        return new PointsModel(call, method.Name, pointType, element is not null, problems.ToEquatableArray());
    }

    /// <summary>The value a step produces: its return type, or <c>T</c> of a returned <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public static ITypeSymbol Returned(IMethodSymbol method, out bool awaits)
    {
        if (method.ReturnType is INamedTypeSymbol { IsGenericType: true } generic
            && generic.ConstructedFrom.ToDisplayString() is "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>")
        {
            awaits = true;
            return generic.TypeArguments[0];
        }

        awaits = false;
        return method.ReturnType;
    }

    /// <summary>The <c>[Input]</c> attribute of a parameter, if it has one.</summary>
    public static AttributeData? Input(IParameterSymbol parameter) =>
        parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == InputAttribute);

    /// <summary>The <c>[Output]</c> attribute of a method (on the method or its return value), if it has one.</summary>
    public static AttributeData? Output(IMethodSymbol method) =>
        method.GetAttributes().Concat(method.GetReturnTypeAttributes()).FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OutputAttribute);

    /// <summary>The <c>[GroupBy]</c> attribute of a method, if it has one.</summary>
    public static AttributeData? GroupByOf(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == GroupByAttribute);

    /// <summary>
    /// The properties named by the method's <c>[GroupBy]</c>, in order; empty without one, and one
    /// empty name for a <c>[GroupBy]</c> that names none (which the graph reports).
    /// </summary>
    private static EquatableArray<string> GroupBy(IMethodSymbol method) =>
        GroupByOf(method) is not { } attribute ? EquatableArray<string>.Empty
        : attribute.ConstructorArguments is { Length: 1 } arguments && arguments[0].Kind == TypedConstantKind.Array && arguments[0].Values.Length > 0
            ? arguments[0].Values.Select(v => v.Value as string ?? "").ToEquatableArray()
            : new[] { "" }.ToEquatableArray();

    private static ParameterModel Parameter(IParameterSymbol parameter)
    {
        AttributeData? input = Input(parameter);
        string? product = input is null ? null : input.ConstructorArguments.FirstOrDefault().Value as string ?? parameter.Name;
        if (parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IReadOnlyList_T } list)
        {
            return new ParameterModel(parameter.Name, list.TypeArguments[0].ToDisplayString(TypeShapes.FullName), list.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), product, true);
        }

        if (parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IEnumerable_T } stream)
        {
            return new ParameterModel(parameter.Name, stream.TypeArguments[0].ToDisplayString(TypeShapes.FullName), stream.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), product, true, IsStream: true);
        }

        if (parameter.Type is INamedTypeSymbol { IsGenericType: true } dictionary
            && dictionary.ConstructedFrom.ToDisplayString() == "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>")
        {
            ITypeSymbol key = dictionary.TypeArguments[0];
            ITypeSymbol value = dictionary.TypeArguments[1];
            return new ParameterModel(parameter.Name, value.ToDisplayString(TypeShapes.FullName), value.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), product, false,
                TypeShapes.KeyName(key), key.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        }

        return new ParameterModel(parameter.Name, parameter.Type.ToDisplayString(TypeShapes.FullName), parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), product, false);
    }

    private static string? Modifier(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref => "a ref parameter",
        RefKind.Out => "an out parameter",
        RefKind.In => "an in parameter",
        RefKind.RefReadOnlyParameter => "a ref readonly parameter",
        _ => parameter.IsParams ? "a params parameter" : null,
    };

    private static string? OutputName(IMethodSymbol method) => Output(method)?.ConstructorArguments.FirstOrDefault().Value as string;

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
