using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.LoadTesting.Reports;

/// <summary>A minimal inline-SVG line chart (no scripts, no external assets) with up to two series on separate y-axes.</summary>
internal sealed class SvgChart(string title, string xLabel)
{
    private const int Width = 720, Height = 300, Left = 70, Right = 70, Top = 30, Bottom = 45;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c"];
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points, bool RightAxis)> _series = [];

    public SvgChart Line(string name, IReadOnlyList<(double X, double Y)> points, bool rightAxis = false)
    {
        _series.Add((name, points, rightAxis));
        return this;
    }

    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title><rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\" font-size=\"12\">{Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>");

        var all = _series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0) return svg.Append("<text x=\"360\" y=\"150\" text-anchor=\"middle\">no data</text></svg>").ToString();
        var (xMin, xMax) = Range(all.Select(p => p.X));
        // Light gridlines at quarters of the plot; each series labels its own axis at the top.
        for (var q = 1; q < 4; q++)
        {
            var y = Top + (q * (Height - Top - Bottom) / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Fmt(y)}\" y2=\"{Fmt(y)}\" stroke=\"#eee\"/>");
        }
        for (var i = 0; i < _series.Count; i++)
        {
            var (name, points, rightAxis) = _series[i];
            if (points.Count == 0) continue;
            // Headroom above the highest point, so a flat series (a steady request rate) does not sit on the frame.
            var yMax = NiceCeiling(Range(points.Select(p => p.Y).Append(0)).Max * 1.1);
            var color = Colors[i % Colors.Length];
            var path = string.Join(' ', points.Select(p => $"{Fmt(ScaleX(p.X, xMin, xMax))},{Fmt(ScaleY(p.Y, yMax))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\"/>");
            var axisX = rightAxis ? Width - Right + 4 : Left - 4;
            var anchor = rightAxis ? "start" : "end";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{axisX}\" y=\"{Top + 10}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"{color}\">{Fmt(yMax)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{axisX}\" y=\"{Height - Bottom}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"{color}\">0</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 8 + (i * 200)}\" y=\"{Top + 16}\" font-size=\"12\" fill=\"{color}\">{Escape(name)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - Bottom + 15}\" font-size=\"11\">{Fmt(xMin)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - Bottom + 15}\" text-anchor=\"end\" font-size=\"11\">{Fmt(xMax)}</text>");
        return svg.Append("</svg>").ToString();
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0) return (0, 1);
        var (min, max) = (list.Min(), list.Max());
        return max > min ? (min, max) : (min, min + 1);
    }

    /// <summary>The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × a power of ten) ≥ <paramref name="value"/>.</summary>
    internal static double NiceCeiling(double value)
    {
        if (!(value > 0) || !double.IsFinite(value)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
            if (step * magnitude >= value * (1 - 1e-12)) return step * magnitude;
        return 10 * magnitude;
    }

    private static double ScaleX(double x, double min, double max) => Left + ((x - min) / (max - min) * (Width - Left - Right));
    private static double ScaleY(double y, double max) => Height - Bottom - (y / max * (Height - Top - Bottom));
    private static string Fmt(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Escape(string s) => WebUtility.HtmlEncode(s);
}
