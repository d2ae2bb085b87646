using DimReduce.Datasets;
using DimReduce.Preprocessing;

namespace DimReduce.Tests.Preprocessing;

public class DataSplitTests
{
    [Fact]
    public void Each_class_is_split_in_proportion()
    {
        var wine = BundledSets.Wine(); // classes of 59, 71 and 48
        var split = DataSplit.Stratified(wine.Labels, 0.7, 0.15, 0.15, seed: 42);
        // Class 0: round(59 * 0.15) = 9 each for validation and test, 41 for training; class 1: 11, 11, 49; class 2: 7, 7, 34.
        int Count(int[] part, int c) => part.Count(i => wine.Labels[i] == c);
        Assert.Equal(new[] { 41, 49, 34 }, Enumerable.Range(0, 3).Select(c => Count(split.Train, c)));
        Assert.Equal(new[] { 9, 11, 7 }, Enumerable.Range(0, 3).Select(c => Count(split.Validation, c)));
        Assert.Equal(new[] { 9, 11, 7 }, Enumerable.Range(0, 3).Select(c => Count(split.Test, c)));
        var all = split.Train.Concat(split.Validation).Concat(split.Test).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 178), all);
        Assert.Equal(split.Train.Order(), split.Train);
        Assert.Equal(42, split.SeedUsed);
    }

    [Fact]
    public void Same_seed_same_split_and_other_seeds_differ()
    {
        var labels = BundledSets.Wine().Labels;
        var a = DataSplit.Stratified(labels, 0.6, 0.2, 0.2, seed: 1);
        var b = DataSplit.Stratified(labels, 0.6, 0.2, 0.2, seed: 1);
        var c = DataSplit.Stratified(labels, 0.6, 0.2, 0.2, seed: 2);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Train, c.Train);
        var drawn = DataSplit.Stratified(labels, 0.6, 0.2, 0.2);
        Assert.Equal(drawn.Test, DataSplit.Stratified(labels, 0.6, 0.2, 0.2, drawn.SeedUsed).Test);
    }

    [Fact]
    public void Train_test_split_and_data_set_split()
    {
        var digits = BundledSets.Digits();
        var indices = DataSplit.TrainTest(digits.Labels, 0.2, seed: 3);
        Assert.Empty(indices.Validation);
        Assert.Equal(digits.Count, indices.Train.Length + indices.Test.Length);
        Assert.InRange(indices.Test.Length, 350, 370); // 20 % of 1,797, rounded per class

        var split = DataSplit.Stratified(digits, 0.8, 0, 0.2, seed: 3);
        Assert.Equal(indices.Test, split.Indices.Test);
        Assert.Equal(0, split.Validation.Count);
        Assert.Equal(digits.Features.Row(indices.Test[5]).ToArray(), split.Test.Features.Row(5).ToArray());
        Assert.Equal("digits-test", split.Test.Name);
        Assert.Equal(digits.ClassNames, split.Train.ClassNames);
    }

    [Fact]
    public void Small_classes_keep_one_row_per_part_or_are_rejected()
    {
        int[] labels = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        var split = DataSplit.Stratified(labels, 0.8, 0.1, 0.1, seed: 0);
        Assert.Equal(1, split.Validation.Count(i => labels[i] == 0));
        Assert.Equal(1, split.Test.Count(i => labels[i] == 0));
        Assert.Equal(1, split.Train.Count(i => labels[i] == 0));

        var tooSmall = Assert.Throws<ArgumentException>(() => DataSplit.Stratified([0, 0, 1, 1, 1, 1], 0.6, 0.2, 0.2, seed: 0));
        Assert.Equal("labels", tooSmall.ParamName);
        Assert.Contains("Class 0 has 2 sample(s)", tooSmall.Message);
        Assert.Contains("at least 3", tooSmall.Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        int[] labels = [0, 0, 0, 1, 1, 1];
        var sum = Assert.Throws<ArgumentException>(() => DataSplit.Stratified(labels, 0.7, 0.2, 0.2));
        Assert.Equal("testFraction", sum.ParamName);
        Assert.Contains("must sum to 1", sum.Message);
        Assert.Equal("validationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified(labels, 0.5, -0.1, 0.6)).ParamName);
        Assert.Equal("trainFraction", Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified(labels, double.NaN, 0.5, 0.5)).ParamName);
        var zeroTrain = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified(labels, 0, 0.5, 0.5));
        Assert.Contains("training part needs rows", zeroTrain.Message);
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTest(labels, 1)).ParamName);
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTest(labels, 0)).ParamName);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => DataSplit.Stratified([], 0.5, 0.25, 0.25)).Message);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => DataSplit.Stratified((int[])null!, 0.5, 0.25, 0.25)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => DataSplit.Stratified((Dataset)null!, 0.5, 0.25, 0.25)).ParamName);
    }
}
