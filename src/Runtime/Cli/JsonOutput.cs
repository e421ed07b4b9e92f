using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Cairn.Cli;

/// <summary>Writes one JSON document as one line of the CLI's output.</summary>
internal static class JsonOutput
{
    public static void WriteLine(TextWriter stdout, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
