using System.Text.Json.Nodes;
using DimReduce.Datasets;
using DimReduce.Tests.Support;

namespace DimReduce.Tests.Classification;

/// <summary>A data set split and standardised exactly as make_classification_fixtures.py did it.</summary>
internal sealed record LogisticFixture(JsonObject Json, DataMatrix TrainX, int[] TrainY, DataMatrix TestX, int[] TestY)
{
    public static LogisticFixture Load(string name)
    {
        var json = Fixture.Load("Classification", "logistic_" + name);
        Dataset data = name switch
        {
            "breast_cancer" => BundledSets.BreastCancer(),
            "wine" => BundledSets.Wine(),
            _ => throw new ArgumentException(name),
        };
        var mean = json["scaler_mean"]!.Doubles();
        var scale = json["scaler_scale"]!.Doubles();
        (DataMatrix, int[]) Part(string key)
        {
            var idx = json[key]!.Ints();
            var x = data.Features.SelectRows(idx);
            for (int i = 0; i < x.Rows; i++)
                for (int j = 0; j < x.Columns; j++)
                    x[i, j] = (x[i, j] - mean[j]) / scale[j]; // scikit-learn: X -= mean_; X /= scale_
            return (x, idx.Select(k => data.Labels[k]).ToArray());
        }
        var (trainX, trainY) = Part("train_indices");
        var (testX, testY) = Part("test_indices");
        return new LogisticFixture(json, trainX, trainY, testX, testY);
    }

    public JsonObject Case(string name) => Json["cases"]![name]!.AsObject();
}
