namespace Moclojer.Generators.TestShared;

/// <summary>
/// O-1 fixtures: the petstore-expanded example of the OpenAPI 3.0 specification (the OpenAPI Initiative's examples),
/// written out for these tests from the published example's content, and a mocks document for it as moclojer's
/// tests write one (keyed by operationId).
/// </summary>
public static class PetstoreExpanded
{
    public const string Yaml = """
        openapi: "3.0.0"
        info:
          version: 1.0.0
          title: Swagger Petstore
          description: A sample API that uses a petstore as an example to demonstrate features in the OpenAPI 3.0 specification
          termsOfService: http://swagger.io/terms/
          contact:
            name: Swagger API Team
            email: apiteam@swagger.io
            url: http://swagger.io
          license:
            name: Apache 2.0
            url: https://www.apache.org/licenses/LICENSE-2.0.html
        servers:
          - url: http://petstore.swagger.io/api
        paths:
          /pets:
            get:
              description: Returns all pets from the system that the user has access to
              operationId: findPets
              parameters:
                - name: tags
                  in: query
                  description: tags to filter by
                  required: false
                  style: form
                  schema:
                    type: array
                    items:
                      type: string
                - name: limit
                  in: query
                  description: maximum number of results to return
                  required: false
                  schema:
                    type: integer
                    format: int32
              responses:
                '200':
                  description: pet response
                  content:
                    application/json:
                      schema:
                        type: array
                        items:
                          $ref: '#/components/schemas/Pet'
                default:
                  description: unexpected error
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
            post:
              description: Creates a new pet in the store. Duplicates are allowed
              operationId: addPet
              requestBody:
                description: Pet to add to the store
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/NewPet'
              responses:
                '200':
                  description: pet response
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Pet'
                default:
                  description: unexpected error
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
          /pets/{id}:
            get:
              description: Returns a user based on a single ID, if the user does not have access to the pet
              operationId: find pet by id
              parameters:
                - name: id
                  in: path
                  description: ID of pet to fetch
                  required: true
                  schema:
                    type: integer
                    format: int64
              responses:
                '200':
                  description: pet response
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Pet'
                default:
                  description: unexpected error
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
            delete:
              description: deletes a single pet based on the ID supplied
              operationId: deletePet
              parameters:
                - name: id
                  in: path
                  description: ID of pet to delete
                  required: true
                  schema:
                    type: integer
                    format: int64
              responses:
                '204':
                  description: pet deleted
                default:
                  description: unexpected error
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
        components:
          schemas:
            Pet:
              allOf:
                - $ref: '#/components/schemas/NewPet'
                - type: object
                  required:
                  - id
                  properties:
                    id:
                      type: integer
                      format: int64

            NewPet:
              type: object
              required:
                - name
              properties:
                name:
                  type: string
                tag:
                  type: string

            Error:
              type: object
              required:
                - code
                - message
              properties:
                code:
                  type: integer
                  format: int32
                message:
                  type: string

        """;

    /// <summary>The same document as JSON, as another tool would have saved it (scalars become strings: the reader must not care).</summary>
    public static string Json()
    {
        var value = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(Yaml);
        return new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(value!);
    }

    /// <summary>A mocks document as moclojer's OpenAPI tests write one, plus a typed path parameter in a template.</summary>
    public const string Mocks = """
        findPets:
          status: 200
          body: '[{"id": 1, "name": "Rex", "limit": "{{query-params.limit}}"}]'
        addPet:
          status: 303
        find pet by id:
          status: 200
          headers:
            X-Pet: "{{path-params.id}}"
          body: '{"id": {{path-params.id}}, "name": "Rex"}'

        """;
}
