using System.Text.Json.Nodes;
using DimReduce.Charts;
using DimReduce.Datasets;
using DimReduce.Tests.Support;
using Plotly.NET;

namespace DimReduce.Tests.Charts;

public class ChartsTests
{
    private static JsonObject Figure(GenericChart chart) => JsonNode.Parse(DimReduce.Charts.Charts.ToPlotlyJson(chart))!.AsObject();

    private static JsonArray Data(GenericChart chart) => Figure(chart)["data"]!.AsArray();

    private static JsonObject Layout(GenericChart chart) => Figure(chart)["layout"]!.AsObject();

    private static readonly DataMatrix Points = new double[,] { { 0, 1, 2 }, { 1, 0, 3 }, { 2, 2, 1 }, { 3, 1, 0 }, { 4, 4, 4 } };
    private static readonly int[] PointLabels = [2, 0, 2, 1, 0];

    [Fact]
    public void Scatter2DHasOneNamedTracePerClassAndAxisTitles()
    {
        var chart = DimReduce.Charts.Charts.Scatter2D(Points, PointLabels, ["setosa", "versicolor", "virginica"], "Iris", "PC 1", "PC 2");
        var data = Data(chart);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.Select(t => (string)t!["name"]!));
        Assert.All(data, t => Assert.Equal("markers", (string)t!["mode"]!));
        // class 0 holds rows 1 and 4, in row order
        Assert.Equal([1.0, 4.0], data[0]!["x"]!.Doubles());
        Assert.Equal([0.0, 4.0], data[0]!["y"]!.Doubles());
        var layout = Layout(chart);
        Assert.Equal("Iris", (string)layout["title"]!["text"]!);
        Assert.Equal("PC 1", (string)layout["xaxis"]!["title"]!["text"]!);
        Assert.Equal("PC 2", (string)layout["yaxis"]!["title"]!["text"]!);
        Assert.Equal("class", (string)layout["legend"]!["title"]!["text"]!);
    }

    [Fact]
    public void Scatter2DFromADatasetUsesItsClassNames()
    {
        var wine = BundledSets.Wine();
        var chart = DimReduce.Charts.Charts.Scatter2D(wine, wine.Features.SelectColumns([0, 1]));
        Assert.Equal(wine.ClassNames, Data(chart).Select(t => (string)t!["name"]!));
        Assert.Equal(wine.Count, Data(chart).Sum(t => t!["x"]!.AsArray().Count));
        Assert.Equal(wine.Name, (string)Layout(chart)["title"]!["text"]!);
    }

    [Fact]
    public void LargeScatterUsesWebGl()
    {
        var n = DimReduce.Charts.Charts.WebGlThreshold + 1;
        var chart = DimReduce.Charts.Charts.Scatter2D(new DataMatrix(n, 2), new int[n]);
        Assert.Equal("scattergl", (string)Data(chart)[0]!["type"]!);
        Assert.Equal("class 0", (string)Data(chart)[0]!["name"]!);
    }

    [Fact]
    public void Scatter3DHasOneTracePerClassAndSceneAxisTitles()
    {
        var chart = DimReduce.Charts.Charts.Scatter3D(Points, PointLabels, ["a", "b", "c"], "3-D", "u", "v", "w");
        var data = Data(chart);
        Assert.Equal(["a", "b", "c"], data.Select(t => (string)t!["name"]!));
        Assert.All(data, t => Assert.Equal("scatter3d", (string)t!["type"]!));
        Assert.Equal([3.0, 4.0], data[0]!["z"]!.Doubles()); // rows 1 and 4
        var scene = Layout(chart)["scene"]!;
        Assert.Equal("u", (string)scene["xaxis"]!["title"]!["text"]!);
        Assert.Equal("w", (string)scene["zaxis"]!["title"]!["text"]!);
    }

    [Fact]
    public void LossCurvesNumberEpochsFromOne()
    {
        var chart = DimReduce.Charts.Charts.LossCurves([0.9, 0.5, 0.3], [1.0, 0.7, 0.6], "Autoencoder");
        var data = Data(chart);
        Assert.Equal(["training", "validation"], data.Select(t => (string)t!["name"]!));
        Assert.Equal([1.0, 2.0, 3.0], data[0]!["x"]!.Doubles());
        Assert.Equal([1.0, 0.7, 0.6], data[1]!["y"]!.Doubles());
        Assert.Equal("epoch", (string)Layout(chart)["xaxis"]!["title"]!["text"]!);
        Assert.Equal("loss", (string)Layout(chart)["yaxis"]!["title"]!["text"]!);
        Assert.Single(Data(DimReduce.Charts.Charts.LossCurves([1.0, 0.5])));
    }

    [Fact]
    public void ExplainedVarianceShowsBarsAndCumulativeLine()
    {
        var chart = DimReduce.Charts.Charts.ExplainedVariance([0.5, 0.25, 0.125]);
        var data = Data(chart);
        Assert.Equal("bar", (string)data[0]!["type"]!);
        Assert.Equal([0.5, 0.25, 0.125], data[0]!["y"]!.Doubles());
        Assert.Equal("cumulative", (string)data[1]!["name"]!);
        Assert.Equal([0.5, 0.75, 0.875], data[1]!["y"]!.Doubles());
        Assert.Equal([1.0, 2.0, 3.0], data[1]!["x"]!.Doubles());
        var layout = Layout(chart);
        Assert.Equal("principal component", (string)layout["xaxis"]!["title"]!["text"]!);
        Assert.Equal("fraction of variance", (string)layout["yaxis"]!["title"]!["text"]!);
        Assert.Equal([0.0, 1.05], layout["yaxis"]!["range"]!.Doubles());
    }

    [Fact]
    public void ImageGridTilesImagesUprightOnOneGreyScale()
    {
        // Two 3 x 2 images (width 3, height 2); image 1 is image 0 plus 10.
        var images = new DataMatrix(2, 6, [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
        var chart = DimReduce.Charts.Charts.ImageGrid(images, width: 3, height: 2, columns: 2, titles: ["zero", "one"]);
        var heatmap = Data(chart)[0]!;
        Assert.Equal("heatmap", (string)heatmap["type"]!);
        var z = heatmap["z"]!.AsArray();
        Assert.Equal(2, z.Count); // height rows
        Assert.Equal(7, z[0]!.AsArray().Count); // 3 + gap + 3
        Assert.Equal(0.0, (double)z[0]![0]!);
        Assert.Equal(5.0, (double)z[1]![2]!);
        Assert.Null(z[0]![3]); // the gap
        Assert.Equal(13.0, (double)z[1]![4]!);
        Assert.Equal(0.0, (double)heatmap["zmin"]!);
        Assert.Equal(15.0, (double)heatmap["zmax"]!);
        var layout = Layout(chart);
        Assert.Equal("reversed", (string)layout["yaxis"]!["autorange"]!);
        Assert.Equal("x", (string)layout["yaxis"]!["scaleanchor"]!);
        Assert.Contains("2 images of 3 x 2 pixels", (string)layout["xaxis"]!["title"]!["text"]!);
        Assert.Equal(["zero", "one"], layout["annotations"]!.AsArray().Select(a => (string)a!["text"]!));
    }

    [Fact]
    public void ImageGridWrapsIntoRows()
    {
        var digits = BundledSets.Digits();
        var chart = DimReduce.Charts.Charts.ImageGrid(digits.Features.SelectRows(Enumerable.Range(0, 25).ToArray()), 8, 8, columns: 10);
        var z = Data(chart)[0]!["z"]!.AsArray();
        Assert.Equal(3 * 8 + 2, z.Count);
        Assert.Equal(10 * 8 + 9, z[0]!.AsArray().Count);
        Assert.Equal(digits.Features[0, 2], (double)z[0]![2]!); // first image, top row, third pixel
    }

    [Fact]
    public void ImageGridRoundsPixelsToAThousandthOfTheGreyRange()
    {
        // Pixels in [0, 1] keep three decimals; pixels in [0, 255] keep one: about 1,000 levels either way, where a
        // screen shows 256 greys, and far shorter JSON than full doubles.
        var unit = new DataMatrix(1, 4, [0, 1.0 / 3, 0.123456789, 1]);
        var z = Data(DimReduce.Charts.Charts.ImageGrid(unit, 2, 2))[0]!["z"]!.AsArray();
        Assert.Equal(0.333, (double)z[0]![1]!);
        Assert.Equal(0.123, (double)z[1]![0]!);
        var bytes = new DataMatrix(1, 4, [0, 100.0 / 3, 254.96, 255]);
        z = Data(DimReduce.Charts.Charts.ImageGrid(bytes, 2, 2))[0]!["z"]!.AsArray();
        Assert.Equal(33.3, (double)z[0]![1]!);
        Assert.Equal(255.0, (double)z[1]![0]!);
    }

    [Fact]
    public void ReconstructionGridPutsOriginalsAboveReconstructions()
    {
        var originals = new DataMatrix(3, 4, [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
        var reconstructions = new DataMatrix(3, 4, [9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7]);
        var chart = DimReduce.Charts.Charts.ReconstructionGrid(originals, reconstructions, 2, 2, count: 2);
        var z = Data(chart)[0]!["z"]!.AsArray();
        Assert.Equal(5, z.Count); // 2 + gap + 2
        Assert.Equal(1.0, (double)z[0]![0]!);
        Assert.Equal(2.0, (double)z[0]![3]!);
        Assert.Equal(9.0, (double)z[3]![0]!);
        Assert.Equal(8.0, (double)z[4]![4]!);
        var y = Layout(chart)["yaxis"]!;
        Assert.Equal("reversed", (string)y["autorange"]!);
        Assert.Equal(["original", "reconstruction"], y["ticktext"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(9.0, (double)Data(chart)[0]!["zmax"]!); // one scale for both rows
    }

    [Fact]
    public void WeightBarsColourSignsDifferently()
    {
        var chart = DimReduce.Charts.Charts.WeightBars([0.5, -2.0, 1.0], ["alcohol", "ash", "hue"], "Class 0 weights", sortByMagnitude: true);
        var data = Data(chart);
        Assert.Equal("positive weight", (string)data[0]!["name"]!);
        Assert.Equal(["hue", "alcohol"], data[0]!["x"]!.AsArray().Select(v => (string)v!));
        Assert.Equal([-2.0], data[1]!["y"]!.Doubles()); // negative stays negative
        Assert.Equal(DimReduce.Charts.Charts.NegativeColor, (string)data[1]!["marker"]!["color"]!);
        Assert.NotEqual((string)data[0]!["marker"]!["color"]!, (string)data[1]!["marker"]!["color"]!);
        var x = Layout(chart)["xaxis"]!;
        Assert.Equal(["ash", "hue", "alcohol"], x["categoryarray"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("feature", (string)x["title"]!["text"]!);
        Assert.Equal("weight", (string)Layout(chart)["yaxis"]!["title"]!["text"]!);
    }

    [Fact]
    public void SaveHtmlWritesTheFigureAndEmbedsPlotlyJs()
    {
        var chart = DimReduce.Charts.Charts.Scatter2D(Points, PointLabels, ["setosa", "versicolor", "virginica"], "Saved chart");
        string dir = Path.Combine(Path.GetTempPath(), $"dimreduce-charts-{Guid.NewGuid():N}");
        try
        {
            string full = Path.Combine(dir, "full.html"), light = Path.Combine(dir, "light.html");
            DimReduce.Charts.Charts.SaveHtml(chart, full);
            DimReduce.Charts.Charts.SaveHtml(chart, light, includePlotlyJs: false);
            string html = File.ReadAllText(full);
            Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\"name\":\"versicolor\"", html);
            Assert.Contains("Saved chart", html);
            Assert.Contains("<meta charset=\"utf-8\">", html); // else browsers may garble plotly's minus signs
            Assert.Contains("plotly.js v", html); // the library's own licence banner: plotly.js is inside the file
            Assert.True(html.Length > 1_000_000, $"only {html.Length} characters: plotly.js is not embedded");
            string small = File.ReadAllText(light);
            Assert.Contains("\"name\":\"versicolor\"", small);
            Assert.Contains("cdn.plot.ly", small);
            Assert.True(small.Length < 100_000, $"{small.Length} characters: saving with plotly.js must not change the chart");
            Assert.Equal(["full.html", "light.html"], Directory.GetFiles(dir).Select(Path.GetFileName).Order()); // no temporary files left
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void HtmlHelpersContainTheFigure()
    {
        var chart = DimReduce.Charts.Charts.LossCurves([3.0, 2.0]);
        Assert.Contains("Plotly.newPlot", DimReduce.Charts.Charts.ToHtmlFragment(chart));
        Assert.Contains("\"training\"", DimReduce.Charts.Charts.ToHtml(chart));
        var figure = Figure(chart);
        Assert.NotNull(figure["data"]);
        Assert.NotNull(figure["layout"]);
    }

    // ---- bad input ----

    [Fact]
    public void ScatterRejectsBadInput()
    {
        var e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.Scatter2D(Points, [0, 1]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("2 labels, but embedding has 5 rows", e.Message);
        var nan = Points.Clone();
        nan[1, 1] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.Scatter2D(nan, PointLabels));
        Assert.Equal("embedding", e.ParamName);
        Assert.Contains("NaN at row 1, column 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.Scatter3D(Points.SelectColumns([0, 1]), PointLabels));
        Assert.Equal("embedding", e.ParamName);
        Assert.Contains("2 column(s), but this chart draws 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.Scatter2D(Points, PointLabels, ["a", "b"]));
        Assert.Equal("classNames", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.Scatter2D(Points, [0, 0, -1, 0, 0]));
        Assert.Equal("labels", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.Scatter2D(new DataMatrix(0, 2), []));
        Assert.Equal("embedding", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("markerSize", () => DimReduce.Charts.Charts.Scatter2D(Points, PointLabels, markerSize: 0));
    }

    [Fact]
    public void CurvesRejectBadValues()
    {
        var e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.LossCurves([1.0, double.NaN]));
        Assert.Equal("train", e.ParamName);
        Assert.Contains("train[1] is NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.LossCurves([1.0], [double.PositiveInfinity]));
        Assert.Equal("validation", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.LossCurves([]));
        Assert.Contains("empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ExplainedVariance([0.7, 0.6]));
        Assert.Equal("ratios", e.ParamName);
        Assert.Contains("sum to 1.3", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ExplainedVariance([4.2, 0.1]));
        Assert.Contains("ratios[0] is 4.2", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.WeightBars([1.0, 2.0], ["a"]));
        Assert.Equal("featureNames", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.WeightBars([1.0, 2.0], ["a", "a"]));
        Assert.Contains("\"a\" 2 times", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.WeightBars([double.NaN], ["a"]));
        Assert.Equal("weights", e.ParamName);
    }

    [Fact]
    public void ImagesRejectBadShapes()
    {
        var images = new DataMatrix(2, 64);
        var e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ImageGrid(images, 28, 28));
        Assert.Equal("images", e.ParamName);
        Assert.Contains("64 columns, but width 28 x height 28 = 784", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ImageGrid(images, 8, 8, titles: ["one"]));
        Assert.Equal("titles", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("width", () => DimReduce.Charts.Charts.ImageGrid(images, 0, 8));
        Assert.Throws<ArgumentOutOfRangeException>("columns", () => DimReduce.Charts.Charts.ImageGrid(images, 8, 8, columns: 0));
        var nan = images.Clone();
        nan[1, 5] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ImageGrid(nan, 8, 8));
        Assert.Contains("NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ReconstructionGrid(images, new DataMatrix(3, 64), 8, 8));
        Assert.Equal("reconstructions", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => DimReduce.Charts.Charts.ReconstructionGrid(images, new DataMatrix(2, 63), 8, 8));
        Assert.Equal("reconstructions", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("count", () => DimReduce.Charts.Charts.ReconstructionGrid(images, images, 8, 8, count: 3));
        Assert.Throws<ArgumentNullException>("chart", () => DimReduce.Charts.Charts.SaveHtml(null!, "x.html"));
    }
}
