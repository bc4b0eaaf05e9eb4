using System.IO.Pipelines;

namespace Platform.Artifacts.Gcs;

/// <summary>
/// A read stream fed by a push-style download (<c>StorageClient.DownloadObjectAsync</c> writes into a
/// stream). A pipe in between bounds the bytes held in memory, and disposing the stream cancels the download.
/// </summary>
internal sealed class PipeDownloadStream : Stream
{
    private readonly Pipe _pipe;
    private readonly Stream _reader;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Task _download;
    private bool _disposed;

    public PipeDownloadStream(int bufferSize, Func<Stream, CancellationToken, Task> download)
    {
        ArgumentNullException.ThrowIfNull(download);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: bufferSize, resumeWriterThreshold: bufferSize / 2, useSynchronizationContext: false));
        _reader = _pipe.Reader.AsStream();
        _download = RunAsync(download);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _cancellation.CancelAsync().ConfigureAwait(false);
        await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _download.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected when the reader stops before the end.
        }

        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _cancellation.Cancel();
            _pipe.Reader.Complete();
        }

        base.Dispose(disposing);
    }

    private async Task RunAsync(Func<Stream, CancellationToken, Task> download)
    {
        // Yield first so the constructor returns before the download starts writing.
        await Task.Yield();
        try
        {
            var writer = _pipe.Writer.AsStream(leaveOpen: true);
            await download(writer, _cancellation.Token).ConfigureAwait(false);
            await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The reader sees the failure on its next read.
            await _pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
        }
    }
}
