using System.Reflection;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// The generated typed calls of the test host (<c>mock.Endpoints.X.Calls</c>): path values read as their declared
/// types, refused when they do not convert, value equality, and a readable <c>ToString</c> for assertion messages.
/// </summary>
public class TypedCallTests
{
    private static readonly Lazy<Assembly> Generated = new(() =>
    {
        var run = GeneratorHarness.Run(
            "- endpoint:\n    name: Everything\n    path: /e/:count|int/:on|bool/:ratio|double/:id|uuid/:day|date/:class\n    response:\n      body: x\n"
            + "- endpoint:\n    path: /plain\n    response:\n      body: x\n");
        Assert.Empty(run.Errors);
        return GeneratorHarness.Load(run);
    });

    private static RequestRecord Record(params string[] pathValues) => new()
    {
        Method = "GET", Path = "/e", QueryString = "", Host = "localhost", Headers = [], Body = ReadOnlyMemory<byte>.Empty,
        ReceivedAt = DateTimeOffset.UnixEpoch, StatusCode = 200, PathValues = pathValues,
    };

    private static (bool Created, MockCall? Call) Create(string type, RequestRecord record)
    {
        var callType = Generated.Value.GetType("Consumer.MockServerEndpoints+" + type, throwOnError: true)!;
        object?[] arguments = [record, null];
        var created = (bool)callType.GetMethod("TryCreate", BindingFlags.Static | BindingFlags.NonPublic)!.Invoke(null, arguments)!;
        return (created, (MockCall?)arguments[1]);
    }

    [Fact]
    public void Path_values_become_typed_properties()
    {
        var record = Record("007", "true", "1.50", "6F9619FF-8B86-D011-B42D-00C04FC964FF", "2024-02-29", "x y");
        var (created, call) = Create("EverythingCall", record);

        Assert.True(created);
        dynamic typed = call!;
        Assert.Equal(7L, (long)typed.Count);
        Assert.True((bool)typed.On);
        Assert.Equal(1.5, (double)typed.Ratio);
        Assert.Equal(Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), (Guid)typed.Id);
        Assert.Equal(new DateOnly(2024, 2, 29), (DateOnly)typed.Day);
        Assert.Equal("x y", (string)typed.Class);
        Assert.Same(record, call!.Request);
    }

    [Theory]
    [InlineData("x", "true", "1", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-01", "s")]
    [InlineData("1", "yes", "1", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-01", "s")]
    [InlineData("1", "true", "one", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-01", "s")]
    [InlineData("1", "true", "1", "not-a-uuid", "2024-01-01", "s")]
    [InlineData("1", "true", "1", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-02-30", "s")]
    [InlineData("99999999999999999999", "true", "1", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-01", "s")]
    public void A_value_that_does_not_convert_is_not_a_call(string count, string on, string ratio, string id, string day, string name)
    {
        Assert.False(Create("EverythingCall", Record(count, on, ratio, id, day, name)).Created);
        Assert.False(Create("EverythingCall", Record("1")).Created);
    }

    [Fact]
    public void Calls_compare_by_value_and_print_their_parameters()
    {
        var record = Record("7", "false", "0.25", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-02", "c");
        var first = Create("EverythingCall", record).Call!;
        var second = Create("EverythingCall", record).Call!;
        var other = Create("EverythingCall", Record("8", "false", "0.25", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-02", "c")).Call!;

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.True(first == second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, other);
        Assert.True(first != other);
        // Same values, another journal record: another call.
        Assert.NotEqual(first, Create("EverythingCall", Record("7", "false", "0.25", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2024-01-02", "c")).Call);

        Assert.Equal(
            "EverythingCall { Request = " + record + ", Count = 7, On = false, Ratio = 0.25, Id = 6f9619ff-8b86-d011-b42d-00c04fc964ff, Day = 2024-01-02, Class = c }",
            first.ToString());
        var plain = Create("GetPlainCall", Record()).Call!;
        Assert.Equal("GetPlainCall { Request = " + plain.Request + " }", plain.ToString());
        Assert.NotEqual<MockCall>(plain, Create("GetPlainCall", Record()).Call!);
    }
}
