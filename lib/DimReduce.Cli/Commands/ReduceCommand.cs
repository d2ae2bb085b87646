using System.CommandLine;
using System.Globalization;
using DimReduce.Decomposition;
using DimReduce.IO;
using DimReduce.Manifold;
using DimReduce.Neighbors;
using DimReduce.Neural;
using DimReduce.Preprocessing;

namespace DimReduce.Cli.Commands;

/// <summary>The options of <c>dimreduce reduce</c> that a reducer factory may read.</summary>
internal sealed record ReduceSettings(double Components, int? Seed, KernelType Kernel, double? Gamma, int Degree, int? BatchSize, bool Standardize,
    int? Neighbors = null, double MinDist = Umap.Defaults.MinDist, NeighborMetric Metric = Umap.Defaults.Metric, int? Epochs = null,
    IReadOnlyList<int>? Layers = null, double Perplexity = Tsne.Defaults.Perplexity, double MinkowskiP = Umap.Defaults.MinkowskiP, bool SequentialLayout = false);

/// <summary><c>dimreduce reduce --method pca --input X.csv --components 2 --output Z.csv</c>.</summary>
internal static class ReduceCommand
{
    /// <summary>Reducers by <c>--method</c> name. Later chapters add theirs here.</summary>
    internal static readonly IReadOnlyDictionary<string, (string Help, Func<ReduceSettings, IReducer> Create)> Methods =
        new Dictionary<string, (string, Func<ReduceSettings, IReducer>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["pca"] = ("principal component analysis (covariance eigendecomposition; --components may be a variance fraction such as 0.95)",
                s => new Pca { Components = s.Components, Seed = s.Seed, Matrix = s.Standardize ? PcaMatrix.Correlation : PcaMatrix.Covariance }),
            ["rpca"] = ("randomized PCA (Halko et al.)",
                s => new Pca { Components = s.Components, Solver = PcaSolver.Randomized, Seed = s.Seed, Matrix = s.Standardize ? PcaMatrix.Correlation : PcaMatrix.Covariance }),
            ["ipca"] = ("incremental PCA over mini-batches (--batch-size)",
                s => new IncrementalPca { Components = WholeComponents(s.Components, "ipca"), BatchSize = s.BatchSize }),
            ["kpca"] = ("kernel PCA (--kernel rbf|poly|sigmoid|cosine|linear, --gamma, --degree)",
                s => new KernelPca { Components = WholeComponents(s.Components, "kpca"), Kernel = s.Kernel, Gamma = s.Gamma, Degree = s.Degree }),
            ["umap"] = ("UMAP, McInnes et al. 2018, as umap-learn 0.5.3 (--neighbors, --min-dist, --metric, --p, --epochs, --seed, --sequential-layout)",
                s => new Umap { Components = WholeComponents(s.Components, "umap"), Neighbors = s.Neighbors ?? Umap.Defaults.Neighbors, MinDist = s.MinDist, Metric = s.Metric, MinkowskiP = s.MinkowskiP, Epochs = s.Epochs, Seed = s.Seed, ParallelLayout = !s.SequentialLayout }),
            ["tsne"] = ("t-SNE, van der Maaten 2014, Barnes-Hut, as scikit-learn 1.2.1 (--perplexity, --epochs = iterations, default 1000; --seed)",
                s => new Tsne { Components = WholeComponents(s.Components, "tsne"), Perplexity = s.Perplexity, Iterations = s.Epochs ?? Tsne.Defaults.Iterations, Seed = s.Seed }),
            ["isomap"] = ("Isomap, Tenenbaum et al. 2000: geodesic distances on the k-NN graph, then classical MDS (--neighbors)",
                s => new Isomap { Components = WholeComponents(s.Components, "isomap"), Neighbors = s.Neighbors ?? Isomap.Defaults.Neighbors }),
            ["mds"] = ("metric MDS by SMACOF, de Leeuw 1977, as scikit-learn's MDS (--epochs = max iterations, default 300; --seed)",
                s => new Mds { Components = WholeComponents(s.Components, "mds"), MaxIterations = s.Epochs ?? Mds.Defaults.MaxIterations, Seed = s.Seed }),
            ["ae"] = ("autoencoder on standardised features (--layers 64,16 encoder widths, mirrored; --epochs; --batch-size; code size = --components)",
                s => new CliAutoencoder(s, variational: false)),
            ["vae"] = ("variational autoencoder on standardised features (as ae; the output is the posterior mean)",
                s => new CliAutoencoder(s, variational: true)),
        };

    /// <summary>
    /// Standardises the features, then trains an <see cref="Autoencoder"/> whose spec is built from the column
    /// count at Fit (linear output, MSE), so the command works on any CSV.
    /// </summary>
    private sealed class CliAutoencoder(ReduceSettings s, bool variational) : IReducer
    {
        private readonly StandardScaler _scaler = new();
        private Autoencoder? _model;

        public IReducer Fit(DataMatrix x)
        {
            var scaled = _scaler.FitTransform(x);
            _model?.Dispose();
            _model = new Autoencoder
            {
                Spec = new AutoencoderSpec
                {
                    InputSize = x.Columns, EncoderWidths = s.Layers ?? [64, 16], CodeSize = WholeComponents(s.Components, variational ? "vae" : "ae"),
                    Variational = variational,
                },
                Epochs = s.Epochs ?? Autoencoder.Defaults.Epochs, BatchSize = s.BatchSize ?? Autoencoder.Defaults.BatchSize, Seed = s.Seed,
            };
            _model.Fit(scaled);
            return this;
        }

