using System.Linq;
using Cairn.Generator.Model;

namespace Cairn.Generator;

/// <summary>What reductions add to the host: the arguments of a global step's run, and for grouped ones their groupings and group key columns.</summary>
public sealed partial class CampaignGenerator
{
    /// <summary>For each grouped step: how a point's key is taken, stored, hashed and ordered.</summary>
    private static void EmitGroupings(SourceWriter w, CampaignModel model)
    {
        string point = model.Points!.PointType.FullName;
        var grouped = model.Steps.Select((step, index) => (step, index)).Where(x => x.step.IsGrouped).ToList();
        foreach ((StepModel step, int index) in grouped)
        {
            var key = GraphBuilder.GroupKey(step, model.Points.PointType)!.Value;
            string Of(string value, MemberModel m) => key.Members.Length == 1 ? value : $"{value}.{m.Name}";
            string select = key.Members.Length == 1 ? $"p.{key.Members[0].Name}" : "(" + string.Join(", ", key.Members.Select(m => $"p.{m.Name}")) + ")";
            string canonical = string.Join(" ", key.Members.Select(m => m.Kind == ValueKind.Enum ? $"w.Write(unchecked((long){Of("k", m)}));" : $"w.Write({Of("k", m)});"));
            string Compare(MemberModel m) => m.Kind switch
            {
                ValueKind.String => $"global::System.StringComparer.Ordinal.Compare({Of("a", m)}, {Of("b", m)})",
                ValueKind.Enum => $"((long){Of("a", m)}).CompareTo((long){Of("b", m)})",
                _ => $"{Of("a", m)}.CompareTo({Of("b", m)})",
            };
            string order = key.Members.Length == 1 ? Compare(key.Members[0])
                : string.Join(" ", key.Members.Take(key.Members.Length - 1).Select(m => $"{Compare(m)} is int c{m.Name} and not 0 ? c{m.Name} :")) + " " + Compare(key.Members[key.Members.Length - 1]);
            string properties = string.Join(", ", key.Members.Select(m => $"\"{Escape(m.Name)}\""));
            w.Line($"private static readonly {Hosting}.Grouping<{point}, {key.Code}> s_group{index} = new {Hosting}.Grouping<{point}, {key.Code}>(");
            w.Line($"    new string[] {{ {properties} }},");
            w.Line($"    static p => {select},");
            w.Line($"    static () => new {GroupColumnsName(step)}(),");
            w.Line($"    static (k, w) => {{ {canonical} }},");
            w.Line($"    static (a, b) => {order});");
            w.Line();
        }

        using (w.Block($"public override {Hosting}.StepGrouping<{point}>? Grouping(int step) => step switch", "};"))
        {
            foreach ((StepModel _, int index) in grouped)
            {
                w.Line($"{index} => s_group{index},");
            }

            w.Line("_ => null,");
        }
    }

    /// <summary>The name of a grouped step's key columns class.</summary>
    private static string GroupColumnsName(StepModel step) => $"{StepIdentifier(step.Name)}GroupColumns";

    /// <summary>What a global step's parameter receives: the list of points, a list input, all groups of a grouped product, or a single value.</summary>
    private static string GlobalArgument(CampaignModel model, StepModel step, ParameterModel parameter, int index)
    {
        // Inputs are numbered among the [Input] parameters, as the graph lists them.
        int input = step.Parameters.Take(index).Count(p => p.Product is not null);
        if (parameter.Product is null)
        {
            return $"run.Points<{model.Points!.PointType.FullName}>()";
        }

        if (parameter.IsGroups)
        {
            StepModel producer = model.Steps.First(s => s.Product == parameter.Product);
            return $"run.Groups<{GraphBuilder.GroupKey(producer, model.Points!.PointType)!.Value.Code}, {parameter.TypeName}>({input})";
        }

        return parameter.IsStream ? $"run.Stream<{parameter.TypeName}>({input})"
            : parameter.IsList ? $"run.List<{parameter.TypeName}>({input})"
            : $"run.Single<{parameter.TypeName}>({input})";
    }

    /// <summary>The columns of a grouped step's keys: one per property, named after it, before the output's.</summary>
    private static void EmitGroupColumns(SourceWriter w, StepModel step, (string Name, string Display, string Code, MemberModel[] Members) key)
    {
        w.Line($"/// <summary>Columnar serializer of the group keys of step {Escape(step.Name)}.</summary>");
        w.Line(GeneratedCode);
        // One property is the key itself; several make a tuple of them.
        EmitColumnsClass(w, GroupColumnsName(step), key.Code, key.Members, m => key.Members.Length == 1 ? "value" : $"value.{m.Name}", () =>
            w.Line(key.Members.Length == 1
                ? $"public override {key.Code} Get(int row) => {ReadColumn(key.Members[0], 0)};"
                : $"public override {key.Code} Get(int row) => ({string.Join(", ", key.Members.Select(ReadColumn))});"));
    }
}
