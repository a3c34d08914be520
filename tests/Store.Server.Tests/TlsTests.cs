using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>The binary protocol over TLS with a certificate from a PKCS#12 file.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Requests_work_over_TLS_with_a_self_signed_certificate()
    {
        using var directory = new TempDirectory();
        string pfx = Path.Combine(directory.Path, "server.pfx");
        using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "secret"));
        }

        string data = Path.Combine(directory.Path, "data");
        await using TestServer server = await TestServer.StartAsync((_, logs) => new StoreServerOptions
        {
            DataDirectory = data,
            Port = 0,
            AdminPort = null,
            LoggerFactory = logs,
            CertificatePath = pfx,
            CertificatePassword = "secret",
        });
        string? seen = null;
        await using RawConnection client = await RawConnection.OpenAsync(server.Host.Endpoint, tls: (_, certificate, _, _) =>
        {
            seen = certificate?.Subject;
            return certificate is not null;
        });
        Assert.Equal("CN=localhost", seen);
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Set(1, 0, [1], [2, 3]))).Status);
        Assert.Equal(new byte[] { 2, 3 }, (await client.RequestAsync(Requests.Get(2, 0, [1]))).GetReply().Value);
        server.AssertNoServerFaults();
    }
}
