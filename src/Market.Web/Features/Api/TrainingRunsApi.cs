using System.Security.Claims;
using System.Text.Json;
using Market.Domain;
using Market.Web.Data;
using Market.Web.Features.Licenses;
using Market.Web.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Api;

/// <summary>
/// POST /api/v1/licenses/{id}/training-runs: the license page's training-run report, for pipelines. The same
/// command runs (same checks against the license's term, same notice to every creator), reported in the name of
/// the member who made the token.
/// </summary>
public static class TrainingRunsApi
{
    public const int MaxBodyBytes = 16 * 1024;

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/licenses/{id:guid}/training-runs", ReportAsync).RequireAuthorization(ApiAuthentication.Policies.TrainingRunsWrite);

    public sealed record Body(string? ModelName, string? ModelVersion, DateOnly? TrainedOn);

    public sealed record Reported(Guid Id, Guid LicenseId, string ModelName, string ModelVersion, DateOnly TrainedOn, DateTimeOffset ReportedAt);

    // The body is read here rather than bound by the framework, so malformed JSON gets a problem with a sentence
    // instead of the framework's bare 400.
    private static async Task<IResult> ReportAsync(Guid id, HttpRequest request, ClaimsPrincipal user, IMediator mediator, MarketDb db, SiteSettings site,
        CancellationToken ct)
    {
        if (!request.HasJsonContentType()) return ApiProblems.UnsupportedMediaType("Send the run as JSON (Content-Type: application/json).");
        if (request.ContentLength > MaxBodyBytes) return ApiProblems.BadRequest($"The body is larger than {MaxBodyBytes / 1024} KB.");
        Body? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<Body>(new LimitedStream(request.Body, MaxBodyBytes), new JsonSerializerOptions(JsonSerializerDefaults.Web), ct);
        }
        catch (JsonException e)
        {
            return ApiProblems.BadRequest($"The body is not valid JSON for a training run ({e.Path ?? "$"}): expected {{\"modelName\": \"…\", \"modelVersion\": \"…\", \"trainedOn\": \"yyyy-MM-dd\"}}.");
        }
        catch (InvalidDataException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
        if (body is null) return ApiProblems.BadRequest("Send the run as a JSON object.");
        if (body.TrainedOn is null) return ApiProblems.BadRequest("Give the date the model was trained (trainedOn, yyyy-MM-dd).");

        var organisation = Guid.Parse(user.OrganisationId()!);
        if (!await db.Licenses.AnyAsync(l => l.Id == id && l.OrganisationId == organisation, ct)) return ApiProblems.NotFound(ApiProblems.NoSuchLicense);
        try
        {
            var runId = await mediator.Send(new DetailsModel.ReportTrainingRun(id, organisation, user.UserId(), body.ModelName, body.ModelVersion, body.TrainedOn.Value), ct);
            var run = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
            return Results.Created(site.Absolute($"{ApiEndpoints.Prefix}/licenses/{id}"),
                new Reported(run.Id, run.LicenseId, run.ModelName, run.ModelVersion, run.TrainedOn, run.ReportedAt));
        }
        catch (DomainException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
    }

    /// <summary>Stops reading past a limit, for bodies sent without a Content-Length.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            _read += n;
            if (_read > limit) throw new InvalidDataException($"The body is larger than {limit / 1024} KB.");
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
