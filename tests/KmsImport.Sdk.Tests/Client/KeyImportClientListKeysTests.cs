using KmsImport.Sdk.Tests.TestSupport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

[CancelAfter(20_000)]
public class KeyImportClientListKeysTests
{
    [Test]
    public async Task List_Keys_Follows_Next_Marker_Across_Pages_And_Asks_For_Every_Spec(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string a = NewKeyId(), b = NewKeyId(), c = NewKeyId();
        var markers = new List<string?>();
        context.Transport
            .Setup(t => t.ListKeysAsync(It.IsAny<ListKeysRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ListKeysRequest r, CancellationToken _) =>
            {
                markers.Add(r.Marker);
                return r.Marker is null
                    ? KmsImportModelFactory.ListKeysPage([Details(a, KeyState.Enabled), Details(b, KeyState.Enabled)], "2", true, 3)
                    : KmsImportModelFactory.ListKeysPage([Details(c, KeyState.Enabled)], null, false, 3);
            });

        var keys = new List<string>();
        await foreach (KeyDetails key in context.Client.ListKeysAsync(new ListKeysOptions { PageSize = 2 }, cancellationToken))
        {
            keys.Add(key.KeyId);
        }

        Assert.That(keys, Is.EqualTo(new[] { a, b, c }));
        Assert.That(markers, Is.EqualTo(new[] { null, "2" }));
        context.Transport.Verify(t => t.ListKeysAsync(It.Is<ListKeysRequest>(r => r.KeySpec == "ALL" && r.Limit == 2), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [TestCase(0)]
    [TestCase(1001)]
    public void A_Page_Size_Out_Of_Range_Is_Refused_Before_Anything_Is_Sent(int pageSize)
    {
        var context = new ClientTestContext();

        Assert.That(() => context.Client.ListKeysAsync(new ListKeysOptions { PageSize = pageSize }), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => context.Client.ListKeysAsync(new ListKeysOptions { State = KeyState.Frozen }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("1 to 5"));
        Assert.That(context.Transport.Invocations, Is.Empty);
    }
}
