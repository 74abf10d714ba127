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
        // libpq, PostgreSQL's client: the PostgreSQL index (Store only).
        .systemLibrary(
            name: "CPostgres", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        // No pkgConfig: ncursesw.pc only adds feature macros that SwiftPM
        // rejects; shim.h defines what the wide-character API needs.
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncursesw5-dev"])]),
        .target(
            name: "CJPEG",
            linkerSettings: [.linkedLibrary("jpeg")]),
        .target(
            name: "CPNG",
            linkerSettings: [.linkedLibrary("png16")]),
        .target(
            name: "CWebP",
            linkerSettings: [.linkedLibrary("webpdemux"), .linkedLibrary("webp")]),
        .target(
            name: "CGIF",
            linkerSettings: [.linkedLibrary("gif")]),
        .target(
            name: "CTIFF",
            linkerSettings: [.linkedLibrary("tiff")]),
        // HEIC/HEIF and AVIF through libheif (HEVC by libavcodec, AV1 by dav1d/aom).
        .target(
            name: "CHeif",
            linkerSettings: [
                .linkedLibrary("heif"), .linkedLibrary("avcodec"), .linkedLibrary("avutil"),
            ]),
        // libtesseract's C API (OCR); only the OCR module imports it.
        .target(
            name: "CTesseract",
            linkerSettings: [.linkedLibrary("tesseract")]),
        // Score and thin-linear kernels: AVX2/AVX-512 per function, chosen at run time.
        .target(name: "CSIMD"),

        // MARK: Swift modules, leaf first.
        .target(name: "PicseekCore"),
        .target(name: "Tensor", dependencies: ["COpenBLAS", "CSIMD"]),
        .target(
            name: "Imaging",
            dependencies: ["CJPEG", "CPNG", "CWebP", "CGIF", "CTIFF", "CHeif", "PicseekCore"]),
        .target(name: "OCR", dependencies: ["CTesseract", "PicseekCore"]),
        .target(name: "CLIP", dependencies: ["Tensor", "PicseekCore", "Tokenizers", "ModelFiles"]),
        .target(
            name: "Store",
            dependencies: [
                "PicseekCore", "CPostgres", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .target(name: "Cells"),
        // Terminal image encodings from packed RGB: sixel, PNG, iTerm2 inline images.
        .target(name: "Graphics"),
        .target(name: "Explorer", dependencies: ["Cells", "PicseekCore"]),
        .target(name: "Terminal", dependencies: ["CNCurses", "Cells"]),
        // The explorer's runtime loop (keys, effects on worker threads, frames, pictures);
        // ModelHub only for the config file that names the theme.
        .target(
            name: "ExplorerRuntime",
            dependencies: ["Explorer", "Terminal", "Cells", "Graphics", "PicseekCore", "ModelHub"]),
        // The explorer's backend over the real index (Library's search engine and indexer,
        // the IndexStore); Imaging for thumbnails and previews.
        .target(
            name: "ExplorerBackends",
            dependencies: ["Explorer", "Library", "Store", "Imaging", "PicseekCore"]),
        .target(
            name: "Tokenizers",
            exclude: ["Resources/README.md"],
            resources: [.copy("Resources/chinese-clip-vocab.txt")]),
        // Model files: safetensors headers, memory maps, dtypes, Hugging Face config.json.
        .target(name: "ModelFiles", dependencies: ["PicseekCore"]),
        // Model registry, fetch over HTTPS (URLSession), PyTorch/safetensors import.
        .target(name: "ModelHub", dependencies: ["PicseekCore", "Tokenizers", "ModelFiles"]),
        .target(
            name: "Library",
            dependencies: ["Store", "Tensor", "PicseekCore"]),
        // The `picseek bench` measurements and their shared statistics.
        .target(
            name: "Benchmarks",
            dependencies: [
                "PicseekCore", "Tensor", "Imaging", "OCR", "CLIP", "Store", "Library",
                "Tokenizers", "Cells", "Graphics", "Explorer", "Terminal",
            ]),
        .executableTarget(
            name: "picseek",
            dependencies: [
                "PicseekCore", "Tensor", "Imaging", "Store", "Library", "Terminal", "ModelHub",
                "Cells", "Explorer", "CLIP", "Tokenizers", "Graphics", "OCR", "ExplorerRuntime",
                "ExplorerBackends", "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // A child process for the kill test: indexes with a fake model and is
        // killed with SIGKILL at random moments by LibraryTests.
        .executableTarget(
            name: "picseek-index-stress",
            dependencies: ["Library", "Store", "PicseekCore", "PicseekTestSupport"]),

        // What tests and the stress helper share: temporary trees, the fake model and
        // decoder, seeded random generators, polling with deadlines.
        .target(name: "PicseekTestSupport", dependencies: ["Library", "Store", "PicseekCore"]),

        // MARK: Tests, one target per module.
        .testTarget(name: "PicseekCoreTests", dependencies: ["PicseekCore"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(
            name: "CLIPTests", dependencies: ["CLIP", "Tensor", "PicseekCore", "Imaging"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ImagingTests", dependencies: ["Imaging", "PicseekCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "PicseekCore"]),
        .testTarget(
            name: "LibraryTests",
            dependencies: [
                "Library", "Store", "Imaging", "PicseekCore", "Tensor", "PicseekTestSupport",
                "picseek-index-stress",
            ]),
        .testTarget(
            name: "OCRTests", dependencies: ["OCR", "Imaging", "PicseekCore", "picseek"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Cells"]),
        .testTarget(
            name: "TokenizersTests", dependencies: ["Tokenizers"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ModelHubTests", dependencies: ["ModelHub", "ModelFiles", "PicseekCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles"]),
        .testTarget(name: "CellsTests", dependencies: ["Cells"]),
        .testTarget(
            name: "BenchmarksTests",
            dependencies: ["Benchmarks", "Library", "Store", "Tensor", "PicseekCore"]),
        // Imaging only to read the PNG encoder's output back through libpng; Benchmarks for
        // its synthetic photo-like images.
        .testTarget(name: "GraphicsTests", dependencies: ["Graphics", "Imaging", "Benchmarks"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Cells", "PicseekCore"]),
        // The runtime loop with a fake screen and a hand-driven clock, and in a
        // pseudo-terminal through ncurses.
        .testTarget(
            name: "ExplorerRuntimeTests",
            dependencies: ["ExplorerRuntime", "Explorer", "Terminal", "Cells", "PicseekCore"]),
        .testTarget(
            name: "ExplorerBackendsTests",
            dependencies: [
                "ExplorerBackends", "Explorer", "Library", "Store", "PicseekCore",
                "PicseekTestSupport", "Imaging",
            ]),
        // End-to-end runs of the binary, and the reusable tmux harness for them.
        .testTarget(
            name: "ExplorerE2ETests",
            dependencies: [
                "picseek", "PicseekCore", "Imaging", "Store", "Tensor", "PicseekTestSupport",
            ]),
        // The installed tree (`make test-install`): runs only when PICSEEK_INSTALLED_PREFIX
        // names a staged install; uses nothing but the files there and system tools.
        .testTarget(name: "InstallTests"),
        // Indexes part of sample-gallery/ with the bundled demo model (models/picseek-demo)
        // and checks English and Chinese searches end to end.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["CLIP", "Library", "Store", "Imaging", "PicseekCore"]),
    ],
    swiftLanguageModes: [.v5]
)
