import Testing
@testable import ATSShell

/// The one place where a connection's options are merged: `connect`'s own options, the
/// profile, the global command line, the environment (docs/cli.md, "Connection options").
@Suite struct ConnectionOptionsTests {
    static let prod = Profile(
        url: "https://aohost:22016", user: "ops", passwordEnv: "AO_PROD_PASSWORD", insecure: false, cacert: "/etc/ats/ca.pem",
        lang: "ja")

    func plan(
        _ own: ConnectionOptions, profile: Profile? = nil, defaults: ConnectionOptions = ConnectionOptions(),
        environment: [String: String] = [:]
    ) throws -> ConnectionPlan {
        try ConnectionPlan.resolve(
            own: own, profile: profile.map { ("prod", $0) }, defaults: defaults, environment: environment)
    }

    @Test func globalOptionsAreTheDefaultsOfAConnectStatement() throws {
        var global = GlobalOptions()
        global.cacert = "/ca.pem"
        global.insecure = true
        global.timeout = .seconds(5)
        global.passwordEnv = "PW"
        global.user = "ops"
        global.lang = "zh"
        let p = try plan(ConnectionOptions(target: "https://h:22016"), defaults: ConnectionOptions(global: global))
        #expect(p == ConnectionPlan(
            url: "https://h:22016", user: "ops", password: .variable("PW"), insecure: true, cacert: "/ca.pem", timeout: .seconds(5),
            lang: "zh", profile: nil, own: ConnectionOptions(target: "https://h:22016")))
    }

    @Test func connectsOwnOptionsWinOverTheGlobalOnes() throws {
        let p = try plan(
            ConnectionOptions(target: "https://h", user: "me", passwordEnv: "MINE", cacert: "/mine.pem", timeout: .seconds(9)),
            defaults: ConnectionOptions(user: "ops", passwordEnv: "PW", cacert: "/ca.pem", timeout: .seconds(5)))
        #expect(p.user == "me")
        #expect(p.password == .variable("MINE"))
        #expect(p.cacert == "/mine.pem")
        #expect(p.timeout == .seconds(9))
    }

    @Test func aProfilesKeysWinOverTheGlobalOptions() throws {
        let p = try plan(
            ConnectionOptions(profile: "prod"), profile: Self.prod,
            defaults: ConnectionOptions(target: "http://other", user: "x", passwordEnv: "PW", cacert: "/ca.pem", timeout: .seconds(5)))
        #expect(p.url == "https://aohost:22016")
        #expect(p.user == "ops")
        #expect(p.password == .variable("AO_PROD_PASSWORD"))
        #expect(p.cacert == "/etc/ats/ca.pem")
        #expect(p.lang == "ja")
        #expect(p.timeout == .seconds(5), "a key the profile lacks comes from the global options")
    }

    @Test func connectsOwnOptionsWinOverTheProfile() throws {
        let p = try plan(ConnectionOptions(profile: "prod", user: "admin", insecure: true), profile: Self.prod)
        #expect(p.user == "admin")
        #expect(p.insecure)
        #expect(p.cacert == "/etc/ats/ca.pem")
    }

    @Test func theEnvironmentComesLast() throws {
        let env = ["ATS_URL": "http://envhost", "ATS_USER": "envuser", "ATS_PASSWORD": "x"]
        let p = try plan(ConnectionOptions(), environment: env)
        #expect(p.url == "http://envhost")
        #expect(p.user == "envuser")
        #expect(p.password == .variable("ATS_PASSWORD"))
        let q = try plan(ConnectionOptions(), defaults: ConnectionOptions(user: "ops", passwordEnv: "PW"), environment: env)
        #expect(q.user == "ops")
        #expect(q.password == .variable("PW"))
    }

    @Test func aProfilesPasswordCommandWinsOverTheGlobalPasswordVariable() throws {
        var profile = Self.prod
        profile.passwordEnv = nil
        profile.passwordCommand = "pass show ao"
        let p = try plan(ConnectionOptions(profile: "prod"), profile: profile, defaults: ConnectionOptions(passwordEnv: "PW"))
        #expect(p.password == .command("pass show ao"))
    }

    @Test func aBareConnectUsesTheGlobalTargetThenTheEnvironment() throws {
        #expect(try plan(ConnectionOptions(), defaults: ConnectionOptions(target: "sim")).url == nil)
        #expect(ConnectionPlan.profileName(own: ConnectionOptions(), defaults: ConnectionOptions(), environment: ["ATS_PROFILE": "prod"]) == "prod")
        #expect(ConnectionPlan.profileName(own: ConnectionOptions(target: "sim"), defaults: ConnectionOptions(), environment: ["ATS_PROFILE": "prod"]) == nil)
        #expect(ConnectionPlan.profileName(own: ConnectionOptions(), defaults: ConnectionOptions(profile: "lab"), environment: ["ATS_PROFILE": "prod"]) == "lab")
    }

    @Test func simNeedsNoCredentials() throws {
        let p = try plan(ConnectionOptions(target: "sim"))
        #expect(p.url == nil && p.user == "system" && p.password == .simulator)
    }

    @Test func missingPiecesAreErrors() {
        #expect(throws: ShellError.nothingToConnect) { try plan(ConnectionOptions()) }
        #expect(throws: ShellError.missingUser) { try plan(ConnectionOptions(target: "http://h")) }
        #expect(throws: ShellError.missingPassword(user: "u")) { try plan(ConnectionOptions(target: "http://h", user: "u")) }
    }

    /// `:save` writes this statement first; never a password.
    @Test func theStatementThatOpensTheConnectionAgain() throws {
        #expect(try plan(ConnectionOptions(target: "sim")).statement == "connect sim")
        #expect(try plan(ConnectionOptions(profile: "prod", timeout: .seconds(30)), profile: Self.prod).statement
            == "connect --profile prod --timeout 30s")
        let url = try plan(
            ConnectionOptions(target: "https://h:22016", user: "ops"), defaults: ConnectionOptions(passwordEnv: "PW", cacert: "/my ca.pem"),
            environment: ["PW": "secret-value"])
        #expect(url.statement == #"connect https://h:22016 --user ops --password-env PW --cacert "/my ca.pem""#)
        let env = try plan(ConnectionOptions(target: "http://h", user: "u"), environment: ["ATS_PASSWORD": "secret-value"])
        #expect(env.statement == "connect http://h --user u")
    }
}
