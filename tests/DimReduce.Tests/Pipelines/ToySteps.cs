using DimReduce.Persistence;

namespace DimReduce.Tests.Pipelines;

// Small test-only steps, so the pipeline can be tested before the library's scaler and PCA are merged.

/// <summary>Subtracts the training mean of each column; invertible.</summary>
internal sealed class Centering : IReducer, IInvertibleTransformer
{
    public double[]? Mean { get; private set; }
    public int FitCount { get; private set; }

    public IReducer Fit(DataMatrix x)
    {
        Mean = Enumerable.Range(0, x.Columns).Select(j => x.Column(j).Average()).ToArray();
        FitCount++;
        return this;
    }

    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);

    public DataMatrix Transform(DataMatrix x) => Map(x, (v, j) => v - Mean![j]);

    public DataMatrix InverseTransform(DataMatrix z) => Map(z, (v, j) => v + Mean![j]);

    private DataMatrix Map(DataMatrix x, Func<double, int, double> f)
    {
        if (Mean is null) throw new InvalidOperationException("Centering.Transform is not available before fitting. Call Fit first.");
        var r = x.Clone();
        for (int i = 0; i < r.Rows; i++)
            for (int j = 0; j < r.Columns; j++)
                r[i, j] = f(r[i, j], j);
        return r;
    }
}

/// <summary>Standardises columns with the population standard deviation, as scikit-learn's StandardScaler.</summary>
internal sealed class Standardising : IReducer
{
    private double[]? _mean, _scale;

    public IReducer Fit(DataMatrix x)
    {
        _mean = Enumerable.Range(0, x.Columns).Select(j => x.Column(j).Average()).ToArray();
        _scale = Enumerable.Range(0, x.Columns).Select(j => Math.Sqrt(x.Column(j).Select(v => (v - _mean[j]) * (v - _mean[j])).Average())).ToArray();
        return this;
    }

    public DataMatrix FitTransform(DataMatrix x) => Fit(x).Transform(x);

    public DataMatrix Transform(DataMatrix x)
    {
        var r = x.Clone();
        for (int i = 0; i < r.Rows; i++)
            for (int j = 0; j < r.Columns; j++)
                r[i, j] = (r[i, j] - _mean![j]) / _scale![j];
        return r;
    }
}

/// <summary>A fixed map (doubles every value) that cannot be fitted.</summary>
internal sealed class Doubling : ITransformer
{
    public DataMatrix Transform(DataMatrix x)
    {
        var r = x.Clone();
        var s = r.AsSpan();
        for (int k = 0; k < s.Length; k++) s[k] *= 2;
        return r;
    }
}

/// <summary>Projects each row onto the direction from the overall mean to each class mean (one column per class).</summary>
internal sealed class ClassMeanProjection : ISupervisedReducer
{
    private double[][]? _directions;
    public IReadOnlyList<int>? LabelsSeen { get; private set; }

    public ISupervisedReducer Fit(DataMatrix x, IReadOnlyList<int> labels)
    {
        LabelsSeen = labels.ToArray();
        var mean = Enumerable.Range(0, x.Columns).Select(j => x.Column(j).Average()).ToArray();
        _directions = labels.Distinct().Order().Select(c =>
        {
            var rows = Enumerable.Range(0, x.Rows).Where(i => labels[i] == c).ToArray();
            return Enumerable.Range(0, x.Columns).Select(j => rows.Average(i => x[i, j]) - mean[j]).ToArray();
        }).ToArray();
        return this;
    }

    public DataMatrix FitTransform(DataMatrix x, IReadOnlyList<int> labels) => Fit(x, labels).Transform(x);

    public DataMatrix Transform(DataMatrix x)
    {
        var r = new DataMatrix(x.Rows, _directions!.Length);
        for (int i = 0; i < x.Rows; i++)
            for (int c = 0; c < _directions.Length; c++)
                for (int j = 0; j < x.Columns; j++)
                    r[i, c] += x[i, j] * _directions[c][j];
        return r;
    }
}

/// <summary>Saveable in principle (ISaveable) but without the library's internal state contract.</summary>
internal sealed class ForeignSaveable : ITransformer, ISaveable
{
    public DataMatrix Transform(DataMatrix x) => x;

    public void Save(string path) => throw new NotSupportedException();
}
