import Foundation
import ModelFiles

/// Converts a `torch.save` checkpoint to `model.safetensors` once: Hugging Face names
/// are kept, original Chinese-CLIP names are mapped (`ChineseCLIPNameMap`), OpenCLIP
/// names are kept; int64 `position_ids` buffers are dropped.
public enum CheckpointConverter {
    /// Which naming scheme a checkpoint uses.
    public enum Layout: String, Sendable {
        case huggingFace = "hugging face"
        case chineseCLIPOriginal = "original chinese-clip"
        case openCLIP = "openclip"
    }

    /// What a conversion produced.
    public struct Result: Sendable {
        public var layout: Layout
        /// Output tensor names and shapes.
        public var shapes: [String: [Int]]
        /// Names of input entries that were not written (buffers, pooler, non-tensors).
        public var dropped: [String]
    }

    /// Detects the layout from the tensor names.
    public static func layout(of names: [String], file: String) throws -> Layout {
        let stripped = names.map { $0.hasPrefix("module.") ? String($0.dropFirst(7)) : $0 }
        if stripped.contains(where: { $0.hasPrefix("vision_model.") || $0.hasPrefix("text_model.") }
        ) {
            return .huggingFace
        }
        if stripped.contains(where: { $0.hasPrefix("bert.") }) { return .chineseCLIPOriginal }
        if stripped.contains(where: { $0.hasPrefix("text.") })
            && stripped.contains(where: { $0.hasPrefix("visual.") })
        {
            return .openCLIP
        }
        throw ModelHubError.badCheckpoint(
            file: file,
            reason: "tensor names match no known CLIP layout (first: \(names.first ?? "none"))")
    }

    /// Reads the checkpoint at `input` and writes `output` (safetensors, atomically).
    public static func convert(checkpoint input: String, to output: String) throws -> Result {
        let checkpoint = try TorchCheckpoint(path: input)
        let (tensors, skipped) = try checkpoint.stateDict()
        let layout = try layout(of: tensors.map(\.name), file: input)
        var outputs: [(String, TorchTensor)] = []
        var dropped = skipped
        switch layout {
        case .chineseCLIPOriginal:
            let mapped = try ChineseCLIPNameMap.convert(tensors, file: input)
            outputs = mapped.outputs.map { ($0.name, $0.tensor) }
            dropped += mapped.dropped
        case .huggingFace, .openCLIP:
            for (raw, t) in tensors {
                let name = raw.hasPrefix("module.") ? String(raw.dropFirst(7)) : raw
                if name.hasSuffix("position_ids") && !t.dtype.isFloat {
                    dropped.append(raw)
                } else {
                    outputs.append((name, t))
                }
            }
        }
        let payloads = outputs.map { name, t in
            TensorPayload(name: name, dtype: t.dtype, shape: t.shape) { out in
                try checkpoint.write(t, to: out)
            }
        }
        try SafetensorsWriter.write(payloads, to: output)
        var shapes: [String: [Int]] = [:]
        for (name, t) in outputs { shapes[name] = t.shape }
        return Result(layout: layout, shapes: shapes, dropped: dropped)
    }
}
