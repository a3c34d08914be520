using System.Text;

namespace Store.Tests.Index;

/// <summary>Ring buffer of the most recent operations of a model run, formatted only on failure.</summary>
internal sealed class OpLog(int capacity)
{
    private readonly (long Index, string Op, byte[]? A, byte[]? B, long X, long Y)[] _ring =
        new (long, string, byte[]?, byte[]?, long, long)[capacity];

    private long _next;

    public void Record(string op, byte[]? a, byte[]? b = null, long x = 0, long y = 0)
    {
        _ring[_next % _ring.Length] = (_next, op, a, b, x, y);
        _next++;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        for (long i = Math.Max(0, _next - _ring.Length); i < _next; i++)
        {
            var (index, op, a, b, x, y) = _ring[i % _ring.Length];
            text.Append(index).Append(": ").Append(op)
                .Append(" a=").Append(KeyText.Format(a))
                .Append(" b=").Append(KeyText.Format(b))
                .Append(" x=").Append(x)
                .Append(" y=").Append(y)
                .AppendLine();
        }

        return text.ToString();
    }
}
