using Moclojer.Generators.TestShared;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>
/// The extra consumer projects beside the conformance cases, with their small inline mocks (format sections
/// E, P, Q, S and T only, so they do not depend on features that land later).
/// </summary>
public static class Scenarios
{
    public const string Group = "scenarios";

    /// <summary>A project with its own Program.cs: AddMoclojer/MapMoclojer plus an endpoint of its own.</summary>
    public const string ProgramCs = "Scenario_ProgramCs";

    /// <summary>Two mock files in one project.</summary>
    public const string TwoFiles = "Scenario_TwoFiles";

    /// <summary>A service that gets malformed and oversized requests.</summary>
    public const string BadRequests = "Scenario_BadRequests";

    /// <summary>External bodies from a mock file in a subfolder: its data files travel with the build output (X-3).</summary>
    public const string ExternalData = "Scenario_ExternalData";

    /// <summary>
    /// O-1 and X-4 as a moclojer user brings them: the OpenAPI Initiative's petstore-expanded document saved as JSON
    /// next to a mocks document (the JSON file is not listed: the data-file glob makes it an AdditionalFile and it must
    /// be recognised as the OpenAPI document), plus a mock file serving a workbook's sheet, static (converted by the
    /// package's build targets) and templated (read at run time from the output). deletePet has no mock (MOCK045).
    /// </summary>
    public const string OpenApiPetstore = "Scenario_OpenApiPetstore";

    /// <summary>
    /// Expected to fail, so it is built with the bad conformance cases: a MOCK006 (a message without arguments,
    /// shown as written) and a MOCK013 whose tag spans two lines, to read their messages in the build output.
    /// </summary>
    public const string BadMessages = "Scenario_BadMessages";

    /// <summary>The message of each mistake in <see cref="BadMessages"/>, as one whole line of the build output.</summary>
    public static readonly IReadOnlyDictionary<string, string> BadMessagesExpected = new Dictionary<string, string>
    {
        ["MOCK006"] = "This endpoint has no 'response'; add one ('response: {}' takes every default: 200 and an empty body)",
        ["MOCK013"] = @"'{{json-params.a\njson-params.b}}' is not a valid template: a tag holds exactly one variable; a tag is '{{ variable }}', for example '{{path-params.id}}'",
    };

    public static void AddAll(ConsumerSolution solution)
    {
        solution.AddProject(Group, ProgramCs, ["mocks.yml"], new Dictionary<string, string>
        {
            ["mocks.yml"] = """
                - endpoint:
                    path: /mock/:name
                    response:
                      body: '{"from": "mock", "name": "{{path-params.name}}"}'

                """,
            // Explicit usings: the documented consumer project has no ImplicitUsings.
            ["Program.cs"] = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.Extensions.DependencyInjection;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddMoclojer();

                var app = builder.Build();
                app.MapGet("/own", () => "own");
                app.MapMoclojer();
                app.Run();

                """,
        });

        solution.AddProject(Group, TwoFiles, ["mocks.yml", "more.mocks.yml"], new Dictionary<string, string>
        {
            ["mocks.yml"] = """
                - endpoint:
                    path: /one
                    response:
                      body: '{"file": "mocks.yml"}'

                """,
            ["more.mocks.yml"] = """
                - endpoint:
                    method: POST
                    path: /two/:id|int
                    response:
                      status: 201
                      headers:
                        X-File: more
                      body: '{"file": "more.mocks.yml", "id": {{path-params.id}}, "q": "{{query-params.q}}"}'

                """,
        });

        solution.AddProject(Group, BadRequests, ["mocks.yml"], new Dictionary<string, string>
        {
            ["mocks.yml"] = """
                - endpoint:
                    path: /items/:id|int
                    response:
                      body: '{"id": {{path-params.id}}}'

                - endpoint:
                    method: POST
                    path: /echo
                    response:
                      status: 201
                      body: '{"name": "{{json-params.name}}"}'

                - endpoint:
                    path: /ok
                    response:
                      body: '{"ok": true}'

                """,
        });

        solution.AddProject(Group, ExternalData, ["mocks/api.yml"], new Dictionary<string, string>
        {
            ["mocks/api.yml"] = """
                - endpoint:
                    path: /files/:name
                    response:
                      external-body:
                        provider: json
                        path: data/{{path-params.name}}.json

                - endpoint:
                    path: /static
                    response:
                      external-body:
                        provider: json
                        path: data/static.json

                """,
            ["mocks/data/users.json"] = """[{"id": 1, "path": "{{path-params.name}}"}]""",
            ["mocks/data/static.json"] = """{"static": true}""",
            ["mocks/secret.json"] = """{"must": "not be served"}""",
        });

        var petstore = solution.AddProject(Group, OpenApiPetstore, ["mocks.yml", "sheets.yml"], new Dictionary<string, string>
        {
            ["petstore-expanded.json"] = PetstoreExpanded.Json(),
            ["mocks.yml"] = PetstoreExpanded.Mocks,
            ["sheets.yml"] = """
                - endpoint:
                    path: /people
                    response:
                      external-body:
                        provider: xlsx
                        path: data/people.xlsx
                        sheet-name: people

                - endpoint:
                    path: /sheets/:name
                    response:
                      external-body:
                        provider: xlsx
                        path: data/{{path-params.name}}.xlsx
                        sheet-name: people

                """,
        }, warningsNotAsErrors: ["MOCK045"]);
        Directory.CreateDirectory(Path.Combine(petstore.Dir, "data"));
        File.WriteAllBytes(Path.Combine(petstore.Dir, "data", "people.xlsx"), TestWorkbook.Create(
            ("summary", [["total"], [2]]),
            ("people", [["name", "langs"], ["avelino", "golang"], ["chicao", "python"]])));

        solution.AddProject(Group, BadMessages, ["mocks.yml"], new Dictionary<string, string>
        {
            ["mocks.yml"] = """
                - endpoint:
                    path: /no-response

                - endpoint:
                    path: /two-line-tag
                    response:
                      body: |
                        {{json-params.a
                        json-params.b}}

                """,
        }, expectBuildFailure: true);
    }
}
