import Foundation
import ModelFiles

/// `picseek model import`: turns a Hugging Face folder or a PyTorch checkpoint into an
/// installed model folder (`config.json`, `preprocessor_config.json`, `vocab.txt`,
/// `model.safetensors`, `picseek-model.json`).
///
/// Accepted inputs: a folder with `model.safetensors` (header verified, then hard-linked,
/// reflinked or stream-copied — never read into memory); a folder with only
/// `pytorch_model.bin` (or `open_clip_pytorch_model.bin`); a `.pt`/`.bin`/`.pth` file in
/// the original Chinese-CLIP layout or with HF names. Missing config files are synthesised
/// from the tensor shapes. The model is assembled in `NAME.import.partial` and renamed into
/// place only when complete.
public struct ModelImporter {
    public var library: ModelLibrary

    public init(library: ModelLibrary) {
        self.library = library
    }

    /// What an import did.
    public struct Result: Sendable {
        public var name: String
        public var path: String
        /// Human-readable notes: layout, copy method, synthesised files, dropped tensors.
        public var notes: [String]
    }

    static let extraFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    /// Imports `source` (folder or file) as `name` (default: derived from the source).
    public func importModel(from source: String, name: String? = nil) throws -> Result {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: source, isDirectory: &isDir) else {
            throw ModelHubError.io(path: source, reason: "no such file or folder")
        }
        let sourceName = (source as NSString).lastPathComponent
        let modelName: String
        if let name {
            modelName = name
        } else if !isDir.boolValue, let entry = ModelRegistry.entry(originalCheckpoint: sourceName)
        {
            modelName = entry.name
        } else {
            modelName =
                isDir.boolValue ? sourceName : (sourceName as NSString).deletingPathExtension
        }
        try ModelLibrary.validate(name: modelName)
        let destination = library.folder(for: modelName)
        guard !fm.fileExists(atPath: destination) else {
            throw ModelHubError.alreadyInstalled(name: modelName, path: destination)
        }
        let partial = destination + ".import.partial"
        try? fm.removeItem(atPath: partial)
        do {
            try fm.createDirectory(atPath: partial, withIntermediateDirectories: true)
        } catch {
            throw ModelHubError.io(
                path: partial, reason: "cannot create folder: \(error.localizedDescription)")
        }
        do {
            var notes: [String] = []
            let sourceFolder =
                isDir.boolValue ? source : (source as NSString).deletingLastPathComponent
            let shapes: [String: [Int]]
            let weights = partial + "/model.safetensors"
            if isDir.boolValue, fm.fileExists(atPath: source + "/model.safetensors") {
                let input = source + "/model.safetensors"
                let header = try ModelHubError.mappingFileErrors {
                    try SafetensorsHeader.read(path: input)
                }
                let method = try FileCopy.place(input, at: weights, allowHardLink: true)
                notes.append(
                    "model.safetensors: header verified (\(header.tensors.count) tensors), \(method.rawValue)"
                )
                shapes = Dictionary(
                    uniqueKeysWithValues: header.tensors.map { ($0.name, $0.shape) })
            } else {
                var checkpoint = source
                if isDir.boolValue {
                    guard
                        let found = ["pytorch_model.bin", "open_clip_pytorch_model.bin"]
                            .map({ source + "/" + $0 }).first(where: { fm.fileExists(atPath: $0) })
                    else {
                        throw ModelHubError.badCheckpoint(
                            file: source,
                            reason: "folder has neither model.safetensors nor pytorch_model.bin")
                    }
                    checkpoint = found
                }
                let result = try CheckpointConverter.convert(checkpoint: checkpoint, to: weights)
                notes.append(
                    "\((checkpoint as NSString).lastPathComponent): \(result.layout.rawValue) layout, "
                        + "converted to model.safetensors (\(result.shapes.count) tensors)")
                if !result.dropped.isEmpty {
                    notes.append("not copied: " + result.dropped.joined(separator: ", "))
                }
                shapes = result.shapes
            }
            // Written files are verified by reading the header back.
            _ = try ModelHubError.mappingFileErrors { try SafetensorsHeader.read(path: weights) }
            let isOpenCLIP = shapes.keys.contains { $0.hasPrefix("text.transformer.") }
            let family = isOpenCLIP ? "openclip-xlmr" : "chinese-clip"
            notes += try companionFiles(
                from: sourceFolder, copyConfig: isDir.boolValue, into: partial,
                shapes: shapes, family: family, file: source)
            var files: [ModelManifest.File] = []
            for f in ((try? fm.contentsOfDirectory(atPath: partial)) ?? []).sorted() {
                let size =
                    (try? fm.attributesOfItem(atPath: partial + "/" + f)[.size] as? NSNumber)?
                    .int64Value ?? 0
                files.append(.init(name: f, bytes: size, sha256: nil))
            }
            let manifest = ModelManifest(
                name: modelName, family: family, source: "import:" + source,
                licence: ModelRegistry.entry(named: modelName)?.licence ?? "unknown (imported)",
                files: files, notes: notes)
            try manifest.write(folder: partial)
            syncDirectory(of: partial + "/x")
            guard rename(partial, destination) == 0 else {
                throw ModelHubError.io(path: destination, reason: errnoText(errno))
            }
            syncDirectory(of: destination)
            return Result(name: modelName, path: destination, notes: notes)
        } catch {
            try? fm.removeItem(atPath: partial)
            throw error
        }
    }

    /// Copies or synthesises config.json, preprocessor_config.json and vocab.txt.
    private func companionFiles(
        from folder: String, copyConfig: Bool, into partial: String,
        shapes: [String: [Int]], family: String, file: String
    ) throws -> [String] {
        let fm = FileManager.default
        var notes: [String] = []
        func copy(_ name: String) throws -> Bool {
            let src = folder + "/" + name
            guard copyConfig, fm.fileExists(atPath: src) else { return false }
            try FileCopy.place(src, at: partial + "/" + name)
            return true
        }
        for extra in ModelImporter.extraFiles { _ = try copy(extra) }
        if family == "openclip-xlmr" {
            _ = try copy("preprocessor_config.json")
            _ = try copy("open_clip_config.json")
            return notes
        }
        var imageSize: Int?
        if try copy("config.json") {
            imageSize = try ModelConfig.read(path: partial + "/config.json").vision?.imageSize
        } else {
            let arch = try ConfigSynthesizer.architecture(shapes: shapes, file: file)
            try writeText(ConfigSynthesizer.configJSON(arch), to: partial + "/config.json")
            imageSize = arch.imageSize
            notes.append(
                "config.json synthesised from tensor shapes (\(arch.visionLayers) vision layers "
                    + "width \(arch.visionWidth), \(arch.textLayers) text layers width \(arch.textWidth), "
                    + "image \(arch.imageSize))")
        }
        if try !copy("preprocessor_config.json") {
            guard let size = imageSize else {
                throw ModelHubError.badConfig(
                    file: partial + "/config.json", reason: "no vision_config.image_size")
            }
            try writeText(
                ConfigSynthesizer.preprocessorJSON(imageSize: size),
                to: partial + "/preprocessor_config.json")
            notes.append(
                "preprocessor_config.json synthesised (squash to \(size)x\(size), bicubic, OpenAI mean/std)"
            )
        }
        if try !copy("vocab.txt") {
            let rows = shapes["text_model.embeddings.word_embeddings.weight"]?.first
            if rows == BundledResources.chineseCLIPVocabSize,
                let vocab = BundledResources.chineseCLIPVocab
            {
                try FileCopy.place(vocab, at: partial + "/vocab.txt")
                notes.append("vocab.txt: the bundled Chinese-CLIP vocabulary (21128 entries)")
            } else {
                notes.append(
                    "vocab.txt not written: the embedding table has \(rows.map(String.init) ?? "no") rows, "
                        + "the bundled Chinese-CLIP vocabulary has 21128; add a matching vocab.txt by hand"
                )
            }
        }
        return notes
    }

    private func writeText(_ text: String, to path: String) throws {
        let out = try OutputFile(finalPath: path)
        do {
            try out.write(Array(text.utf8))
            try out.commit()
        } catch {
            out.discard()
            throw error
        }
    }
}
