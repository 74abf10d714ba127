/// Renames an original Chinese-CLIP checkpoint (`cn_clip`, `.pt`) to the Hugging Face
/// `ChineseCLIPModel` names, splitting fused attention and transposing projections.
///
/// The full table (`{i}` = layer index; `module.` is stripped first):
///
/// | original                                         | Hugging Face                                                     | change |
/// |---|---|---|
/// | `visual.conv1.weight`                            | `vision_model.embeddings.patch_embedding.weight`                 | |
/// | `visual.class_embedding`                         | `vision_model.embeddings.class_embedding`                         | |
/// | `visual.positional_embedding`                    | `vision_model.embeddings.position_embedding.weight`               | |
/// | `visual.ln_pre.{weight,bias}`                    | `vision_model.pre_layrnorm.{weight,bias}` (sic)                  | |
/// | `visual.transformer.resblocks.{i}.ln_1.*`        | `vision_model.encoder.layers.{i}.layer_norm1.*`                  | |
/// | `visual.transformer.resblocks.{i}.attn.in_proj_weight` | `….layers.{i}.self_attn.{q,k,v}_proj.weight`               | rows split in 3 |
/// | `visual.transformer.resblocks.{i}.attn.in_proj_bias`   | `….layers.{i}.self_attn.{q,k,v}_proj.bias`                 | split in 3 |
/// | `visual.transformer.resblocks.{i}.attn.out_proj.*`     | `….layers.{i}.self_attn.out_proj.*`                        | |
/// | `visual.transformer.resblocks.{i}.ln_2.*`        | `vision_model.encoder.layers.{i}.layer_norm2.*`                  | |
/// | `visual.transformer.resblocks.{i}.mlp.c_fc.*`    | `vision_model.encoder.layers.{i}.mlp.fc1.*`                      | |
/// | `visual.transformer.resblocks.{i}.mlp.c_proj.*`  | `vision_model.encoder.layers.{i}.mlp.fc2.*`                      | |
/// | `visual.ln_post.*`                               | `vision_model.post_layernorm.*`                                  | |
/// | `visual.proj` [W, D]                             | `visual_projection.weight` [D, W]                                | transposed |
/// | `bert.X` (X ≠ `pooler.*`)                        | `text_model.X`                                                   | |
/// | `bert.pooler.*`                                  | —                                                                | dropped (unused) |
/// | `text_projection` [H, D]                         | `text_projection.weight` [D, H]                                  | transposed |
/// | `logit_scale`                                    | `logit_scale`                                                    | |
/// | `*.position_ids`                                 | —                                                                | dropped (int buffer) |
///
/// ResNet vision towers (`visual.layer1…`, `visual.attnpool…`, RN50) have no Hugging Face
/// equivalent and are refused.
enum ChineseCLIPNameMap {
    /// One output tensor: its HF name and how it is derived from an input tensor.
    struct Output {
        var name: String
        var tensor: TorchTensor
    }

    /// Maps the original tensors; throws for names it does not know.
    static func convert(_ tensors: [(name: String, tensor: TorchTensor)], file: String) throws
        -> (outputs: [Output], dropped: [String])
    {
        var outputs: [Output] = []
        var dropped: [String] = []
        for (raw, t) in tensors {
            let name = raw.hasPrefix("module.") ? String(raw.dropFirst("module.".count)) : raw
            if name.hasSuffix("position_ids") || name.hasPrefix("bert.pooler.") {
                dropped.append(raw)
                continue
            }
            if name.hasPrefix("bert.") {
                outputs.append(
                    Output(name: "text_model." + name.dropFirst("bert.".count), tensor: t))
                continue
            }
            switch name {
            case "logit_scale":
                outputs.append(Output(name: name, tensor: t))
                continue
            case "text_projection", "visual.proj":
                guard let tt = t.transposed() else {
                    throw ModelHubError.badCheckpoint(
                        file: file,
                        reason: "tensor \(raw): expected 2 dimensions, found shape \(t.shape)")
                }
                outputs.append(
                    Output(
                        name: name == "visual.proj"
                            ? "visual_projection.weight" : "text_projection.weight",
                        tensor: tt))
                continue
            default: break
            }
            if let simple = visionSimple[name] {
                outputs.append(Output(name: simple, tensor: t))
                continue
            }
            let blockPrefix = "visual.transformer.resblocks."
            if name.hasPrefix(blockPrefix) {
                let rest = name.dropFirst(blockPrefix.count)
                guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]) else {
                    throw unknown(raw, file)
                }
                let tail = String(rest[rest.index(after: dot)...])
                let hf = "vision_model.encoder.layers.\(layer)."
                if tail == "attn.in_proj_weight" || tail == "attn.in_proj_bias" {
                    guard t.shape.first.map({ $0 % 3 == 0 }) == true else {
                        throw ModelHubError.badCheckpoint(
                            file: file,
                            reason:
                                "tensor \(raw): first dimension of \(t.shape) is not divisible by 3"
                        )
                    }
                    let n = t.shape[0] / 3
                    let suffix = tail.hasSuffix("weight") ? "weight" : "bias"
                    for (i, part) in ["q", "k", "v"].enumerated() {
                        outputs.append(
                            Output(
                                name: "\(hf)self_attn.\(part)_proj.\(suffix)",
                                tensor: t.rows(i * n..<(i + 1) * n)))
                    }
                    continue
                }
                guard let (from, to) = blockRenames.first(where: { tail.hasPrefix($0.0) }) else {
                    throw unknown(raw, file)
                }
                outputs.append(Output(name: hf + to + tail.dropFirst(from.count), tensor: t))
                continue
            }
            if name.hasPrefix("visual.layer") || name.hasPrefix("visual.attnpool")
                || name.hasPrefix("visual.conv2")
            {
                throw ModelHubError.badCheckpoint(
                    file: file,
                    reason: "tensor \(raw) belongs to a ResNet vision tower (RN50), which "
                        + "picseek does not support; use a ViT checkpoint")
            }
            throw unknown(raw, file)
        }
        return (outputs, dropped)
    }

    private static func unknown(_ name: String, _ file: String) -> ModelHubError {
        .badCheckpoint(
            file: file, reason: "tensor \(name) is not part of a Chinese-CLIP ViT checkpoint")
    }

    static let visionSimple: [String: String] = [
        "visual.conv1.weight": "vision_model.embeddings.patch_embedding.weight",
        "visual.class_embedding": "vision_model.embeddings.class_embedding",
        "visual.positional_embedding": "vision_model.embeddings.position_embedding.weight",
        "visual.ln_pre.weight": "vision_model.pre_layrnorm.weight",
        "visual.ln_pre.bias": "vision_model.pre_layrnorm.bias",
        "visual.ln_post.weight": "vision_model.post_layernorm.weight",
        "visual.ln_post.bias": "vision_model.post_layernorm.bias",
    ]

    static let blockRenames: [(String, String)] = [
        ("ln_1.", "layer_norm1."), ("ln_2.", "layer_norm2."),
        ("attn.out_proj.", "self_attn.out_proj."),
        ("mlp.c_fc.", "mlp.fc1."), ("mlp.c_proj.", "mlp.fc2."),
    ]
}
