using System.IO;

namespace Cairn.Storage;

/// <summary>Whole-file writes that a reader sees all of or none of: written beside the target under a temporary name, then renamed over it.</summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8) in one rename.</summary>
    public static void Write(string path, string text)
    {
        string temporary = $"{path}.{System.Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
