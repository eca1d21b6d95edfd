using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Market.Web.Tests.Mail;

/// <summary>
/// Just enough of an ESMTP server (RFC 5321) on 127.0.0.1 to watch what the SMTP transport says: greeting,
/// EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT. No TLS, no
/// pipelining, no 8BITMIME, so the client must send one command at a time in 7-bit.
/// </summary>
internal sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Task> _sessions = new();
    private readonly Task _accepting;
    private readonly bool _offerAuth;
    private readonly bool _rejectRecipients;

    public FakeSmtpServer(bool offerAuth = false, bool rejectRecipients = false)
    {
        _offerAuth = offerAuth;
        _rejectRecipients = rejectRecipients;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every command line received, in order (message content not included).</summary>
    public ConcurrentQueue<string> Commands { get; } = new();
    public ConcurrentQueue<ReceivedMail> Received { get; } = new();
    public ConcurrentQueue<(string UserName, string Password)> Logins { get; } = new();
    public ConcurrentQueue<Exception> Faults { get; } = new();

    public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> RcptTo, byte[] Data);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _sessions.Enqueue(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        var reader = new LineReader(stream);
        string? mailFrom = null;
        var rcptTo = new List<string>();
        try
        {
            await ReplyAsync(stream, "220 fake.test ESMTP ready");
            while (await reader.ReadLineAsync(_stop.Token) is { } raw)
            {
                var line = Encoding.ASCII.GetString(raw);
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await ReplyAsync(stream, _offerAuth ? "250-fake.test\r\n250-AUTH PLAIN\r\n250 HELP" : "250-fake.test\r\n250 HELP");
                        break;
                    case "HELO":
                        await ReplyAsync(stream, "250 fake.test");
                        break;
                    case "AUTH" when _offerAuth:
                        await AuthenticateAsync(stream, reader, line);
                        break;
                    case "MAIL":
                        mailFrom = PathOf(line);
                        rcptTo.Clear();
                        await ReplyAsync(stream, "250 2.1.0 OK");
                        break;
                    case "RCPT" when _rejectRecipients:
                        await ReplyAsync(stream, "550 5.1.1 No such mailbox here");
                        break;
                    case "RCPT":
                        rcptTo.Add(PathOf(line));
                        await ReplyAsync(stream, "250 2.1.5 OK");
                        break;
                    case "DATA" when mailFrom is null || rcptTo.Count == 0:
                        await ReplyAsync(stream, "503 5.5.1 Need MAIL and RCPT first");
                        break;
                    case "DATA":
                        await ReplyAsync(stream, "354 End data with <CR><LF>.<CR><LF>");
                        Received.Enqueue(new ReceivedMail(mailFrom, rcptTo.ToList(), await ReadDataAsync(reader)));
                        mailFrom = null;
                        rcptTo.Clear();
                        await ReplyAsync(stream, "250 2.0.0 Queued");
                        break;
                    case "RSET":
                        mailFrom = null;
                        rcptTo.Clear();
                        await ReplyAsync(stream, "250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await ReplyAsync(stream, "250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await ReplyAsync(stream, "221 2.0.0 Bye");
                        return;
                    default:
                        await ReplyAsync(stream, "502 5.5.2 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
        catch (Exception e)
        {
            Faults.Enqueue(e);
        }
    }

    private async Task AuthenticateAsync(NetworkStream stream, LineReader reader, string line)
    {
        var parts = line.Split(' ');
        if (!parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            await ReplyAsync(stream, "504 5.5.4 Unrecognized authentication type");
            return;
        }
        var initial = parts.Length > 2 ? parts[2] : null;
        if (initial is null)
        {
            await ReplyAsync(stream, "334 ");
            initial = Encoding.ASCII.GetString(await reader.ReadLineAsync(_stop.Token) ?? []);
        }
        // RFC 4616: authorization identity NUL user name NUL password.
        var fields = Encoding.UTF8.GetString(Convert.FromBase64String(initial)).Split('\0');
        Logins.Enqueue((fields[1], fields[2]));
        await ReplyAsync(stream, "235 2.7.0 Authentication successful");
    }

    private async Task<byte[]> ReadDataAsync(LineReader reader)
    {
        using var data = new MemoryStream();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line is [(byte)'.']) return data.ToArray();
            // RFC 5321 4.5.2: a line the client started with a dot had one more dot put in front.
            var content = line is [(byte)'.', ..] ? line[1..] : line;
            data.Write(content);
            data.Write("\r\n"u8);
        }
        throw new IOException("Connection closed inside DATA.");
    }

    private static string PathOf(string command)
    {
        var start = command.IndexOf('<');
        var end = command.IndexOf('>', start + 1);
        return command[(start + 1)..end];
    }

    private async Task ReplyAsync(NetworkStream stream, string reply) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), _stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var session in _sessions) await session;
        _stop.Dispose();
    }

    /// <summary>Lines as bytes without their CRLF, so message content reaches the test unchanged.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
        {
            using var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, ct);
                    if (_end == 0) return line.Length > 0 ? line.ToArray() : null;
                }
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.Write(_buffer, _start, _end - _start);
                    _start = _end;
                    continue;
                }
                line.Write(_buffer, _start, newline - _start);
                _start = newline + 1;
                var bytes = line.ToArray();
                return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
            }
        }
    }
}
