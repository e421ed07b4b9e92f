using System.Linq;
using System.Text;
using Cairn.Columns;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// The identity of a campaign's graph as a store sees it: steps, products, inputs and the columns of
/// every stored type. A store refuses a campaign with another signature. Step code is not part of it:
/// code changes are handled by the hashes, not by a new store.
/// </summary>
internal static class GraphSignature
{
    public static string Of<TPoint>(CampaignDefinition<TPoint> definition)
    {
        var text = new StringBuilder();
        CampaignGraph graph = definition.Graph;
        text.Append("point ").Append(graph.PointType);
        AppendColumns(text, definition.CreatePointColumns());
        for (int i = 0; i < graph.Steps.Count; i++)
        {
            StepInfo step = graph.Steps[i];
            text.Append("\nstep ").Append(step.Name).Append(" -> ").Append(step.Product).Append(' ').Append(step.Kind)
                .Append(step.UsesPoint ? " point" : "")
                .Append(" (").AppendJoin(", ", step.Inputs.Select(input => input.IsList ? input.Product + "[]" : input.Product)).Append(')');
            AppendColumns(text, definition.CreateColumns(i));
        }

        return CampaignStore.HashText(text.ToString());
    }

    private static void AppendColumns(StringBuilder text, RecordColumns columns)
    {
        foreach (Column column in columns.Columns)
        {
            text.Append(' ').Append(column.Name).Append(':').Append(StableName(column.ValueType));
        }
    }

    /// <summary>A type's name without assembly versions, so a runtime update keeps the signature.</summary>
    private static string StableName(System.Type type) =>
        System.Nullable.GetUnderlyingType(type) is { } inner ? StableName(inner) + "?"
        : type.IsArray ? StableName(type.GetElementType()!) + "[]"
        : type.FullName ?? type.Name;
}
