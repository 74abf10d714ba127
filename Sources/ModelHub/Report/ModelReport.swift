import Foundation
import PicseekCore

/// The text of `picseek model list`, `picseek model info` and the models section of
/// `picseek doctor`, one line per element, every string from disk escaped.
public enum ModelReport {
    /// The known and installed models as a table, then where the default and the models
    /// folder come from, then notes on models that cannot be used yet.
    public static func listLines(library: ModelLibrary) -> [String] {
        let installed = library.installedModels()
        let defaultName = (try? library.resolve(explicit: nil))?.name
        var rows: [[String]] = [
            ["", "NAME", "FAMILY", "SIZE", "LICENCE", "INSTALLED", "ON DISK"]
        ]
        var notes: [String] = []
        for entry in ModelRegistry.entries {
            let here = installed.first { $0.name == entry.name && !$0.isBundled }
            rows.append([
                entry.name == defaultName ? "*" : "", entry.name, entry.family,
                formatBytes(entry.approximateDownloadBytes), entry.licence,
                here == nil ? "no" : "yes", here.map { formatBytes($0.sizeOnDisk) } ?? "-",
            ])
            if let why = entry.unsupportedReason { notes.append("\(entry.name): \(why)") }
        }
        for m in installed where ModelRegistry.entry(named: m.name) == nil {
            rows.append([
                m.name == defaultName ? "*" : "", m.name, m.entry.family, "-", m.entry.licence,
                m.isBundled ? "bundled" : "imported", formatBytes(m.sizeOnDisk),
            ])
        }
        var lines = table(rows)
        lines.append(
            "* = the model picseek uses when --model is not given (config: "
                + TerminalSafe.escape(library.configFile) + ")")
        lines.append("models folder: " + TerminalSafe.escape(library.modelsDirectory))
        for n in notes { lines.append("note: " + n) }
        return lines
    }

    /// Left-aligned columns two spaces apart (the last column unpadded), each line escaped.
    public static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { row in
            let line = row.enumerated().map { i, c in
                i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            return TerminalSafe.escape(line)
        }
    }

    /// What `picseek model info` says of `model`, chosen as `resolved` says.
    ///
    /// Throws when the model's files cannot be read (`ModelInfo`).
    public static func infoLines(model: InstalledModel, resolved: ResolvedModel) throws
        -> [String]
    {
        let info = try ModelInfo(model: model)
        let e: (String) -> String = { TerminalSafe.escape($0) }
        let n: (Int?) -> String = { $0.map(String.init) ?? "?" }
        var lines: [String] = []
        lines.append(
            "model: \(e(model.name)) (\(e(model.entry.title)), "
                + "chosen by \(resolved.reason.rawValue))")
        lines.append("folder: \(e(model.path))")
        lines.append("family: \(e(model.entry.family))   licence: \(e(model.entry.licence))")
        if let why = model.entry.unsupportedReason { lines.append("note: \(why)") }
        if let v = info.config?.vision {
            lines.append(
                "vision tower: ViT, \(n(v.layers)) layers, width \(n(v.width)), "
                    + "\(n(v.heads)) heads, MLP \(n(v.intermediate)), patch \(n(v.patchSize)), "
                    + "image \(n(v.imageSize)), activation \(e(v.activation ?? "?"))")
        }
        if let t = info.config?.text {
            lines.append(
                "text tower: BERT, \(n(t.layers)) layers, width \(n(t.width)), "
                    + "\(n(t.heads)) heads, intermediate \(n(t.intermediate)), "
                    + "vocab \(n(t.vocabSize)), max positions \(n(t.maxPositions))")
        }
        if info.config == nil {
            lines.append("config.json: none (family \(e(model.entry.family)))")
        }
        let millions = String(format: "%.1f M", Double(info.parameterCount) / 1e6)
        lines.append(
            "parameters: \(info.parameterCount) (\(millions)) in "
                + "\(info.weights.tensors.count) tensors")
        lines.append(
            "dtype: "
                + info.dtypes.keys.sorted().map { "\($0) x\(info.dtypes[$0] ?? 0)" }
                .joined(separator: ", "))
        lines.append("embedding size: \(info.embeddingDimension.map(String.init) ?? "unknown")")
        lines.append(
            "image preprocessing: \(e(info.preprocessing ?? "no preprocessor_config.json"))")
        lines.append("tokenizer: \(e(info.tokenizer))")
        lines.append(
            "weights file: \(formatBytes(Int64(info.weights.fileSize))), "
                + "on disk \(formatBytes(model.sizeOnDisk))")
        if let m = info.manifest {
            lines.append("source: \(e(m.source))")
            for f in m.files where f.sha256 != nil {
                lines.append("  \(e(f.name)) \(f.bytes) bytes sha256 \(e(f.sha256 ?? ""))")
            }
        }
        lines.append(
            "index: not checked (this build does not connect model info to the index store)")
        return lines
    }

    /// The models section of `picseek doctor`: every installed model's files against its
    /// manifest (sizes; SHA-256 too with `hashes`), one line per model after `models:`,
    /// and the number of models with a problem.
    public static func check(library: ModelLibrary, hashes: Bool)
        -> (lines: [String], problems: Int)
    {
        var lines = ["models:"]
        var problems = 0
        let models = library.installedModels()
        if models.isEmpty { lines.append("  none installed (picseek model fetch NAME)") }
        for model in models {
            var line = "  \(TerminalSafe.escape(model.name)) (\(TerminalSafe.escape(model.path)))"
            guard let manifest = ModelManifest.read(folder: model.path) else {
                let size = FileHasher.size(path: model.path + "/model.safetensors") ?? 0
                lines.append(
                    line
                        + ": model.safetensors \(size) bytes (no manifest: sizes not recorded)")
                continue
            }
            var bad: [String] = []
            for file in manifest.files {
                let filePath = model.path + "/" + file.name
                guard let size = FileHasher.size(path: filePath) else {
                    bad.append("\(file.name) is missing")
                    continue
                }
                if size != file.bytes {
                    bad.append("\(file.name) has \(size) bytes, \(file.bytes) recorded")
                } else if hashes, let expected = file.sha256 {
                    let actual = (try? FileHasher.sha256(path: filePath))?.hex
                    if actual != expected {
                        bad.append("\(file.name) has another SHA-256 than recorded")
                    }
                }
            }
            line += ": \(manifest.files.count) files"
            if bad.isEmpty {
                lines.append(
                    line + (hashes ? ", sizes and hashes as recorded" : ", sizes as recorded"))
            } else {
                problems += 1
                lines.append(
                    line + "; " + TerminalSafe.escape(bad.joined(separator: "; "))
                        + " (picseek model fetch again, or import)")
            }
        }
        return (lines, problems)
    }
}
