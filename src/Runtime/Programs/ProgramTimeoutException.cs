namespace Cairn;

/// <summary>A program that <see cref="ExternalProgram.Run"/> ran did not end within its timeout: it was killed, with every process it started.</summary>
public sealed class ProgramTimeoutException : ProgramFailedException
{
    /// <summary>Creates the error.</summary>
    public ProgramTimeoutException(string message, string standardErrorTail)
        : base(message, null, standardErrorTail)
    {
    }
}
