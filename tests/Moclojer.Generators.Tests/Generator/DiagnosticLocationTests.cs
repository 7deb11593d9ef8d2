using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>One case per diagnostic: its ID, line and column in the mock file.</summary>
public class DiagnosticLocationTests
{
    public static TheoryData<string, string, int, int> Cases => new()
    {
        // id, yaml, line, column (1-based)
        { "MOCK001", "- endpoint:\n    path: /a: b\n    response: {}\n", 2, 13 },
        { "MOCK002", "endpoint:\n  path: /a\n", 1, 1 },
        { "MOCK003", "- path: /a\n  response: {}\n", 1, 3 },
        { "MOCK004", "- endpoint:\n    response: {}\n", 1, 3 },
        { "MOCK005", "- endpoint:\n    path: users\n    response: {}\n", 2, 11 },
        { "MOCK005", "- endpoint:\n    path: /files/*\n    response: {}\n", 2, 18 },
        { "MOCK006", "- endpoint:\n    path: /a\n", 1, 3 },
        { "MOCK007", "- endpoint:\n    method: FETCH\n    path: /a\n    response: {}\n", 2, 13 },
        { "MOCK008", "- endpoint:\n    path: /a\n    response:\n      status: 700\n", 4, 15 },
        { "MOCK009", "- endpoint:\n    path: /a/:id|integer\n    response: {}\n", 2, 18 },
        { "MOCK009", "- endpoint:\n    path: /a\n    query:\n      page: number\n    response: {}\n", 4, 13 },
        { "MOCK010", "- endpoint:\n    path: /a/:id/b/:id\n    response: {}\n", 2, 20 },
        { "MOCK011", "- endpoint:\n    path: /a/:id\n    response: {}\n- endpoint:\n    path: /a/:name|int\n    response: {}\n", 5, 11 },
        { "MOCK012", "- endpoint:\n    path: /a\n    response:\n      body: 'x {{path-params.id'\n", 4, 16 },
        { "MOCK013", "- endpoint:\n    path: /a\n    response:\n      body: 'x {{#if a}}y{{/if}}'\n", 4, 16 },
        { "MOCK013", "- endpoint:\n    path: /a\n    response:\n      body: '{{ }}'\n", 4, 14 },
        { "MOCK014", "- endpoint:\n    path: /a\n    response:\n      headers:\n        X-A: 'v {{headers.x}}'\n", 5, 19 },
        { "MOCK015", "- endpoint:\n    path: /a/:id\n    response:\n      body: |\n        {\n          \"x\": \"{{path-params.nope}}\"\n        }\n", 6, 19 },
        { "MOCK016", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      method: POST\n", 4, 5 },
        { "MOCK017", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: ftp://x/y\n      method: POST\n", 5, 12 },
        { "MOCK018", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      - url: http://x/y\n", 5, 9 },
        { "MOCK019", "- endpoint:\n    path: /a\n    response: {}\n    webhook: yes\n", 4, 5 },
        { "MOCK020", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      sleep-time: -1\n", 7, 19 },
        { "MOCK021", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      if: json-params.total => 100\n", 7, 29 },
        { "MOCK022", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      if: json-params.a = 1 and\n", 7, 29 },
        { "MOCK023", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      if: json-params.level > \"high\"\n", 7, 31 },
        { "MOCK014", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      if: body-params.a = 1\n", 7, 11 },
        { "MOCK015", "- endpoint:\n    path: /a/:id\n    response: {}\n    webhook:\n      url: http://x/hooks/{{path-params.other}}\n      method: POST\n", 5, 29 },
        { "MOCK031", "- endpoint:\n    path: /a/:id|int\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      if: path-params.id = \"abc\"\n", 7, 11 },
        { "MOCK024", "- endpoint:\n    path: /a\n    response: {}\n    rate-limit:\n      max-requests: 0\n", 5, 21 },
        { "MOCK025", "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: xml\n        path: a.xml\n", 5, 19 },
        { "MOCK026", "- websocket:\n    path: /ws\n    on-message:\n      - pattern: '(unclosed'\n        response: x\n", 4, 18 },
        { "MOCK027", "- endpoint:\n    path: /a\n    response:\n      staus: 201\n", 4, 7 },
        { "MOCK028", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      timeout: 0\n", 7, 16 },
        { "MOCK029", "- endpoint:\n    path: /a\n    response:\n      delay: -2\n", 4, 14 },
        { "MOCK030", "- endpoint:\n    path:\n      nested: true\n    response: {}\n", 2, 5 },
        { "MOCK032", "- endpoint:\n    path: /a\n    response:\n      external-body:\n        path: a.json\n", 4, 7 },
        { "MOCK033", "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/nope.json\n", 6, 15 },
        { "MOCK034", "- endpoint:\n    name: get-user\n    path: /a\n    response: {}\n", 2, 11 },
        { "MOCK035", "- endpoint:\n    name: Status\n    path: /a\n    response: {}\n- endpoint:\n    path: /b\n    name: Status\n    response: {}\n", 7, 11 },
        { "MOCK035", "- endpoint:\n    path: /user-profile\n    response: {}\n- endpoint:\n    path: /user_profile\n    response: {}\n", 5, 11 },
        // V-22: values that could only fail at run time.
        { "MOCK008", "- endpoint:\n    path: /a\n    response:\n      status: 100\n", 4, 15 },
        { "MOCK008", "- endpoint:\n    path: /a\n    response:\n      status: '199'\n", 4, 15 },
        { "MOCK029", "- endpoint:\n    path: /a\n    response:\n      delay: 4320000\n", 4, 14 },
        { "MOCK029", "- endpoint:\n    path: /a\n    response:\n      delay: 3600.001\n", 4, 14 },
        { "MOCK020", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      sleep-time: 1.7976931348623157e308\n", 7, 19 },
        { "MOCK020", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      sleep-time: 86401\n", 7, 19 },
        { "MOCK028", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      timeout: 1.7976931348623157e308\n", 7, 16 },
        { "MOCK028", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      timeout: 3601\n", 7, 16 },
        { "MOCK036", "- endpoint:\n    path: /a\n    response:\n      headers:\n        Transfer-Encoding: chunked\n      body: x\n", 5, 9 },
        { "MOCK036", "- endpoint:\n    path: /a\n    response:\n      headers:\n        X-A: b\n        content-length: '5'\n", 6, 9 },
        { "MOCK036", "- endpoint:\n    path: /a\n    response:\n      headers:\n        CONNECTION: close\n", 5, 9 },
        { "MOCK036", "- endpoint:\n    path: /a\n    response:\n      headers:\n        Upgrade: websocket\n", 5, 9 },
        { "MOCK036", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        Transfer-Encoding: chunked\n", 8, 9 },
        { "MOCK037", "- endpoint:\n    path: /a\n    response:\n      headers:\n        content-type: text/plain\n        Content-Type: text/html\n      body: x\n", 6, 9 },
        { "MOCK037", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        X-Id: a\n        x-id: b\n", 9, 9 },
        { "MOCK038", "- endpoint:\n    path: /a\n    response:\n      headers:\n        X-Name: caf\u00e9\n", 5, 17 },
        { "MOCK038", "- endpoint:\n    path: /a\n    response:\n      headers:\n        X-Name: \"a\\r\\nSet-Cookie: x\"\n", 5, 17 },
        { "MOCK038", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        X-A: \"a\\u0000{{uuid}}\"\n", 8, 14 },
        { "MOCK038", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        X-A: '{{uuid}} \u00fc'\n", 8, 14 },
        // Half of a UTF-16 surrogate pair is no Unicode character: a YAML escape of one is a syntax error at the escape
        // (YamlDotNet throws without a position for a high half followed by another escape), a raw one (text handed over in memory) an error at its text: see Raw_lone_surrogate_is_an_error_at_its_text.
        { "MOCK001", "- endpoint:\n    path: /a\n    response:\n      body: \"x\\uD800\"\n", 4, 13 },
        { "MOCK001", "- endpoint:\n    path: /a\n    response:\n      body: \"x\\uD800\\u0041\"\n", 4, 15 },
        { "MOCK001", "- endpoint:\n    path: /a\n    response:\n      headers:\n        X-A: \"\\uD83D\\uD83D\"\n", 5, 15 },
        { "MOCK040", "- endpoint:\n    path: /a/:id\n    response:\n      body: '{\"id\": {{path-params.id}}, \"amount\": {{json-params.amount}}'\n", 4, 73 },
        { "MOCK040", "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      body: |\n        {\n          \"a\": 1,\n        }\n", 10, 9 },
        { "MOCK040", "- endpoint:\n    path: /a\n    response:\n      body: pong\n", 4, 13 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostic_points_at_the_offending_place(string id, string yaml, int line, int column)
    {
        var run = GeneratorHarness.Run(yaml);

        var found = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(found.Count > 0, $"expected {id}; got: {string.Join("; ", run.GeneratorDiagnostics.Select(d => d.ToString()))}");
        var positions = found.Select(GeneratorHarness.Position).ToList();
        Assert.True(positions.Contains((line, column)), $"expected {id} at ({line},{column}); found at {string.Join(", ", positions)}");
        Assert.All(found, d => Assert.EndsWith("mocks.yml", d.Location.GetLineSpan().Path));
    }

    [Fact]
    public void Unknown_key_suggests_the_close_known_key()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      sleep_time: 2\n");

        var warning = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "MOCK027");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("did you mean 'sleep-time'?", warning.GetMessage());
    }

    [Fact]
    public void Duplicate_across_files_names_the_first_definition()
    {
        var run = GeneratorHarness.Run(
        [
            new InMemoryAdditionalText("/project/a.yml", "- endpoint:\n    path: /x/:id\n    response: {}\n"),
            new InMemoryAdditionalText("/project/b.yml", "- endpoint:\n    method: get\n    path: /x/:other\n    response: {}\n"),
        ]);

        var duplicate = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "MOCK011");
        Assert.EndsWith("b.yml", duplicate.Location.GetLineSpan().Path);
        Assert.Contains("a.yml(2,11)", duplicate.GetMessage());
    }

    [Fact]
    public void All_errors_of_a_file_are_reported()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    method: FETCH\n    path: /a\n    response:\n      status: 42\n- endpoint:\n    response: {}\n");

        Assert.Equal(["MOCK004", "MOCK007", "MOCK008"], run.Errors.Select(d => d.Id).Order());
    }

    [Fact]
    public void Truncated_input_is_a_syntax_error_not_a_crash()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    path: [/a\n");

        Assert.Contains(run.Errors, d => d.Id == "MOCK001");
    }

    [Fact]
    public void Values_at_the_documented_maxima_build_and_compile()
    {
        var run = GeneratorHarness.Run(
            "- endpoint:\n    path: /a\n    response:\n      status: 200\n      delay: 3600\n      headers:\n        X-Emoji-Free: \"tab\\tok ~\"\n        Content-Type: text/plain\n      body: \"\\uD83D\\uDE00 caf\u00e9\"\n"
            + "    webhook:\n      url: http://x/y\n      method: POST\n      sleep-time: 86400\n      timeout: 3600\n      headers:\n        X-Name: caf%C3%A9\n"
            + "- endpoint:\n    path: /b\n    response:\n      status: 599\n");

        Assert.Empty(run.Errors);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }

    [Fact]
    public void Duplicate_header_names_the_first_one()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    path: /a\n    response:\n      headers:\n        content-type: text/plain\n        Content-Type: text/html\n      body: x\n");

        var duplicate = Assert.Single(run.Errors);
        Assert.Equal("MOCK037", duplicate.Id);
        Assert.Contains("line 5 ('content-type')", duplicate.GetMessage());
    }

    [Fact]
    public void Lone_surrogate_is_one_error_per_text_however_many_aliases_use_it()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    path: /a\n    response:\n      body:\n        a: &s x\uD800\n        b: [*s, *s, *s]\n");

        var error = Assert.Single(run.Errors);
        Assert.Equal("MOCK030", error.Id);
        Assert.Contains("lone surrogate \\uD800", error.GetMessage());
        Assert.Empty(run.Sources.Where(s => s.Text.Contains("\\ud800", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Raw_lone_surrogate_is_an_error_at_its_text()
    {
        // Not theory data: xunit's serialization of test cases replaces a lone surrogate.
        (string Yaml, int Line, int Column)[] cases =
        [
            ("- endpoint:\n    path: /a\n    response:\n      body: x\uD800\n", 4, 13),
            ("- endpoint:\n    path: /a\n    response:\n      body:\n        k\uDC00: 1\n", 5, 9),
            ("- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/\uD83D\n      method: POST\n", 5, 12),
            ("- websocket:\n    path: /ws\n    on-connect:\n      response: \"\uDBFF!\"\n", 4, 17),
        ];
        foreach (var (yaml, line, column) in cases)
        {
            var run = GeneratorHarness.Run(yaml);
            var error = Assert.Single(run.Errors);
            Assert.Equal("MOCK030", error.Id);
            Assert.Equal((line, column), GeneratorHarness.Position(error));
        }
    }
}
