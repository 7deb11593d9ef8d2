using System.Net;
using Moclojer.Runtime;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

/// <summary><c>GET /__moclojer/health</c>: on by default, movable and removable by configuration.</summary>
public class HealthEndpointTests
{
    [Fact]
    public async Task Health_answers_ok_at_its_default_path()
    {
        await using var mock = await TestMock.StartInMemoryAsync();
        using var client = mock.CreateClient();

        using var response = await client.GetAsync("/__moclojer/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/__moclojer/health"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Health_moves_by_configuration()
    {
        await using var mock = await TestMock.StartInMemoryAsync(o => o.Configuration["Moclojer:Health:Path"] = "/healthz");
        using var client = mock.CreateClient();

        Assert.Equal("""{"status":"ok"}""", await client.GetStringAsync("/healthz"));
        using var old = await client.GetAsync("/__moclojer/health");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task Health_is_removed_by_configuration_and_the_path_falls_to_the_mock()
    {
        await using var mock = await TestMock.StartInMemoryAsync(o => o.Configuration["Moclojer:Health:Enabled"] = "false");
        using var client = mock.CreateClient();

        using var response = await client.GetAsync("/__moclojer/health");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_health_path_without_a_leading_slash_stops_the_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            TestMock.StartInMemoryAsync(o => o.Configuration["Moclojer:Health:Path"] = "healthz"));

        Assert.Contains("must start with '/'", error.Message, StringComparison.Ordinal);
    }
}
