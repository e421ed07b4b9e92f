using System;

namespace Cairn.Storage;

/// <summary>The store cannot be used as it is; nothing in it was modified.</summary>
public sealed class StoreException : CairnException
{
    /// <summary>Creates the error.</summary>
    public StoreException(string message, Exception? inner = null)
        : base(message, ExitCodes.Store, inner)
    {
    }

    private const string Advice = ". Move the file out of the store to go on (Cairn never deletes committed files); its results will then be computed again.";

    /// <summary>The error for a committed shard that cannot be read.</summary>
    public static StoreException Unreadable(string path, string reason, Exception? inner = null) =>
        new($"{path}: {reason}{Advice}", inner) { Problem = $"{path}: {reason}" };

    /// <summary>What is wrong, without the advice: for a warning about a shard that is skipped.</summary>
    public string Problem { get; private init; } = "";
}
