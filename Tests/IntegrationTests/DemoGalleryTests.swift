import CLIP
import Foundation
import Imaging
import Library
import PicseekCore
import Store
import Testing

/// The repository checkout this file belongs to.
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Pictures of the sample gallery indexed by the test.
private let galleryPictures = 40

/// What one generated picture of `sample-gallery/` shows, from the demo model's
/// `gallery-scenes.jsonl` (written by `scripts/demo/gallery.py`).
struct GalleryScene {
    var image: String
    var english: String
    var chinese: String
    var attributes: [String: Any]
    var mentioned: [String: Any]

    /// Reads the first `count` scenes of the manifest.
    static func load(count: Int) throws -> [GalleryScene] {
        let url = repository.appendingPathComponent("models/picseek-demo/gallery-scenes.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        var scenes: [GalleryScene] = []
        for line in text.split(separator: "\n") where scenes.count < count {
            guard
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                    as? [String: Any],
                let image = object["image"] as? String, let en = object["en"] as? String,
                let zh = object["zh"] as? String,
                let attributes = object["attributes"] as? [String: Any],
                let mentioned = object["mentioned"] as? [String: Any]
            else { throw ManifestError(line: String(line)) }
            scenes.append(
                GalleryScene(
                    image: image, english: en, chinese: zh, attributes: attributes,
                    mentioned: mentioned))
        }
        return scenes
    }

    /// The evaluation hit rule (`scripts/demo/scenes.py`, `matches`): every scene-level
    /// field the description states is equal here, and every object it states is matched
    /// by an object of this scene equal on each of its fields.
    func shows(_ description: [String: Any]) -> Bool {
        for key in ["background", "background_colour", "time"] {
            if let wanted = description[key], text(attributes[key]) != text(wanted) { return false }
        }
        let objects = attributes["objects"] as? [[String: Any]] ?? []
        for wanted in description["objects"] as? [[String: Any]] ?? [] {
            let found = objects.contains { object in
                wanted.allSatisfy { key, value in text(object[key]) == text(value) }
            }
            if !found { return false }
        }
        return true
    }

    private func text(_ value: Any?) -> String? { value.map { "\($0)" } }
}

struct ManifestError: Error, CustomStringConvertible {
    let line: String
    var description: String { "gallery-scenes.jsonl: unusable line \(line)" }
}

/// The first pictures of `sample-gallery/`, copied to `.build/integration-gallery/` and
/// indexed once with the bundled demo model. The folder is shared by the whole run, so it
/// is cleared at the start of the next one (and by `make clean`), never left in /tmp.
final class IndexedGallery: @unchecked Sendable {
    let scenes: [GalleryScene]
    let model: ClipModel
    let store: IndexStore
    let report: IndexReport
    let folder: URL

    init() throws {
        scenes = try GalleryScene.load(count: galleryPictures)
        model = try ClipModel(
            directory: repository.appendingPathComponent("models/picseek-demo").path)
        folder = repository.appendingPathComponent(".build/integration-gallery")
        if FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.removeItem(at: folder)
        }
        let photos = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for scene in scenes {
            try FileManager.default.copyItem(
                at: repository.appendingPathComponent("sample-gallery").appendingPathComponent(
                    scene.image),
                to: photos.appendingPathComponent(scene.image))
        }
        store = try IndexStore.open(path: folder.appendingPathComponent("index.sqlite").path)
        let pipeline = ImagePipeline()
        report = try Indexer(
            store: store, embedder: model,
            processor: { data, spec in try pipeline.process(data: data, spec: spec) },
            encodeThumbnail: { image, quality in try JPEG.encode(image, quality: quality) }
        ).run(roots: [Array(photos.path.utf8)])
    }

    /// The scene shown by the best hit for `query`, searched as `picseek search` does
    /// (default prompt templates, language detected).
    func topScene(_ query: String, templates: Bool = true) throws -> GalleryScene? {
        let engine = SearchEngine(store: store, embedder: model)
        var request = SearchRequest(query: .text(query))
        request.useTemplates = templates
        request.top = 1
        guard let hit = try engine.search(request).first else { return nil }
        let name = String(decoding: RawPath.baseName(hit.pathBytes), as: UTF8.self)
        return scenes.first { $0.image == name }
    }
}

