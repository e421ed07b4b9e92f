using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cairn.Analyzers;

/// <summary>
/// Where a diagnostic's help link points. The Cairn package ships the catalogue
/// (<c>docs/diagnostics.md</c>) and its build props tell the analyzers where it lies on this machine
/// (<see cref="Property"/>): the link is then that file, at the diagnostic's section, which a user
/// can open. Without it (a build from the repository's sources) the descriptors' own link, the
/// catalogue's path in the repository, stays.
/// </summary>
internal sealed class HelpLinks
{
    /// <summary>The MSBuild property (made visible to the compiler by the package's props) holding the catalogue's full path.</summary>
    public const string Property = "build_property.CairnDiagnosticsCatalogue";

    private readonly string? _catalogue;
    private readonly ConcurrentDictionary<string, DiagnosticDescriptor> _descriptors = new(StringComparer.Ordinal);

    private HelpLinks(string? catalogue) => _catalogue = catalogue;

    /// <summary>The links of one compilation, from its analyzer options.</summary>
    public static HelpLinks From(AnalyzerOptions options) =>
        new(options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(Property, out string? path) && path.Length > 0
            && Uri.TryCreate(path, UriKind.Absolute, out Uri? file) && file.IsFile
            ? file.AbsoluteUri
            : null);

    /// <summary><paramref name="descriptor"/>, with its help link at the shipped catalogue when there is one.</summary>
    public DiagnosticDescriptor For(DiagnosticDescriptor descriptor) =>
        _catalogue is null
            ? descriptor
            : _descriptors.GetOrAdd(descriptor.Id, _ => new DiagnosticDescriptor(
                descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity, descriptor.IsEnabledByDefault,
                descriptor.Description, _catalogue + "#" + descriptor.Id.ToLowerInvariant(), descriptor.CustomTags.ToArray()));
}
