using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>
/// <c>upload URL EMAIL PASSWORD FILE... [--parallel N] [--expect accepted|refused]</c>: signs in as a creator, takes the antiforgery token from
/// the upload page and sends each file in its own request the way the page's script does (multipart body, token in
/// the <c>RequestVerificationToken</c> header, <c>Accept: application/json</c>). Files stream from disk through
/// <see cref="StreamContent"/>; none is ever read into memory here. Prints one line per file and the totals; exits
/// 1 when any file was refused or failed, so a script can tell. With <c>--expect refused</c> the refusal is the point
/// (a file that is no image measures the streaming and staging alone) and it exits 1 unless every file was refused.
/// </summary>
internal static partial class UploadBench
{
    private const double MiB = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var parallel = 1;
        var expectRefusal = false;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--parallel" && i + 1 < args.Length && int.TryParse(args[i + 1], out parallel) && parallel > 0) i++;
            else if (args[i] == "--expect" && i + 1 < args.Length && args[i + 1] is "accepted" or "refused") expectRefusal = args[++i] == "refused";
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
                return Usage($"unknown or incomplete option '{args[i]}'");
            else positional.Add(args[i]);
        }
        if (positional.Count < 4) return Usage("URL, EMAIL, PASSWORD and at least one FILE are needed");
        var (baseUrl, email, password, files) = (new Uri(positional[0].TrimEnd('/') + "/"), positional[1], positional[2], positional[3..]);
        foreach (var file in files.Where(f => !File.Exists(f)))
            return Usage($"no such file: {file}");

        using var client = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            UseCookies = true,
            AllowAutoRedirect = false,
            // Nothing is expected to be compressed; keep the transfer exactly what is measured.
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };

        await SignInAsync(client, email, password);
        var token = await TokenAsync(client, "Works/Upload");

        Console.WriteLine($"uploading {files.Count} file(s) to {baseUrl}Works/Upload, {parallel} at a time (MiB = 2^20 bytes)");
        Console.WriteLine($"{"file",-32} {"MiB",9} {"sent s",8} {"total s",8} {"MiB/s",8}  outcome");
        var results = new FileResult[files.Count];
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (index, ct) =>
            {
                var result = await UploadOneAsync(client, token, files[index], ct);
                results[index] = result;
                lock (results) Console.WriteLine(result);
            });
        wall.Stop();

        var bytes = results.Sum(r => r.Bytes);
        var accepted = results.Count(r => r.Accepted);
        Console.WriteLine($"total: {files.Count} file(s), {accepted} accepted, {bytes:N0} bytes ({bytes / MiB:N1} MiB) in {wall.Elapsed.TotalSeconds:N2} s wall = {bytes / MiB / wall.Elapsed.TotalSeconds:N1} MiB/s");
        Console.WriteLine($"       per file: sending took {results.Sum(r => r.SentSeconds):N2} s, the server's work after the last byte {results.Sum(r => r.TotalSeconds - r.SentSeconds):N2} s (summed over files)");
        // A machine-readable line for scripts: bytes, wall seconds, seconds sending and seconds after the body (summed
        // over files), accepted, files.
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT bytes={bytes} seconds={wall.Elapsed.TotalSeconds:F3} sent={results.Sum(r => r.SentSeconds):F3} after={results.Sum(r => r.TotalSeconds - r.SentSeconds):F3} accepted={accepted} files={files.Count}"));
        return expectRefusal ? (results.All(r => r.Refused) ? 0 : 1) : (accepted == files.Count ? 0 : 1);
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"upload: {problem}.");
        Console.Error.WriteLine("usage: upload URL EMAIL PASSWORD FILE... [--parallel N] [--expect accepted|refused]");
        return 2;
    }

    private static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var token = await TokenAsync(client, "Identity/Account/Login");
        using var response = await client.PostAsync("Identity/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = "false",
            ["__RequestVerificationToken"] = token,
        }));
        // A good sign-in redirects; a bad one shows the form again (200) with the error.
        var location = response.Headers.Location?.OriginalString ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect || location.Contains("LoginWith2fa", StringComparison.OrdinalIgnoreCase)
            || location.Contains("Lockout", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {location}");
    }

    private static async Task<string> TokenAsync(HttpClient client, string page)
    {
        using var response = await client.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET /{page} answered {(int)response.StatusCode} {response.Headers.Location}");
        var input = TokenInput().Match(html);
        var value = input.Success ? ValueAttribute().Match(input.Value) : Match.Empty;
        if (!value.Success) throw new InvalidOperationException($"No antiforgery token on /{page}.");
        return WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    private static async Task<FileResult> UploadOneAsync(HttpClient client, string token, string path, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        // FileOptions.SequentialScan: read ahead; the stream is read once, front to back, by HttpClient.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var timed = new TimedReadStream(file);
        var part = new StreamContent(timed, 81920);
        part.Headers.ContentType = new MediaTypeHeaderValue(ContentTypeOf(name));
        using var body = new MultipartFormDataContent();
        body.Add(part, "files", name);
        using var request = new HttpRequestMessage(HttpMethod.Post, "Works/Upload") { Content = body };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var watch = Stopwatch.StartNew();
        timed.Clock = watch;
        string outcome;
        var accepted = false;
        try
        {
            using var response = await client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            (accepted, outcome) = Describe(response.StatusCode, text);
        }
        catch (HttpRequestException e)
        {
            outcome = $"failed: {e.Message}";
        }
        watch.Stop();
        var sent = timed.EndOfStreamAt ?? watch.Elapsed;
        return new FileResult(name, file.Length, sent.TotalSeconds, watch.Elapsed.TotalSeconds, accepted, outcome);
    }

    private static (bool Accepted, string Outcome) Describe(HttpStatusCode status, string text)
    {
        if (status is not (HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity))
            return (false, $"HTTP {(int)status}: {Shorten(text)}");
        try
        {
            using var json = JsonDocument.Parse(text);
            var first = json.RootElement.EnumerateArray().FirstOrDefault();
            if (first.ValueKind != JsonValueKind.Object) return (false, $"HTTP {(int)status}: no outcome");
            var workId = Property(first, "workId");
            return workId is { Length: > 0 }
                ? (true, $"accepted, work {workId}")
                : (false, $"refused: {Property(first, "error")}");
        }
        catch (JsonException)
        {
            return (false, $"HTTP {(int)status}, not JSON: {Shorten(text)}");
        }
    }

    private static string? Property(JsonElement element, string name) =>
        element.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } p
            ? p.Value.GetString()
            : null;

    private static string Shorten(string text) => text.Length <= 160 ? text.ReplaceLineEndings(" ") : text[..160].ReplaceLineEndings(" ") + "…";

    private static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".tif" or ".tiff" => "image/tiff",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        _ => "application/octet-stream",
    };

    [GeneratedRegex("""<input\b[^>]*\bname="__RequestVerificationToken"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex TokenInput();

    [GeneratedRegex("\\bvalue=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();

    private sealed record FileResult(string Name, long Bytes, double SentSeconds, double TotalSeconds, bool Accepted, string Outcome)
    {
        /// <summary>The site answered and said no (as opposed to an HTTP or transport failure).</summary>
        public bool Refused => Outcome.StartsWith("refused:", StringComparison.Ordinal);

        public override string ToString()
        {
            var shown = Name.Length <= 32 ? Name : "…" + Name[^31..];
            return $"{shown,-32} {Bytes / MiB,9:N1} {SentSeconds,8:N2} {TotalSeconds,8:N2} {Bytes / MiB / TotalSeconds,8:N1}  {Outcome}";
        }
    }

    /// <summary>Passes reads through and notes when the last byte was handed to HttpClient (the body is sent).</summary>
    private sealed class TimedReadStream(Stream inner) : Stream
    {
        public Stopwatch? Clock { get; set; }
        public TimeSpan? EndOfStreamAt { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Note(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Note(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Note(int read)
        {
            if (read == 0 && EndOfStreamAt is null) EndOfStreamAt = Clock?.Elapsed;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
