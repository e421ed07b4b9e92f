using System;
using System.Collections.Generic;
using System.Text;

namespace Cairn;

/// <summary>What a program that <see cref="ExternalProgram.Run"/> ran, and that exited with code 0, printed and kept.</summary>
public sealed class ProgramResult
{
    internal ProgramResult(string standardOutput, string standardError, IReadOnlyDictionary<string, byte[]> files, TimeSpan elapsed)
    {
        StandardOutput = standardOutput;
        StandardError = standardError;
        Files = files;
        Elapsed = elapsed;
    }

    /// <summary>What it printed on standard output.</summary>
    public string StandardOutput { get; }

    /// <summary>What it printed on standard error.</summary>
    public string StandardError { get; }

    /// <summary>The files it wrote that the call asked to keep, by their names in its working directory.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>How long it ran.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>A kept file as UTF-8 text.</summary>
    /// <exception cref="KeyNotFoundException">The call did not ask to keep it.</exception>
    public string Text(string file) =>
        Files.TryGetValue(file, out byte[]? bytes) ? Encoding.UTF8.GetString(bytes)
        : throw new KeyNotFoundException($"'{file}' is not a kept file; name it in ExternalProgram.Run's keep");
}
