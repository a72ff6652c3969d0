import Foundation
import Testing
import TestSupport

/// Certificates made with the `openssl` CLI at test time (test use only).
struct TestCertificateFiles {
    let directory: TemporaryDirectory
    let certificate: String
    let key: String

    /// A self-signed certificate (usable as its own CA) holding `names` (`IP:…`, `DNS:…`),
    /// valid from `start` to `end` (`YYYYMMDDHHMMSSZ`) or for two days from now.
    init(names: String, start: String? = nil, end: String? = nil) throws {
        directory = try TemporaryDirectory()
        certificate = directory.path("cert.pem")
        key = directory.path("key.pem")
        let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
        func run(_ arguments: [String]) throws {
            let r = try runProcess(openssl, arguments, directory: directory.url, timeout: 30)
            guard r.exitCode == 0 else { throw TLSSetupError.openssl(r.description) }
        }
        if let start, let end {
            // `openssl req -x509` cannot date a certificate in the past; `openssl ca` can.
            try directory.write("index.txt", "")
            try directory.write("serial", "01\n")
            try directory.write("ca.cnf", """
                [ ca ]
                default_ca = test
                [ test ]
                database = index.txt
                new_certs_dir = .
                serial = serial
                default_md = sha256
                policy = anything
                unique_subject = no
                [ anything ]
                commonName = supplied
                [ ext ]
                basicConstraints = critical,CA:TRUE
                subjectAltName = \(names)

                """)
            try run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                     "-out", "csr.pem", "-subj", "/CN=ats TLS test"])
            try run(["ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", key, "-in", "csr.pem", "-out", certificate,
                     "-startdate", start, "-enddate", end, "-extensions", "ext"])
        } else {
            try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                     "-out", certificate, "-days", "2", "-subj", "/CN=ats TLS test", "-addext", "subjectAltName=\(names)"])
        }
    }

    func remove() { directory.remove() }
}

