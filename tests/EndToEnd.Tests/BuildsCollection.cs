using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// The end-to-end tests build the same source projects in Release (pack, samples); two such builds
/// at once would fight over the same output files, so they run one after the other. The package is
/// packed once for all of them, and the Mishap test campaign built once.
/// </summary>
[CollectionDefinition("builds", DisableParallelization = true)]
public sealed class BuildsCollection : ICollectionFixture<PackageFeed>, ICollectionFixture<MishapHost>
{
}
