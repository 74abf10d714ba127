#!/usr/bin/env python3
"""PyTorch reference for `picseek bench engine`.

Run with the reference virtualenv (torch, transformers; see CONVENTIONS.md):

    python scripts/bench_torch_engine.py --threads 2 [--picseek .build/release/picseek]

Builds a full-size Chinese-CLIP ViT-B/16 + RoBERTa-wwm-ext-base ChineseCLIPModel with random
weights (fp32, eval, torch.inference_mode), and prints images/s at batch 1 and 8 (median of
--runs) and the median latency of a 10-token text query (median of --text-runs), with the
thread count. With --picseek it also runs `picseek bench engine --json` with the same
threads and prints both results side by side with the ratios.
"""
import argparse
import json
import resource
import statistics
import subprocess
import time

import torch
from transformers import ChineseCLIPConfig, ChineseCLIPModel


def build_model():
    text = dict(vocab_size=21128, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                num_attention_heads=12, max_position_embeddings=512, type_vocab_size=2,
                hidden_act="gelu", layer_norm_eps=1e-12)
    vision = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                  num_attention_heads=12, patch_size=16, image_size=224, hidden_act="quick_gelu",
                  projection_dim=512)
    config = ChineseCLIPConfig(text_config=text, vision_config=vision, projection_dim=512)
    return ChineseCLIPModel(config).eval()


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
    parser.add_argument("--picseek", help="path to the picseek binary to compare against")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build_model()
    ids = torch.tensor([[101] + torch.randint(672, 7991, (args.tokens - 2,)).tolist() + [102]])
    mask = torch.ones_like(ids)
    result = {"threads": torch.get_num_threads(), "text_tokens": args.tokens}
    with torch.inference_mode():
        for _ in range(3):
            model.get_text_features(input_ids=ids, attention_mask=mask)
        result["text_query_ms"] = 1000 * timed(
            lambda: model.get_text_features(input_ids=ids, attention_mask=mask), args.text_runs)
        for batch in (1, 8):
            pixels = torch.randn(batch, 3, 224, 224)
            model.get_image_features(pixel_values=pixels)
            seconds = timed(lambda: model.get_image_features(pixel_values=pixels), args.runs)
            result[f"images_per_second_batch{batch}"] = batch / seconds
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])

    print(f"torch {torch.__version__}, threads {result['threads']}, load average {load}")
    print(f"torch text query ({args.tokens} tokens): median {result['text_query_ms']:.2f} ms")
    for batch in (1, 8):
        print(f"torch images batch {batch}: {result[f'images_per_second_batch{batch}']:.2f} images/s")
    print(f"torch peak RSS: {result['peak_rss_mb']:.1f} MB")

    if args.picseek:
        out = subprocess.run(
            [args.picseek, "bench", "engine", "--json", "--threads", str(args.threads),
             "--runs", str(args.runs), "--text-runs", str(args.text_runs),
             "--tokens", str(args.tokens)],
            check=True, capture_output=True, text=True).stdout
        swift = json.loads(out.strip().splitlines()[-1])
        print()
        print(f"{'measure':<28}{'picseek':>12}{'torch':>12}{'ratio':>10}")
        for key, better_high in (("images_per_second_batch1", True),
                                 ("images_per_second_batch8", True),
                                 ("text_query_ms", False)):
            s, t = swift[key], result[key]
            ratio = s / t if better_high else t / s
            print(f"{key:<28}{s:>12.2f}{t:>12.2f}{ratio:>9.2f}x")
        print("(ratio > 1 means picseek is faster)")


if __name__ == "__main__":
    main()
