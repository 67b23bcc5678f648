using System.Net;
using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Moq;

namespace KmsImport.Sdk.Tests.DependencyInjection;

[CancelAfter(10_000)]
public class KeyImportServiceCollectionExtensionsTests
{
    private static ServiceCollection Services(DictionaryEnvironment? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironmentVariableReader>(environment ?? DictionaryEnvironment.Empty);
        return services;
    }

    private static void ValidateOnStart(IServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Test]
    public void Action_Overload_Registers_The_Client_Over_The_Https_Transport()
    {
        ServiceCollection services = Services();
        IHttpClientBuilder builder = services.AddKeyImportClient(new AccessKeyCredential("AK", "SK"), o =>
        {
            o.Region = "eu-de";
            o.Cloud = KmsCloud.OpenTelekomCloud;
            o.ProjectId = TransportHarness.ProjectId;
        });
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        ValidateOnStart(provider);
        var transport = provider.GetRequiredService<IKmsTransport>();
        Assert.Multiple(() =>
        {
            Assert.That(builder.Name, Is.EqualTo(HttpKmsTransport.HttpClientName));
            Assert.That(transport, Is.InstanceOf<HttpKmsTransport>());
            Assert.That(((HttpKmsTransport)transport).Endpoint, Is.EqualTo(new Uri("https://kms.eu-de.otc.t-systems.com")));
            Assert.That(provider.GetRequiredService<IKeyImportClient>(), Is.InstanceOf<KeyImportClient>());
            IKeyImportClient first = provider.GetRequiredService<IKeyImportClient>();
            Assert.That(provider.GetRequiredService<IKeyImportClient>(), Is.SameAs(first), "a singleton");
            Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
            Assert.That(provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpKmsTransport.HttpClientName).Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }

    [Test]
    public void Configuration_Section_Overload_Binds_Every_Option()
    {
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KmsImport:Region"] = "eu-nl",
            ["KmsImport:Cloud"] = "OpenTelekomCloud",
            ["KmsImport:ProjectId"] = "projectfromconfig",
            ["KmsImport:ImportParametersSafetyMargin"] = "00:10:00",
            ["KmsImport:Retry:MaxRetryAttempts"] = "5",
            ["KmsImport:Retry:BaseDelay"] = "00:00:00.250",
            ["KmsImport:Retry:AttemptTimeout"] = "00:00:10",
        }).Build().GetSection("KmsImport");
        ServiceCollection services = Services(new DictionaryEnvironment().Set("HUAWEICLOUD_SDK_AK", "AK").Set("HUAWEICLOUD_SDK_SK", "SK"));

        services.AddKeyImportClient(section);
        using ServiceProvider provider = services.BuildServiceProvider();

        ValidateOnStart(provider);
        KeyImportClientOptions options = provider.GetRequiredService<IOptions<KeyImportClientOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(options.Region, Is.EqualTo("eu-nl"));
            Assert.That(options.Cloud, Is.EqualTo(KmsCloud.OpenTelekomCloud));
            Assert.That(options.ProjectId, Is.EqualTo("projectfromconfig"));
            Assert.That(options.ImportParametersSafetyMargin, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(options.Retry.MaxRetryAttempts, Is.EqualTo(5));
            Assert.That(options.Retry.BaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.Retry.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.Retry.TotalTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)), "unset keys keep their defaults");
            Assert.That(((HttpKmsTransport)provider.GetRequiredService<IKmsTransport>()).Endpoint, Is.EqualTo(new Uri("https://kms.eu-nl.otc.t-systems.com")));
        });
    }

    [Test]
    public void No_Argument_Overload_Takes_Everything_From_The_Environment()
    {
        DictionaryEnvironment environment = new DictionaryEnvironment()
            .Set("HUAWEICLOUD_SDK_AK", "AK")
            .Set("HUAWEICLOUD_SDK_SK", "SK")
            .Set("HUAWEICLOUD_SDK_PROJECT_ID", "envproject")
            .Set("HUAWEICLOUD_SDK_REGION", "cn-north-4");
        ServiceCollection services = Services(environment);

        services.AddKeyImportClient();
        using ServiceProvider provider = services.BuildServiceProvider();

        ValidateOnStart(provider);
        Assert.That(((HttpKmsTransport)provider.GetRequiredService<IKmsTransport>()).Endpoint, Is.EqualTo(new Uri("https://kms.cn-north-4.myhuaweicloud.com")));
    }

    [Test]
    public void ValidateOnStart_Lists_Every_Problem_With_The_Offending_Values()
    {
        ServiceCollection services = Services();
        services.AddKeyImportClient(o =>
        {
            o.Endpoint = new Uri("http://kms.example.com");
            o.Retry.MaxRetryAttempts = 42;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("Retry.MaxRetryAttempts (42)"));
            Assert.That(ex.Message, Does.Contain("'http://kms.example.com/' uses plain HTTP"));
            Assert.That(ex.Message, Does.Contain("No project id"));
            Assert.That(ex.Message, Does.Contain("No credentials"));
        });
    }

    [Test]
    public void A_Transport_Registered_Before_Wins_And_Needs_No_Credentials()
    {
        var emulator = new Mock<IKmsTransport>();
        emulator.Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new KeyDetails { KeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f", KeyState = KeyState.PendingImport });
        ServiceCollection services = Services();
        services.AddSingleton(emulator.Object);

        services.AddKeyImportClient();
        using ServiceProvider provider = services.BuildServiceProvider();

        ValidateOnStart(provider);
        Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.SameAs(emulator.Object));
        Assert.That(provider.GetRequiredService<IKeyImportClient>().DescribeKeyAsync("0d0466b0-e727-4d9c-b35d-f84bb474a37f").Result.KeyState, Is.EqualTo(KeyState.PendingImport));
    }

    [Test]
    public void A_Transport_Registered_After_Wins_Too()
    {
        ServiceCollection services = Services();
        services.AddKeyImportClient();
        IKmsTransport emulator = Mock.Of<IKmsTransport>();
        services.AddSingleton(emulator);
        using ServiceProvider provider = services.BuildServiceProvider();

        ValidateOnStart(provider);
        Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.SameAs(emulator));
    }

    [Test]
    public void The_Emulator_Path_Still_Validates_The_Retry_Options()
    {
        ServiceCollection services = Services();
        services.AddSingleton(Mock.Of<IKmsTransport>());
        services.AddKeyImportClient(o => o.Retry.AttemptTimeout = TimeSpan.Zero);
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.That(ex!.Message, Does.Contain("Retry.AttemptTimeout (00:00:00)"));
    }

    [Test]
    public async Task The_Registered_Client_Goes_Through_The_Named_Http_Client_And_Its_Handlers(CancellationToken ct)
    {
        var handler = new ScriptedHttpMessageHandler().Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());
        ServiceCollection services = Services();
        services.AddSingleton<KmsCredential>(new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey));
        services.AddKeyImportClient(o =>
            {
                o.Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com");
                o.ProjectId = TransportHarness.ProjectId;
            })
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        using ServiceProvider provider = services.BuildServiceProvider();

        KeyDetails details = await provider.GetRequiredService<IKeyImportClient>().DescribeKeyAsync(TransportHarness.KeyId, ct);

        Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
        SignatureAssert.IsValid(handler.Requests.Single(), TransportHarness.AccessKey, TransportHarness.SecretKey);
    }

    [Test]
    public async Task Http_Client_Logging_Redacts_The_Authentication_Headers(CancellationToken ct)
    {
        var handler = new ScriptedHttpMessageHandler()
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody())
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());
        var logs = new FakeLoggerProvider();
        ServiceCollection services = Services();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddKeyImportClient(new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey, "SECURITY-TOKEN-NOT-IN-HTTP-LOGS"), o =>
            {
                o.Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com");
                o.ProjectId = TransportHarness.ProjectId;
            })
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        await using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IKmsTransport>().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        string authorization = handler.Requests.Single().Header("Authorization")!;
        string everything = string.Join("\n", logs.Collector.GetSnapshot().Select(r => r.Message));
        Assert.Multiple(() =>
        {
            Assert.That(everything, Does.Contain("Authorization: *"), "the HttpClient factory logged the headers, redacted (Microsoft.Extensions.Http 9+ redacts every value by default; this guards the configuration)");
            Assert.That(everything, Does.Not.Contain(authorization).And.Not.Contain("SECURITY-TOKEN-NOT-IN-HTTP-LOGS").And.Not.Contain("Signature="));
        });
    }

    [Test]
    public async Task Public_Factory_Constructor_Takes_The_Named_Client_For_Each_Call(CancellationToken ct)
    {
        var handler = new ScriptedHttpMessageHandler()
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody())
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(HttpKmsTransport.HttpClientName)).Returns(() => new HttpClient(handler, disposeHandler: false));
        var transport = new HttpKmsTransport(factory.Object, new IamTokenCredential("token"), new KeyImportClientOptions
        {
            Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com"),
            ProjectId = TransportHarness.ProjectId,
        });

        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);
        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        factory.Verify(f => f.CreateClient(HttpKmsTransport.HttpClientName), Times.Exactly(2));
    }

    [Test]
    public void Null_Arguments_Are_Refused()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddKeyImportClient());
            Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddKeyImportClient((Action<KeyImportClientOptions>)null!));
            Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddKeyImportClient((IConfigurationSection)null!));
        });
    }

    [Test]
    public void A_Credential_Registered_In_The_Container_Is_Used_And_The_Environment_Is_The_Default()
    {
        var withCredential = new ServiceCollection();
        withCredential.AddSingleton<IEnvironmentVariableReader>(DictionaryEnvironment.Empty);
        withCredential.AddKeyImportClient(new IamTokenCredential("t"), o =>
        {
            o.Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com");
            o.ProjectId = TransportHarness.ProjectId;
        });
        var withoutCredential = new ServiceCollection();
        withoutCredential.AddSingleton<IEnvironmentVariableReader>(DictionaryEnvironment.Empty);
        withoutCredential.AddKeyImportClient(o =>
        {
            o.Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com");
            o.ProjectId = TransportHarness.ProjectId;
        });
        using ServiceProvider good = withCredential.BuildServiceProvider();
        using ServiceProvider missing = withoutCredential.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(good.GetRequiredService<IKmsTransport>().ToString(), Does.Contain("IAM token"));
            var ex = Assert.Throws<OptionsValidationException>(() => missing.GetRequiredService<IStartupValidator>().Validate());
            Assert.That(ex!.Message, Does.Contain("No credentials").And.Contain("HUAWEICLOUD_SDK_AK"));
        });
    }
}
