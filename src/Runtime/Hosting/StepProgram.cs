namespace Cairn.Hosting;

/// <summary>A program a step declares it runs (<c>[Runs]</c>), as the generator emits it.</summary>
/// <param name="Program">The program's name on <c>PATH</c>, or its path.</param>
/// <param name="VersionArguments">The arguments that make it print its version; null for none.</param>
/// <param name="VersionPattern">The regular expression whose first match in that output is the version; null for all of it.</param>
public sealed record StepProgram(string Program, string? VersionArguments, string? VersionPattern = null);
