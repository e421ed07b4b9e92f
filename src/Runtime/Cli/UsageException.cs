namespace Cairn.Cli;

/// <summary>The command line is wrong: the CLI prints the message and the usage, and exits with 2.</summary>
internal sealed class UsageException : CairnException
{
    public UsageException(string message)
        : base(message, ExitCodes.Usage)
    {
    }
}
