import AOClient

/// What `ats --version` says: the version, and the git commit when the build recorded one.
public enum BuildInfo {
    /// The commit the binary was built from; scripts/package writes it into its copy of the
    /// sources, so a build from a plain checkout says nothing here.
    public static let commit: String? = nil

    /// `ats 0.1.0 (commit 1a2b3c4d5e6f)`.
    public static var versionLine: String {
        "ats \(AOClientInfo.version)" + (commit.map { " (commit \($0))" } ?? "")
    }
}
