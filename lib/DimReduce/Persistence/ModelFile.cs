using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DimReduce.Persistence;

/// <summary>A fitted model that can be written to a file and read back (see <see cref="ModelFile"/>).</summary>
public interface ISaveable
{
    /// <summary>Writes the fitted model to <paramref name="path"/> (atomically: a temporary file moved into place).</summary>
    void Save(string path);
}

/// <summary>Implemented by every saveable type: its state as JSON. Readers are found by <see cref="ModelTypeAttribute"/>.</summary>
internal interface IStateful : ISaveable
{
    /// <summary>The fitted state (options and learned values).</summary>
    JsonObject GetState();
}

/// <summary>
/// Names the type in model files; the class must have <c>internal static T FromState(JsonObject state)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ModelTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// The model file format: UTF-8 JSON
/// <c>{"format": "dimreduce-model", "version": 1, "type": "Pca", "state": {...}}</c>.
/// Numbers are written in round-trip form, so a loaded model transforms exactly as the saved one did.
/// <c>version</c> rises when a state layout changes; a reader refuses versions newer than it knows.
/// </summary>
public static class ModelFile
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string Format = "dimreduce-model";

    /// <summary>The current format version.</summary>
    public const int Version = 1;

    private static readonly Lazy<Dictionary<string, Type>> Types = new(() =>
        typeof(ModelFile).Assembly.GetTypes()
            .Select(t => (t, a: t.GetCustomAttribute<ModelTypeAttribute>()))
            .Where(p => p.a is not null)
            .ToDictionary(p => p.a!.Name, p => p.t, StringComparer.Ordinal));

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Save(ISaveable model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var json = ToJson(model);
        json.Insert(0, "format", Format);
        json.Insert(1, "version", Version);
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads a model file of any type.</summary>
    public static ISaveable Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The model file '{path}' does not exist. Check the path, or save a fitted model there first.", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"'{path}' is not a DimReduce model file: its top level is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a DimReduce model file: {e.Message}", e);
        }
        if ((string?)root["format"] != Format)
            throw new InvalidDataException($"'{path}' is not a DimReduce model file (its \"format\" is not \"{Format}\").");
        int version = (int?)root["version"] ?? 0;
        if (version < 1 || version > Version)
            throw new InvalidDataException($"'{path}' has model format version {version}; this library reads versions 1 to {Version}. Update DimReduce to load it.");
        return FromJson(root);
    }

    /// <summary>Reads a model file and checks that it holds a <typeparamref name="T"/>.</summary>
    public static T Load<T>(string path) where T : ISaveable
    {
        var model = Load(path);
        return model is T t
            ? t
            : throw new InvalidDataException($"'{path}' holds a {model.GetType().Name}, not a {typeof(T).Name}. Load it with ModelFile.Load, or with {model.GetType().Name}.Load.");
    }

    /// <summary>A model as a JSON object (<c>type</c> and <c>state</c>); pipelines nest these.</summary>
    internal static JsonObject ToJson(ISaveable model)
    {
        if (model is not IStateful stateful)
            throw new ArgumentException($"{model.GetType().Name} cannot be saved: it does not provide its state.", nameof(model));
        var attr = model.GetType().GetCustomAttribute<ModelTypeAttribute>()
            ?? throw new InvalidOperationException($"{model.GetType().Name} has no [ModelType] attribute.");
        return new JsonObject { ["type"] = attr.Name, ["state"] = stateful.GetState() };
    }

    /// <summary>Reads a JSON object written by <see cref="ToJson"/>.</summary>
    internal static ISaveable FromJson(JsonObject node)
    {
        string type = (string?)node["type"] ?? throw new InvalidDataException("A model entry has no \"type\".");
        if (!Types.Value.TryGetValue(type, out var t))
            throw new InvalidDataException($"Unknown model type \"{type}\". Known types: {string.Join(", ", Types.Value.Keys.Order())}.");
        var state = node["state"] as JsonObject ?? throw new InvalidDataException($"The {type} entry has no \"state\" object.");
        var method = t.GetMethod("FromState", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(JsonObject)])
            ?? throw new InvalidOperationException($"{t.Name} has no static FromState(JsonObject).");
        try
        {
            return (ISaveable)method.Invoke(null, [state])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidDataException($"The {type} entry could not be read: {e.InnerException.Message}", e.InnerException);
        }
    }
}

/// <summary>Helpers to put arrays and matrices into a state object and read them back exactly.</summary>
internal static class State
{
    public static JsonArray Array(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonArray Array(IEnumerable<int> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonObject Matrix(DataMatrix m) => new()
    {
        ["rows"] = m.Rows,
        ["columns"] = m.Columns,
        ["data"] = Array(m.Data),
    };

    public static double[] Doubles(JsonNode? node, string name) =>
        (node as JsonArray ?? throw Missing(name)).Select(v => v!.GetValue<double>()).ToArray();

    public static int[] Ints(JsonNode? node, string name) =>
        (node as JsonArray ?? throw Missing(name)).Select(v => v!.GetValue<int>()).ToArray();

    public static string[] Strings(JsonNode? node, string name) =>
        (node as JsonArray ?? throw Missing(name)).Select(v => v!.GetValue<string>()).ToArray();

    public static DataMatrix Matrix(JsonNode? node, string name)
    {
        var o = node as JsonObject ?? throw Missing(name);
        return new DataMatrix((int)o["rows"]!, (int)o["columns"]!, Doubles(o["data"], name + ".data"));
    }

    public static double Double(JsonNode? node, string name) => node is null ? throw Missing(name) : node.GetValue<double>();

    public static int Int(JsonNode? node, string name) => node is null ? throw Missing(name) : node.GetValue<int>();

    public static T Enum<T>(JsonNode? node, string name) where T : struct, System.Enum =>
        System.Enum.Parse<T>(node?.GetValue<string>() ?? throw Missing(name));

    private static InvalidDataException Missing(string name) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The model state lacks \"{name}\"."));
}
