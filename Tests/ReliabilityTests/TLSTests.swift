import Foundation
import Testing
import TestSupport

/// A self-signed certificate for 127.0.0.1 made with the `openssl` CLI (test use only), and
/// `ats sim` serving HTTPS with it.
struct SelfSignedSimulator {
    let directory: TemporaryDirectory
    let certificate: String
    let sim: SimulatorProcess
    var url: String { "https://127.0.0.1:\(sim.port)" }

    /// `extra` are more arguments of `ats sim` (e.g. `--faults delay=8000@/objects/Tasks`).
    init(_ extra: [String] = []) throws {
        directory = try TemporaryDirectory()
        certificate = directory.path("cert.pem")
        let key = directory.path("key.pem")
        let made = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", certificate, "-days", "2", "-subj", "/CN=ats reliability test",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ], timeout: 30)
        guard made.exitCode == 0 else { throw TLSSetupError.openssl(made.description) }
        sim = try SimulatorProcess.start(["--tls-cert", certificate, "--tls-key", key] + extra)
    }

    func stop() {
        sim.stop()
        directory.remove()
    }
}

enum TLSSetupError: Error {
    case openssl(String)
}

/// TLS end to end through the binary against `ats sim` with a self-signed certificate.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct TLSTests {
    @Test func selfSignedCertificateIsRefusedByDefault() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let result = try runATS(against(server.url) + ["-c", "tasks | count"], environment: passwordEnvironment)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("error:"), "\(result)")
        #expect(result.stderr.contains("TLS"), "\(result)")
        #expect(result.stderr.contains("--cacert FILE"), "says what to do: \(result)")
        #expect(result.stderr.contains("--insecure"), "says what to do: \(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }

    @Test func caCertificateMakesItTrusted() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let result = try runATS(against(server.url) + ["--cacert", server.certificate, "-c", "tasks --status inProgress | count"],
                                environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(result)")
        #expect(!result.stderr.lowercased().contains("warning"), "no warning with a trusted certificate: \(result)")
    }

    @Test func caCertificateOnConnect() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let result = try runATS(["-c", """
            connect \(server.url) --user system --password-env PW --cacert \(server.certificate)
            let t = task 5381
            echo $t.instanceID
            """], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "5381", "\(result)")
    }

    /// ATS_URL takes the global --cacert and --password-env, as --url does.
    @Test func atsURLTakesTheGlobalConnectionOptions() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let result = try runATS(
            ["--cacert", server.certificate, "--password-env", "PW", "--user", "system", "-c", "echo (task 5381).instanceID"],
            environment: passwordEnvironment.merging(["ATS_URL": server.url]) { a, _ in a })
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "5381\n", "\(result)")
    }

    /// A connect written in the script takes the global --cacert (and user, password variable).
    @Test func aConnectInTheScriptTakesTheGlobalConnectionOptions() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let result = try runATS(
            ["--cacert", server.certificate, "--user", "system", "--password-env", "PW", "-c",
             "connect \(server.url)\necho (task 5381).instanceID"], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "5381\n", "\(result)")
    }

    @Test func unrelatedCACertificateIsStillRefused() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let other = try server.directory.write("other.pem", TestCertificates.certificatePEM)
        let result = try runATS(against(server.url) + ["--cacert", other, "-c", "tasks | count"], environment: passwordEnvironment)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("TLS"), "\(result)")
    }

    @Test func insecureWorksAndWarnsOncePerSession() throws {
        let server = try SelfSignedSimulator()
        defer { server.stop() }
        let result = try runATS(against(server.url) + ["--insecure", "-c", """
            echo (tasks --status inProgress | count)
            disconnect
            connect \(server.url) --user system --password-env PW --insecure
            let t = task 5381
            echo $t.instanceID
            """], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.last == "5381", "\(result)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.lowercased().contains("warning") }
        #expect(warnings.count == 1, "one warning per session, on stderr: \(result)")
        #expect(warnings.first?.lowercased().contains("not verif") == true || warnings.first?.contains("insecure") == true,
                "\(result)")
        #expect(!result.stdout.lowercased().contains("warning"), "\(result)")
    }
}
