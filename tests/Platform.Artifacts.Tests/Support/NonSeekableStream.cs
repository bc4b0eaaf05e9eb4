namespace Platform.Artifacts.Tests.Support;

/// <summary>
/// A forward-only read stream like an HTTP request body. It can fail after <c>failAfterBytes</c> bytes to
/// simulate a client that disconnects mid-upload.
/// </summary>
internal sealed class NonSeekableStream(Stream inner, long? failAfterBytes = null) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfterBytes is { } limit && _read >= limit)
        {
            throw new IOException("Simulated client disconnect.");
        }

        var max = failAfterBytes is { } l ? (int)Math.Min(buffer.Length, l - _read) : buffer.Length;
        var read = inner.Read(buffer[..max]);
        _read += read;
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
