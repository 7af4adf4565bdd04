using System.Buffers;
using System.Globalization;
using System.Text;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// A growable UTF-8 buffer rented from <see cref="ArrayPool{T}"/>: scrapes reuse the same arrays
/// instead of allocating one per scrape. Numbers are formatted straight into it.
/// </summary>
internal sealed class ExpositionBuffer : IDisposable
{
    private byte[] array;

    public ExpositionBuffer(int initialSize = 64 * 1024)
    {
        this.array = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => this.array.AsMemory(0, this.Length);

    public void Reset() => this.Length = 0;

    public void Write(ReadOnlySpan<byte> utf8)
    {
        this.Ensure(utf8.Length);
        utf8.CopyTo(this.array.AsSpan(this.Length));
        this.Length += utf8.Length;
    }

    public void Write(byte b)
    {
        this.Ensure(1);
        this.array[this.Length++] = b;
    }

    /// <summary>Writes text as UTF-8; unpaired surrogates become U+FFFD, so the output is always valid UTF-8.</summary>
    public void Write(string text)
    {
        this.Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        this.Length += Encoding.UTF8.GetBytes(text, this.array.AsSpan(this.Length));
    }

    /// <summary>A label value: backslash, double quote and line feed escaped.</summary>
    public void WriteLabelValue(string value) => this.WriteEscaped(value, escapeQuote: true);

    /// <summary>HELP text: backslash and line feed escaped.</summary>
    public void WriteHelp(string value) => this.WriteEscaped(value, escapeQuote: false);

    public void WriteDouble(double value)
    {
        if (double.IsNaN(value))
        {
            this.Write("NaN"u8);
        }
        else if (double.IsPositiveInfinity(value))
        {
            this.Write("+Inf"u8);
        }
        else if (double.IsNegativeInfinity(value))
        {
            this.Write("-Inf"u8);
        }
        else
        {
            this.Ensure(32);
            value.TryFormat(this.array.AsSpan(this.Length), out var written, "R", CultureInfo.InvariantCulture);
            this.Length += written;
        }
    }

    public void WriteLong(long value)
    {
        this.Ensure(20);
        value.TryFormat(this.array.AsSpan(this.Length), out var written, default, CultureInfo.InvariantCulture);
        this.Length += written;
    }

    /// <summary>Copies the content to a new array (for tests).</summary>
    public string ToUtf8String() => Encoding.UTF8.GetString(this.array, 0, this.Length);

    public void Dispose()
    {
        var rented = this.array;
        this.array = [];
        ArrayPool<byte>.Shared.Return(rented);
    }

    private void WriteEscaped(string value, bool escapeQuote)
    {
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\\' or '\n' || (escapeQuote && c == '"'))
            {
                this.Write(value.AsSpan(start, i - start));
                this.Write((byte)'\\');
                this.Write(c == '\n' ? (byte)'n' : (byte)c);
                start = i + 1;
            }
        }

        this.Write(value.AsSpan(start));
    }

    private void Write(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        this.Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        this.Length += Encoding.UTF8.GetBytes(text, this.array.AsSpan(this.Length));
    }

    private void Ensure(int more)
    {
        if (this.Length + more <= this.array.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(this.array.Length * 2, this.Length + more));
        this.array.AsSpan(0, this.Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(this.array);
        this.array = bigger;
    }
}
