using System;

namespace Cairn;

/// <summary>
/// A program that <see cref="ExternalProgram.Run"/> ran exited with another code than 0, or did
/// not write a file the call keeps. Thrown from a step, it is the point's failure: its cause is
/// this type's name, its message says the code and ends with the tail of the program's standard error.
/// </summary>
public class ProgramFailedException : Exception
{
    /// <summary>Creates the error.</summary>
    public ProgramFailedException(string message, int? exitCode, string standardErrorTail)
        : base(message)
    {
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The program's exit code; null when it did not exit by itself (it timed out).</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the program printed on standard error.</summary>
    public string StandardErrorTail { get; }
}
