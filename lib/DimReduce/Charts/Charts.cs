using System.Globalization;
using DimReduce.Datasets;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace DimReduce.Charts;

/// <summary>
/// The chapter's charts as Plotly.NET <see cref="GenericChart"/> objects: embeddings coloured by class, loss
/// curves, explained variance, image grids and signed weights; plus writers for standalone HTML and for the
/// plotly figure JSON a notebook displays. Every chart has axis titles, and a legend where several series share it.
/// </summary>
/// <remarks>
/// Traces and layouts are written with plotly.js attribute names (https://plotly.com/javascript/reference/), so
/// a chart can be restyled with Plotly.NET's own functions or by the same names. Input is checked before any
/// chart is built: counts must agree and values must be finite.
/// </remarks>
public static class Charts
{
    /// <summary>Points above which scatter plots switch to WebGL (<c>scattergl</c>) so large embeddings stay responsive.</summary>
    public const int WebGlThreshold = 5000;

    /// <summary>Colour of positive weights in <see cref="WeightBars"/>.</summary>
    public const string PositiveColor = "#1f77b4";

    /// <summary>Colour of negative weights in <see cref="WeightBars"/>.</summary>
    public const string NegativeColor = "#d62728";

    /// <summary>
    /// A 2-D scatter plot of an embedding (first two columns), one trace per class so the legend shows the class names.
    /// </summary>
    /// <param name="embedding">One row per sample, at least two columns (columns 0 and 1 are drawn).</param>
    /// <param name="labels">Class of each row (non-negative).</param>
    /// <param name="classNames">Name of each class, indexed by label; default "class k".</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">X axis title.</param>
    /// <param name="yTitle">Y axis title.</param>
    /// <param name="markerSize">Marker diameter in pixels (default 6).</param>
    public static GenericChart Scatter2D(DataMatrix embedding, IReadOnlyList<int> labels, IReadOnlyList<string>? classNames = null,
        string title = "", string xTitle = "Dimension 1", string yTitle = "Dimension 2", double markerSize = 6)
    {
        var groups = Groups(embedding, labels, classNames, 2, nameof(embedding));
        Check.Positive(markerSize, nameof(markerSize), "Use for example markerSize = 6.");
        string type = embedding.Rows > WebGlThreshold ? "scattergl" : "scatter";
        var traces = groups.Select(g =>
        {
            var t = new Trace2D(type);
            t.SetProperty("name", g.Name);
            t.SetProperty("mode", "markers");
            t.SetProperty("x", g.Rows.Select(i => embedding[i, 0]).ToArray());
            t.SetProperty("y", g.Rows.Select(i => embedding[i, 1]).ToArray());
            t.SetProperty("text", g.Rows.Select(i => $"row {i}").ToArray());
            t.SetProperty("marker", Obj(("size", markerSize), ("opacity", 0.8)));
            return (Trace)t;
        });
        var layout = BaseLayout(title);
        layout.SetProperty("xaxis", Axis(xTitle));
        layout.SetProperty("yaxis", Axis(yTitle));
        layout.SetProperty("legend", Obj(("title", Obj(("text", "class")))));
        return Build(traces, layout);
    }

    /// <summary>A 2-D scatter of <paramref name="embedding"/> coloured by the classes of <paramref name="data"/>.</summary>
    public static GenericChart Scatter2D(Dataset data, DataMatrix embedding, string title = "", string xTitle = "Dimension 1", string yTitle = "Dimension 2")
    {
        ArgumentNullException.ThrowIfNull(data);
        return Scatter2D(embedding, data.Labels, data.ClassNames, title == "" ? data.Name : title, xTitle, yTitle);
    }

