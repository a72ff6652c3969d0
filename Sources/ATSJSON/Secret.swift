/// A string that must never be shown: a password, an `Authorization` header, an HSSO token.
///
/// Every way of turning it into text (`description`, `debugDescription`, string
/// interpolation, `dump`) gives `********`. Only the transport, at the moment it writes
/// the bytes on the wire, calls `revealed()`. Secrets are a type, not a filter: a new code
/// path that prints a secret prints the mask.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// What every secret prints as.
    public static let mask = "********"

    private let value: String

    public init(_ value: String) { self.value = value }

    /// The plain text. Call only where the bytes leave the process for the server (the
    /// transport) or are checked by it (the simulator), never to print or store.
    public func revealed() -> String { value }

    /// True when the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
