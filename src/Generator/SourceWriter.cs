using System;
using System.Text;

namespace Cairn.Generator;

/// <summary>An indent-aware writer for generated C#: <see cref="Block"/> opens a brace block that closes on dispose.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public IDisposable Block(string header, string close = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        return new Closer(this, close);
    }

    public override string ToString() => _text.ToString();

    private sealed class Closer : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _close;

        public Closer(SourceWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_close);
        }
    }
}
