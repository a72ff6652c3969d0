// swift-tools-version: 6.2
// Fuzz targets (libFuzzer) and the JSON and REPL benchmark executables for ats. Each fuzz-* product
// has an ordinary `main` that hands its check to libFuzzer's driver (SwiftPM renames
// executables' entry points, so libFuzzer's own `main` cannot be used). A separate package so
// that the sanitizer and fuzzer flags never touch the main build. Build and run through
// `scripts/fuzz` and `scripts/bench-json`, which pass the right flags:
//   fuzz targets:  swift build -c release -Xswiftc -sanitize=address
//                    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
//                    -Xlinker …/libclang_rt.fuzzer_no_main-ARCH.a -Xlinker -lstdc++ --product fuzz-json
//   benchmark:     swift build -c release --product json-bench
import Foundation
import PackageDescription

/// The main package, by path. A path dependency is named after its directory.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let ats = root.lastPathComponent.lowercased()


let package = Package(
    name: "ats-fuzz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fuzz-json", targets: ["FuzzJSON"]),
        .executable(name: "fuzz-language", targets: ["FuzzLanguage"]),
        .executable(name: "fuzz-hql", targets: ["FuzzHQL"]),
        .executable(name: "fuzz-casefile", targets: ["FuzzCaseFile"]),
        .executable(name: "fuzz-sim", targets: ["FuzzSimulator"]),
        .executable(name: "json-bench", targets: ["JSONBench"]),
        .executable(name: "repl-bench", targets: ["REPLBench"]),
    ],
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's driver entry point; fuzz targets call it from their `main`.
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzDriver", dependencies: ["CFuzzDriver"]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzDriver", .product(name: "ATSJSON", package: ats)]),
        .executableTarget(
            name: "FuzzLanguage", dependencies: ["FuzzDriver", .product(name: "ATSLanguage", package: ats)]),
        .executableTarget(
            name: "FuzzHQL",
            dependencies: [
                "FuzzDriver", .product(name: "AOClient", package: ats), .product(name: "AOSimulator", package: ats),
                .product(name: "ATSJSON", package: ats),
            ]),
        .executableTarget(
            name: "FuzzCaseFile",
            dependencies: ["FuzzDriver", .product(name: "ATSSupport", package: ats), .product(name: "ATSJSON", package: ats)]),
        .executableTarget(
            name: "FuzzSimulator",
            dependencies: [
                "FuzzDriver", .product(name: "AOClient", package: ats), .product(name: "AOSimulator", package: ats),
                .product(name: "ATSJSON", package: ats),
            ]),
        .executableTarget(name: "JSONBench", dependencies: [.product(name: "ATSJSON", package: ats)]),
        .executableTarget(name: "REPLBench", dependencies: [.product(name: "ATSLanguage", package: ats)]),
    ]
)