    /// <summary>
    /// A 3-D scatter plot of an embedding (first three columns), one trace per class so the legend shows the class names.
    /// </summary>
    /// <param name="embedding">One row per sample, at least three columns.</param>
    /// <param name="labels">Class of each row (non-negative).</param>
    /// <param name="classNames">Name of each class, indexed by label; default "class k".</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">X axis title.</param>
    /// <param name="yTitle">Y axis title.</param>
    /// <param name="zTitle">Z axis title.</param>
    /// <param name="markerSize">Marker diameter in pixels (default 3).</param>
    public static GenericChart Scatter3D(DataMatrix embedding, IReadOnlyList<int> labels, IReadOnlyList<string>? classNames = null,
        string title = "", string xTitle = "Dimension 1", string yTitle = "Dimension 2", string zTitle = "Dimension 3", double markerSize = 3)
    {
        var groups = Groups(embedding, labels, classNames, 3, nameof(embedding));
        Check.Positive(markerSize, nameof(markerSize), "Use for example markerSize = 3.");
        var traces = groups.Select(g =>
        {
            var t = new Trace3D("scatter3d");
            t.SetProperty("name", g.Name);
            t.SetProperty("mode", "markers");
            t.SetProperty("x", g.Rows.Select(i => embedding[i, 0]).ToArray());
            t.SetProperty("y", g.Rows.Select(i => embedding[i, 1]).ToArray());
            t.SetProperty("z", g.Rows.Select(i => embedding[i, 2]).ToArray());
            t.SetProperty("text", g.Rows.Select(i => $"row {i}").ToArray());
            t.SetProperty("marker", Obj(("size", markerSize), ("opacity", 0.8)));
            return (Trace)t;
        });
        var layout = BaseLayout(title);
        layout.SetProperty("scene", Obj(("xaxis", Axis(xTitle)), ("yaxis", Axis(yTitle)), ("zaxis", Axis(zTitle))));
        layout.SetProperty("legend", Obj(("title", Obj(("text", "class")))));
        return Build(traces, layout);
    }

    /// <summary>A 3-D scatter of <paramref name="embedding"/> coloured by the classes of <paramref name="data"/>.</summary>
    public static GenericChart Scatter3D(Dataset data, DataMatrix embedding, string title = "")
    {
        ArgumentNullException.ThrowIfNull(data);
        return Scatter3D(embedding, data.Labels, data.ClassNames, title == "" ? data.Name : title);
    }

    /// <summary>
    /// Training (and optionally validation) loss per epoch, epochs numbered from 1, as lines with markers.
    /// </summary>
    /// <param name="train">Training loss of each epoch (finite).</param>
    /// <param name="validation">Validation loss of each epoch, or null.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="yTitle">Y axis title (default "loss").</param>
    public static GenericChart LossCurves(IReadOnlyList<double> train, IReadOnlyList<double>? validation = null, string title = "Loss per epoch", string yTitle = "loss")
    {
        FiniteList(train, nameof(train));
        if (validation is not null) FiniteList(validation, nameof(validation));
        Trace Line(IReadOnlyList<double> values, string name)
        {
            var t = new Trace2D("scatter");
            t.SetProperty("name", name);
            t.SetProperty("mode", values.Count > 60 ? "lines" : "lines+markers");
            t.SetProperty("x", Enumerable.Range(1, values.Count).ToArray());
            t.SetProperty("y", values.ToArray());
            return t;
        }
        var traces = new List<Trace> { Line(train, "training") };
        if (validation is not null) traces.Add(Line(validation, "validation"));
        var layout = BaseLayout(title);
        layout.SetProperty("xaxis", Axis("epoch", ("dtick", train.Count <= 20 ? 1 : (object)"auto")));
        layout.SetProperty("yaxis", Axis(yTitle));
        layout.SetProperty("showlegend", true);
        return Build(traces, layout);
    }

