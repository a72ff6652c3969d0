import AOClient
import ATSJSON

/// What trace and record show of headers, URLs and bodies.
///
/// The first layer is the type system: secret header values are `HeaderValue.secret` and
/// are only ever turned into text through `description`, which prints `********`; nothing in
/// this module calls `revealed()`. This type is the second layer, defence in depth for
/// secrets that arrive as plain text:
/// - credential headers (`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and
///   any header whose name contains password/passwd/secret/token) keep their scheme only:
///   `Basic ********`, `HSSO ********`; `WWW-Authenticate: HSSO …` likewise (a challenge such
///   as `Basic realm="…"` is shown as sent);
/// - JSON body members whose key contains password, passwd, secret or token (any case);
/// - the `value` (and `defaultValue`) of an object whose `type` is `password`, or whose
///   `keyName`/`name` contains one of those words (a submitted password property);
/// - query parameters whose name contains one of those words.
public enum Redactor {
    /// The words that make a key, header or parameter name secret (compared lowercased).
    public static let secretWords = ["password", "passwd", "secret", "token"]

    /// What a masked value prints as (the same as `Secret`).
    public static let mask = Secret.mask

    /// True when `name` contains one of `secretWords`, ignoring case.
    public static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased().unicodeScalars  // scalars: `password◌́` still holds `password`
        return secretWords.contains { lower.contains($0.unicodeScalars) }
    }

    private static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "www-authenticate",
        "proxy-authenticate",
    ]

    /// The text to show for a header value. Secret values print through `description`
    /// (`********`); plain credentials keep only their scheme.
    public static func display(name: String, value: HeaderValue) -> String {
        switch value {
        case .secret:
            return value.description
        case .plain(let text):
            let lower = name.lowercased()
            if lower == "www-authenticate" || lower == "proxy-authenticate" {
                // A challenge (`Basic realm="…"`) is not secret; an issued token is.
                return text.lowercased().hasPrefix("hsso ") ? "HSSO " + mask : text
            }
            if lower == "authorization" || lower == "proxy-authorization" {
                if let space = text.firstIndex(of: " ") { return String(text[..<space]) + " " + mask }
                return mask
            }
            if credentialHeaders.contains(lower) || isSecretName(name) { return mask }
            return value.description
        }
    }

    /// The headers as (name, shown value) pairs, in order.
    public static func display(_ headers: HTTPHeaderFields) -> [(name: String, value: String)] {
        headers.map { (name: $0.name, value: display(name: $0.name, value: $0.value)) }
    }

    /// `url` with the values of secret-looking query parameters replaced by `********`.
    /// Works on Unicode scalars, as a server reads the URL: `=` followed by a combining mark
    /// is still the `=` (one Swift `Character` would hide it, and the value with it).
    public static func url(_ url: String) -> String {
        let scalars = url.unicodeScalars
        guard let q = scalars.firstIndex(of: "?") else { return url }
        let head = String(scalars[...q])
        var changed = false
        let pairs = scalars[scalars.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map {
            pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = QueryEncoding.decode(Substring(pair[..<eq]), plusIsSpace: true)
            guard isSecretName(name), pair.index(after: eq) != pair.endIndex else { return String(pair) }
            changed = true
            return String(pair[...eq]) + mask
        }
        return changed ? head + pairs.joined(separator: "&") : url
    }

    /// `json` with secret-looking members masked (see the type's documentation).
    public static func body(_ json: JSON) -> JSON {
        switch json {
        case .array(let items):
            return .array(items.map(body))
        case .object(let object):
            let passwordTyped = (object["type"]?.stringValue?.lowercased() == "password")
                || (object["keyName"]?.stringValue).map(isSecretName) == true
                || (object["name"]?.stringValue).map(isSecretName) == true
            var out = JSONObject()
            for (key, value) in object {
                if isSecretName(key) || (passwordTyped && (key == "value" || key == "defaultValue")) {
                    out.appendUnchecked(key: key, value: masked(value))
                } else {
                    out.appendUnchecked(key: key, value: body(value))
                }
            }
            return .object(out)
        case .null, .bool, .int, .double, .string:
            return json
        }
    }

    /// A masked member value: `null` and "" stay (they reveal nothing), anything else is `********`.
    private static func masked(_ value: JSON) -> JSON {
        switch value {
        case .null: return .null
        case .string(let s) where s.isEmpty: return value
        case .bool, .int, .double, .string, .array, .object: return .string(mask)
        }
    }

    /// Masks `secret("…")` literals in a statement's source text, so a case file never holds
    /// a password typed into a script.
    ///
    /// It reads UTF-8 bytes, as the language's lexer does: a quote followed by a combining
    /// mark is still a quote (as one Swift `Character` it would not be, and the secret that
    /// starts with the mark would stay in clear).
    public static func statement(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let marker = Array("secret(".utf8)
        let space = UInt8(ascii: " "), backslash = UInt8(ascii: "\\")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == marker[0], bytes[i...].starts(with: marker) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            out += marker
            i += marker.count
            var start = i
            while start < bytes.count, bytes[start] == space { start += 1 }
            guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'") else { continue }
            // Skip to the closing quote (honouring backslash escapes).
            let quote = bytes[start]
            var end = start + 1
            var escaped = false
            while end < bytes.count {
                let c = bytes[end]
                if escaped { escaped = false } else if c == backslash { escaped = true } else if c == quote { break }
                end += 1
            }
            out += [quote] + Array(mask.utf8) + [quote]
            i = min(end + 1, bytes.count)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
