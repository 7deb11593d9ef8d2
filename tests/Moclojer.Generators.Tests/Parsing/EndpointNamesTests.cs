using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;

namespace Moclojer.Generators.Tests.Parsing;

/// <summary>The names endpoints get in generated test code (mock.Endpoints.X) when they have no <c>name:</c>.</summary>
public class EndpointNamesTests
{
    [Theory]
    [InlineData("GET", "/", "GetRoot")]
    [InlineData("GET", "/products/:id|int", "GetProductsById")]
    [InlineData("POST", "/checkout/:orderId|int", "PostCheckoutByOrderId")]
    [InlineData("GET", "/users/:uid/orders/:oid", "GetUsersByUidAndOrdersByOid")]
    [InlineData("GET", "/user-profile", "GetUserProfile")]
    [InlineData("DELETE", "/a/:x/:y", "DeleteAByXAndY")]
    [InlineData("GET", "/users/:id/orders", "GetUsersByIdAndOrders")]
    [InlineData("PATCH", "/api/v1/items_list/:item_id|uuid", "PatchApiV1ItemsListByItemId")]
    [InlineData("OPTIONS", "/swagger.json", "OptionsSwaggerJson")]
    [InlineData("GET", "/a/", "GetASlash")]
    public void A_name_is_derived_from_method_and_path(string method, string path, string expected)
    {
        var segments = PathParser.Parse(path, []);

        Assert.Equal(expected, EndpointNames.Derive(method, segments.ToEquatableArray()));
    }

    [Fact]
    public void A_host_is_part_of_the_derived_name()
    {
        var segments = PathParser.Parse("/status", []);

        Assert.Equal("GetStatusOnApiExampleCom", EndpointNames.Derive("GET", segments.ToEquatableArray(), "api.example.com"));
    }

    [Theory]
    [InlineData("GetUser", true)]
    [InlineData("_private2", true)]
    [InlineData("get-user", false)]
    [InlineData("2fast", false)]
    [InlineData("class", false)]
    [InlineData("café", false)]
    [InlineData("", false)]
    public void A_written_name_must_be_a_csharp_identifier(string name, bool valid)
    {
        Assert.Equal(valid, EndpointNames.IsValidName(name));
    }

    [Fact]
    public void A_written_name_replaces_the_derived_one()
    {
        var result = MockFileParser.Parse("/p/mocks.yml", "mocks.yml", "- endpoint:\n    name: Pay\n    method: POST\n    path: /checkout/:id\n    response: {}\n", default);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("Pay", Assert.Single(result.Spec.Endpoints).Name);
    }
}
