#!/usr/bin/env python3
"""Builds the CLIP parity fixtures in Tests/CLIPTests/Fixtures.

Run with the reference virtualenv (torch, transformers, safetensors, pillow, numpy; see
CONVENTIONS.md "Regenerating fixtures"), from the repository root:

    python scripts/make_clip_fixtures.py --vocab PATH/TO/chinese-clip-vocab.txt

For each of two small random-weight ChineseCLIPModel shapes it writes a Hugging Face model
folder (config.json, model.safetensors, vocab.txt, preprocessor_config.json) and
reference.json with:
  - texts: the text, BertTokenizer ids ([CLS] ... [SEP], truncated to 52, no padding) and the
    L2-normalised get_text_features embedding;
  - images: a float32 little-endian file of preprocessed planar pixels (3*S*S) and the
    L2-normalised get_image_features embedding computed from exactly those pixels;
  - jpeg: a small JPEG, the pixels the HF image processor made from it (for the interim
    resize check) and the embedding of those pixels.
Weights are drawn with a large standard deviation so that different inputs give clearly
different embeddings. The "tiny224" model is stored as float16 (the reference is computed
from the float16-rounded weights) so the loader's fp16 path is exercised.
"""
import argparse
import io
import json
import os
import platform

import numpy as np
import torch
import transformers
from PIL import Image
from safetensors.torch import save_file
from transformers import BertTokenizer, ChineseCLIPConfig, ChineseCLIPModel
from transformers import ChineseCLIPImageProcessor

SEED = 20261129
CONTEXT = 52

TEXTS = [
    "一只在草地上奔跑的小狗",
    "海边的日落",
    "a dog running on the grass",
    "sunset over the sea",
    "北京天安门广场的夜景",
    "两个孩子在公园里放风筝",
    "a red car parked near the old bridge",
    "我的猫在沙发上睡觉",
    "生日蛋糕和蜡烛",
    "雪山 mountain 和湖泊",
    "早上好！今天天气很好。",
    "Café déjà vu, naïve résumé",
    "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ１２３",
    "すし と ラーメン",
    "서울의 밤",
    "😀 happy face 🎉",
    "!!!???...,,,",
    "",
    "长" * 80,
    "the quick brown fox jumps over the lazy dog " * 6,
    "上海外滩",
    "cat",
]

SHAPES = {
    "tiny224": dict(
        dtype="float16",
        text=dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                  intermediate_size=128, max_position_embeddings=64),
        vision=dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=128, patch_size=16, image_size=224),
        projection_dim=32,
        images=2,
    ),
    "odd70": dict(
        dtype="float32",
        text=dict(hidden_size=40, num_hidden_layers=2, num_attention_heads=5,
                  intermediate_size=72, max_position_embeddings=60),
        vision=dict(hidden_size=48, num_hidden_layers=3, num_attention_heads=3,
                    intermediate_size=100, patch_size=14, image_size=70),
        projection_dim=24,
        images=4,
    ),
}


