// swift-tools-version: 6.2
import PackageDescription

/// Every target of ours compiles in Swift 6 mode with warnings treated as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "ats",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ats", targets: ["ats"]),
        // Libraries for the fuzz and benchmark package in Fuzz/, which depends on this one by path.
        .library(name: "ATSJSON", targets: ["ATSJSON"]),
        .library(name: "ATSLanguage", targets: ["ATSLanguage"]),
        .library(name: "AOClient", targets: ["AOClient"]),
        .library(name: "AOSimulator", targets: ["AOSimulator"]),
        .library(name: "ATSSupport", targets: ["ATSSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already in the graph through async-http-client; named so AOClient can configure TLS.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        // The command line of ats and its subcommands: parsing, help, completions, man page.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Leaf: the JSON value, parser and printers, and the Secret type.
        .target(name: "ATSJSON", swiftSettings: strict),
        // The language: syntax, diagnostics, interpreter. Knows nothing of HTTP.
        .target(name: "ATSLanguage", dependencies: ["ATSJSON"], swiftSettings: strict),
        // The API client core: transport protocol, session, operations, queries, errors.
        // Pure Swift (no NIO), so the simulator, support and fuzz targets build without it.
        .target(name: "AOClient", dependencies: ["ATSJSON"], swiftSettings: strict),
        // The real transport: HTTP/1.1 and TLS over AsyncHTTPClient.
        .target(
            name: "AOHTTPClient",
            dependencies: [
                "AOClient", "ATSJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),
        // The simulated JP1/AO server: model, engine, routes; an in-memory Transport.
        .target(name: "AOSimulator", dependencies: ["AOClient", "ATSJSON"], swiftSettings: strict),
        // Serves any Transport (the simulator, a replay) over real HTTP/HTTPS on loopback;
        // `ats sim` lives here.
        .target(
            name: "AOHTTPServer",
            dependencies: [
                "AOClient", "AOSimulator", "ATSSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: strict),
        // Support: trace, record (case files), replay, diff, redaction.
        .target(name: "ATSSupport", dependencies: ["AOClient", "ATSJSON"], swiftSettings: strict),
        // The glue: API commands as language built-ins, output, errors, profiles.
        .target(
            name: "ATSShell",
            dependencies: [
                "ATSLanguage", "AOClient", "ATSSupport", "ATSJSON",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict),
        // The one definition of the command line (swift-argument-parser): ats and its
        // subcommands, their help, the completions and the man page. Above the modules whose
        // commands it names (the shell, `ats sim`, `ats diff`).
        .target(
            name: "ATSCommandLine",
            dependencies: [
                "ATSShell", "ATSLanguage", "ATSJSON", "AOClient", "AOSimulator", "AOHTTPServer", "ATSSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // The real world that `main` wires into the shell: file descriptors, terminals,
        // SIGINT, the machine's clock and files, and the transports (AsyncHTTPClient, the
        // in-process simulator).
        .target(
            name: "ATSSystem", dependencies: ["ATSShell", "ATSLanguage", "AOClient", "AOHTTPClient", "AOSimulator"],
            swiftSettings: strict),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // The REPL: line readers (libedit and plain), history, completion.
        .target(name: "ATSREPL", dependencies: ["ATSShell", "CLibEdit"], swiftSettings: strict),
        // `ats lsp`: the language server (JSON-RPC over an injected byte stream; main wires stdio).
        .target(name: "ATSLSP", dependencies: ["ATSLanguage", "ATSJSON", "ATSShell", "AOClient"], swiftSettings: strict),
        .executableTarget(
            name: "ats",
            dependencies: ["ATSCommandLine", "ATSShell", "ATSSystem", "ATSREPL", "ATSLSP", "AOHTTPServer", "ATSSupport"],
            swiftSettings: strict),

        // Shared test helpers (one helper, one place).
        .target(
            name: "TestSupport",
            dependencies: [
                "ATSJSON", "AOClient", "AOHTTPClient", "AOSimulator", "ATSLanguage", "ATSShell", "ATSCommandLine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(
            name: "ATSJSONTests", dependencies: ["ATSJSON", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "ATSLanguageTests", dependencies: ["ATSLanguage", "TestSupport"],
            exclude: ["Scripts"], swiftSettings: strict),
        .testTarget(
            name: "AOClientTests", dependencies: ["AOClient", "AOSimulator", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "AOHTTPClientTests", dependencies: ["AOClient", "AOHTTPClient", "ATSJSON", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "AOSimulatorTests",
            dependencies: ["AOSimulator", "AOHTTPServer", "AOClient", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ATSSupportTests", dependencies: ["ATSSupport", "AOHTTPClient", "AOSimulator", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ATSShellTests", dependencies: ["ATSShell", "ATSCommandLine", "ATSSystem", "AOSimulator", "TestSupport"],
            exclude: ["OutputGolden", "CLIGolden"], swiftSettings: strict),
        .testTarget(
            name: "ATSREPLTests", dependencies: ["ATSREPL", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ATSLSPTests", dependencies: ["ATSLSP", "ATSLanguage", "ATSJSON", "ATSShell", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests", dependencies: ["TestSupport", "ATSJSON"],
            swiftSettings: strict),
        .testTarget(
            name: "ReliabilityTests", dependencies: ["TestSupport", "ATSJSON", "AOClient"],
            swiftSettings: strict),
    ]
)
