using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cairn.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Cairn.Generator;

/// <summary>Describes a point or output type as a <see cref="TypeModel"/>: which properties become columns, and how the type is rebuilt.</summary>
internal static class TypeShapes
{
    public static readonly SymbolDisplayFormat FullName = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static TypeModel Describe(ITypeSymbol type)
    {
        string fullName = type.ToDisplayString(FullName);
        string display = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        string identifier = Identifier(fullName);
        TypeModel Problem(string problem) => new(fullName, display, identifier, EquatableArray<MemberModel>.Empty, problem);

        if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.IsAbstract || named.IsGenericType && named.IsUnboundGenericType)
        {
            return Problem($"type '{display}' is not a concrete class, record or struct");
        }

        if (!IsAccessible(named))
        {
            return Problem($"type '{display}' is not accessible from generated code (make it public or internal)");
        }

        var properties = new List<IPropertySymbol>();
        foreach (INamedTypeSymbol level in BaseTypesFirst(named))
        {
            foreach (IPropertySymbol property in level.GetMembers().OfType<IPropertySymbol>())
            {
                if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public
                    && property.GetMethod is { DeclaredAccessibility: Accessibility.Public } && property.Name != "EqualityContract"
                    && !properties.Any(p => p.Name == property.Name))
                {
                    properties.Add(property);
                }
            }
        }

        IMethodSymbol? constructor = ChooseConstructor(named, properties);
        var members = new List<MemberModel>();
        string? hdf5Only = null;
        foreach (IPropertySymbol property in properties)
        {
            int index = constructor is null ? -1 : IndexOfParameter(constructor, property.Name);
            bool settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
            if (index < 0 && !settable)
            {
                if (IsComputed(property))
                {
                    continue;
                }

                return Problem($"property '{display}.{property.Name}' has no public setter and no matching constructor parameter, so it cannot be read back");
            }

            (ValueKind kind, string columnType, bool hdf5)? mapping = Map(property.Type);
            string typeName = property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (mapping is null)
            {
                return Problem($"property '{display}.{property.Name}' has type '{typeName}'; use numbers, bool, string, DateTime, enums, Complex, 1-D arrays of them or 2-D arrays of numbers");
            }

            if (mapping.Value.hdf5 && hdf5Only is null)
            {
                hdf5Only = $"property '{display}.{property.Name}' has type '{typeName}'";
            }

            members.Add(new MemberModel(property.Name, property.Type.ToDisplayString(FullName), mapping.Value.columnType, mapping.Value.kind, index));
        }

        if (members.Count == 0)
        {
            return Problem($"type '{display}' has no public property to store");
        }

        if (named.IsReferenceType && constructor is null)
        {
            return Problem($"type '{display}' has no public constructor whose parameters all match properties by name");
        }

        return new TypeModel(fullName, display, identifier, members.ToEquatableArray(), null, hdf5Only);
    }

    /// <summary>
    /// A dictionary key type as the group keys are compared: fully qualified, and a tuple without its
    /// element names (which C# does not count as part of the type).
    /// </summary>
    public static string KeyName(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true } tuple
            ? "(" + string.Join(", ", tuple.TupleElements.Select(e => e.Type.ToDisplayString(FullName))) + ")"
            : type.ToDisplayString(FullName);

    /// <summary>The key type of a group of <paramref name="members"/>, in the form of <see cref="KeyName(ITypeSymbol)"/>: the property's type, or a tuple of them.</summary>
    public static string KeyName(IReadOnlyList<MemberModel> members) =>
        members.Count == 1 ? members[0].TypeName : "(" + string.Join(", ", members.Select(m => m.TypeName)) + ")";

    /// <summary>A C# identifier unique to the full name.</summary>
    public static string Identifier(string fullName)
    {
        var text = new StringBuilder();
        foreach (char c in fullName.StartsWith("global::", StringComparison.Ordinal) ? fullName.Substring(8) : fullName)
        {
            text.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return text.ToString();
    }

    public static bool IsAccessible(ISymbol symbol)
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

    private static IEnumerable<INamedTypeSymbol> BaseTypesFirst(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            chain.Push(t);
        }

        return chain;
    }

    /// <summary>The public constructor with most parameters that all match properties by name and type.</summary>
    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties)
    {
        return type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public)
            .Where(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
            .Where(c => c.Parameters.All(p => properties.Any(prop =>
                string.Equals(prop.Name, p.Name, StringComparison.OrdinalIgnoreCase) && SymbolEqualityComparer.Default.Equals(prop.Type, p.Type))))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
    }

    private static int IndexOfParameter(IMethodSymbol constructor, string property)
    {
        for (int i = 0; i < constructor.Parameters.Length; i++)
        {
            if (string.Equals(constructor.Parameters[i].Name, property, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsComputed(IPropertySymbol property) =>
        !property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

    /// <summary>How a property of <paramref name="type"/> is stored, and whether only HDF5 stores it; null when it cannot be.</summary>
    private static (ValueKind, string, bool)? Map(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_String)
        {
            return (ValueKind.String, type.NullableAnnotation == NullableAnnotation.Annotated ? "string?" : "string", false);
        }

        if (Primitive(type) is string keyword)
        {
            return (ValueKind.Primitive, keyword, false);
        }

        if (IsComplex(type))
        {
            return (ValueKind.Primitive, ComplexName, true);
        }

        if (type.SpecialType == SpecialType.System_DateTime)
        {
            return (ValueKind.DateTime, "global::System.DateTime", false);
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return (ValueKind.Enum, "string", false);
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            ITypeSymbol inner = nullable.TypeArguments[0];
            if (inner.SpecialType == SpecialType.System_DateTime)
            {
                return (ValueKind.Nullable, "global::System.DateTime?", false);
            }

            if (IsComplex(inner))
            {
                return (ValueKind.Nullable, ComplexName + "?", true);
            }

            return Primitive(inner) is string innerKeyword && inner.SpecialType != SpecialType.System_String
                ? (ValueKind.Nullable, innerKeyword + "?", false)
                : null;
        }

        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return Primitive(array.ElementType) is string element ? (ValueKind.Array, element + "[]", false)
                : IsComplex(array.ElementType) ? (ValueKind.Array, ComplexName + "[]", true)
                : null;
        }

        if (type is IArrayTypeSymbol { Rank: 2 } matrix && matrix.ElementType.SpecialType != SpecialType.System_String)
        {
            return Primitive(matrix.ElementType) is string element ? (ValueKind.Matrix, element + "[,]", true)
                : IsComplex(matrix.ElementType) ? (ValueKind.Matrix, ComplexName + "[,]", true)
                : null;
        }

        return null;
    }

    private const string ComplexName = "global::System.Numerics.Complex";

    private static bool IsComplex(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Complex", ContainingNamespace: { Name: "Numerics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static string? Primitive(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Boolean => "bool",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Byte => "byte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_String => "string",
        _ => null,
    };
}
