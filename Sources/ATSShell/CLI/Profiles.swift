import ATSLanguage
import Foundation
import TOMLKit

/// One `[profiles.NAME]` table of `~/.config/ats/config.toml`. A password is never stored
/// here by ats; `password_env` names a variable, `password_command` a command that prints it.
public struct Profile: Sendable, Equatable, Decodable {
    public var url: String?
    public var user: String?
    public var passwordEnv: String?
    public var passwordCommand: String?
    public var insecure: Bool?
    public var cacert: String?
    public var lang: String?

    enum CodingKeys: String, CodingKey {
        case url, user, insecure, cacert, lang
        case passwordEnv = "password_env"
        case passwordCommand = "password_command"
    }

    public init(url: String? = nil, user: String? = nil, passwordEnv: String? = nil, passwordCommand: String? = nil,
                insecure: Bool? = nil, cacert: String? = nil, lang: String? = nil) {
        self.url = url
        self.user = user
        self.passwordEnv = passwordEnv
        self.passwordCommand = passwordCommand
        self.insecure = insecure
        self.cacert = cacert
        self.lang = lang
    }
}

/// The config file: profiles by name.
public struct ProfileFile: Sendable, Equatable {
    public var profiles: [String: Profile]

    private struct Document: Decodable {
        var profiles: [String: Profile]?
    }

    /// Where the file lives: `$XDG_CONFIG_HOME/ats/config.toml`, else `~/.config/ats/config.toml`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/ats/config.toml" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/ats/config.toml"
    }

    /// Parses the text of a config file.
    public static func parse(_ text: String, path: String) throws(ShellError) -> ProfileFile {
        do {
            let doc = try TOMLDecoder().decode(Document.self, from: text)
            return ProfileFile(profiles: doc.profiles ?? [:])
        } catch let error as TOMLParseError {
            throw .badConfig(path: path, detail: "line \(error.source.begin.line): \(error.description)")
        } catch {
            throw .badConfig(path: path, detail: "\(error)")
        }
    }

    /// Loads the file at `path`; a missing file has no profiles.
    public static func load(path: String, files: any FileSystem) throws(ShellError) -> ProfileFile {
        guard files.exists(path) else { return ProfileFile(profiles: [:]) }
        let bytes: [UInt8]
        do throws(FileError) { bytes = try files.read(path) } catch { throw .unreadableFile(path, detail: "not readable as UTF-8") }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw .unreadableFile(path, detail: "not readable as UTF-8")
        }
        let file = try parse(text, path: path)
        if file.profiles.values.contains(where: { $0.passwordCommand != nil }),
            let mode = files.permissions(path),
            mode & 0o077 != 0
        {
            throw .badConfig(
                path: path,
                detail: "holds a password_command but other users can access it (mode \(String(mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        return file
    }

    /// The profile named `name`.
    public func profile(_ name: String, path: String) throws(ShellError) -> Profile {
        guard let p = profiles[name] else { throw .unknownProfile(name, path: path) }
        return p
    }
}
