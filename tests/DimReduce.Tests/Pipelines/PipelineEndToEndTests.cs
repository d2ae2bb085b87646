using DimReduce.Classification;
using DimReduce.Datasets;
using DimReduce.Decomposition;
using DimReduce.Pipelines;
using DimReduce.Preprocessing;

namespace DimReduce.Tests.Pipelines;

/// <summary>The chapter's "deploy in a pipeline" objective: scaler -> reducer -> classifier saved and loaded as one file.</summary>
public class PipelineEndToEndTests
{
    [Fact]
    public void Scaler_pca_logistic_regression_round_trips_through_one_file()
    {
        var cancer = BundledSets.BreastCancer();
        var split = DataSplit.TrainTest(cancer.Labels, 0.3, seed: 7);
        var train = cancer.Subset(split.Train);
        var test = cancer.Subset(split.Test);
        var pipeline = new Pipeline(new StandardScaler(), new Pca { Components = 0.95 }, new LogisticRegression());
        pipeline.Fit(train.Features, train.Labels);
        Assert.InRange(pipeline.Score(test.Features, test.Labels), 0.93, 1.0);

        string path = Path.Combine(Directory.CreateTempSubdirectory("pipe").FullName, "model.json");
        pipeline.Save(path);
        var loaded = Pipeline.Load(path);
        Assert.Equal(pipeline.Predict(test.Features), loaded.Predict(test.Features));
        Assert.Equal(pipeline.PredictProba(test.Features).ToArray(), loaded.PredictProba(test.Features).ToArray());
        Assert.Equal(pipeline.Transform(test.Features).ToArray(), loaded.Transform(test.Features).ToArray());
    }

    [Fact]
    public void Lda_is_fitted_with_the_labels_inside_a_pipeline()
    {
        var wine = BundledSets.Wine();
        var pipeline = new Pipeline(new StandardScaler(), new LinearDiscriminantAnalysis { Components = 2 }, new KNeighborsClassifier());
        pipeline.Fit(wine.Features, wine.Labels);
        Assert.Equal(2, pipeline.Transform(wine.Features).Columns);
        Assert.InRange(pipeline.Score(wine.Features, wine.Labels), 0.95, 1.0);
        string path = Path.Combine(Directory.CreateTempSubdirectory("pipe").FullName, "lda.json");
        pipeline.Save(path);
        Assert.Equal(pipeline.Predict(wine.Features), Pipeline.Load(path).Predict(wine.Features));
    }
}
