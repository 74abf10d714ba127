#!/usr/bin/env python3
"""PyTorch reference for `picseek bench engine`.

Run with the reference virtualenv (torch, transformers; see CONVENTIONS.md):

    python scripts/bench_torch_engine.py --threads 2 [--family all] [--picseek .build/release/picseek]
        [--image-precision bf16]

Builds, one after the other, a full-size Chinese-CLIP ViT-B/16 + RoBERTa-wwm-ext-base
ChineseCLIPModel and an OpenCLIP xlm-roberta-base-ViT-B-32 (open_clip VisionTransformer with
GELU at patch 32 + HFTextEncoder over XLMRobertaModel, mean pooling, MLP projection) with random
weights (fp32, eval, torch.inference_mode; no download), and prints for each images/s at batch 1
and 8 (median of --runs) and the median latency of a 10-token text query (median of
--text-runs), with the thread count, then the B/32 over B/16 ratio at batch 8. With --picseek
it also runs `picseek bench engine --json` with the same threads and family and prints both
results side by side with the ratios. With --image-precision bf16 both image towers multiply in
bfloat16: PyTorch under torch.autocast("cpu", dtype=torch.bfloat16), picseek with
--image-precision bf16; text queries stay float32.
"""
import contextlib
import argparse
import json
import resource
import statistics
import subprocess
import time

import torch
from transformers import ChineseCLIPConfig, ChineseCLIPModel


def build_chinese_clip():
    text = dict(vocab_size=21128, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                num_attention_heads=12, max_position_embeddings=512, type_vocab_size=2,
                hidden_act="gelu", layer_norm_eps=1e-12)
    vision = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                  num_attention_heads=12, patch_size=16, image_size=224, hidden_act="quick_gelu",
                  projection_dim=512)
    config = ChineseCLIPConfig(text_config=text, vision_config=vision, projection_dim=512)
    model = ChineseCLIPModel(config).eval()
    return (lambda ids, mask: model.get_text_features(input_ids=ids, attention_mask=mask),
            lambda pixels: model.get_image_features(pixel_values=pixels), (101, 102))


def build_xlm_roberta():
    from open_clip.hf_model import HFTextEncoder
    from open_clip.transformer import VisionTransformer
    from transformers import XLMRobertaConfig

    visual = VisionTransformer(
        image_size=224, patch_size=32, width=768, layers=12, heads=12, mlp_ratio=4.0,
        output_dim=512, act_layer=torch.nn.GELU).eval()
    xlmr = XLMRobertaConfig(
        vocab_size=250002, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=514, type_vocab_size=1,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, layer_norm_eps=1e-5)
    text = HFTextEncoder("xlm-roberta-base", output_dim=512, config=xlmr,
                         pooler_type="mean_pooler", proj_type="mlp").eval()
    return (lambda ids, mask: text(ids), visual, (0, 2))


FAMILIES = {
    "chinese-clip": ("chinese-clip ViT-B/16 + RoBERTa-wwm-ext-base", build_chinese_clip),
    "xlm-roberta": ("openclip xlm-roberta-base-ViT-B-32", build_xlm_roberta),
}


def measure(build, args):
    text, image, (start, end) = build()
    ids = torch.tensor([[start] + torch.randint(672, 7991, (args.tokens - 2,)).tolist() + [end]])
    mask = torch.ones_like(ids)
    result = {"threads": torch.get_num_threads(), "text_tokens": args.tokens}
    with torch.inference_mode():
        for _ in range(3):
            text(ids, mask)
        result["text_query_ms"] = 1000 * timed(lambda: text(ids, mask), args.text_runs)
        precision = (torch.autocast("cpu", dtype=torch.bfloat16) if args.image_precision == "bf16"
                     else contextlib.nullcontext())
        with precision:
            for batch in (1, 8):
                pixels = torch.randn(batch, 3, 224, 224)
                image(pixels)
                seconds = timed(lambda: image(pixels), args.runs)
                result[f"images_per_second_batch{batch}"] = batch / seconds
    return result


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--text-runs", type=int, default=50)
    parser.add_argument("--tokens", type=int, default=10)
    parser.add_argument("--family", choices=["all", *FAMILIES], default="all")
    parser.add_argument("--image-precision", choices=["fp32", "bf16"], default="fp32")
    parser.add_argument("--picseek", help="path to the picseek binary to compare against")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    names = list(FAMILIES) if args.family == "all" else [args.family]
    results = {}
    for key in names:
        label, build = FAMILIES[key]
        result = measure(build, args)
        results[label] = result
        print(f"== {label}")
        print(f"torch text query ({args.tokens} tokens): median {result['text_query_ms']:.2f} ms")
        for batch in (1, 8):
            print(f"torch images batch {batch}: {result[f'images_per_second_batch{batch}']:.2f} images/s")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"image precision {args.image_precision}, load average {load}, "
          f"peak RSS {rss:.1f} MB")
    if len(results) == 2:
        b16, b32 = (r["images_per_second_batch8"] for r in results.values())
        print(f"torch ViT-B/32 over ViT-B/16 images/s at batch 8: {b32 / b16:.2f}x")

    if args.picseek:
        out = subprocess.run(
            [args.picseek, "bench", "engine", "--json", "--threads", str(args.threads),
             "--runs", str(args.runs), "--text-runs", str(args.text_runs),
             "--tokens", str(args.tokens), "--family", args.family,
             "--image-precision", args.image_precision],
            check=True, capture_output=True, text=True).stdout
        swift = {}
        for line in out.strip().splitlines():
            if line.startswith("{") and '"model"' in line:
                row = json.loads(line)
                swift[row["model"]] = row
        for label, result in results.items():
            if label not in swift:
                print(f"picseek printed no result for {label}")
                continue
            print()
            print(label)
            print(f"{'measure':<28}{'picseek':>12}{'torch':>12}{'ratio':>10}")
            for key, better_high in (("images_per_second_batch1", True),
                                     ("images_per_second_batch8", True),
                                     ("text_query_ms", False)):
                s, t = swift[label][key], result[key]
                ratio = s / t if better_high else t / s
                print(f"{key:<28}{s:>12.2f}{t:>12.2f}{ratio:>9.2f}x")
        print("(ratio > 1 means picseek is faster)")


if __name__ == "__main__":
    main()