private let gallery = Result { try IndexedGallery() }

@Suite("Demo model on the sample gallery")
struct DemoGalleryTests {
    @Test("the gallery pictures are all indexed")
    func indexed() throws {
        let g = try gallery.get()
        #expect(g.report.added + g.report.duplicates == galleryPictures)
        #expect(g.report.failed == 0)
    }

    /// Plain queries and the attributes a picture must have to answer them.
    static let queries: [(query: String, wanted: [String: Any])] = [
        (
            "two clouds in the sky",
            ["background": "sky", "objects": [["kind": "cloud", "count": 2]]]
        ),
        ("天空中有两朵云", ["background": "sky", "objects": [["kind": "cloud", "count": 2]]]),
        (
            "three trees in the snow",
            ["background": "snow", "objects": [["kind": "tree", "count": 3]]]
        ),
        ("雪地上有三棵树", ["background": "snow", "objects": [["kind": "tree", "count": 3]]]),
        (
            "an orange boat on the sea",
            ["background": "sea", "objects": [["kind": "boat", "colour": "orange"]]]
        ),
        ("海上有一艘橙色船", ["background": "sea", "objects": [["kind": "boat", "colour": "orange"]]]),
        (
            "orange hearts on the grass at night",
            [
                "background": "grass", "time": "night",
                "objects": [["kind": "heart", "colour": "orange"]],
            ]
        ),
        (
            "夜晚草地上的橙色心形",
            [
                "background": "grass", "time": "night",
                "objects": [["kind": "heart", "colour": "orange"]],
            ]
        ),
        (
            "a blue heart on the grass",
            ["background": "grass", "objects": [["kind": "heart", "colour": "blue", "count": 1]]]
        ),
        (
            "草地上有一个蓝色心形",
            ["background": "grass", "objects": [["kind": "heart", "colour": "blue", "count": 1]]]
        ),
        (
            "two green triangles on the sea at night",
            [
                "background": "sea", "time": "night",
                "objects": [["kind": "triangle", "colour": "green", "count": 2]],
            ]
        ),
        (
            "夜晚海上的两个绿色三角形",
            [
                "background": "sea", "time": "night",
                "objects": [["kind": "triangle", "colour": "green", "count": 2]],
            ]
        ),
        (
            "three black circles in a room",
            ["background": "room", "objects": [["kind": "circle", "colour": "black", "count": 3]]]
        ),
        (
            "房间里的三个黑色圆形",
            ["background": "room", "objects": [["kind": "circle", "colour": "black", "count": 3]]]
        ),
    ]

    @Test("plain English and Chinese queries find a matching picture first")
    func plainQueries() throws {
        let g = try gallery.get()
        for (query, wanted) in Self.queries {
            // The query must have an answer among the indexed pictures.
            #expect(g.scenes.contains { $0.shows(wanted) }, "no picture answers \(query)")
            let top = try g.topScene(query)
            #expect(top?.shows(wanted) == true, "\(query): best hit \(top?.image ?? "none")")
        }
    }

    @Test("most of the pictures' own captions find a matching picture first, in each language")
    func ownCaptions() throws {
        let g = try gallery.get()
        var hits = (english: 0, chinese: 0)
        for scene in g.scenes {
            // `mentioned` is what the caption states; the caption's own picture always shows it.
            if try g.topScene(scene.english)?.shows(scene.mentioned) == true { hits.english += 1 }
            if try g.topScene(scene.chinese)?.shows(scene.mentioned) == true { hits.chinese += 1 }
        }
        // Over these 40 pictures the stage-2 demo model got 35 (English) and 37 (Chinese)
        // right, the stage-1 one 31 and 29. Recall@1 over the 600-picture eval set is 0.64
        // (English) for the current (stage-7, 96 px) model, 0.59 for stage 4, 0.49 for stage 2.
        let needed = g.scenes.count * 6 / 10
        #expect(hits.english >= needed, "English: \(hits.english) of \(g.scenes.count)")
        #expect(hits.chinese >= needed, "Chinese: \(hits.chinese) of \(g.scenes.count)")
    }
}
