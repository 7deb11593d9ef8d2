using System.Net;
using System.Text.Json;
using static Moclojer.Generators.Runtime.Tests.Hosting.TestMock;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

public sealed class HttpEndpointTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task GetRequests_AnswersTheJournalAsJson_FilteredByMethodAndPath()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/1");
        using var __ = await client.PostAsync("/checkout/9", Json("{\"total\":3}"));
        using var ___ = await client.GetAsync("/order/1");

        using var all = await client.GetAsync("/__moclojer/requests");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var json = await JsonAsync(all);
        Assert.Equal(1000, json.GetProperty("capacity").GetInt32());
        Assert.Equal(3, json.GetProperty("count").GetInt32());

        using var posts = await client.GetAsync("/__moclojer/requests?method=post");
        var post = Assert.Single((await JsonAsync(posts)).GetProperty("records").EnumerateArray());
        Assert.Equal("/checkout/9", post.GetProperty("path").GetString());
        Assert.Equal("POST /checkout/:orderId|int", post.GetProperty("endpoint").GetString());
        Assert.Equal(202, post.GetProperty("statusCode").GetInt32());
        Assert.Equal("{\"total\":3}", post.GetProperty("body").GetString());
        Assert.Equal("9", post.GetProperty("pathValues")[0].GetString());

        using var unmatched = await client.GetAsync("/__moclojer/requests?path=/order/1");
        var miss = Assert.Single((await JsonAsync(unmatched)).GetProperty("records").EnumerateArray());
        Assert.Equal("path segment 'order' differs from 'orders'", miss.GetProperty("nearMiss").GetProperty("reason").GetString());

        using var prefix = await client.GetAsync("/__moclojer/requests?path=/orders/*");
        Assert.Equal(1, (await JsonAsync(prefix)).GetProperty("count").GetInt32());

        // The journal's own requests are not mock traffic.
        Assert.Equal(3, mock.Requests.All.Count);
    }

    [Theory]
    [InlineData("wait=abc")]
    [InlineData("wait=-1")]
    [InlineData("wait=1e9")]
    [InlineData("wait=NaN")]
    [InlineData("wait=301")]
    [InlineData("count=0")]
    [InlineData("count=two")]
    [InlineData("count=99999999999")]
    [InlineData("wait=1&count=-3")]
    [InlineData("path=orders")]
    [InlineData("method=G%20T")]
    [InlineData("method=")]
    [InlineData("wait=1&wait=2")]
    [InlineData("path=%ZZ")]
    public async Task AMalformedQuery_IsAnswered400WithAJsonError(string query)
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var response = await client.GetAsync("/__moclojer/requests?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await JsonAsync(response)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task WaitAndCount_LongPollUntilEnoughRequestsMatch()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        var poll = client.GetAsync("/__moclojer/requests?path=/orders/7&wait=20&count=2");
        await Task.Delay(50);
        Assert.False(poll.IsCompleted);
        using var _ = await client.GetAsync("/orders/7");
        using var __ = await client.GetAsync("/orders/8");
        Assert.False(poll.IsCompleted);
        using var ___ = await client.GetAsync("/orders/7");

        using var response = await poll.WaitAsync(Wait);
        var json = await JsonAsync(response);
        Assert.True(json.GetProperty("complete").GetBoolean());
        Assert.Equal(2, json.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ALongPollThatRunsOut_AnswersWhatMatched_AsIncomplete()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/7");
        using var response = await client.GetAsync("/__moclojer/requests?path=/orders/7&wait=0.1&count=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonAsync(response);
        Assert.False(json.GetProperty("complete").GetBoolean());
        Assert.Equal(1, json.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task PostReset_ClearsTheJournals()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/7");
        using var reset = await client.PostAsync("/__moclojer/reset", null);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(mock.Requests.All);
    }

    [Fact]
    public async Task TheEndpoints_CanBeMovedAndTurnedOff()
    {
        await using var mock = await StartInMemoryAsync(o =>
        {
            o.Configuration["Moclojer:Requests:JournalPath"] = "/_admin/requests";
            o.Configuration["Moclojer:Requests:ResetEnabled"] = "false";
        });
        using var client = mock.CreateClient();
        using var moved = await client.GetAsync("/_admin/requests");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        using var old = await client.GetAsync("/__moclojer/requests");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        using var reset = await client.PostAsync("/__moclojer/reset", null);
        Assert.Equal(HttpStatusCode.NotFound, reset.StatusCode);
        // Both went to the mock's catch-all and were recorded as unmatched.
        Assert.Equal(2, mock.Requests.Unmatched.Count);
    }
}
