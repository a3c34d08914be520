using System.Text;

namespace Store.Bench.Reporting;

/// <summary>A fixed-width text table printed row by row (so progress shows while a sweep runs).</summary>
internal sealed class TextTable(IReadOnlyList<TextColumn> columns)
{
    public string Header() => Format(columns.Select(c => c.Title).ToArray());

    public string Rule() => new('-', columns.Sum(c => c.Width + 2) - 2);

    public string Format(IReadOnlyList<string> cells)
    {
        if (cells.Count != columns.Count)
        {
            throw new ArgumentException($"expected {columns.Count} cells, got {cells.Count}", nameof(cells));
        }

        var line = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(columns[i].RightAligned ? cells[i].PadLeft(columns[i].Width) : cells[i].PadRight(columns[i].Width));
        }

        return line.ToString().TrimEnd();
    }
}

/// <summary>A column of a <see cref="TextTable"/>.</summary>
internal sealed record TextColumn(string Title, int Width, bool RightAligned);
