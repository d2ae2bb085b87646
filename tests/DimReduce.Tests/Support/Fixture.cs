using System.Text.Json.Nodes;

namespace DimReduce.Tests.Support;

/// <summary>Reads a JSON fixture from <c>Fixtures/&lt;topic&gt;/&lt;name&gt;.json</c> (copied to the test output folder).</summary>
public static class Fixture
{
    public static JsonObject Load(string topic, string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", topic, name + ".json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    public static double[] Doubles(this JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static int[] Ints(this JsonNode node) => node.AsArray().Select(v => v!.GetValue<int>()).ToArray();

    /// <summary>A list of rows as a matrix.</summary>
    public static DataMatrix Matrix(this JsonNode node) =>
        DataMatrix.FromRows(node.AsArray().Select(r => r!.Doubles()).ToArray());
}
