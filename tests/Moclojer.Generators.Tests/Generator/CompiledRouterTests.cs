using System.Reflection;
using System.Text;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// The router the generator emits (<c>MoclojerRouter</c>: switch statements on segment text), compiled and run:
/// R-1 precedence left to right, the host tie-break (R-2, H-3), 405 with Allow, HEAD to GET, and large tables.
/// </summary>
public class CompiledRouterTests
{
    [Fact]
    public void The_service_uses_the_emitted_trie_not_a_route_scan()
    {
        var run = GeneratorHarness.Run("""
            - endpoint:
                path: /users/me
                response:
                  body: ok
            - endpoint:
                path: /users/:id
                response:
                  body: ok
            """);
        var service = run.Sources.Single(s => s.HintName == "MoclojerService.g.cs").Text;

        Assert.Contains("internal static class MoclojerRouter", service);
        Assert.Contains("switch (s1)", service);
        var router = Compile(run);
        var trie = (Delegate)typeof(MockRouter).GetField("_trie", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(router)!;
        Assert.Equal("MoclojerRouter", trie.Method.DeclaringType!.Name);
    }

    [Fact]
    public void Literal_segments_beat_parameters_from_left_to_right_whatever_the_order()
    {
        var router = Compile("""
            - endpoint:
                path: /:a/b/:c
                response:
                  body: ok
            - endpoint:
                path: /users/:id
                response:
                  body: ok
            - endpoint:
                path: /x/:b/c
                response:
                  body: ok
            - endpoint:
                path: /users/me
                response:
                  body: ok
            - endpoint:
                path: /x/b/:c
                response:
                  body: ok
            - endpoint:
                path: /:a/b/c
                response:
                  body: ok
            """);

        Assert.Equal("GET /users/me", Found(router, "GET", "users", "me"));
        Assert.Equal("GET /users/:id", Found(router, "GET", "users", "42"));
        // /x/b/c: "x" literal wins first, then "b" literal beats the parameter.
        Assert.Equal("GET /x/b/:c", Found(router, "GET", "x", "b", "c"));
        Assert.Equal("GET /x/:b/c", Found(router, "GET", "x", "z", "c"));
        Assert.Equal("GET /:a/b/c", Found(router, "GET", "y", "b", "c"));
        Assert.Equal("GET /:a/b/:c", Found(router, "GET", "y", "b", "d"));
        // A literal branch that fails deeper falls back to the parameter branch.
        Assert.Equal("GET /:a/b/:c", Found(router, "GET", "users", "b", "d"));
    }

    [Fact]
    public void Matching_is_exact_case_sensitive_with_trailing_slash_and_non_empty_parameters()
    {
        var router = Compile("""
            - endpoint:
                path: /a
                response:
                  body: ok
            - endpoint:
                path: /b/:id
                response:
                  body: ok
            - endpoint:
                path: /c/
                response:
                  body: ok
            """);

        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["A"]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["a", ""]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["b", ""]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["c"]).Outcome);
        Assert.Equal("GET /c/", Found(router, "GET", "c", ""));
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["a", "b", "c", "d", "e"]).Outcome);
    }

    [Fact]
    public void A_host_specific_route_wins_a_tie_and_others_take_every_other_host()
    {
        var router = Compile("""
            - endpoint:
                path: /a
                response:
                  body: any
            - endpoint:
                host: api.example.com
                path: /a
                response:
                  body: ok
            - endpoint:
                host: other.example.com
                path: /:p
                response:
                  body: ok
            """);

        Assert.Equal("GET /a (host api.example.com)", Found(router, "GET", "API.example.COM", ["a"]));
        Assert.Equal("GET /a", Found(router, "GET", "other.example.com", ["a"]));
        Assert.Equal("GET /:p (host other.example.com)", Found(router, "GET", "other.example.com", ["b"]));
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "nowhere", ["b"]).Outcome);
    }

    [Fact]
    public void A_known_path_with_another_method_is_405_with_allow_and_head_falls_back_to_get()
    {
        var router = Compile("""
            - endpoint:
                method: GET
                path: /a
                response:
                  body: ok
            - endpoint:
                method: POST
                path: /a
                response:
                  body: ok
            - endpoint:
                method: DELETE
                path: /:p
                response:
                  body: ok
            - endpoint:
                method: HEAD
                path: /h/:p
                response:
                  body: ok
            - endpoint:
                method: GET
                path: /h/x
                response:
                  body: ok
            """);

        var put = router.Match("PUT", "", ["a"]);
        Assert.Equal(MockRouteOutcome.MethodNotAllowed, put.Outcome);
        Assert.Equal("GET, POST, DELETE, HEAD", put.Allow);
        Assert.Equal("GET /a", Found(router, "HEAD", "a"));
        Assert.Equal("DELETE /:p", Found(router, "DELETE", "a"));
        Assert.Equal(MockRouteOutcome.MethodNotAllowed, router.Match("OPTIONS", "", ["a"]).Outcome);
        // A HEAD endpoint beats the GET fallback even when the GET path is more specific.
        Assert.Equal("HEAD /h/:p", Found(router, "HEAD", "h", "x"));
        Assert.Equal("GET /h/x", Found(router, "GET", "h", "x"));
    }

    [Fact]
    public void Thousands_of_endpoints_each_find_their_own_route()
    {
        const int count = 500;
        var yaml = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            yaml.Append("- endpoint:\n    path: /api/v1/res").Append(i).Append("/items/:id|int\n    response:\n      body: ok\n");
            yaml.Append("- endpoint:\n    method: POST\n    path: /api/v1/res").Append(i).Append("\n    response:\n      body: ok\n");
        }
        var run = GeneratorHarness.Run(yaml.ToString());
        var router = Compile(run);

        for (var i = 0; i < count; i++)
        {
            var route = $"GET /api/v1/res{i}/items/:id|int";
            Assert.Equal(route, Found(router, "GET", "api", "v1", "res" + i, "items", "7"));
            Assert.Equal($"POST /api/v1/res{i}", Found(router, "POST", "api", "v1", "res" + i));
            Assert.Equal("POST", router.Match("GET", "", ["api", "v1", "res" + i]).Allow);
        }
        // Texts that share a length, a character or a prefix with the routes' texts, but are none of them.
        foreach (var text in new[] { "res500", "res5000", "res", "re", "resX", "res04", "Res1", "res1 ", "xes10", "r", "" })
        {
            Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["api", "v1", text, "items", "7"]).Outcome);
        }
        Assert.Equal(2 * count, router.Routes.Count);

        // The 500 texts of the third segment are split by length and character: no switch compares more than 32 texts.
        var service = run.Sources.Single(s => s.HintName == "MoclojerService.g.cs").Text;
        var methods = service[service.IndexOf("class MoclojerRouter", StringComparison.Ordinal)..].Split("private static bool ");
        Assert.True(methods.Length > 2 * count / 32, $"{methods.Length} methods");
        Assert.All(methods, m => Assert.InRange(m.Split("case \"").Length - 1, 0, 32));

        // No generated method grows with the number of endpoints (the route table is built 128 routes per method): a
        // method of hundreds of kilobytes of IL costs seconds of JIT and hundreds of megabytes at start-up.
        var largest = GeneratorHarness.Load(run).GetTypes()
            .Where(t => t.Namespace == "Moclojer.Generated")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Concat<MethodBase>(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
            .Select(m => (Method: m.DeclaringType!.Name + "." + m.Name, Size: m.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0))
            .MaxBy(m => m.Size);
        Assert.True(largest.Size < 16 * 1024, $"{largest.Method}: {largest.Size} bytes of IL");
    }

    [Fact]
    public async Task Endpoints_past_the_first_group_of_handlers_answer_with_their_own_fields()
    {
        // 300 endpoints: handlers 128-255 and 256-299 are in nested classes with their own static fields.
        const int count = 300;
        var yaml = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            yaml.Append("- endpoint:\n    path: /static").Append(i).Append("\n    response:\n      body: 'static body ").Append(i).Append("'\n");
            yaml.Append("- endpoint:\n    path: /hello").Append(i).Append("/:name\n    response:\n      body: 'hello ").Append(i).Append(" {{path-params.name}}'\n");
        }
        await using var service = await GeneratedService.StartAsync(yaml.ToString());

        Assert.Contains("class Part4", GeneratorHarness.Run(yaml.ToString()).Sources.Single(s => s.HintName.StartsWith("Mocks_", StringComparison.Ordinal)).Text);
        foreach (var i in new[] { 0, 63, 64, 127, 128, 200, 255, 299 })
        {
            Assert.Equal($"static body {i}", await service.Client.GetStringAsync($"/static{i}"));
            Assert.Equal($"hello {i} bob", await service.Client.GetStringAsync($"/hello{i}/bob"));
        }
    }

    [Fact]
    public void Texts_that_differ_only_in_one_character_each_find_their_own_route()
    {
        // 38 texts of one length that differ at one position only (two of them with characters outside ASCII): split
        // by that character.
        var texts = "abcdefghijklmnopqrstuvwxyz0123456789".Select(c => "item-" + c).Concat(["item-\u00e9", "item-\u4e2d"]).ToArray();
        var yaml = new StringBuilder();
        for (var i = 0; i < texts.Length; i++)
        {
            yaml.Append("- endpoint:\n    name: text").Append(i).Append("\n    path: /").Append(texts[i]).Append("\n    response:\n      body: ok\n");
        }
        var run = GeneratorHarness.Run(yaml.ToString());
        var router = Compile(run);

        foreach (var text in texts)
        {
            Assert.Equal("GET /" + text, Found(router, "GET", text));
        }
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["item-"]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["item"]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "", ["item-\u00e8"]).Outcome);
        Assert.Contains("switch (s0[5])", run.Sources.Single(s => s.HintName == "MoclojerService.g.cs").Text);
    }

    private static string Found(MockRouter router, string method, params string[] segments) => Found(router, method, "", segments);

    private static string Found(MockRouter router, string method, string host, string[] segments)
    {
        var match = router.Match(method, host, segments);
        Assert.Equal(MockRouteOutcome.Found, match.Outcome);
        return match.Route!.Endpoint;
    }

    private static MockRouter Compile(string yaml) => Compile(GeneratorHarness.Run(yaml));

    private static MockRouter Compile(GeneratorRun run)
    {
        Assert.Empty(run.Errors.Select(d => d.ToString()));
        var assembly = GeneratorHarness.Load(run);
        var create = assembly.GetType("Moclojer.Generated.MoclojerService", throwOnError: true)!
            .GetMethod("CreateDefinition", BindingFlags.NonPublic | BindingFlags.Static)!;
        return ((MockServiceDefinition)create.Invoke(null, null)!).Router;
    }
}