    /// <summary>
    /// Explained variance ratio per component (bars) and its running total (line with markers), both on one 0 to 1 axis.
    /// </summary>
    /// <param name="ratios">Fraction of variance of each component, each in [0, 1], summing to at most 1.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart ExplainedVariance(IReadOnlyList<double> ratios, string title = "Explained variance")
    {
        FiniteList(ratios, nameof(ratios));
        for (int i = 0; i < ratios.Count; i++)
            if (ratios[i] < 0 || ratios[i] > 1)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"ratios[{i}] is {ratios[i]}, but explained variance ratios lie between 0 and 1. Pass ExplainedVarianceRatio, not the raw variances."), nameof(ratios));
        var cumulative = new double[ratios.Count];
        double sum = 0;
        for (int i = 0; i < ratios.Count; i++) cumulative[i] = sum += ratios[i];
        if (sum > 1 + 1e-9)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"ratios sum to {sum:G6}, but explained variance ratios sum to at most 1. Pass ExplainedVarianceRatio, not the raw variances."), nameof(ratios));
        var components = Enumerable.Range(1, ratios.Count).ToArray();
        var bars = new Trace2D("bar");
        bars.SetProperty("name", "per component");
        bars.SetProperty("x", components);
        bars.SetProperty("y", ratios.ToArray());
        var line = new Trace2D("scatter");
        line.SetProperty("name", "cumulative");
        line.SetProperty("mode", "lines+markers");
        line.SetProperty("x", components);
        line.SetProperty("y", cumulative);
        var layout = BaseLayout(title);
        layout.SetProperty("xaxis", Axis("principal component", ("dtick", ratios.Count <= 30 ? 1 : (object)"auto")));
        layout.SetProperty("yaxis", Axis("fraction of variance", ("range", new[] { 0.0, 1.05 })));
        layout.SetProperty("showlegend", true);
        return Build([bars, line], layout);
    }

    /// <summary>
    /// Images (one per row, pixels row by row) tiled into a grid and drawn as one grey-scale heatmap, upright,
    /// with square pixels and one shared grey scale (darker = larger value).
    /// </summary>
    /// <param name="images">One image per row, <paramref name="width"/> x <paramref name="height"/> columns.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="columns">Images per grid row (default 10).</param>
    /// <param name="titles">A short caption per image (drawn above it), or null.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart ImageGrid(DataMatrix images, int width, int height, int columns = 10, IReadOnlyList<string>? titles = null, string title = "")
    {
        CheckImages(images, width, height, nameof(images));
        Check.Range(columns, 1, 1000, nameof(columns), "Use for example columns = 10.");
        if (titles is not null && titles.Count != images.Rows)
            throw new ArgumentException($"titles has {titles.Count} entries, but images has {images.Rows} rows. Pass one title per image, or null.", nameof(titles));
        int cols = Math.Min(columns, images.Rows), rows = (images.Rows + cols - 1) / cols;
        var cells = Enumerable.Range(0, images.Rows).Select(i => (Image: images, Row: i, GridRow: i / cols, GridColumn: i % cols)).ToArray();
        var (zMin, zMax) = MinMax(images);
        return TiledHeatmap(cells, width, height, rows, cols, zMin, zMax, titles, null, title,
            $"{images.Rows} images of {width} x {height} pixels");
    }

    /// <summary>
    /// The first <paramref name="count"/> originals (top row) above their reconstructions (bottom row), on one grey scale.
    /// </summary>
    /// <param name="originals">Original images, one per row.</param>
    /// <param name="reconstructions">Reconstructed images, same shape as <paramref name="originals"/>.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="count">How many pairs to show (default 10; at most the number of rows).</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart ReconstructionGrid(DataMatrix originals, DataMatrix reconstructions, int width, int height, int count = 10, string title = "Originals (top) and reconstructions (bottom)")
    {
        CheckImages(originals, width, height, nameof(originals));
        CheckImages(reconstructions, width, height, nameof(reconstructions));
        if (reconstructions.Rows != originals.Rows)
            throw new ArgumentException($"reconstructions has {reconstructions.Rows} rows, but originals has {originals.Rows}. Pass one reconstruction per original (for example model.InverseTransform(model.Transform(originals))).", nameof(reconstructions));
        Check.Range(count, 1, originals.Rows, nameof(count), $"Show between 1 and {originals.Rows} pairs.");
        var cells = Enumerable.Range(0, count).Select(i => (Image: originals, Row: i, GridRow: 0, GridColumn: i))
            .Concat(Enumerable.Range(0, count).Select(i => (Image: reconstructions, Row: i, GridRow: 1, GridColumn: i))).ToArray();
        var (a, b) = MinMax(originals.SelectRows(Enumerable.Range(0, count).ToArray()));
        var (c, d) = MinMax(reconstructions.SelectRows(Enumerable.Range(0, count).ToArray()));
        return TiledHeatmap(cells, width, height, 2, count, Math.Min(a, c), Math.Max(b, d), null, ["original", "reconstruction"], title,
            $"{count} images of {width} x {height} pixels");
    }

    /// <summary>
    /// One bar per feature with its signed weight: positive bars and negative bars in different colours (a large
    /// negative weight matters as much as a large positive one), in the given order or by magnitude.
    /// </summary>
    /// <param name="weights">Weight of each feature (finite), for example a row of LogisticRegression.Coefficients or a PCA axis.</param>
    /// <param name="featureNames">Distinct name of each feature.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="sortByMagnitude">Order bars by |weight|, largest first (default false: the given order).</param>
    public static GenericChart WeightBars(IReadOnlyList<double> weights, IReadOnlyList<string> featureNames, string title = "Weights", bool sortByMagnitude = false)
    {
        FiniteList(weights, nameof(weights));
        if (featureNames is null) throw new ArgumentNullException(nameof(featureNames), "featureNames is null. Pass one name per weight.");
        if (featureNames.Count != weights.Count)
            throw new ArgumentException($"featureNames has {featureNames.Count} names, but weights has {weights.Count} values. Pass one name per weight.", nameof(featureNames));
        var duplicate = featureNames.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"featureNames contains \"{duplicate.Key}\" {duplicate.Count()} times, but each bar needs a distinct name. Make the names unique.", nameof(featureNames));
        var order = Enumerable.Range(0, weights.Count).ToArray();
        if (sortByMagnitude) order = [.. order.OrderByDescending(i => Math.Abs(weights[i])).ThenBy(i => i)];
        Trace Bars(bool positive)
        {
            var idx = order.Where(i => positive ? weights[i] >= 0 : weights[i] < 0).ToArray();
            var t = new Trace2D("bar");
            t.SetProperty("name", positive ? "positive weight" : "negative weight");
            t.SetProperty("x", idx.Select(i => featureNames[i]).ToArray());
            t.SetProperty("y", idx.Select(i => weights[i]).ToArray());
            t.SetProperty("marker", Obj(("color", positive ? PositiveColor : NegativeColor)));
            return t;
        }
        var layout = BaseLayout(title);
        layout.SetProperty("xaxis", Axis("feature", ("type", "category"), ("categoryorder", "array"), ("categoryarray", order.Select(i => featureNames[i]).ToArray()), ("tickangle", -45)));
        layout.SetProperty("yaxis", Axis("weight", ("zeroline", true), ("zerolinewidth", 2)));
        layout.SetProperty("barmode", "relative");
        layout.SetProperty("showlegend", true);
        return Build([Bars(true), Bars(false)], layout);
    }

    /// <summary>
    /// Writes <paramref name="chart"/> as a standalone HTML page, atomically. With <paramref name="includePlotlyJs"/>
    /// (default) plotly.js itself is embedded (about 3.6 MB), so the file works offline; otherwise it loads plotly.js
    /// from the CDN.
    /// </summary>
    public static void SaveHtml(GenericChart chart, string path, bool includePlotlyJs = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, ToHtml(chart, includePlotlyJs));
    }

    /// <summary>
    /// The chart as a complete HTML document (plotly.js embedded when <paramref name="includePlotlyJs"/>, else from the CDN);
    /// a notebook's <c>text/html</c> fallback.
    /// </summary>
    public static string ToHtml(GenericChart chart, bool includePlotlyJs = false)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return DeclareUtf8(includePlotlyJs ? EmbeddedWithPlotlyJs(chart) : GenericChart.toEmbeddedHTML(chart)); // default: plotly.js from the CDN
    }

    /// <summary>
    /// Plotly.NET's page has no <c>meta charset</c>, so a browser opening the file may guess another encoding and
    /// garble plotly's Unicode minus signs; declare UTF-8 (the encoding AtomicFile writes).
    /// </summary>
    private static string DeclareUtf8(string html)
    {
        int head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 ? html : html.Insert(head + "<head>".Length, "<meta charset=\"utf-8\">");
    }

    private static string EmbeddedWithPlotlyJs(GenericChart chart)
    {
        // Copy the chart's display options before choosing the embedded script: Plotly.NET's option
        // objects are mutable, and the caller's chart must keep its own settings.
        var options = new DisplayOptions();
        GenericChart.getDisplayOptions(chart).ShallowCopyDynamicPropertiesTo(options, FSharpOption<bool>.Some(true));
        options.SetProperty("PlotlyJSReference", PlotlyJSReference.Full);
        return GenericChart.toEmbeddedHTML(GenericChart.setDisplayOptions(options, chart));
    }

    /// <summary>The chart as an HTML fragment (a div and a script) for a page that has already loaded plotly.js.</summary>
    public static string ToHtmlFragment(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return GenericChart.toChartHTML(chart);
    }

    /// <summary>
    /// The plotly figure as JSON (<c>{"data": [...], "layout": {...}, "frames": []}</c>), the payload of the
    /// <c>application/vnd.plotly.v1+json</c> mime type that Jupyter front ends draw.
    /// </summary>
    public static string ToPlotlyJson(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return GenericChart.toFigureJson(chart);
    }

    // ---- building blocks ----

    private static GenericChart TiledHeatmap((DataMatrix Image, int Row, int GridRow, int GridColumn)[] cells, int width, int height, int rows, int cols,
        double zMin, double zMax, IReadOnlyList<string>? titles, string[]? rowNames, string title, string caption)
    {
        // One heatmap: tiles separated by gaps of nulls (drawn transparent); taller gaps leave room for captions.
        // Pixels are rounded to a thousandth of the grey range: a screen shows 256 greys, and full doubles made a
        // 15 x 15 grid of 28 x 28 images several megabytes of JSON in every notebook that shows one.
        double range = zMax > zMin ? zMax - zMin : 1;
        int digits = Math.Clamp(3 - (int)Math.Floor(Math.Log10(range)), 0, 15);
        int gap = 1, gapY = titles is null ? 1 : 3, totalW = cols * (width + gap) - gap, totalH = rows * (height + gapY) - gapY;
        var z = new double?[totalH][];
        for (int r = 0; r < totalH; r++) z[r] = new double?[totalW];
        foreach (var (image, row, gridRow, gridColumn) in cells)
        {
            var pixels = image.Row(row);
            for (int py = 0; py < height; py++)
                for (int px = 0; px < width; px++)
                    z[gridRow * (height + gapY) + py][gridColumn * (width + gap) + px] = Math.Round(pixels[py * width + px], digits);
        }
        var heatmap = new Trace2D("heatmap");
        heatmap.SetProperty("name", "images");
        heatmap.SetProperty("z", z);
        heatmap.SetProperty("zmin", zMin);
        heatmap.SetProperty("zmax", zMax == zMin ? zMin + 1 : zMax);
        heatmap.SetProperty("colorscale", new object[] { new object[] { 0, "rgb(255,255,255)" }, new object[] { 1, "rgb(0,0,0)" } });
        heatmap.SetProperty("showscale", false);
        heatmap.SetProperty("hoverongaps", false);
        var layout = BaseLayout(title);
        layout.SetProperty("xaxis", Axis(caption, ("showticklabels", false), ("showgrid", false), ("zeroline", false), ("constrain", "domain")));
        var yAxis = Axis(rowNames is null ? "" : "row", ("autorange", "reversed"), ("scaleanchor", "x"), ("showgrid", false), ("zeroline", false), ("constrain", "domain"));
        if (rowNames is not null)
        {
            yAxis["tickvals"] = rowNames.Select((_, r) => r * (height + gapY) + (height - 1) / 2.0).ToArray();
            yAxis["ticktext"] = rowNames;
        }
        else yAxis["showticklabels"] = false;
        layout.SetProperty("yaxis", yAxis);
        layout.SetProperty("plot_bgcolor", "rgb(235,235,235)");
        if (titles is not null)
            layout.SetProperty("annotations", cells.Select((c, i) => Obj(
                ("text", titles[c.Row]), ("showarrow", false), ("xref", "x"), ("yref", "y"),
                ("x", c.GridColumn * (width + gap) + (width - 1) / 2.0), ("y", c.GridRow * (height + gapY) - 0.5),
                ("yanchor", "bottom"), ("font", Obj(("size", 10))))).ToArray());
        int pixel = Math.Clamp(800 / Math.Max(totalW, 1), 2, 24);
        layout.SetProperty("width", Math.Max(300, totalW * pixel + 120));
        layout.SetProperty("height", Math.Max(200, totalH * pixel + (titles is null ? 120 : 150)));
        return Build([heatmap], layout);
    }

    private static GenericChart Build(IEnumerable<Trace> traces, Layout layout)
    {
        var chart = GenericChart.combine(traces.Select(t => GenericChart.ofTraceObject(true, t)).ToArray());
        return GenericChart.addLayout(layout, chart);
    }

    private static Layout BaseLayout(string title)
    {
        var layout = new Layout();
        if (!string.IsNullOrEmpty(title)) layout.SetProperty("title", Obj(("text", title)));
        return layout;
    }

    private static Dictionary<string, object> Axis(string title, params (string Key, object Value)[] more)
    {
        var axis = Obj(("title", Obj(("text", title))));
        foreach (var (k, v) in more) axis[k] = v;
        return axis;
    }

    private static Dictionary<string, object> Obj(params (string Key, object Value)[] properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value);

    private sealed record Group(string Name, int[] Rows);

    private static List<Group> Groups(DataMatrix embedding, IReadOnlyList<int> labels, IReadOnlyList<string>? classNames, int dims, string name)
    {
        Check.Data(embedding, name);
        if (embedding.Columns < dims)
            throw new ArgumentException($"{name} has {embedding.Columns} column(s), but this chart draws {dims}. Reduce to at least {dims} components.", name);
        Check.Labels(labels, embedding.Rows, nameof(labels), name);
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0)
                throw new ArgumentException($"labels[{i}] is {labels[i]}, but labels must be non-negative class numbers.", nameof(labels));
        int maxLabel = labels.Max();
        if (classNames is not null && classNames.Count <= maxLabel)
            throw new ArgumentException($"classNames has {classNames.Count} names, but labels go up to {maxLabel}. Pass one name per class (index = label).", nameof(classNames));
        return Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key)
            .Select(g => new Group(classNames?[g.Key] ?? $"class {g.Key}", g.ToArray())).ToList();
    }

    private static void FiniteList(IReadOnlyList<double>? values, string name)
    {
        if (values is null) throw new ArgumentNullException(name, $"{name} is null. Pass a list of numbers.");
        if (values.Count == 0) throw new ArgumentException($"{name} is empty. Pass at least one value.", name);
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}[{i}] is {values[i]}, but every value must be a finite number. Remove or fix the value (a NaN loss usually means training diverged: lower the learning rate)."), name);
    }

    private static void CheckImages(DataMatrix images, int width, int height, string name)
    {
        Check.Data(images, name);
        Check.Range(width, 1, 10_000, nameof(width), "Pass the image width in pixels, for example 8 for Digits or 28 for MNIST.");
        Check.Range(height, 1, 10_000, nameof(height), "Pass the image height in pixels, for example 8 for Digits or 28 for MNIST.");
        if ((long)width * height != images.Columns)
            throw new ArgumentException(
                $"{name} has {images.Columns} columns, but width {width} x height {height} = {(long)width * height} pixels. Pass the image size that matches the data (for example 8 x 8 = 64 for Digits, 28 x 28 = 784 for MNIST).",
                name);
    }

    private static (double Min, double Max) MinMax(DataMatrix m)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in m.AsSpan()) { min = Math.Min(min, v); max = Math.Max(max, v); }
        return (min, max);
    }
}
