using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Cairn.Generator;

/// <summary>Orders members as they are declared: by syntax tree, then position. The analyzers see them in no fixed order, and the hash needs one that does not change between builds.</summary>
internal sealed class DeclarationOrder(Compilation compilation) : IComparer<ISymbol>
{
    private readonly Dictionary<SyntaxTree, int> _trees = compilation.SyntaxTrees.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);

    public int Compare(ISymbol? x, ISymbol? y)
    {
        Location a = x!.Locations[0], b = y!.Locations[0];
        int tree = Tree(a).CompareTo(Tree(b));
        return tree != 0 ? tree : a.SourceSpan.Start.CompareTo(b.SourceSpan.Start);
    }

    private int Tree(Location location) => location.SourceTree is { } tree && _trees.TryGetValue(tree, out int index) ? index : int.MaxValue;
}
