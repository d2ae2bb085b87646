using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DimReduce.Interactive.Tests.Support;

/// <summary>
/// A small JSON-schema (draft 4) validator for the keywords the nbformat schema uses: <c>$ref</c> (local
/// <c>#/definitions/...</c>), <c>type</c> (one or several), <c>enum</c>, <c>not</c>, <c>oneOf</c>, <c>anyOf</c>, <c>allOf</c>,
/// <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (boolean or schema), <c>patternProperties</c>,
/// <c>items</c> (one schema), <c>uniqueItems</c>, <c>minItems</c>, <c>maxItems</c>, <c>pattern</c>, <c>minLength</c>,
/// <c>maxLength</c>, <c>minimum</c>, <c>maximum</c>. Any other keyword fails loudly, so the validator never passes a
/// document by ignoring a rule. (No JSON-schema package usable here: JsonSchema.Net's dependencies are missing from the
/// registry this project reaches.)
/// </summary>
public sealed class JsonSchema
{
    private static readonly HashSet<string> Annotations = ["$schema", "description", "title", "definitions", "default", "format", "$comment", "id"];
    private static readonly HashSet<string> Keywords =
    [
        "$ref", "type", "enum", "not", "oneOf", "anyOf", "allOf", "properties", "required", "additionalProperties", "patternProperties",
        "items", "uniqueItems", "minItems", "maxItems", "pattern", "minLength", "maxLength", "minimum", "maximum",
    ];

    private readonly JsonObject _root;

    public JsonSchema(JsonObject root) => _root = root;

    public static JsonSchema Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!.AsObject());

    /// <summary>Every violation, as "path: rule" lines (empty when valid).</summary>
    public List<string> Validate(JsonNode? document)
    {
        var errors = new List<string>();
        Check(_root, document, "$", errors);
        return errors;
    }

    private void Check(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        foreach (var (key, _) in schema)
            if (!Keywords.Contains(key) && !Annotations.Contains(key)) throw new NotSupportedException($"JSON-schema keyword '{key}' at {path} is not implemented by this validator.");

        if (schema["$ref"] is JsonValue r)
        {
            string reference = r.GetValue<string>();
            if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new NotSupportedException($"$ref {reference}");
            JsonNode target = _root;
            foreach (var part in reference[2..].Split('/')) target = target[part] ?? throw new InvalidOperationException($"$ref {reference} not found");
            Check(target.AsObject(), value, path, errors);
        }
        if (schema["type"] is { } type)
        {
            var types = type is JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!types.Any(t => IsType(value, t)))
            {
                errors.Add($"{path}: is {Kind(value)}, expected {string.Join(" or ", types)}");
                return;
            }
        }
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {options.ToJsonString()}");
        if (schema["not"] is JsonObject not && Validate(not, value, path).Count == 0)
            errors.Add($"{path}: must not match {not.ToJsonString()}");
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var results = oneOf.Select(s => Validate(s!.AsObject(), value, path)).ToList();
            int matches = results.Count(e => e.Count == 0);
            if (matches != 1)
                errors.Add($"{path}: matches {matches} of the oneOf schemas, must match exactly 1" +
                           (matches == 0 ? " (closest: " + string.Join("; ", results.OrderBy(e => e.Count).First()) + ")" : ""));
        }
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(s => Validate(s!.AsObject(), value, path).Count == 0))
            errors.Add($"{path}: matches none of the anyOf schemas");
        if (schema["allOf"] is JsonArray allOf)
            foreach (var s in allOf) Check(s!.AsObject(), value, path, errors);

        if (value is JsonObject obj)
        {
            foreach (var req in schema["required"] as JsonArray ?? [])
                if (!obj.ContainsKey(req!.GetValue<string>())) errors.Add($"{path}: missing required property '{req}'");
            var properties = schema["properties"] as JsonObject;
            var patterns = (schema["patternProperties"] as JsonObject ?? []).Select(p => (Regex: new Regex(p.Key), Schema: p.Value!.AsObject())).ToList();
            foreach (var (name, child) in obj)
            {
                string childPath = $"{path}.{name}";
                bool known = false;
                if (properties?[name] is JsonObject ps) { known = true; Check(ps, child, childPath, errors); }
                foreach (var (regex, ps2) in patterns.Where(p => p.Regex.IsMatch(name))) { known = true; Check(ps2, child, childPath, errors); }
                if (known) continue;
                switch (schema["additionalProperties"])
                {
                    case JsonValue v when v.GetValue<bool>() == false:
                        errors.Add($"{path}: property '{name}' is not allowed");
                        break;
                    case JsonObject extra:
                        Check(extra, child, childPath, errors);
                        break;
                }
            }
        }
        if (value is JsonArray array)
        {
            if (schema["items"] is JsonObject items)
                for (int i = 0; i < array.Count; i++) Check(items, array[i], $"{path}[{i}]", errors);
            if (schema["uniqueItems"] is JsonValue u && u.GetValue<bool>())
                for (int i = 0; i < array.Count; i++)
                    for (int j = i + 1; j < array.Count; j++)
                        if (JsonNode.DeepEquals(array[i], array[j])) errors.Add($"{path}: items {i} and {j} are equal, must be unique");
            if (schema["minItems"] is JsonValue minItems && array.Count < minItems.GetValue<int>()) errors.Add($"{path}: fewer than {minItems} items");
            if (schema["maxItems"] is JsonValue maxItems && array.Count > maxItems.GetValue<int>()) errors.Add($"{path}: more than {maxItems} items");
        }
        if (value is JsonValue jv && jv.TryGetValue(out string? text))
        {
            if (schema["pattern"] is JsonValue p && !Regex.IsMatch(text, p.GetValue<string>())) errors.Add($"{path}: '{text}' does not match {p}");
            int length = text.EnumerateRunes().Count();
            if (schema["minLength"] is JsonValue minL && length < minL.GetValue<int>()) errors.Add($"{path}: shorter than {minL}");
            if (schema["maxLength"] is JsonValue maxL && length > maxL.GetValue<int>()) errors.Add($"{path}: longer than {maxL}");
        }
        if (value is JsonValue nv && Number(nv) is { } number)
        {
            if (schema["minimum"] is JsonValue min && number < Number(min)) errors.Add($"{path}: {number} is less than {min}");
            if (schema["maximum"] is JsonValue max && number > Number(max)) errors.Add($"{path}: {number} is more than {max}");
        }
    }

    private List<string> Validate(JsonObject schema, JsonNode? value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors;
    }

    private static double? Number(JsonValue v) =>
        v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static string Kind(JsonNode? v) => v switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => v.GetValueKind().ToString().ToLowerInvariant(),
    };

    private static bool IsType(JsonNode? v, string type) => type switch
    {
        "null" => v is null,
        "object" => v is JsonObject,
        "array" => v is JsonArray,
        "string" => v is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String,
        "boolean" => v is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
        "number" => v is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number,
        "integer" => v is JsonValue i && i.GetValueKind() == System.Text.Json.JsonValueKind.Number && double.Parse(i.ToJsonString(), CultureInfo.InvariantCulture) % 1 == 0,
        _ => throw new NotSupportedException($"type {type}"),
    };
}
