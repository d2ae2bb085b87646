using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DimReduce.Clustering;
using DimReduce.Datasets;
using DimReduce.Decomposition;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary>
/// <c>dimreduce bench</c>: times the library and scikit-learn on the same data in one run and prints
/// the ratios. The Python side runs bench/reference.py with the Debian interpreter; it should use
/// OpenBLAS (the bench prints which BLAS it found), as a user's NumPy does.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] AllTasks = ["pca", "rpca", "silhouette", "kmeans", "tsne"];

    private sealed record Result(string Task, string What, double[] Seconds, double Value, long PeakBytes, long InputBytes);

    public static Command Create()
    {
        var tasks = new Argument<string[]>("tasks") { Description = "Which to run: pca, rpca, silhouette, kmeans, tsne (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var repeat = new Option<int>("--repeat") { Description = "Runs per task on each side; the median is reported.", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "Python interpreter with scikit-learn (Debian: /usr/bin/python3).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noReference = new Option<bool>("--no-reference") { Description = "Time DimReduce only." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder of the full Fashion-MNIST (default: found as FashionMnist.Load finds it; run 'dimreduce data fetch fashion-mnist' first)." };
        var command = new Command("bench", "Benchmark DimReduce against scikit-learn on the same data, side by side, as ratios.")
        {
            tasks, repeat, python, noReference, dataDir,
        };
        command.SetAction(p => CliErrors.Run(() =>
        {
            var chosen = p.GetValue(tasks) is { Length: > 0 } t ? t : AllTasks;
            foreach (var name in chosen)
                if (!AllTasks.Contains(name))
                    throw new ArgumentException($"'{name}' is not a benchmark. Choose from: {string.Join(", ", AllTasks)}.");
            int n = p.GetValue(repeat);
            if (n < 1) throw new ArgumentOutOfRangeException("--repeat", n, $"--repeat is {n}; it must be 1 or more.");
            return Run(chosen, n, p.GetValue(python)!, !p.GetValue(noReference), p.GetValue(dataDir));
        }));
        return command;
    }

    private static int Run(string[] tasks, int repeat, string python, bool reference, string? dataDir)
    {
        string work = Path.Combine(Path.GetTempPath(), $"dimreduce-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            DataMatrix? fashion = null, blobs = null, subset = null;
            int[]? blobLabels = null;
            if (tasks.Any(t => t is "pca" or "rpca"))
            {
                var split = FashionMnist.Load(FashionMnistSize.Full, dataDir);
                fashion = Stack(split.Train.Features, split.Test.Features);
            }
            if (tasks.Any(t => t is "silhouette" or "kmeans"))
            {
                var set = Generators.BlobsWithNoise(seed: 0);
                blobs = set.Features;
                blobLabels = set.Labels.ToArray();
            }
            if (tasks.Contains("tsne"))
            {
                // The shipped 10,000-image subset (8,000 + 2,000), pixels scaled to [0, 1].
                var split = FashionMnist.Load(FashionMnistSize.Subset, scale: true);
                subset = Stack(split.Train.Features, split.Test.Features);
            }
            TorchRuntime.EnsureLoaded();
            Warmup();

            var ours = new List<Result>();
            foreach (var task in tasks)
            {
                AnsiConsole.MarkupLine($"DimReduce: [bold]{task}[/] x{repeat} ...");
                ours.Add(task switch
                {
                    "pca" => Time(task, "PCA to 50 components, full (covariance eigendecomposition) vs sklearn svd_solver='full'", repeat, fashion!,
                        () => new Pca { Components = 50, Solver = PcaSolver.Covariance }.Fit(fashion!).ExplainedVarianceRatio.Sum()),
                    "rpca" => Time(task, "PCA to 50 components, randomized", repeat, fashion!,
                        () => new Pca { Components = 50, Solver = PcaSolver.Randomized, Seed = 0 }.Fit(fashion!).ExplainedVarianceRatio.Sum()),
                    "silhouette" => Time(task, "exact silhouette, 30,000 x 10 blobs", repeat, blobs!,
                        () => Metrics.Silhouette(blobs!, blobLabels!)),
                    "kmeans" => Time(task, "k-means, 8 clusters, 10 initialisations, 30,000 x 10 blobs", repeat, blobs!,
                        () => new KMeans { Clusters = 8, Init = 10, Seed = 0 }.Fit(blobs!).Inertia),
                    "tsne" => TimeTsne(repeat, subset!),
                    _ => throw new InvalidOperationException(task),
                });
            }

            var theirs = new Dictionary<string, (double[] Seconds, double Value)>();
            string info = "";
            double? tsneKl = null;
            if (reference)
            {
                // The shared data is written only now, so writing 440 MB cannot slow our timed runs.
                if (fashion is not null) Npy.Write(Path.Combine(work, "fashion.npy"), fashion);
                if (subset is not null) Npy.Write(Path.Combine(work, "subset.npy"), subset);
                if (blobs is not null)
                {
                    Npy.Write(Path.Combine(work, "blobs.npy"), blobs);
                    Npy.Write(Path.Combine(work, "blobs_labels.npy"), blobLabels!);
                }
                AnsiConsole.MarkupLine($"scikit-learn: {string.Join(", ", tasks)} x{repeat} ...");
                foreach (var line in RunReference(python, work, tasks, repeat))
                {
                    var o = JsonNode.Parse(line)!.AsObject();
                    string task = (string)o["task"]!;
                    if (task == "info") info = $"scikit-learn {o["sklearn"]}, NumPy {o["numpy"]}, BLAS: {o["blas"]}";
                    else if (task == "tsne-kl") tsneKl = (double)o["value"]!;
                    else theirs[task] = (o["seconds"]!.AsArray().Select(v => (double)v!).ToArray(), (double)o["value"]!);
                }
            }

            var table = new Table().AddColumns("task", "DimReduce s (median)", "scikit-learn s (median)", "speed-up", "DimReduce value", "scikit-learn value", "DimReduce peak extra memory");
            foreach (var r in ours)
            {
                bool has = theirs.TryGetValue(r.Task, out var th);
                double a = Median(r.Seconds), b = has ? Median(th.Seconds) : double.NaN;
                table.AddRow(r.Task, F(a, "0.000"), has ? F(b, "0.000") : "-", has ? F(b / a, "0.0") + "x" : "-",
                    F(r.Value, "G8"), has ? F(th.Value, "G8") : "-",
                    $"{r.PeakBytes / 1048576.0:0} MB (input {r.InputBytes / 1048576.0:0} MB)");
            }
            AnsiConsole.Write(table);
            foreach (var r in ours) AnsiConsole.MarkupLine($"  {r.Task}: {Markup.Escape(r.What)}");
            if (tsneKl is { } kl) AnsiConsole.MarkupLine($"  tsne: scikit-learn KL {F(kl, "0.0000")} (TSNE(perplexity=30, init='pca', learning_rate='auto', random_state=0, n_jobs=2))");
            AnsiConsole.MarkupLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, libtorch {TorchRuntime.Version}. {Markup.Escape(info)}");
            if (info.Length > 0 && !info.Contains("openblas", StringComparison.OrdinalIgnoreCase))
                AnsiConsole.MarkupLine("[yellow]warning[/]: the reference does not run on OpenBLAS, so its times are not what its users see. Install libopenblas0-pthread (Debian) and run again.");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void Warmup()
    {
        // JIT and libtorch thread pools warm up on small data so the first timed run is not penalised.
        var x = Generators.Blobs(500, 10, 4, 1.0, seed: 1);
        new Pca { Components = 2 }.Fit(x.Features);
        new Pca { Components = 2 }.Fit(Datasets.BundledSets.Digits().Features); // integer-valued: the exact float32 Gram path
        new Pca { Components = 2, Solver = PcaSolver.Randomized, Seed = 0 }.Fit(x.Features);
        Metrics.Silhouette(x.Features, x.Labels.ToArray());
        new KMeans { Clusters = 4, Init = 2, Seed = 0 }.Fit(x.Features);
        new Manifold.Tsne { Seed = 0, Iterations = 60, Perplexity = 10 }.Fit(x.Features);
    }

    /// <summary>
    /// t-SNE (Barnes-Hut, scikit-learn 1.2 defaults: perplexity 30, PCA start, learning rate auto, 1000 iterations)
    /// on the 10,000-image subset. Only the fit is timed; the value is the trustworthiness (5 neighbours) of the
    /// last run's embedding, computed afterwards, so speed is compared at measured quality.
    /// </summary>
    private static Result TimeTsne(int repeat, DataMatrix x)
    {
        DataMatrix? embedding = null;
        double kl = 0;
        var result = Time("tsne", "", repeat, x, () =>
        {
            var tsne = new Manifold.Tsne { Seed = 0 }.Fit(x);
            embedding = tsne.Embedding;
            kl = tsne.KlDivergence;
            return 0;
        });
        double trust = Metrics.Trustworthiness(x, embedding!, 5);
        string what = string.Create(CultureInfo.InvariantCulture,
            $"t-SNE Barnes-Hut, 10,000 x 784 Fashion-MNIST subset, perplexity 30, 1000 iterations; value = trustworthiness (5 neighbours); DimReduce KL {kl:0.0000}");
        return result with { What = what, Value = trust };
    }

    private static Result Time(string task, string what, int repeat, DataMatrix input, Func<double> run)
    {
        var seconds = new double[repeat];
        double value = 0;
        long peak = 0;
        for (int r = 0; r < repeat; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long baseline = PeakMemory.Reset();
            var sw = Stopwatch.StartNew();
            value = run();
            seconds[r] = sw.Elapsed.TotalSeconds;
            peak = Math.Max(peak, PeakMemory.Peak() - baseline);
        }
        return new Result(task, what, seconds, value, peak, (long)input.Rows * input.Columns * sizeof(double));
    }

    private static IEnumerable<string> RunReference(string python, string work, string[] tasks, int repeat)
    {
        string script = FindScript();
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(work);
        foreach (var t in tasks) psi.ArgumentList.Add(t);
        psi.ArgumentList.Add("--repeat");
        psi.ArgumentList.Add(repeat.ToString(CultureInfo.InvariantCulture));
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {python}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start the reference interpreter '{python}' ({e.Message}). Install python3-sklearn (Debian) or pass --python, or use --no-reference.", e);
        }
        var errors = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
            if (line.StartsWith('{')) lines.Add(line);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The scikit-learn reference failed (exit {process.ExitCode}): {errors.Result.Trim().Split('\n').LastOrDefault()}");
        return lines;
    }

    private static string FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "reference.py");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException("bench/reference.py was not found above the current folder. Run 'dimreduce bench' from the repository.");
    }

    private static DataMatrix Stack(DataMatrix a, DataMatrix b)
    {
        var data = new double[(a.Rows + b.Rows) * a.Columns];
        a.AsSpan().CopyTo(data);
        b.AsSpan().CopyTo(data.AsSpan(a.Rows * a.Columns));
        return new DataMatrix(a.Rows + b.Rows, a.Columns, data);
    }

    private static double Median(double[] xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Peak resident memory of this process (Linux: VmHWM, reset through /proc/self/clear_refs).</summary>
internal static class PeakMemory
{
    /// <summary>Resets the peak to the current resident size and returns that size in bytes.</summary>
    public static long Reset()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Read("VmRSS:");
    }

    /// <summary>The peak resident size in bytes since the last reset.</summary>
    public static long Peak() => Read("VmHWM:");

    private static long Read(string key)
    {
        if (!File.Exists("/proc/self/status")) return Environment.WorkingSet;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return Environment.WorkingSet;
    }
}
