namespace Cairn.Generator.Model;

/// <summary>One <c>[Runs]</c> of a step: a program it runs.</summary>
/// <param name="Program">The program's name on <c>PATH</c>, or its path.</param>
/// <param name="VersionArguments">The arguments that make it print its version; null for none.</param>
/// <param name="VersionPattern">The regular expression whose first match in that output is the version; null for all of it.</param>
internal sealed record ProgramModel(string Program, string? VersionArguments, string? VersionPattern);
