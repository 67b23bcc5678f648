using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Transport;

[CancelAfter(30_000)]
public class KmsHttpResponseTests
{
    [Test]
    public async Task A_Body_Read_That_Fails_Midway_Leaves_No_Bytes_Of_It_In_The_Read_Buffer(CancellationToken cancellationToken)
    {
        // A get-parameters-for-import body (it holds the import token) cut off by a lost connection.
        byte[] firstChunk = Encoding.UTF8.GetBytes("{\"key_id\":\"0d0466b0\",\"import_token\":\"SECRET-TOKEN-");
        var stream = new FailingAfterFirstChunkStream(firstChunk);
        using var message = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) };

        Assert.That(
            async () => await KmsHttpResponse.ReadAsync(message, KmsHttpResponse.MaxBodyBytes, cancellationToken),
            Throws.TypeOf<IOException>());
        Assert.That(stream.ReadBuffer, Is.Not.Null, "the SDK's buffer was handed to the stream");
        Assert.That(stream.ReadBuffer!, Is.All.EqualTo((byte)0), "the partly read body is zeroed before the failure propagates");
    }

    // Returns one chunk into the caller's buffer, then fails as a dropped connection does; keeps the buffer to inspect.
    private sealed class FailingAfterFirstChunkStream(byte[] chunk) : Stream
    {
        private bool _sent;

        public byte[]? ReadBuffer { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            {
                ReadBuffer = segment.Array;
            }

            if (_sent)
            {
                return ValueTask.FromException<int>(new IOException("The connection was reset."));
            }

            _sent = true;
            chunk.CopyTo(buffer);
            return ValueTask.FromResult(chunk.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