def randomise(model, generator):
    """Replaces every parameter by large random values (LayerNorm scales around 1)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("logit_scale"):
                continue
            if "LayerNorm.weight" in name or "layer_norm" in name and name.endswith("weight") \
                    or "layrnorm.weight" in name or "layernorm.weight" in name:
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=generator))
            elif p.dim() == 1:
                p.copy_(0.2 * torch.randn(p.shape, generator=generator))
            else:
                fan_in = int(np.prod(p.shape[1:])) if p.dim() > 1 else 1
                std = 1.5 / np.sqrt(fan_in)
                if "embedding" in name:
                    std = 0.5
                p.copy_(std * torch.randn(p.shape, generator=generator))


def synthetic_image(rng, width, height):
    """A smooth colourful image with noise and an edge, as 8-bit RGB."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    fx, fy = rng.uniform(0.01, 0.08, size=2)
    phase = rng.uniform(0, 6.28, size=3)
    r = 127 + 120 * np.sin(fx * x + phase[0])
    g = 127 + 120 * np.cos(fy * y + phase[1])
    b = 127 + 120 * np.sin(fx * x + fy * y + phase[2])
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, size=(height, width, 3))
    img[: height // 3, : width // 2] = rng.uniform(0, 255, size=3)
    return np.clip(img, 0, 255).astype(np.uint8)


def normalised(t):
    return torch.nn.functional.normalize(t, dim=-1)


def build(name, shape, vocab_path, out_root):
    out = os.path.join(out_root, name)
    os.makedirs(out, exist_ok=True)
    with open(vocab_path, "rb") as f:
        vocab_bytes = f.read()
    # Split on "\n" only: some entries contain characters str.splitlines() treats as breaks.
    vocab = vocab_bytes.decode("utf-8").rstrip("\n").split("\n")
    text_cfg = dict(shape["text"], vocab_size=len(vocab), type_vocab_size=2,
                    hidden_act="gelu", layer_norm_eps=1e-12, pad_token_id=0)
    vision_cfg = dict(shape["vision"], hidden_act="quick_gelu", layer_norm_eps=1e-5,
                      projection_dim=shape["projection_dim"])
    config = ChineseCLIPConfig(text_config=text_cfg, vision_config=vision_cfg,
                               projection_dim=shape["projection_dim"])
    torch.manual_seed(SEED)
    model = ChineseCLIPModel(config).eval()
    gen = torch.Generator().manual_seed(SEED + len(name))
    randomise(model, gen)
    if shape["dtype"] == "float16":
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(p.half().float())

    # Weights: HF layout, in the fixture's storage dtype.
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    if shape["dtype"] == "float16":
        state = {k: (v.half() if v.is_floating_point() else v) for k, v in state.items()}
    save_file(state, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    config.save_pretrained(out)
    with open(os.path.join(out, "vocab.txt"), "wb") as f:
        f.write(vocab_bytes)
    size = shape["vision"]["image_size"]
    processor = ChineseCLIPImageProcessor(
        do_resize=True, size={"height": size, "width": size}, resample=3,
        do_center_crop=False, crop_size={"height": size, "width": size},
        do_rescale=True, rescale_factor=1 / 255, do_normalize=True,
        image_mean=[0.48145466, 0.4578275, 0.40821073],
        image_std=[0.26862954, 0.26130258, 0.27577711], do_convert_rgb=True)
    processor.save_pretrained(out)

    tokenizer = BertTokenizer(os.path.join(out, "vocab.txt"), do_lower_case=True)
    reference = {"model": name, "context_length": CONTEXT, "texts": [], "images": []}
    with torch.inference_mode():
        for text in TEXTS:
            ids = tokenizer(text, add_special_tokens=True)["input_ids"]
            if len(ids) > CONTEXT:
                ids = ids[: CONTEXT - 1] + [tokenizer.sep_token_id]
            t = torch.tensor([ids])
            feat = model.get_text_features(input_ids=t, attention_mask=torch.ones_like(t))
            if not torch.is_tensor(feat):
                feat = feat.pooler_output
            # Padded to 52 with an attention mask must give the same vector (pads are dropped).
            padded = torch.zeros(1, CONTEXT, dtype=torch.long)
            padded[0, : len(ids)] = t[0]
            feat_pad = model.get_text_features(input_ids=padded, attention_mask=(padded != 0).long())
            if not torch.is_tensor(feat_pad):
                feat_pad = feat_pad.pooler_output
            assert torch.allclose(feat, feat_pad, atol=1e-4), "padding changes the text vector"
            reference["texts"].append({
                "text": text, "ids": ids,
                "embedding": [round(float(v), 7) for v in normalised(feat)[0]],
            })

        rng = np.random.default_rng(SEED)
        for i in range(shape["images"]):
            pixels = torch.tensor(rng.normal(0, 1, size=(1, 3, size, size)), dtype=torch.float32)
            if i == 0:
                # One image from a real picture through the HF processor.
                picture = Image.fromarray(synthetic_image(rng, 97, 61))
                pixels = processor(images=picture, return_tensors="pt")["pixel_values"].float()
            fname = f"image{i}.bin"
            pixels.numpy().astype("<f4").tofile(os.path.join(out, fname))
            feat = model.get_image_features(pixel_values=pixels)
            if not torch.is_tensor(feat):
                feat = feat.pooler_output
            reference["images"].append({
                "pixels": fname,
                "embedding": [round(float(v), 7) for v in normalised(feat)[0]],
            })

        # A JPEG for the end-to-end (decode + interim resize) check.
        picture = synthetic_image(rng, 131, 83)
        buf = io.BytesIO()
        Image.fromarray(picture).save(buf, format="JPEG", quality=95)
        with open(os.path.join(out, "photo.jpg"), "wb") as f:
            f.write(buf.getvalue())
        decoded = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
        pixels = processor(images=decoded, return_tensors="pt")["pixel_values"].float()
        feat = model.get_image_features(pixel_values=pixels)
        if not torch.is_tensor(feat):
            feat = feat.pooler_output
        reference["jpeg"] = {
            "file": "photo.jpg",
            "embedding": [round(float(v), 7) for v in normalised(feat)[0]],
        }

    # How different the embeddings are (printed so the fixture's usefulness is visible).
    e = torch.tensor([t["embedding"] for t in reference["texts"]])
    sims = e @ e.T
    off = sims[~torch.eye(len(e), dtype=torch.bool)]
    print(f"{name}: text cosine between different texts: max {off.max():.3f} mean {off.mean():.3f}")
    e = torch.tensor([t["embedding"] for t in reference["images"]])
    sims = e @ e.T
    off = sims[~torch.eye(len(e), dtype=torch.bool)]
    print(f"{name}: image cosine between different images: max {off.max():.3f}")
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, indent=1)


def build_openclip(name, out_root):
    """A small OpenCLIP CustomTextCLIP-style model: GELU ViT at patch 32 and an XLM-R text
    encoder with masked mean pooling and the MLP projection (open_clip HFTextEncoder)."""
    from open_clip.hf_model import HFTextEncoder
    from open_clip.transformer import VisionTransformer
    from transformers import XLMRobertaConfig

    out = os.path.join(out_root, name)
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(SEED + 7)
    embed_dim, width, head_width = 32, 48, 16
    visual = VisionTransformer(
        image_size=64, patch_size=32, width=width, layers=2, heads=width // head_width,
        mlp_ratio=4.0, output_dim=embed_dim, act_layer=torch.nn.GELU).eval()
    xlmr = XLMRobertaConfig(
        vocab_size=1000, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=80, max_position_embeddings=40, type_vocab_size=1,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, layer_norm_eps=1e-5)
    text = HFTextEncoder("xlm-roberta-tiny-fixture", output_dim=embed_dim, config=xlmr,
                         pooler_type="mean_pooler", proj_type="mlp").eval()
    gen = torch.Generator().manual_seed(SEED + 8)
    randomise(visual, gen)
    randomise(text, gen)
    with torch.no_grad():
        for n, p in list(visual.named_parameters()) + list(text.named_parameters()):
            if n.endswith("ln_1.weight") or n.endswith("ln_2.weight") or n.endswith("ln_pre.weight") \
                    or n.endswith("ln_post.weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
    state = {"visual." + k: v.detach().contiguous() for k, v in visual.state_dict().items()}
    state.update({"text." + k: v.detach().contiguous() for k, v in text.state_dict().items()})
    state = {k: v for k, v in state.items() if v.is_floating_point()}
    save_file(state, os.path.join(out, "open_clip_model.safetensors"))
    config = {
        "model_cfg": {
            "embed_dim": embed_dim,
            "vision_cfg": {"image_size": 64, "layers": 2, "width": width, "patch_size": 32,
                           "head_width": head_width},
            "text_cfg": {"hf_model_name": "xlm-roberta-tiny-fixture", "heads": 4,
                         "hf_pooler_type": "mean_pooler", "hf_proj_type": "mlp"},
        },
        "preprocess_cfg": {"mean": [0.48145466, 0.4578275, 0.40821073],
                           "std": [0.26862954, 0.26130258, 0.27577711]},
    }
    with open(os.path.join(out, "open_clip_config.json"), "w") as f:
        json.dump(config, f, indent=1)

    rng = np.random.default_rng(SEED + 9)
    reference = {"model": name, "texts": [], "images": []}
    with torch.inference_mode():
        for i in range(12):
            length = int(rng.integers(1, 37))
            ids = [0] + rng.integers(3, 1000, size=length).tolist() + [2]
            padded = torch.ones(1, 38, dtype=torch.long)
            padded[0, : len(ids)] = torch.tensor(ids)
            feat = normalised(text(padded))
            reference["texts"].append({"text": f"random ids {i}", "ids": ids,
                                       "embedding": [round(float(v), 7) for v in feat[0]]})
        for i in range(3):
            pixels = torch.tensor(rng.normal(0, 1, size=(1, 3, 64, 64)), dtype=torch.float32)
            fname = f"image{i}.bin"
            pixels.numpy().astype("<f4").tofile(os.path.join(out, fname))
            feat = normalised(visual(pixels))
            reference["images"].append({"pixels": fname,
                                        "embedding": [round(float(v), 7) for v in feat[0]]})
    e = torch.tensor([t["embedding"] for t in reference["texts"]])
    off = (e @ e.T)[~torch.eye(len(e), dtype=torch.bool)]
    print(f"{name}: text cosine between different texts: max {off.max():.3f}")
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, indent=1)


def open_clip_version():
    import open_clip
    return open_clip.__version__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocab", required=True, help="the 21128-entry Chinese-CLIP vocab.txt")
    parser.add_argument("--out", default="Tests/CLIPTests/Fixtures")
    parser.add_argument("--only", help="build only this fixture")
    args = parser.parse_args()
    for name, shape in SHAPES.items():
        if args.only in (None, name):
            build(name, shape, args.vocab, args.out)
    if args.only in (None, "openclip64"):
        build_openclip("openclip64", args.out)
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(f"""# CLIP parity fixtures

Generated by `scripts/make_clip_fixtures.py` (run with the reference virtualenv, see
CONVENTIONS.md) with seed {SEED}, torch {torch.__version__}, transformers
{transformers.__version__}, open_clip {open_clip_version()}, numpy {np.__version__},
Python {platform.python_version()}.

- `tiny224/`: ChineseCLIPModel, vision 2 layers width 64, 4 heads, patch 16, 224 px;
  text 2 layers width 64, 4 heads; projection 32. Weights stored as float16.
- `odd70/`: vision 3 layers width 48, 3 heads, patch 14, 70 px, MLP 100; text 2 layers
  width 40, 5 heads, MLP 72; projection 24. Weights stored as float32.

- `openclip64/`: OpenCLIP layout (`open_clip_config.json`, `open_clip_model.safetensors`):
  GELU ViT, 2 layers width 48, head width 16, patch 32, 64 px; XLM-R text encoder (open_clip
  `HFTextEncoder` over `XLMRobertaModel`), 2 layers width 48, 4 heads, vocab 1000, masked
  mean pooling, MLP projection 48 → 40 → 32. Texts are random token ids (`<s> … </s>`),
  embedded padded to 38 with pad id 1.

The Chinese-CLIP folders are Hugging Face model folders plus `reference.json` (texts with their
`BertTokenizer` ids and L2-normalised `get_text_features`; images as float32 planar pixel
files with their L2-normalised `get_image_features`; `photo.jpg` with the embedding of the
pixels the HF image processor made from it). `vocab.txt` is the Chinese-CLIP vocabulary
(21128 entries, BERT Chinese vocabulary, Apache-2.0, as shipped in the `cn-clip` package and
the `OFA-Sys/chinese-clip-*` repositories).
""")


if __name__ == "__main__":
    main()
