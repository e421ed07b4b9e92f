using System;

namespace Cairn;

/// <summary>
/// An error the user can act on: its message is one line that says what to do, and it carries the
/// process exit code the CLI returns for it.
/// </summary>
public class CairnException : Exception
{
    /// <summary>Creates the error.</summary>
    public CairnException(string message, int exitCode, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    /// <summary>The exit code the CLI returns.</summary>
    public int ExitCode { get; }
}
