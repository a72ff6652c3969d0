import ATSLanguage

/// One layer of connection options: what a `connect` statement says, what the command line
/// says, or what a profile says. Unset fields are nil, so layers can be stacked.
///
/// The order (docs/cli.md, "Connection options"), highest first:
/// 1. the connection's own options: those of the `connect` statement, or for the connection
///    the command line asks for (`--url`, `--sim`, `--profile`, or `ATS_URL` / `ATS_PROFILE`
///    in their place) the command-line options;
/// 2. the profile's keys;
/// 3. the global command-line options (`--user`, `--password-env`, `--insecure`, `--cacert`,
///    `--timeout`, `--lang`), as defaults for every `connect` of a script or the REPL;
/// 4. `ATS_USER`, `ATS_PASSWORD`;
/// 5. for `sim`: the user `system` with its password.
struct ConnectionOptions: Sendable, Equatable {
    /// A URL, or `sim`.
    var target: String?
    var profile: String?
    var user: String?
    var passwordEnv: String?
    var askPassword = false
    var insecure: Bool?
    var cacert: String?
    var timeout: Duration?
    var lang: String?

    init(
        target: String? = nil, profile: String? = nil, user: String? = nil, passwordEnv: String? = nil,
        askPassword: Bool = false, insecure: Bool? = nil, cacert: String? = nil, timeout: Duration? = nil, lang: String? = nil
    ) {
        self.target = target
        self.profile = profile
        self.user = user
        self.passwordEnv = passwordEnv
        self.askPassword = askPassword
        self.insecure = insecure
        self.cacert = cacert
        self.timeout = timeout
        self.lang = lang
    }

    /// The command line's options (`--insecure` given counts; absent is unset, not false).
    init(global o: GlobalOptions) {
        self.init(
            target: o.sim ? "sim" : o.url, profile: o.profile, user: o.user, passwordEnv: o.passwordEnv,
            insecure: o.insecure ? true : nil, cacert: o.cacert, timeout: o.timeout, lang: o.lang)
    }

    /// These options, with every unset one taken from `fallback` (the target and profile too).
    func over(_ fallback: ConnectionOptions) -> ConnectionOptions {
        ConnectionOptions(
            target: target ?? fallback.target, profile: profile ?? fallback.profile, user: user ?? fallback.user,
            passwordEnv: passwordEnv ?? fallback.passwordEnv, askPassword: askPassword || fallback.askPassword,
            insecure: insecure ?? fallback.insecure, cacert: cacert ?? fallback.cacert, timeout: timeout ?? fallback.timeout,
            lang: lang ?? fallback.lang)
    }

    /// The options a profile's keys give.
    init(profile p: Profile) {
        self.init(target: p.url, user: p.user, passwordEnv: p.passwordEnv, insecure: p.insecure, cacert: p.cacert, lang: p.lang)
    }
}

/// Where the password comes from, once the layers are merged.
enum PasswordSource: Sendable, Equatable {
    /// Ask on the terminal (`--ask-password`).
    case ask
    /// The environment variable of that name (`--password-env`, a profile's `password_env`, `ATS_PASSWORD`).
    case variable(String)
    /// A profile's `password_command`.
    case command(String)
    /// The simulator's password for `system`.
    case simulator
}

/// A connection as the merged options describe it: what `connect` opens.
struct ConnectionPlan: Sendable, Equatable {
    /// A URL, or nil for the simulator.
    var url: String?
    var user: String
    var password: PasswordSource
    var insecure: Bool
    var cacert: String?
    var timeout: Duration?
    var lang: String?
    /// The profile used, if any.
    var profile: String?
    /// The connection's own options (for `statement`).
    var own = ConnectionOptions()

