using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Cairn.Generator.Model;

namespace Cairn.Generator;

/// <summary>
/// Binds the parsed steps into a graph: resolves every input to its producer, decides which steps
/// run per point and which once, and orders them topologically. Pure: no Roslyn symbols. Finds every
/// problem, not just the first, and none twice: a check that depends on a broken part is skipped,
/// so that one mistake gives one diagnostic.
/// </summary>
internal static class GraphBuilder
{
    /// <summary>The most per-point steps a campaign may have (the runtime keeps one bit per step and point, beside four flags).</summary>
    public const int MaxPerPointSteps = 60;

    /// <summary>
    /// The campaign's model. Its <see cref="CampaignModel.Problems"/> start with the methods' own
    /// problems (points first, then steps, each in order), followed by the problems of the graph.
    /// </summary>
    public static CampaignModel? Build(string name, ImmutableArray<PointsModel> points, ImmutableArray<StepModel> steps)
    {
        if (steps.IsEmpty && points.IsEmpty)
        {
            return null;
        }

        var problems = new List<Problem>();
        for (int i = 0; i < points.Length; i++)
        {
            problems.AddRange(points[i].Problems.Select(p => p with { Subject = Subject.Points, Index = i }));
        }

        for (int i = 0; i < steps.Length; i++)
        {
            problems.AddRange(steps[i].Problems.Select(p => p with { Subject = Subject.Step, Index = i }));
        }

        CampaignModel Broken() => new(name, points.FirstOrDefault(), steps.ToEquatableArray(), 0, EquatableArray<TypeModel>.Empty, problems.ToEquatableArray());

        if (points.IsEmpty)
        {
            problems.Add(Problem.Error(DiagnosticIds.PointsMethod, Subject.Step, 0, Site.Method, -1, "The campaign has [Step] methods but no [Points] method"));
        }

        for (int i = 1; i < points.Length; i++)
        {
            problems.Add(Problem.Error(DiagnosticIds.PointsMethod, Subject.Points, i, Site.Method, -1, $"'{points[i].Name}' is a second [Points] method ('{points[0].Name}' is the first)"));
        }

        if (steps.IsEmpty)
        {
            problems.Add(Problem.Error(DiagnosticIds.NoSteps, Subject.Points, 0, Site.Method, -1, points[0].Name));
            return Broken();
        }

        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Length; i++)
        {
            StepModel step = steps[i];
            if (names.TryGetValue(step.Name, out int first))
            {
                problems.Add(Problem.Error(DiagnosticIds.DuplicateStepName, Subject.Step, i, Site.StepName, -1, steps[first].MethodDisplay, step.MethodDisplay, step.Name) with { Related = new[] { first }.ToEquatableArray() });
            }
            else
            {
                names.Add(step.Name, i);
            }

            if (producers.TryGetValue(step.Product, out first))
            {
                problems.Add(Problem.Error(DiagnosticIds.DuplicateProduct, Subject.Step, i, Site.Output, -1, steps[first].Name, step.Name, step.Product) with { Related = new[] { first }.ToEquatableArray() });
            }
            else
            {
                producers.Add(step.Product, i);
            }
        }

        PointsModel? pointsModel = points.Length > 0 && points[0].HasPointType ? points[0] : null;
        for (int i = 0; i < steps.Length; i++)
        {
            CheckInputs(steps, i, pointsModel, producers, problems);
            if (pointsModel is not null && steps[i].IsGrouped && pointsModel.Problems.Count == 0)
            {
                CheckGroups(steps, i, pointsModel.PointType, problems);
            }
        }

        List<int>? ordered = TopologicalOrder(steps, producers, out List<int>? cycle);
        if (ordered is null)
        {
            string flow = string.Join(" -> ", cycle!.Concat(new[] { cycle![0] }).Select(i => steps[i].Name));
            int at = cycle.Min();
            problems.Add(Problem.Error(DiagnosticIds.Cycle, Subject.Step, at, Site.Method, -1, flow) with { Related = cycle.Where(i => i != at).ToEquatableArray() });
            return Broken();
        }

