using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Cairn.Cli;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>README's table of verbs against the verbs and options the host declares (Verbs): not two hand-kept lists that drift.</summary>
public sealed class VerbTableTests
{
    private static readonly string Readme = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../README.md"));

    /// <summary>The rows of the table under "The command line of a campaign": the verb, and the cells that name options (the verb's and its options').</summary>
    private static (string Verb, string Options)[] Rows()
    {
        string text = File.ReadAllText(Readme);
        int start = text.IndexOf("## The command line of a campaign", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no section 'The command line of a campaign'");
        return [.. text[start..].Split('\n').SkipWhile(l => !l.StartsWith("| verb", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split(" | "))
            .Select(cells => (Regex.Match(cells[0], "`([a-z]+)").Groups[1].Value, cells[0] + " " + cells[^1]))];
    }

    private static string[] Named(string cells) => [.. Regex.Matches(cells, "--[a-z][a-z-]*").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    private static string[] Declared(Command verb) =>
        [.. verb.Options.Where(o => !o.Hidden && o.Name != "--help").Select(o => o.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Readme_lists_every_verb_a_person_runs_with_exactly_its_options()
    {
        RootCommand root = Verbs.Root();
        var rows = Rows();
        Assert.Equal(root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name), rows.Select(r => r.Verb));
        foreach ((string verb, string cells) in rows)
        {
            Command command = root.Subcommands.Single(c => c.Name == verb);
            // retry's row says "the options of `submit`" and names what it adds.
            string named = cells.Contains("the options of `submit`", StringComparison.Ordinal) ? cells + rows.Single(r => r.Verb == "submit").Options : cells;
            Assert.True(Declared(command).SequenceEqual(Named(named)),
                $"README's row of '{verb}' names {string.Join(" ", Named(named))}; the verb declares {string.Join(" ", Declared(command))}");
        }
    }
}