        public DataMatrix Transform(DataMatrix x) =>
            (_model ?? throw new InvalidOperationException("Fit first.")).Transform(_scaler.Transform(x));

        public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);
    }

    private static IReadOnlyList<int> ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var widths = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
            if (!int.TryParse(parts[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[k]) || widths[k] < 1)
                throw new ArgumentException($"--layers is '{text}', but it must be a comma-separated list of positive whole numbers (encoder widths), for example 64,16.", "--layers");
        return widths;
    }

    private static int WholeComponents(double components, string method) =>
        components >= 1 && components == Math.Floor(components) && components <= int.MaxValue
            ? (int)components
            : throw new ArgumentOutOfRangeException("--components", components,
                $"--components is {components.ToString(CultureInfo.InvariantCulture)}, but --method {method} needs a whole number of components (1 or more). A variance fraction works with --method pca only.");

    public static Command Create()
    {
        var method = new Option<string>("--method", "-m")
        {
            Description = "The reducer: " + string.Join("; ", Methods.Select(m => $"{m.Key} = {m.Value.Help}")),
            Required = true,
        };
        method.AcceptOnlyFromAmong(Methods.Keys.ToArray());
        var input = new Option<string>("--input", "-i") { Description = "CSV of numbers, one row per sample (a header row is detected), or a 2-D NumPy .npy file.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the embedding (CSV with header c1,c2,...; one row per input row).", Required = true };
        var components = new Option<double>("--components", "-k") { Description = "Number of output dimensions (pca: or a fraction of variance to keep, e.g. 0.95).", DefaultValueFactory = _ => 2 };
        var labelColumn = new Option<string?>("--label-column") { Description = "A header column to drop from the input (labels are not features)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for the randomized methods; the same seed gives the same output." };
        var kernel = new Option<KernelType>("--kernel") { Description = "kpca kernel.", DefaultValueFactory = _ => KernelType.Rbf };
        var gamma = new Option<double?>("--gamma") { Description = "kpca kernel coefficient (default 1 / features)." };
        var degree = new Option<int>("--degree") { Description = "kpca polynomial degree.", DefaultValueFactory = _ => 3 };
        var batchSize = new Option<int?>("--batch-size") { Description = "ipca rows per mini-batch (default 5 x features)." };
        var standardize = new Option<bool>("--standardize") { Description = "pca/rpca: PCA on the correlation matrix (each feature scaled to unit variance first)." };
        var neighbors = new Option<int?>("--neighbors") { Description = $"umap neighbourhood size k, the point itself included (default {Umap.Defaults.Neighbors}); isomap neighbours per point (default {Isomap.Defaults.Neighbors})." };
        var minDist = new Option<double>("--min-dist") { Description = "umap smallest distance between embedded points (0 to 1).", DefaultValueFactory = _ => Umap.Defaults.MinDist };
        var metric = new Option<NeighborMetric>("--metric") { Description = "umap input distance: euclidean, cosine, manhattan, chebyshev, minkowski (with --p) or correlation.", DefaultValueFactory = _ => Umap.Defaults.Metric };
        var minkowskiP = new Option<double>("--p") { Description = "umap: the exponent of --metric minkowski (greater than 0; 1 is manhattan, 2 euclidean).", DefaultValueFactory = _ => Umap.Defaults.MinkowskiP };
        var sequentialLayout = new Option<bool>("--sequential-layout") { Description = "umap: run the layout on one core in umap-learn's update order (slower; the default parallel layout is just as reproducible with --seed)." };
        var epochs = new Option<int?>("--epochs") { Description = "umap layout epochs (default 500 up to 10,000 rows, else 200); ae/vae training epochs (default " + Autoencoder.Defaults.Epochs + "); tsne iterations (default " + Tsne.Defaults.Iterations + "); mds SMACOF iterations per start (default " + Mds.Defaults.MaxIterations + ")." };
        var perplexity = new Option<double>("--perplexity") { Description = "tsne perplexity (effective neighbours per point; must be below the row count).", DefaultValueFactory = _ => Tsne.Defaults.Perplexity };
        var layers = new Option<string>("--layers") { Description = "ae/vae: encoder layer widths, comma-separated (the decoder mirrors them).", DefaultValueFactory = _ => "64,16" };

        var command = new Command("reduce", "Reduce the dimension of a CSV of numbers and write the embedding as CSV.")
        {
            method, input, output, components, labelColumn, seed, kernel, gamma, degree, batchSize, standardize, neighbors, minDist, metric, epochs, layers, perplexity,
            minkowskiP, sequentialLayout,
        };
        command.SetAction(p => CliErrors.Run(() =>
        {
            string inputPath = p.GetValue(input)!;
            var table = inputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
                ? new CsvTable(Npy.Read(inputPath), [], null, false)
                : Csv.Read(inputPath, p.GetValue(labelColumn));
            var settings = new ReduceSettings(p.GetValue(components), p.GetValue(seed), p.GetValue(kernel), p.GetValue(gamma),
                p.GetValue(degree), p.GetValue(batchSize), p.GetValue(standardize),
                p.GetValue(neighbors), p.GetValue(minDist), p.GetValue(metric), p.GetValue(epochs), ParseLayers(p.GetValue(layers)!), p.GetValue(perplexity),
                p.GetValue(minkowskiP), p.GetValue(sequentialLayout));
            string name = p.GetValue(method)!;
            var reducer = Methods[name].Create(settings);
            var embedding = reducer.FitTransform(table.Values);
            Csv.Write(p.GetValue(output)!, embedding);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {table.Values.Rows} rows x {table.Values.Columns} features -> {embedding.Columns} components, written to {p.GetValue(output)}"));
            return 0;
        }));
        return command;
    }
}
