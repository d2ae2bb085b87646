using System.Text.Json.Nodes;
using DimReduce.Neighbors;
using DimReduce.Persistence;

namespace DimReduce.Classification;

/// <summary>
/// k-nearest-neighbour classification: a row gets the label most common among its <see cref="Neighbors"/>
/// nearest training rows. It learns nothing but the training data, which makes it the usual probe of how
/// well an embedding keeps classes apart.
/// </summary>
/// <remarks>
/// Cover and Hart (1967), "Nearest neighbor pattern classification". Neighbours are exact
/// (<see cref="NearestNeighbors.Exact"/>). Votes count once each (<see cref="NeighborWeights.Uniform"/>) or
/// 1 / distance (<see cref="NeighborWeights.Distance"/>; a neighbour at distance 0 takes all the weight).
/// Equal votes go to the lowest label, as in scikit-learn's KNeighborsClassifier.
/// </remarks>
/// <example>
/// <code>
/// var knn = new KNeighborsClassifier { Neighbors = 5 }.Fit(trainX, trainY);
/// double accuracy = knn.Score(testX, testY);
/// </code>
/// </example>
[ModelType("KNeighborsClassifier")]
public sealed class KNeighborsClassifier : IProbabilisticClassifier, IStateful
{
    /// <summary>Default option values.</summary>
    public static class Defaults
    {
        /// <summary>Neighbours that vote: 5.</summary>
        public const int Neighbors = 5;

        /// <summary>Vote weighting: uniform.</summary>
        public const NeighborWeights Weights = NeighborWeights.Uniform;
    }

    private DataMatrix? _x;
    private int[]? _codes;
    private int[]? _classes;

    /// <summary>Neighbours that vote; 1 to the number of training rows. Default 5.</summary>
    public int Neighbors { get; init; } = Defaults.Neighbors;

    /// <summary>How votes are weighted. Default <see cref="NeighborWeights.Uniform"/>.</summary>
    public NeighborWeights Weights { get; init; } = Defaults.Weights;

    /// <summary>The distance. Default Euclidean.</summary>
    public NeighborMetric Metric { get; init; } = NeighborMetric.Euclidean;

    /// <summary>The distinct training labels, ascending: the columns of <see cref="PredictProba"/>.</summary>
    public int[] Classes { get { Check.Fitted(_classes is not null, nameof(KNeighborsClassifier), nameof(Classes)); return _classes!; } }

    /// <summary>Stores the training rows and labels and returns this instance.</summary>
    /// <param name="x">Training rows (n x d, finite), n at least <see cref="Neighbors"/>.</param>
    /// <param name="labels">One integer label per row.</param>
    public KNeighborsClassifier Fit(DataMatrix x, IReadOnlyList<int> labels)
    {
        Check.Range(Neighbors, 1, int.MaxValue, nameof(Neighbors), "Use at least one neighbour (5 is usual).");
        if (!Enum.IsDefined(Weights))
            throw new ArgumentOutOfRangeException(nameof(Weights), Weights, $"Weights is {(int)Weights}, which is not a NeighborWeights. Use Uniform or Distance.");
        if (!Enum.IsDefined(Metric))
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, $"Metric is {(int)Metric}, which is not a NeighborMetric. Use Euclidean, Cosine or Manhattan.");
        Check.Data(x, nameof(x));
        Check.Labels(labels, x.Rows, nameof(labels));
        if (Neighbors > x.Rows)
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors,
                $"Neighbors is {Neighbors}, but the data has {x.Rows} samples. Neighbors must be at most the sample count: lower Neighbors or pass more rows.");
        var codes = LabelCodes.From(labels);
        _x = x.Clone();
        _codes = codes.Codes;
        _classes = codes.Classes;
        return this;
    }

    IClassifier IClassifier.Fit(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels);

    /// <summary>The predicted label of each row.</summary>
    public int[] Predict(DataMatrix x)
    {
        var proba = Votes(x, nameof(Predict));
        int k = _classes!.Length;
        var result = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            int best = 0;
            for (int c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
            result[i] = _classes[best];
        }
        return result;
    }

    /// <summary>Each row's class probabilities (rows x classes, columns in the order of <see cref="Classes"/>).</summary>
    public DataMatrix PredictProba(DataMatrix x)
    {
        var votes = Votes(x, nameof(PredictProba));
        int k = _classes!.Length;
        for (int i = 0; i < x.Rows; i++)
        {
            double total = 0;
            for (int c = 0; c < k; c++) total += votes[i * k + c];
            for (int c = 0; c < k; c++) votes[i * k + c] /= total;
        }
        return new DataMatrix(x.Rows, k, votes);
    }

    /// <summary>Accuracy: the fraction of rows whose predicted label equals <paramref name="labels"/>.</summary>
    public double Score(DataMatrix x, IReadOnlyList<int> labels)
    {
        Check.Fitted(_x is not null, nameof(KNeighborsClassifier), nameof(Score));
        Check.Features(x, _x!.Columns, nameof(x), nameof(KNeighborsClassifier));
        Check.Labels(labels, x.Rows, nameof(labels));
        var predicted = Predict(x);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++) if (predicted[i] == labels[i]) correct++;
        return correct / (double)predicted.Length;
    }

    private double[] Votes(DataMatrix x, string method)
    {
        Check.Fitted(_x is not null, nameof(KNeighborsClassifier), method);
        Check.Features(x, _x!.Columns, nameof(x), nameof(KNeighborsClassifier));
        var knn = NearestNeighbors.Search(_x, x, Neighbors, self: false, Metric);
        int k = _classes!.Length;
        var votes = new double[x.Rows * k];
        for (int i = 0; i < x.Rows; i++)
        {
            bool exact = false;
            if (Weights == NeighborWeights.Distance)
                for (int c = 0; c < Neighbors; c++) exact |= knn.Distances[i, c] == 0;
            for (int c = 0; c < Neighbors; c++)
            {
                double d = knn.Distances[i, c];
                double w = Weights == NeighborWeights.Uniform ? 1.0 : exact ? (d == 0 ? 1.0 : 0.0) : 1.0 / d;
                votes[i * k + _codes![knn.Indices[i, c]]] += w;
            }
        }
        return votes;
    }

    /// <summary>Writes the model (options and training data) to <paramref name="path"/>.</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static KNeighborsClassifier Load(string path) => ModelFile.Load<KNeighborsClassifier>(path);

    JsonObject IStateful.GetState()
    {
        Check.Fitted(_x is not null, nameof(KNeighborsClassifier), nameof(Save));
        return new JsonObject
        {
            ["neighbors"] = Neighbors,
            ["weights"] = Weights.ToString(),
            ["metric"] = Metric.ToString(),
            ["x"] = State.Matrix(_x!),
            ["labels"] = State.Array(_codes!.Select(c => _classes![c])),
        };
    }

    internal static KNeighborsClassifier FromState(JsonObject state)
    {
        var model = new KNeighborsClassifier
        {
            Neighbors = State.Int(state["neighbors"], "neighbors"),
            Weights = State.Enum<NeighborWeights>(state["weights"], "weights"),
            Metric = State.Enum<NeighborMetric>(state["metric"], "metric"),
        };
        return model.Fit(State.Matrix(state["x"], "x"), State.Ints(state["labels"], "labels"));
    }
}
