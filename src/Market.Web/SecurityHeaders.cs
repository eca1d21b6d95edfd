namespace Market.Web;

public static class SecurityHeaders
{
    /// <summary>
    /// Headers every page gets: no MIME sniffing (an upload can never be reinterpreted as a script), no
    /// framing (clickjacking the consent or payment buttons), no referrer leaking ids to other sites, and a
    /// content policy that allows only our own scripts, styles and images. The Hangfire dashboard keeps its
    /// own inline scripts, so it gets the policy without the script restriction.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/hangfire")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
                : "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
            return Task.CompletedTask;
        });
        await next();
    });
}
