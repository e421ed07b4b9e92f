namespace Cairn.Generator.Model;

/// <summary>What part of the user's code a <see cref="Problem"/> is about; the analyzers turn it into a location.</summary>
internal enum Subject
{
    /// <summary>A <c>[Points]</c> method; <see cref="Problem.Index"/> is its index.</summary>
    Points,

    /// <summary>A <c>[Step]</c> method; <see cref="Problem.Index"/> is its index.</summary>
    Step,
}

/// <summary>Where on a method a <see cref="Problem"/> is reported.</summary>
internal enum Site
{
    /// <summary>The method's name.</summary>
    Method,

    /// <summary>The method's return type.</summary>
    ReturnType,

    /// <summary>The <c>Name = "..."</c> of <c>[Step]</c>, else the method's name.</summary>
    StepName,

    /// <summary>The argument of <c>[Output("...")]</c>, else the method's name.</summary>
    Output,

    /// <summary>The name of parameter <see cref="Problem.Parameter"/>.</summary>
    Parameter,

    /// <summary>The type of parameter <see cref="Problem.Parameter"/>.</summary>
    ParameterType,

    /// <summary>The argument of the parameter's <c>[Input("...")]</c>, else the parameter's name.</summary>
    Input,

    /// <summary>Argument <see cref="Problem.Parameter"/> of <c>[GroupBy(...)]</c>, else the attribute.</summary>
    GroupBy,

    /// <summary>The program of the method's <see cref="Problem.Parameter"/>-th <c>[Runs("...")]</c>, else that attribute.</summary>
    RunsProgram,

    /// <summary>The <c>VersionPattern = ...</c> of the method's <see cref="Problem.Parameter"/>-th <c>[Runs]</c>, else that attribute.</summary>
    RunsVersionPattern,

    /// <summary>The named argument <see cref="Problem.Parameter"/> of <c>[Resources]</c> (an index into <c>MethodParser.ResourcesArguments</c>), else the attribute.</summary>
    Resources,
}

/// <summary>
/// A reason a campaign cannot be wired (or, when not <see cref="Blocks"/>, a warning about it), as a
/// diagnostic ID with its message arguments and where it belongs. Pure data: the generator only
/// needs to know that there is one; the analyzers report it at the right place.
/// </summary>
/// <param name="Id">The diagnostic ID (see <c>DiagnosticIds</c>).</param>
/// <param name="Subject">What it is about.</param>
/// <param name="Index">The index of the points or step method in the list given to <see cref="GraphBuilder"/>; -1 while a method is parsed on its own.</param>
/// <param name="Site">Where on that method.</param>
/// <param name="Parameter">The parameter's index for the parameter sites, the property's for <see cref="Site.GroupBy"/>, the attribute's or argument's for the <c>[Runs]</c> and <c>[Resources]</c> sites, else -1.</param>
/// <param name="Arguments">The message's arguments.</param>
/// <param name="Related">Indices of further steps the message names (the first producer of a product, the rest of a cycle).</param>
/// <param name="Blocks">Whether the campaign cannot be generated (an error), rather than a warning.</param>
/// <param name="Fix">What a code fix would write (the product an input should name), or <see langword="null"/>.</param>
internal sealed record Problem(
    string Id,
    Subject Subject,
    int Index,
    Site Site,
    int Parameter,
    EquatableArray<string> Arguments,
    EquatableArray<int> Related,
    bool Blocks,
    string? Fix = null)
{
    /// <summary>A problem found while parsing one method, before it has an index.</summary>
    public static Problem Local(string id, Site site, params string[] arguments) => Error(id, Subject.Step, -1, site, -1, arguments);

    /// <summary>A problem with a parameter found while parsing one method.</summary>
    public static Problem LocalParameter(string id, Site site, int parameter, params string[] arguments) => Error(id, Subject.Step, -1, site, parameter, arguments);

    /// <summary>An error at a place in the campaign.</summary>
    public static Problem Error(string id, Subject subject, int index, Site site, int parameter, params string[] arguments) =>
        new(id, subject, index, site, parameter, arguments.ToEquatableArray(), EquatableArray<int>.Empty, true);
}