/// Each TLS failure says which check failed and what to do, in words: no library type names,
/// build paths or numeric codes (those are in `--trace` only). Real servers on loopback: `ats
/// sim` over HTTPS and NIOSSL servers configured to fail each check.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct TLSErrorTests {
    /// Runs `tasks | count` against `url` with extra options; the result.
    func run(_ url: String, _ extra: [String] = [], trace: Bool = false) throws -> ProcessResult {
        try runATS(against(url) + extra + (trace ? ["--trace"] : []) + ["-c", "tasks | count"], environment: passwordEnvironment)
    }

    /// The error lines `ats --url URL` prints when connecting fails.
    func connectError(_ url: String, _ lines: String...) -> String {
        "error: connect \(url): " + lines.joined(separator: "\n  ") + "\n"
    }

    static func expectClean(_ r: ProcessResult) {
        for raw in ["NIOSSL", "BoringSSL", ".cc:", "268435", "handshakeFailed", "sslError", "<none>"] {
            #expect(!r.stderr.contains(raw), "no library detail without --trace: \(raw) in \(r.stderr)")
        }
    }

    @Test func unknownCA() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let r = try run(server.url)
        #expect(r.exitCode == 1)
        #expect(r.stderr == connectError(
            server.url, "the TLS certificate of 127.0.0.1:\(server.sim.port) is not signed by a trusted CA",
            "if the server uses a private CA, use --cacert FILE (or the profile's cacert); to skip verification (unsafe) use --insecure"))
        Self.expectClean(r)
        let traced = try run(server.url, trace: true)
        #expect(traced.stderr.contains("CERTIFICATE_VERIFY_FAILED"), "the raw detail is in the trace: \(traced.stderr)")
    }

    @Test func caFileWithoutTheServersCA() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let other = try server.directory.write("other.pem", TestCertificates.certificatePEM)
        let r = try run(server.url, ["--cacert", other])
        #expect(r.stderr == connectError(
            server.url, "the TLS certificate of 127.0.0.1:\(server.sim.port) is not signed by a CA in \(other)",
            "the CA file must hold the CA that issued the server's certificate; to skip verification (unsafe) use --insecure"))
    }

    @Test func hostnameMismatch() async throws {
        let files = try TestCertificateFiles(names: "DNS:aohost.example,DNS:ao.example")
        defer { files.remove() }
        let server = try await TestHTTPServer.tls(TestTLSServerOptions(certificatePath: files.certificate, keyPath: files.key))
        let r = try run(server.baseURL, ["--cacert", files.certificate])
        await server.shutdown()
        #expect(r.stderr == connectError(
            server.baseURL, "the TLS certificate of 127.0.0.1:\(server.port) is not for 127.0.0.1: it is for aohost.example, ao.example",
            "connect by a name the certificate holds, e.g. https://aohost.example:\(server.port)"))
        Self.expectClean(r)
    }

    @Test func expiredCertificate() async throws {
        let files = try TestCertificateFiles(names: "IP:127.0.0.1", start: "20200101000000Z", end: "20200102000000Z")
        defer { files.remove() }
        let server = try await TestHTTPServer.tls(TestTLSServerOptions(certificatePath: files.certificate, keyPath: files.key))
        let r = try run(server.baseURL, ["--cacert", files.certificate])
        await server.shutdown()
        #expect(r.stderr == connectError(
            server.baseURL, "the TLS certificate of 127.0.0.1:\(server.port) expired on 2020-01-02 00:00:00 UTC",
            "it is valid from 2020-01-01 00:00:00 UTC to 2020-01-02 00:00:00 UTC; the server needs a current certificate (or this machine's clock is wrong)"))
        Self.expectClean(r)
    }

    @Test func protocolVersionMismatch() async throws {
        let server = try await TestHTTPServer.tls(TestTLSServerOptions(onlyOldTLS: true))
        let r = try run(server.baseURL, ["--insecure"])
        await server.shutdown()
        #expect(r.stderr.hasSuffix(connectError(
            server.baseURL, "127.0.0.1:\(server.port) speaks no TLS version that ats accepts (TLS 1.2 or 1.3)",
            "the server offers only older TLS versions; it must be configured for TLS 1.2 or 1.3")), "\(r.stderr)")
        Self.expectClean(r)
    }

    @Test func noCipherSuiteInCommon() async throws {
        let server = try await TestHTTPServer.tls(TestTLSServerOptions(cipherSuites: "PSK-AES128-CBC-SHA"))
        let r = try run(server.baseURL, ["--insecure"])
        await server.shutdown()
        #expect(r.stderr.hasSuffix(connectError(
            server.baseURL, "127.0.0.1:\(server.port) refused the TLS handshake",
            "it shares no cipher suite with ats (ECDHE or RSA with AES-GCM, ChaCha20-Poly1305 or AES-CBC), or it requires a client certificate, which ats does not send")),
            "\(r.stderr)")
        Self.expectClean(r)
    }

    @Test func clientCertificateRequired() async throws {
        let server = try await TestHTTPServer.tls(TestTLSServerOptions(requireClientCertificate: true))
        let r = try run(server.baseURL, ["--insecure"])
        await server.shutdown()
        #expect(r.stderr.hasSuffix(connectError(
            server.baseURL, "127.0.0.1:\(server.port) requires a TLS client certificate",
            "ats does not send client certificates; use an address (or a proxy) that accepts user and password logins")),
            "\(r.stderr)")
        Self.expectClean(r)
    }

    /// A CA file that cannot be used is an error about the file, before any connection.
    @Test(arguments: ["missing", "junk", "empty"])
    func unusableCAFile(_ kind: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path: String
        let reason: String
        switch kind {
        case "missing": (path, reason) = (directory.path("nope.pem"), "there is no such file")
        case "junk": (path, reason) = (try directory.write("junk.pem", "this is not a certificate\n"), "it is not a PEM certificate file")
        default: (path, reason) = (try directory.write("empty.pem", ""), "it holds no certificate")
        }
        let server = try await TestHTTPServer.tls(TestTLSServerOptions())
        let r = try run(server.baseURL, ["--cacert", path])
        let connections = server.connectionCount
        await server.shutdown()
        #expect(r.exitCode == 1)
        #expect(r.stderr == connectError(
            server.baseURL, "cannot use the CA file \(path): \(reason)",
            "--cacert FILE (or a profile's cacert) takes a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)"))
        #expect(connections == 0, "no connection was made")
    }
}
