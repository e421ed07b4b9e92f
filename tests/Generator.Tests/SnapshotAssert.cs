using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace Cairn.Generator.Tests;

/// <summary>
/// Compares generated text with an approved file in Snapshots/. On a difference it writes
/// <c>*.received.cs</c> beside it and fails; with CAIRN_ACCEPT_SNAPSHOTS=1 it approves instead.
/// </summary>
internal static class SnapshotAssert
{
    public static void Matches(string actual, string name, [CallerFilePath] string testFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("CAIRN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        string expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : "";
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail($"generated {name} differs from {verified}; see {received}, and approve with CAIRN_ACCEPT_SNAPSHOTS=1 if it is right");
    }
}
