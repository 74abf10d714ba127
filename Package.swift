// swift-tools-version:6.0
//
// picseek: search your own photos by meaning, in the terminal.
// The module map and the allowed dependency arrows are documented in
// ARCHITECTURE.md; every arrow there is a `dependencies:` entry here and no
// other arrow exists.
import PackageDescription

let package = Package(
    name: "picseek",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "picseek", targets: ["picseek"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SQLite through GRDB 7 (its GRDBSQLite system module links libsqlite3).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // MARK: C libraries, each behind one target with exactly one Swift importer.
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        // No pkgConfig: ncursesw.pc only adds feature macros that SwiftPM
        // rejects; shim.h defines what the wide-character API needs.
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncursesw5-dev"])]),
        .target(
            name: "CJPEG",
            linkerSettings: [.linkedLibrary("jpeg")]),

        // MARK: Swift modules, leaf first.
        .target(name: "PicseekCore"),
        .target(name: "Tensor", dependencies: ["COpenBLAS"]),
        .target(name: "Imaging", dependencies: ["CJPEG", "PicseekCore"]),
        .target(name: "CLIP", dependencies: ["Tensor", "PicseekCore", "Tokenizers"]),
        .target(
            name: "Store",
            dependencies: ["PicseekCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Terminal", dependencies: ["CNCurses"]),
        .target(
            name: "Tokenizers",
            exclude: ["Resources/README.md"],
            resources: [.copy("Resources/chinese-clip-vocab.txt")]),
        .executableTarget(
            name: "picseek",
            dependencies: [
                "PicseekCore", "Tensor", "Imaging", "Store", "Terminal", "CLIP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Tests, one target per module.
        .testTarget(name: "PicseekCoreTests", dependencies: ["PicseekCore"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(
            name: "CLIPTests", dependencies: ["CLIP", "Tensor", "PicseekCore", "Imaging"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "PicseekCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
        .testTarget(
            name: "TokenizersTests", dependencies: ["Tokenizers"],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
