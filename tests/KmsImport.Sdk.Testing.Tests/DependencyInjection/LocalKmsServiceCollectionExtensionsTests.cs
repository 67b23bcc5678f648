using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace KmsImport.Sdk.Testing.Tests.DependencyInjection;

[CancelAfter(30_000)]
public class LocalKmsServiceCollectionExtensionsTests
{
    [Test]
    public void AddLocalKms_Makes_The_Transport_A_Singleton_LocalKms()
    {
        var services = new ServiceCollection();
        services.AddLocalKms(o => o.WrappingKeySizeInBits = 3072);
        using ServiceProvider provider = services.BuildServiceProvider();
        var transport = provider.GetRequiredService<IKmsTransport>();
        Assert.Multiple(() =>
        {
            Assert.That(transport, Is.InstanceOf<LocalKms>());
            Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.SameAs(transport));
            Assert.That(provider.GetRequiredService<LocalKms>(), Is.SameAs(transport));
        });
    }

    [Test]
    public void A_Later_TryAdd_Keeps_The_Emulator_And_An_Earlier_Transport_Is_Replaced()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Mock.Of<IKmsTransport>());
        services.AddLocalKms();
        services.TryAddSingleton<IKmsTransport>(_ => Mock.Of<IKmsTransport>());
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.InstanceOf<LocalKms>());
        Assert.That(provider.GetServices<IKmsTransport>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task AddLocalKms_Uses_The_Registered_TimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLocalKms();
        using ServiceProvider provider = services.BuildServiceProvider();
        var transport = provider.GetRequiredService<IKmsTransport>();
        CreateKeyResult created = await transport.CreateKeyAsync(new CreateKeyRequest("k"));
        KeyDetails details = await transport.DescribeKeyAsync(new DescribeKeyRequest(created.KeyId));
        Assert.That(details.CreationDate, Is.EqualTo(time.GetUtcNow()));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task AddKeyImportClient_Before_Or_After_Runs_On_The_Emulator_Without_Credentials(bool emulatorFirst)
    {
        var services = new ServiceCollection();
        if (emulatorFirst)
        {
            services.AddLocalKms();
            services.AddKeyImportClient();
        }
        else
        {
            services.AddKeyImportClient();
            services.AddLocalKms();
        }

        using ServiceProvider provider = services.BuildServiceProvider();

        // No endpoint, project or AK/SK is configured: the validator must not ask for them.
        _ = provider.GetRequiredService<IOptions<KeyImportClientOptions>>().Value;
        Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.InstanceOf<LocalKms>());
        IKeyImportClient client = provider.GetRequiredService<IKeyImportClient>();
        CreateKeyResult created = await client.CreateKeyAsync(new CreateKeyRequest("via-client"));
        Assert.That(provider.GetRequiredService<LocalKms>().KeyCount, Is.EqualTo(1));
        Assert.That((await client.DescribeKeyAsync(created.KeyId)).KeyState, Is.EqualTo(KeyState.PendingImport));
    }

    [Test]
    public void AddLocalKms_Validates_Options_At_Registration() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddLocalKms(o => o.WrappingKeySizeInBits = 1024));
}
