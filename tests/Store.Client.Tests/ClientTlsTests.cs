using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Store.Client.Tests.Fakes;
using static Store.Client.Tests.ClientTransportTests;

namespace Store.Client.Tests;

/// <summary>TLS with a self-signed certificate accepted by the validation callback, or refused without it.</summary>
public sealed class ClientTlsTests
{
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Tls_connects_when_the_callback_accepts_the_certificate()
    {
        using X509Certificate2 certificate = SelfSigned();
        await using var server = FakeServer.Start(new FakeKv().Handle, certificate);
        await using var client = await StoreClient.ConnectAsync(new StoreClientOptions
        {
            Endpoints = [server.Endpoint],
            UseTls = true,
            TlsTargetHost = "localhost",
            CertificateValidation = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString(),
        });
        await client.Default.SetAsync(Bytes("k"), Bytes("v"));
        Assert.NotNull(await client.Default.GetAsync(Bytes("k")));
    }

    [Fact]
    public async Task Tls_refuses_an_untrusted_certificate()
    {
        using X509Certificate2 certificate = SelfSigned();
        await using var server = FakeServer.Start(new FakeKv().Handle, certificate);
        await Assert.ThrowsAsync<StoreConnectionException>(() => StoreClient.ConnectAsync(new StoreClientOptions
        {
            Endpoints = [server.Endpoint],
            UseTls = true,
            TlsTargetHost = "localhost",
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }));
    }
}
