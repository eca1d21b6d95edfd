namespace Market.Web.Features.Api;

/// <summary>
/// The organisation's API under /api/v1: JSON with the web defaults (camelCase), errors as problem details
/// (RFC 9457) with a sentence a developer can act on. Every query is scoped to the token's organisation, so
/// another organisation's id is simply not found.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static WebApplication MapMarketApi(this WebApplication app)
    {
        var api = app.MapGroup(Prefix);
        LicensesApi.Map(api);
        FilesApi.Map(api);
        TrainingRunsApi.Map(api);
        // Without this an unknown API path would get the site's HTML "not found" page.
        app.MapFallback("/api/{**path}", () => ApiProblems.NotFound("There is no such API endpoint. The API is described in the README."));
        return app;
    }
}

/// <summary>The API's errors, each with a title for the kind and a detail for this case.</summary>
public static class ApiProblems
{
    public static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static IResult Forbidden(string detail) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: detail);

    public static IResult Gone(string detail) => Results.Problem(statusCode: StatusCodes.Status410Gone, title: "No longer available", detail: detail);

    public static IResult UnsupportedMediaType(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: detail);

    public const string NoSuchLicense = "Your organisation has no license with this id.";
}