        var global = Classify(steps, ordered, producers, problems);
        var perPoint = ordered.Where(i => !global.Contains(steps[i].Product)).ToList();
        if (perPoint.Count > MaxPerPointSteps)
        {
            problems.Add(Problem.Error(DiagnosticIds.TooManySteps, Subject.Step, perPoint[MaxPerPointSteps], Site.Method, -1,
                perPoint.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), MaxPerPointSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Whether a product is read is only known of a graph without errors; the warnings below do not block.
        bool broken = problems.Any(p => p.Blocks);
        foreach (int i in broken ? [] : perPoint)
        {
            StepModel step = steps[i];
            if (!step.Final && !steps.Any(s => s.Parameters.Any(p => p.Product == step.Product)))
            {
                problems.Add(new Problem(DiagnosticIds.UnconsumedProduct, Subject.Step, i, Site.Output, -1, new[] { step.Product, step.Name }.ToEquatableArray(), EquatableArray<int>.Empty, false));
            }
        }

        if (broken)
        {
            return Broken();
        }

        var all = perPoint.Concat(ordered.Where(i => global.Contains(steps[i].Product))).Select(i => steps[i]).ToEquatableArray();
        var types = new[] { points[0].PointType }.Concat(all.Select(s => s.Output))
            .GroupBy(t => t.FullName, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(t => t.Identifier, StringComparer.Ordinal).ToEquatableArray();
        return new CampaignModel(name, points[0], all, global.Count, types, problems.ToEquatableArray());
    }

    /// <summary>CAIRN006, 001 and 003: each parameter is the point or names an existing product of its type.</summary>
    private static void CheckInputs(ImmutableArray<StepModel> steps, int index, PointsModel? points, Dictionary<string, int> producers, List<Problem> problems)
    {
        StepModel step = steps[index];
        for (int j = 0; j < step.Parameters.Count; j++)
        {
            ParameterModel parameter = step.Parameters[j];
            if (step.Problems.Any(p => p.Parameter == j))
            {
                continue;
            }

            if (parameter.Product is null)
            {
                // The point, or in a reduction the list of points (which Classify checks).
                if (points is not null && (parameter.TypeName != points.PointType.FullName || parameter.IsGroups))
                {
                    // The fix reads the product of the parameter's type, when exactly one step outputs it.
                    string[] candidates = steps.Where(s => s.Output.FullName == parameter.TypeName && s.Problems.Count == 0).Select(s => s.Product).Distinct().ToArray();
                    string remedy = candidates.Length == 1
                        ? $"mark it [Input(\"{candidates[0]}\")] to read the '{parameter.TypeDisplay}' that step '{steps[producers[candidates[0]]].Name}' outputs"
                        : "mark it [Input(\"product\")] with the product it reads";
                    problems.Add(Problem.Error(DiagnosticIds.UnboundParameter, Subject.Step, index, Site.Parameter, j, parameter.Name, step.Name, points.PointType.DisplayName, remedy)
                        with { Fix = candidates.Length == 1 ? candidates[0] : null });
                }

                continue;
            }

            if (!producers.TryGetValue(parameter.Product, out int producer))
            {
                string? nearest = Nearest(parameter.Product, producers.Keys);
                string remedy = nearest is not null ? $"did you mean '{nearest}'?" : "name a product that a step outputs (its [Output(\"...\")], else the step method's name)";
                problems.Add(Problem.Error(DiagnosticIds.UnknownProduct, Subject.Step, index, Site.Input, j, step.Name, parameter.Product, remedy) with { Fix = nearest });
                continue;
            }

            StepModel made = steps[producer];
            TypeModel output = made.Output;
            if (made.Problems.Count > 0)
            {
                continue;
            }

            if (made.IsGrouped)
            {
                // All groups' results, keyed by group: the key's type follows from the point's properties.
                string? key = points is null ? null : GroupKey(made, points.PointType)?.Display;
                string expected = $"IReadOnlyDictionary<{key ?? "TKey"}, {output.DisplayName}>";
                if (output.FullName != parameter.TypeName || !parameter.IsGroups
                    || (points is not null && GroupKey(made, points.PointType) is { } known && known.Name != parameter.KeyType))
                {
                    problems.Add(Mismatch(index, j, parameter, step, $"a '{output.DisplayName}' per group of {string.Join(", ", made.GroupBy)}", expected));
                }
            }
            else if (output.FullName != parameter.TypeName || parameter.IsGroups)
            {
                problems.Add(Mismatch(index, j, parameter, step, $"a '{output.DisplayName}' per point",
                    parameter.IsStream ? $"IEnumerable<{output.DisplayName}>" : parameter.IsList || parameter.IsGroups ? $"IReadOnlyList<{output.DisplayName}>" : output.DisplayName));
            }
        }
    }

    /// <summary>The key type of a grouped step's results (null when a property it groups by is unknown): the property's type, or a tuple of them.</summary>
    internal static (string Name, string Display, string Code, MemberModel[] Members)? GroupKey(StepModel step, TypeModel point)
    {
        var members = new MemberModel[step.GroupBy.Count];
        for (int i = 0; i < members.Length; i++)
        {
            MemberModel? member = point.Members.FirstOrDefault(m => m.Name == step.GroupBy[i]);
            if (member is null)
            {
                return null;
            }

            members[i] = member;
        }

        string Short(string type) => type.StartsWith("global::", StringComparison.Ordinal) ? type.Substring(type.LastIndexOf('.') + 1) : type;
        return members.Length == 1
            ? (TypeShapes.KeyName(members), Short(members[0].TypeName), members[0].TypeName, members)
            : (TypeShapes.KeyName(members),
               "(" + string.Join(", ", members.Select(m => $"{Short(m.TypeName)} {m.Name}")) + ")",
               "(" + string.Join(", ", members.Select(m => $"{m.TypeName} {m.Name}")) + ")",
               members);
    }

    /// <summary>CAIRN019, 020 and 022: a grouped step groups by properties of the point that can be a key and that its output does not also have.</summary>
    private static void CheckGroups(ImmutableArray<StepModel> steps, int index, TypeModel point, List<Problem> problems)
    {
        StepModel step = steps[index];
        for (int k = 0; k < step.GroupBy.Count; k++)
        {
            string name = step.GroupBy[k];
            MemberModel? member = point.Members.FirstOrDefault(m => m.Name == name);
            if (name.Length == 0)
            {
                // [GroupBy] without a property: Classify says so.
                continue;
            }

            if (member is null)
            {
                string? nearest = Nearest(name, point.Members.Select(m => m.Name));
                string remedy = nearest is not null ? $"did you mean '{nearest}'?" : $"name a property of '{point.DisplayName}' (with nameof)";
                problems.Add(Problem.Error(DiagnosticIds.GroupByProperty, Subject.Step, index, Site.GroupBy, k, step.Name, name, point.DisplayName, remedy));
            }
            else if (member.Kind is not (ValueKind.Primitive or ValueKind.String or ValueKind.Enum or ValueKind.DateTime) || member.ColumnType.Contains("Complex"))
            {
                problems.Add(Problem.Error(DiagnosticIds.GroupKeyType, Subject.Step, index, Site.GroupBy, k, step.Name, name, member.TypeName.Replace("global::", "")));
            }
            else if (step.Output.Members.Any(m => m.Name == name))
            {
                problems.Add(Problem.Error(DiagnosticIds.GroupColumnClash, Subject.Step, index, Site.GroupBy, k, step.Name, name, step.Output.DisplayName));
            }
        }
    }

    /// <summary>
    /// Decides which steps run once (reductions, and steps that read only once-computed products)
    /// and reports steps whose inputs fit neither shape (CAIRN015, and CAIRN003 for a list of a once-computed product).
    /// </summary>
    private static HashSet<string> Classify(ImmutableArray<StepModel> steps, List<int> ordered, Dictionary<string, int> producers, List<Problem> problems)
    {
        var global = new HashSet<string>(StringComparer.Ordinal);
        foreach (int i in ordered)
        {
            StepModel step = steps[i];
            bool Known(ParameterModel p) => p.Product is not null && producers.ContainsKey(p.Product);
            bool usesPoint = step.Parameters.Any(p => p.Product is null && !p.IsList);
            bool lists = step.Parameters.Any(p => p.IsList);
            bool perPointInput = step.Parameters.Any(p => Known(p) && !p.IsList && !p.IsGroups && !global.Contains(p.Product!));
            bool valueLists = step.Parameters.Any(p => Known(p) && p.IsList && !global.Contains(p.Product!));
            int listOfGlobal = IndexOf(step.Parameters, p => Known(p) && (p.IsList || p.IsGroups) && global.Contains(p.Product!) && !steps[producers[p.Product!]].IsGrouped);
            if (listOfGlobal >= 0)
            {
                ParameterModel parameter = step.Parameters[listOfGlobal];
                TypeModel output = steps[producers[parameter.Product!]].Output;
                problems.Add(Mismatch(i, listOfGlobal, parameter, step, $"one '{output.DisplayName}' computed once", output.DisplayName));
            }

            int once = IndexOf(step.Parameters, p => Known(p) && !p.IsList && global.Contains(p.Product!));
            if (step.IsGrouped)
            {
                // A group's run sees its own points' values; a product that is not per point has no groups to split.
                string? shape = step.GroupBy.Contains("") ? "has [GroupBy] without a property, so it has nothing to group by; name the point properties whose values make a group"
                    : !lists && (usesPoint || perPointInput) ? "runs per point, but [GroupBy] makes a reduction run once per group; read its inputs as IReadOnlyList<T>"
                    : usesPoint || perPointInput ? null
                    : !valueLists ? "reads no list of a per-point product, so it has no points to group; read one as IReadOnlyList<T>"
                    : once >= 0 ? $"also reads '{step.Parameters[once].Product}', which is not a per-point product; a grouped step reads lists of per-point products (and the list of points) only"
                    : null;
                if (shape is not null)
                {
                    problems.Add(Problem.Error(DiagnosticIds.GroupedShape, Subject.Step, i, Site.Method, -1, step.Name, shape));
                }
            }

            int streamed = IndexOf(step.Parameters, p => Known(p) && p.IsStream && !global.Contains(p.Product!));
            if (streamed >= 0 && !step.IsGrouped && step.Parameters.Count(p => p.IsList && (p.Product is null || (Known(p) && !global.Contains(p.Product!)))) > 1)
            {
                // A stream comes in the store's order, so nothing can be aligned with it.
                problems.Add(Problem.Error(DiagnosticIds.InputShape, Subject.Step, i, Site.Method, -1, step.Name,
                    $"streams '{step.Parameters[streamed].Product}' beside other lists; a reduction that streams (IEnumerable<T>) reads one per-point product, in the store's order, and products computed once"));

                // Still a reduction: what reads it is checked as reading a product computed once.
                global.Add(step.Product);
            }
            else if (lists && !valueLists && !usesPoint && !perPointInput && step.Parameters.Any(p => p.Product is null))
            {
                problems.Add(Problem.Error(DiagnosticIds.InputShape, Subject.Step, i, Site.Method, -1, step.Name,
                    "reads the list of points but no list of a per-point product; read one as IReadOnlyList<T>, and the points come aligned with it"));

                // Still a reduction, as above.
                global.Add(step.Product);
            }
            else if (lists || (!usesPoint && !perPointInput))
            {
                if (usesPoint || perPointInput)
                {
                    problems.Add(Problem.Error(DiagnosticIds.InputShape, Subject.Step, i, Site.Method, -1, step.Name, "mixes list inputs (which make it run once) with per-point inputs"));
                }
                else if (step.Parameters.Count == 0)
                {
                    problems.Add(Problem.Error(DiagnosticIds.InputShape, Subject.Step, i, Site.Method, -1, step.Name, "takes no parameter, so it has nothing to run on"));
                }
                else
                {
                    global.Add(step.Product);
                }
            }
            else if (once >= 0)
            {
                problems.Add(Problem.Error(DiagnosticIds.InputShape, Subject.Step, i, Site.Method, -1, step.Name,
                    $"runs per point but also reads '{step.Parameters[once].Product}', which is computed once (not supported yet)"));
            }
        }

        return global;
    }

    private static Problem Mismatch(int step, int parameter, ParameterModel model, StepModel stepModel, string what, string expected) =>
        Problem.Error(DiagnosticIds.InputTypeMismatch, Subject.Step, step, Site.ParameterType, parameter,
            model.Name, stepModel.Name, model.Written, model.Product!, what, expected);

    private static int IndexOf(EquatableArray<ParameterModel> parameters, Func<ParameterModel, bool> predicate)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            if (predicate(parameters[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The product name closest to a misspelt one, if one is close enough to be what was meant.</summary>
    internal static string? Nearest(string wanted, IEnumerable<string> products)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string product in products.OrderBy(p => p, StringComparer.Ordinal))
        {
            int distance = Distance(wanted.ToLowerInvariant(), product.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (product, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, wanted.Length / 3) ? best : null;
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit (optimal string alignment), as typos go.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>Kahn's algorithm, taking ready steps in declaration order; inputs of unknown products count as ready. On a cycle, gives its steps in data-flow order.</summary>
    private static List<int>? TopologicalOrder(ImmutableArray<StepModel> steps, Dictionary<string, int> producers, out List<int>? cycle)
    {
        var remaining = Enumerable.Range(0, steps.Length).ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<int>();
        bool Ready(ParameterModel p) => p.Product is null || done.Contains(p.Product) || !producers.ContainsKey(p.Product);
        while (remaining.Count > 0)
        {
            int at = remaining.FindIndex(i => steps[i].Parameters.All(Ready));
            if (at < 0)
            {
                cycle = DescribeCycle(steps, remaining, producers);
                return null;
            }

            int ready = remaining[at];
            ordered.Add(ready);
            done.Add(steps[ready].Product);
            remaining.Remove(ready);
        }

        cycle = null;
        return ordered;
    }

    private static List<int> DescribeCycle(ImmutableArray<StepModel> steps, List<int> remaining, Dictionary<string, int> producers)
    {
        var path = new List<int>();
        int current = remaining[0];
        while (!path.Contains(current))
        {
            path.Add(current);
            current = steps[current].Parameters
                .Where(p => p.Product is not null && producers.TryGetValue(p.Product, out int producer) && remaining.Contains(producer))
                .Select(p => producers[p.Product!]).First();
        }

        // The path follows inputs back to their producers; data flows the other way.
        return path.Skip(path.IndexOf(current)).Reverse().ToList();
    }
}
