namespace Cairn.Generator;

/// <summary>
/// What a step or product name may be: it names a directory of the store and appears on the command
/// line, so letters, digits, '_', '-' and '.' (not first), at most <see cref="MaxLength"/> characters.
/// One rule for the generator (CAIRN018, at compile time) and the runtime (before a name becomes a
/// path), whose project compiles this same file.
/// </summary>
internal static class StoreNames
{
    public const int MaxLength = 100;

    /// <summary>Why <paramref name="name"/> cannot name a step or product, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"is {name.Length} characters long, more than {MaxLength}";
        }

        if (name[0] == '.')
        {
            return "starts with '.'";
        }

        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return c is '/' or '\\' ? $"contains the path separator '{c}'" : char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"contains the character U+{(int)c:X4}" : $"contains '{c}'";
            }
        }

        return null;
    }
}
