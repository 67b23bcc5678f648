using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    [Test]
    public void AddLocalKms_Validates_Options_At_Registration() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddLocalKms(o => o.WrappingKeySizeInBits = 1024));
}