    /// The profile to load for a connection: the own options' `--profile`; else, when no target
    /// is given at all, the global `--profile`, then `ATS_PROFILE`.
    static func profileName(own: ConnectionOptions, defaults: ConnectionOptions, environment: [String: String]) -> String? {
        if let p = own.profile { return p }
        guard own.target == nil else { return nil }
        if let p = defaults.profile { return p }
        return defaults.target == nil ? environment["ATS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } : nil
    }

    /// Merges the layers (see `ConnectionOptions`) into a plan. Pure: the profile is already
    /// loaded, and nothing is read but `environment`.
    static func resolve(
        own: ConnectionOptions, profile: (name: String, profile: Profile)?, defaults: ConnectionOptions,
        environment: [String: String]
    ) throws(ShellError) -> ConnectionPlan {
        let fromProfile = profile.map { ConnectionOptions(profile: $0.profile) } ?? ConnectionOptions()
        // The global target and profile are defaults only for a `connect` that names neither.
        var globals = defaults
        if own.target != nil || own.profile != nil {
            globals.target = nil
            globals.profile = nil
        }
        let merged = own.over(fromProfile).over(globals)
        let target = merged.target ?? environment["ATS_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let target, !target.isEmpty else { throw .nothingToConnect }
        let isSim = target == "sim"
        guard let user = merged.user ?? environment["ATS_USER"] ?? (isSim ? "system" : nil) else { throw .missingUser }
        // The password: own options, then the profile (a variable or a command), then the defaults.
        let password: PasswordSource
        if merged.askPassword {
            password = .ask
        } else if let v = own.passwordEnv ?? fromProfile.passwordEnv {
            password = .variable(v)
        } else if let command = profile?.profile.passwordCommand {
            password = .command(command)
        } else if let v = globals.passwordEnv {
            password = .variable(v)
        } else if environment["ATS_PASSWORD"] != nil {
            password = .variable("ATS_PASSWORD")
        } else if isSim {
            password = .simulator
        } else {
            throw .missingPassword(user: user)
        }
        return ConnectionPlan(
            url: isSim ? nil : target, user: user, password: password, insecure: merged.insecure ?? false, cacert: merged.cacert,
            timeout: merged.timeout, lang: merged.lang, profile: profile?.name, own: own)
    }

    /// The `connect` statement that opens this connection again, for `:save`: `connect sim`,
    /// `connect --profile NAME` or `connect URL --user U`, with the other options that were set.
    /// Never a password: a password variable is named, a prompt is asked again.
    var statement: String {
        var words = ["connect"]
        if let profile {
            words += ["--profile", Self.quoted(profile)]
        } else if let url {
            words += [Self.quoted(url), "--user", Self.quoted(user)]
        } else {
            words.append("sim")
            if user != "system" { words += ["--user", Self.quoted(user)] }
        }
        // A profile holds the rest; only the options given with it are repeated.
        let given = profile == nil
            ? ConnectionOptions(passwordEnv: passwordVariable, askPassword: password == .ask, insecure: insecure ? true : nil,
                                cacert: cacert, timeout: timeout, lang: lang)
            : own
        if profile != nil, let u = given.user { words += ["--user", Self.quoted(u)] }
        if let v = given.passwordEnv { words += ["--password-env", Self.quoted(v)] }
        if given.askPassword { words.append("--ask-password") }
        if given.insecure == true { words.append("--insecure") }
        if let c = given.cacert { words += ["--cacert", Self.quoted(c)] }
        if let t = given.timeout { words += ["--timeout", DurationText.format(t)] }
        if let l = given.lang { words += ["--lang", Self.quoted(l)] }
        return words.joined(separator: " ")
    }

    /// The password variable to name in a statement (`ATS_PASSWORD` is read anyway).
    private var passwordVariable: String? {
        if case .variable(let v) = password, v != "ATS_PASSWORD" { return v }
        return nil
    }

    /// A word as the language reads it: bare when it is a plain word or URL, else a string.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@[]~%+=,".contains($0) }
            && !text.hasPrefix("-")
        return plain ? text : Language.stringLiteral(text)
    }
}
