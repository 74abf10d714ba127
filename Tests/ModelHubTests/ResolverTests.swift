import Foundation
import Testing

@testable import ModelHub

@Suite("Model selection and config")
struct ResolverTests {
    /// Installs the tiny model as `name` under `root/models` (or any folder).
    func install(_ name: String, in folder: String) throws {
        try FileManager.default.createDirectory(
            atPath: folder + "/" + name, withIntermediateDirectories: true)
        for f in ["model.safetensors", "config.json"] {
            try FileManager.default.copyItem(
                atPath: try fixture("hf/" + f), toPath: folder + "/" + name + "/" + f)
        }
    }

    @Test("with nothing installed the error explains fetch and the bundled demo model")
    func nothingInstalled() throws {
        let dir = makeTempDir("resolve-none")
        defer { cleanup(dir) }
        do {
            _ = try makeLibrary(dir, bundled: [dir + "/nope/models"]).resolve(explicit: nil)
            Issue.record("resolved without a model")
        } catch let error as ModelHubError {
            #expect(error.description.contains("picseek model fetch chinese-clip-vit-base-patch16"))
            #expect(error.description.contains("models/picseek-demo"))
        }
    }

    @Test(
        "falls back to the bundled demo model, prefers installed ones, and obeys config and --model"
    )
    func order() throws {
        let dir = makeTempDir("resolve-order")
        defer { cleanup(dir) }
        let bundled = dir + "/repo/models"
        try install("picseek-demo", in: bundled)
        let library = makeLibrary(dir, bundled: [dir + "/missing", bundled])
        var r = try library.resolve(explicit: nil)
        #expect(
            r.name == "picseek-demo" && r.reason == .bundledDemo
                && r.folder == bundled + "/picseek-demo")

        try install("mine", in: dir + "/models")
        r = try library.resolve(explicit: nil)
        #expect(r.name == "mine" && r.reason == .onlyInstalled)

        try install(ModelRegistry.defaultName, in: dir + "/models")
        r = try library.resolve(explicit: nil)
        #expect(r.name == ModelRegistry.defaultName && r.reason == .defaultModel)
        #expect(r.entry.family == "chinese-clip" && r.entry.licence.contains("apache-2.0"))

        try writeFile(
            library.configFile,
            Array("# picseek\nmodel = \"mine\"  # chosen\n[explorer]\ntheme = 'dark'\n".utf8))
        r = try library.resolve(explicit: nil)
        #expect(r.name == "mine" && r.reason == .configFile)

        r = try library.resolve(explicit: bundled + "/picseek-demo")
        #expect(r.folder == bundled + "/picseek-demo" && r.reason == .explicit)

        do {
            _ = try library.resolve(explicit: "chinese-clip-vit-huge-patch14")
            Issue.record("resolved a model that is not installed")
        } catch let error as ModelHubError {
            #expect(error.description.contains("picseek model fetch chinese-clip-vit-huge-patch14"))
        }
    }

    @Test("a .partial folder never counts as installed")
    func partialIgnored() throws {
        let dir = makeTempDir("resolve-partial")
        defer { cleanup(dir) }
        try install(ModelRegistry.defaultName + ".partial", in: dir + "/models")
        #expect(makeLibrary(dir).installedModels().isEmpty)
    }

    @Test("parses the TOML subset and reports malformed lines with their number")
    func toml() throws {
        let c = try ConfigFile.parse(
            "model = \"a\\\"b\\u00e9\"\nn = 3 # c\n[t]\nk = 'lit'\n", file: "c.toml")
        #expect(c.values == ["model": "a\"bé", "n": "3", "t.k": "lit"])
        #expect(c.model == "a\"bé")
        #expect(
            throws: ModelHubError.badConfig(file: "c.toml", reason: "line 2: expected key = value")
        ) {
            try ConfigFile.parse("a = 1\nnonsense\n", file: "c.toml")
        }
        #expect(
            throws: ModelHubError.badConfig(file: "c.toml", reason: "line 1: unterminated string")
        ) {
            try ConfigFile.parse("model = \"open\n", file: "c.toml")
        }
    }

    @Test("XDG folders come from the environment with home fallbacks")
    func xdg() {
        let a = ModelLibrary(environment: [
            "HOME": "/h", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "/c",
        ])
        #expect(
            a.modelsDirectory == "/d/picseek/models" && a.configFile == "/c/picseek/config.toml")
        let b = ModelLibrary(environment: ["HOME": "/h", "XDG_DATA_HOME": "relative"])
        #expect(
            b.modelsDirectory == "/h/.local/share/picseek/models"
                && b.configFile == "/h/.config/picseek/config.toml")
        let c = ModelLibrary(environment: ["HOME": "/h", "PICSEEK_BUNDLED_MODELS": "/b"])
        #expect(c.bundledSearchRoots.first == "/b")
    }

    @Test(
        "the registry lists the four Chinese-CLIP ViTs and the XLM-R model without invented hashes")
    func registry() {
        let names = ModelRegistry.entries.map(\.name)
        #expect(
            names == [
                "chinese-clip-vit-base-patch16", "chinese-clip-vit-large-patch14",
                "chinese-clip-vit-large-patch14-336px", "chinese-clip-vit-huge-patch14",
                "xlm-roberta-base-ViT-B-32",
            ])
        #expect(ModelRegistry.entries.allSatisfy { $0.files.allSatisfy { $0.sha256 == nil } })
        let xlmr = ModelRegistry.entry(named: "xlm-roberta-base-ViT-B-32")
        #expect(xlmr?.unsupportedReason == nil)
        #expect(xlmr?.family == "openclip-xlmr")
        #expect(xlmr?.files.map(\.name).contains("open_clip_config.json") == true)
        #expect(
            ModelRegistry.entry(originalCheckpoint: "clip_cn_vit-b-16.pt")?.name
                == ModelRegistry.defaultName)
    }
}
