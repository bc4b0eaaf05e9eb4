using System.Net;

namespace Platform.Tracking.Client;

/// <summary>
/// Request body that copies from a stream through a small pooled buffer, so an upload never keeps the whole
/// file in memory. The stream is disposed with the content only when <c>ownsStream</c> is true.
/// </summary>
internal sealed class UploadContent(Stream source, long? contentLength, bool ownsStream) : HttpContent
{
    private const int CopyBufferSize = 81_920;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        source.CopyToAsync(stream, CopyBufferSize, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = contentLength ?? 0;
        return contentLength.HasValue;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsStream)
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }
}
