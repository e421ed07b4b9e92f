using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Cairn.Generator;

/// <summary>
/// The text of a declaration from its tokens alone (no comments, no directives, whitespace decided
/// here), so that the same tokens always give the same text. Cheaper than Roslyn's
/// NormalizeWhitespace by an order of magnitude: the generator hashes every step on every edit.
/// </summary>
internal static class NormalizedText
{
    /// <summary>
    /// The text of what a member declares that does not change its results (its <c>[Step]</c> time
    /// limit, its <c>[Resources]</c>), with the comma or the parentheses only they need: editing
    /// them keeps the hash.
    /// </summary>
    private static TextSpan[] LeftOut(SyntaxNode node)
    {
        if (node is not MemberDeclarationSyntax member || member.AttributeLists.Count == 0)
        {
            return [];
        }

        var spans = new List<TextSpan>();
        foreach (AttributeListSyntax attributes in member.AttributeLists)
        {
            // [Resources(...)] says what a run needs, not what it computes: left out whole.
            SeparatedSyntaxList<AttributeSyntax> all = attributes.Attributes;
            int resources = all.IndexOf(a => NameOf(a) is "Resources" or "ResourcesAttribute");
            if (resources >= 0)
            {
                spans.Add(all.Count == 1 ? attributes.Span : all[resources].Span);
                if (all.Count > 1)
                {
                    spans.Add(all.GetSeparator(resources > 0 ? resources - 1 : 0).Span);
                }
            }
        }

        foreach (AttributeSyntax attribute in member.AttributeLists.SelectMany(list => list.Attributes))
        {
            string name = NameOf(attribute);
            if (name is not ("Step" or "StepAttribute") || attribute.ArgumentList is not { } list)
            {
                continue;
            }

            SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments;
            int index = arguments.IndexOf(a => a.NameEquals?.Name.Identifier.Text == MethodParser.TimeoutArgument);
            if (index < 0)
            {
                continue;
            }

            if (arguments.Count == 1)
            {
                spans.Add(list.Span);
            }
            else
            {
                spans.Add(arguments[index].Span);
                spans.Add(arguments.GetSeparator(index > 0 ? index - 1 : 0).Span);
            }
        }

        return spans.ToArray();
    }

    private static string NameOf(AttributeSyntax attribute) =>
        attribute.Name is QualifiedNameSyntax qualified ? qualified.Right.Identifier.Text : attribute.Name.ToString();

    public static void Append(StringBuilder text, SyntaxNode node)
    {
        int depth = 0;
        bool lineStart = true;
        SyntaxToken previous = default;
        TextSpan[] leftOut = LeftOut(node);
        foreach (SyntaxToken token in node.DescendantTokens())
        {
            if (leftOut.Length > 0 && System.Array.Exists(leftOut, span => span.Contains(token.SpanStart)))
            {
                continue;
            }

            // The braces of an interpolation ({x:F2}) belong to the string: no block, no line break.
            bool block = token.Parent is not InterpolationSyntax;
            if (block && token.IsKind(SyntaxKind.CloseBraceToken))
            {
                depth = System.Math.Max(0, depth - 1);
                if (!lineStart)
                {
                    text.Append('\n');
                    lineStart = true;
                }
            }

            if (lineStart)
            {
                text.Append(' ', 4 * depth);
            }
            else if (NeedsSpace(previous, token))
            {
                text.Append(' ');
            }

            text.Append(token.Text);
            lineStart = false;
            if (block && token.IsKind(SyntaxKind.OpenBraceToken))
            {
                depth++;
            }

            if ((block && (token.IsKind(SyntaxKind.OpenBraceToken) || token.IsKind(SyntaxKind.CloseBraceToken)))
                || (token.IsKind(SyntaxKind.SemicolonToken) && token.Parent is not ForStatementSyntax)
                || (token.IsKind(SyntaxKind.CloseBracketToken) && token.Parent is AttributeListSyntax { Parent: MemberDeclarationSyntax }))
            {
                text.Append('\n');
                lineStart = true;
            }

            previous = token;
        }

        if (!lineStart)
        {
            text.Append('\n');
        }
    }

    private static bool NeedsSpace(SyntaxToken left, SyntaxToken right)
    {
        if (InString(left, after: true) || InString(right, after: false))
        {
            return false;
        }

        SyntaxKind l = left.Kind();
        SyntaxKind r = right.Kind();
        if (l is SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken or SyntaxKind.DotToken or SyntaxKind.ExclamationToken
            || r is SyntaxKind.CloseParenToken or SyntaxKind.CloseBracketToken or SyntaxKind.DotToken or SyntaxKind.CommaToken or SyntaxKind.SemicolonToken)
        {
            return false;
        }

        if (r is SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken)
        {
            // A call or an index (f(x), a[i]) is written tight; after a keyword (if (, new [) a space.
            return SyntaxFacts.IsKeywordKind(l) && l is not SyntaxKind.ThisKeyword and not SyntaxKind.BaseKeyword and not SyntaxKind.NewKeyword
                    && right.Parent is not ArrayRankSpecifierSyntax
                || l is SyntaxKind.CommaToken or SyntaxKind.EqualsGreaterThanToken || SyntaxFacts.IsBinaryExpressionOperatorToken(l) || SyntaxFacts.IsAssignmentExpressionOperatorToken(l);
        }

        if (l is SyntaxKind.LessThanToken && left.Parent is TypeArgumentListSyntax or TypeParameterListSyntax
            || r is SyntaxKind.LessThanToken or SyntaxKind.GreaterThanToken && right.Parent is TypeArgumentListSyntax or TypeParameterListSyntax)
        {
            return false;
        }

        if (r is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken || l is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken && right.IsKind(SyntaxKind.IdentifierToken) && left.Parent is PrefixUnaryExpressionSyntax)
        {
            return false;
        }

        if (l is SyntaxKind.MinusToken or SyntaxKind.PlusToken or SyntaxKind.TildeToken && left.Parent is PrefixUnaryExpressionSyntax)
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the token is part of an interpolated string's own text, where a space would change
    /// the string: its start and end, its literal text, the braces of a hole and the <c>,</c> and
    /// <c>:</c> of its alignment and format. Nothing goes after (<paramref name="after"/>) or before it.
    /// </summary>
    private static bool InString(SyntaxToken token, bool after) =>
        token.Kind() switch
        {
            SyntaxKind.InterpolatedStringTextToken => true,
            SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedVerbatimStringStartToken
                or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken => after,
            SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedRawStringEndToken => !after,
            SyntaxKind.OpenBraceToken => after && token.Parent is InterpolationSyntax,
            SyntaxKind.CloseBraceToken => !after && token.Parent is InterpolationSyntax,
            SyntaxKind.ColonToken => token.Parent is InterpolationFormatClauseSyntax,
            SyntaxKind.CommaToken => token.Parent is InterpolationAlignmentClauseSyntax,
            _ => false,
        };
}
