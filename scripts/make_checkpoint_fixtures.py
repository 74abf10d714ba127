#!/usr/bin/env python3
"""Makes the checkpoint fixtures of Tests/ModelHubTests/Fixtures/.

Run with the reference virtualenv (see CONVENTIONS.md, "Regenerating fixtures"):

    <venv>/bin/python scripts/make_checkpoint_fixtures.py

It builds a tiny random Chinese-CLIP (seed 20261129) with transformers' ChineseCLIPModel and
writes it three ways:

- hf/model.safetensors + hf/config.json: the reference, from `save_pretrained`;
- hf-bin/pytorch_model.bin: `torch.save(state_dict)` (zip format), plus the int64
  `*.position_ids` buffers that older transformers releases saved in the real HF files;
- original.pt: the original Chinese-CLIP layout as cn_clip saves it:
  `{"epoch", "step", "name", "state_dict": {"module.visual.conv1.weight": ...}}` with fused
  attention `in_proj_weight/bias`, `visual.proj` and `text_projection` stored transposed
  ([in, out]), and `bert.` names for the text tower;
- views.pt: tensors that share one storage, with offsets and a transposed (strided) view;
- reference.json: inputs and outputs of the reference model (image and text features), for an
  embedding-parity test once the engine lands, plus the versions used.
"""
import json
import os
import sys

import numpy as np
import torch
import transformers
import safetensors
from transformers import ChineseCLIPConfig, ChineseCLIPModel

SEED = 20261129
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ModelHubTests",
                   "Fixtures")


def tiny_config():
    # Widths are multiples of 64 so that heads = width / 64, the rule Chinese-CLIP uses and the
    # importer relies on when it synthesises a config from an original .pt.
    text = dict(vocab_size=100, hidden_size=64, num_hidden_layers=2, num_attention_heads=1,
                intermediate_size=128, max_position_embeddings=16, type_vocab_size=2,
                hidden_act="gelu", layer_norm_eps=1e-12)
    vision = dict(hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                  num_attention_heads=1, image_size=32, patch_size=8, hidden_act="quick_gelu",
                  layer_norm_eps=1e-5, projection_dim=32)
    return ChineseCLIPConfig(text_config=text, vision_config=vision, projection_dim=32)


def to_original(sd, text_layers, vision_layers):
    """Inverse of the importer's mapping: HF names -> cn_clip names (with `module.`)."""
    out = {}
    v = "vision_model."
    simple = {
        v + "embeddings.patch_embedding.weight": "visual.conv1.weight",
        v + "embeddings.class_embedding": "visual.class_embedding",
        v + "embeddings.position_embedding.weight": "visual.positional_embedding",
        v + "pre_layrnorm.weight": "visual.ln_pre.weight",
        v + "pre_layrnorm.bias": "visual.ln_pre.bias",
        v + "post_layernorm.weight": "visual.ln_post.weight",
        v + "post_layernorm.bias": "visual.ln_post.bias",
        "logit_scale": "logit_scale",
    }
    for hf, orig in simple.items():
        out[orig] = sd[hf].clone()
    out["visual.proj"] = sd["visual_projection.weight"].t().contiguous()
    out["text_projection"] = sd["text_projection.weight"].t().contiguous()
    for i in range(vision_layers):
        h = f"{v}encoder.layers.{i}."
        o = f"visual.transformer.resblocks.{i}."
        for a, b in [("layer_norm1", "ln_1"), ("layer_norm2", "ln_2"),
                     ("self_attn.out_proj", "attn.out_proj"), ("mlp.fc1", "mlp.c_fc"),
                     ("mlp.fc2", "mlp.c_proj")]:
            for p in ("weight", "bias"):
                out[f"{o}{b}.{p}"] = sd[f"{h}{a}.{p}"].clone()
        for p in ("weight", "bias"):
            out[f"{o}attn.in_proj_{p}"] = torch.cat(
                [sd[f"{h}self_attn.{x}_proj.{p}"] for x in ("q", "k", "v")], dim=0)
    for k, t in sd.items():
        if k.startswith("text_model."):
            out["bert." + k[len("text_model."):]] = t.clone()
    return {"module." + k: t for k, t in out.items()}


def main():
    torch.manual_seed(SEED)
    config = tiny_config()
    model = ChineseCLIPModel(config).eval()
    # Random init leaves LayerNorm at 1/0: perturb everything so every tensor is distinctive.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)

    hf_dir = os.path.join(OUT, "hf")
    model.save_pretrained(hf_dir, safe_serialization=True)
    for extra in ("generation_config.json",):
        path = os.path.join(hf_dir, extra)
        if os.path.exists(path):
            os.remove(path)

    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
    bin_dir = os.path.join(OUT, "hf-bin")
    os.makedirs(bin_dir, exist_ok=True)
    bin_sd = dict(sd)
    bin_sd["text_model.embeddings.position_ids"] = torch.arange(16).unsqueeze(0)
    bin_sd["vision_model.embeddings.position_ids"] = torch.arange(17).unsqueeze(0)
    torch.save(bin_sd, os.path.join(bin_dir, "pytorch_model.bin"))
    with open(os.path.join(hf_dir, "config.json")) as f:
        cfg = f.read()
    with open(os.path.join(bin_dir, "config.json"), "w") as f:
        f.write(cfg)

    original = to_original(sd, 2, 2)
    torch.save({"epoch": 3, "step": 12345, "name": "tiny-chinese-clip",
                "state_dict": original}, os.path.join(OUT, "original.pt"))

    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) + 0.5
    views = {"base": base, "transposed": base.t(), "row1": base[1],
             "slice": base.view(-1)[5:9], "half": base.to(torch.float16)}
    torch.save(views, os.path.join(OUT, "views.pt"))
    views_expected = {k: {"shape": list(v.shape), "values": v.contiguous().float().flatten().tolist()}
                      for k, v in views.items()}

    g = torch.Generator().manual_seed(SEED + 1)
    pixels = torch.randn(2, 3, 32, 32, generator=g)
    ids = [[1, 7, 42, 99, 2], [1, 13, 2]]  # the tiny vocab has 100 rows
    with torch.no_grad():
        img = model.get_image_features(pixel_values=pixels)
        img = getattr(img, "pooler_output", img)
        txt = []
        for seq in ids:
            t = model.get_text_features(input_ids=torch.tensor([seq]),
                                        attention_mask=torch.ones(1, len(seq), dtype=torch.long))
            txt.append(getattr(t, "pooler_output", t)[0].tolist())
    reference = {
        "seed": SEED,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "safetensors": safetensors.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "note": "features are unnormalised get_image_features / get_text_features outputs",
        "images": {"shape": [2, 3, 32, 32], "pixel_values": pixels.flatten().tolist(),
                   "features": img.tolist()},
        "texts": {"input_ids": ids, "features": txt},
        "views": views_expected,
    }
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
