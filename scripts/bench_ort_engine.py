#!/usr/bin/env python3
"""ONNX Runtime reference for `picseek bench engine`.

Run with the reference virtualenv plus ONNX Runtime (see CONVENTIONS.md):

    <venv>/bin/pip install onnx onnxruntime
    python scripts/bench_ort_engine.py --threads 2 [--family all] [--picseek .build/release/picseek]

Builds the same random full-size models as scripts/bench_torch_engine.py (Chinese-CLIP
ViT-B/16 + RoBERTa-wwm-ext-base, OpenCLIP xlm-roberta-base-ViT-B-32), exports each tower to
ONNX with torch.onnx.export (opset 17, dynamic batch and sequence axes) into a temporary
folder, makes a dynamic-int8 copy of the image tower with
onnxruntime.quantization.quantize_dynamic (QInt8 weights, as immich's exports), and times ONNX
Runtime's CPU provider with the given intra-op threads (one inter-op thread, all graph
optimisations): the median latency of a 10-token text query and images/s at batch 1 and 8, in
float32, and images/s at batch 8 for the int8 image tower. It also prints the int8 tower's
minimum cosine to float32 over the timed batch.

With --text-only it skips the image towers and, with --picseek, alternates ORT's text query and
`picseek bench engine --text-only` for --rounds rounds (the same weights' shapes, the same
threads), printing each round's medians and ratio: on a shared machine the load changes between
measurements, and alternating keeps each ratio's two figures close in time.

With --picseek it runs `picseek bench engine --json` with the same threads and family, once in
float32 and once with --image-precision int8 (or, where picseek has no int8 image tower, says
so and compares ORT's int8 with picseek's best reduced precision that runs here), and prints
the figures side by side with ratios (> 1: picseek faster).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_torch_engine import FAMILIES  # noqa: E402  (same models, same seeds)


def freeze(fn):
    """Turns off gradients of the modules `fn` is or closes over (the builders return lambdas
    over the model), so the tracer can take their weights as constants."""
    modules = [fn] if isinstance(fn, torch.nn.Module) else [
        cell.cell_contents for cell in (getattr(fn, "__closure__", None) or ())
        if isinstance(cell.cell_contents, torch.nn.Module)]
    for module in modules:
        module.requires_grad_(False)
    return fn


class TextTower(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, ids, mask):
        return self.fn(ids, mask)


class ImageTower(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, pixels):
        return self.fn(pixels)


def export(module, inputs, names, axes, path):
    kwargs = dict(input_names=names, output_names=["features"], dynamic_axes=axes,
                  opset_version=17, do_constant_folding=True)
    try:
        torch.onnx.export(module, inputs, path, dynamo=False, **kwargs)
    except TypeError:  # torch without the dynamo switch: the classic exporter is the default
        torch.onnx.export(module, inputs, path, **kwargs)


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def text_session_for(text, ids, mask, args, folder):
    """Exports the text tower and returns a warmed-up ORT session with its feeds."""
    text_path = os.path.join(folder, "text.onnx")
    with torch.inference_mode():
        export(TextTower(text), (ids, mask), ["ids", "mask"],
               {"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
               text_path)
    text_session = session(text_path, args.threads)
    given = {"ids": ids.numpy(), "mask": mask.numpy()}
    # A tower that ignores the mask (OpenCLIP's XLM-R text tower) is exported without it.
    feeds = {i.name: given[i.name] for i in text_session.get_inputs()}
    for _ in range(3):
        text_session.run(None, feeds)
    return text_session, feeds


def query_ids(args, start, end):
    ids = torch.tensor([[start] + torch.randint(672, 7991, (args.tokens - 2,)).tolist() + [end]])
    return ids, torch.ones_like(ids)


def run_text_rounds(build, key, label, args, folder):
    """Alternates ORT's and picseek's text-query medians for args.rounds rounds."""
    text, _, (start, end) = build()
    text = freeze(text)
    ids, mask = query_ids(args, start, end)
    text_session, feeds = text_session_for(text, ids, mask, args, folder)
    print(f"== {label}: text query, {args.tokens} tokens, {args.threads} threads")
    print(f"{'round':<7}{'picseek ms':>12}{'ort ms':>10}{'ratio':>9}  load")
    ours, theirs = [], []
    for round_index in range(args.rounds):
        ort_ms = 1000 * timed(lambda: text_session.run(None, feeds), args.text_runs)
        command = [args.picseek, "bench", "engine", "--json", "--text-only", "--threads",
                   str(args.threads), "--text-runs", str(args.text_runs), "--tokens",
                   str(args.tokens), "--family", key]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit("picseek bench engine failed: "
                     + (done.stderr.strip().splitlines() or ["no message"])[0])
        row = next(json.loads(line) for line in done.stdout.splitlines()
                   if line.startswith("{") and '"model"' in line)
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        ours.append(row["text_query_ms"])
        theirs.append(ort_ms)
        print(f"{round_index + 1:<7}{ours[-1]:>12.2f}{ort_ms:>10.2f}{ort_ms / ours[-1]:>8.2f}x  {load}")
    print(f"{'median':<7}{statistics.median(ours):>12.2f}{statistics.median(theirs):>10.2f}"
          f"{statistics.median(theirs) / statistics.median(ours):>8.2f}x")


def measure(build, args, folder):
    text, image, (start, end) = build()
    text, image = freeze(text), freeze(image)
    ids = torch.tensor([[start] + torch.randint(672, 7991, (args.tokens - 2,)).tolist() + [end]])
    mask = torch.ones_like(ids)
    text_path = os.path.join(folder, "text.onnx")
    image_path = os.path.join(folder, "image.onnx")
    int8_path = os.path.join(folder, "image-int8.onnx")
    with torch.inference_mode():
        export(TextTower(text), (ids, mask), ["ids", "mask"],
               {"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
               text_path)
        export(ImageTower(image), (torch.randn(1, 3, 224, 224),), ["pixels"],
               {"pixels": {0: "batch"}}, image_path)
    quantize_dynamic(image_path, int8_path, weight_type=QuantType.QInt8)

    result = {"threads": args.threads, "text_tokens": args.tokens}
    text_session = session(text_path, args.threads)
    given = {"ids": ids.numpy(), "mask": mask.numpy()}
    # A tower that ignores the mask (OpenCLIP's XLM-R text tower) is exported without it.
    feeds = {i.name: given[i.name] for i in text_session.get_inputs()}
    for _ in range(3):
        text_session.run(None, feeds)
    result["text_query_ms"] = 1000 * timed(lambda: text_session.run(None, feeds), args.text_runs)
    del text_session

    rng = np.random.default_rng(0)
    image_session = session(image_path, args.threads)
    int8_session = session(int8_path, args.threads)
    for batch in (1, 8):
        pixels = {"pixels": rng.standard_normal((batch, 3, 224, 224), dtype=np.float32)}
        image_session.run(None, pixels)
        seconds = timed(lambda: image_session.run(None, pixels), args.runs)
        result[f"images_per_second_batch{batch}"] = batch / seconds
        if batch == 8:
            reference = image_session.run(None, pixels)[0]
            quantised = int8_session.run(None, pixels)[0]
            seconds = timed(lambda: int8_session.run(None, pixels), args.runs)
            result["int8_images_per_second_batch8"] = batch / seconds
            a = reference / np.linalg.norm(reference, axis=1, keepdims=True)
            b = quantised / np.linalg.norm(quantised, axis=1, keepdims=True)
            result["int8_min_cosine"] = float((a * b).sum(axis=1).min())
    return result


def run_picseek(args, precision):
    command = [args.picseek, "bench", "engine", "--json", "--threads", str(args.threads),
               "--runs", str(args.runs), "--text-runs", str(args.text_runs),
               "--tokens", str(args.tokens), "--family", args.family,
               "--image-precision", precision]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or ["no message"])[0]
    rows = {}
    for line in done.stdout.strip().splitlines():
        if line.startswith("{") and '"model"' in line:
            row = json.loads(line)
            rows[row["model"]] = row
    return rows, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--text-runs", type=int, default=50)
    parser.add_argument("--tokens", type=int, default=10)
    parser.add_argument("--family", choices=["all", *FAMILIES], default="all")
    parser.add_argument("--picseek", help="path to the picseek binary to compare against")
    parser.add_argument("--text-only", action="store_true",
                        help="only the text query, alternating ORT and picseek (needs --picseek)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating rounds with --text-only")
    args = parser.parse_args()
    if args.text_only and not args.picseek:
        parser.error("--text-only needs --picseek")

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    # nn.MultiheadAttention's fused inference path (open_clip's ViT) has no ONNX export.
    torch.backends.mha.set_fastpath_enabled(False)
    names = list(FAMILIES) if args.family == "all" else [args.family]
    if args.text_only:
        print(f"onnxruntime {ort.__version__}, torch {torch.__version__} (export); ratio > 1 "
              "means picseek is faster")
        for key in names:
            label, build = FAMILIES[key]
            with tempfile.TemporaryDirectory() as folder:
                run_text_rounds(build, key, label, args, folder)
        return
    results = {}
    for key in names:
        label, build = FAMILIES[key]
        with tempfile.TemporaryDirectory() as folder:
            result = measure(build, args, folder)
        results[label] = result
        print(f"== {label}")
        print(f"ort text query ({args.tokens} tokens): median {result['text_query_ms']:.2f} ms")
        for batch in (1, 8):
            print(f"ort images batch {batch}: "
                  f"{result[f'images_per_second_batch{batch}']:.2f} images/s")
        print(f"ort int8 images batch 8: {result['int8_images_per_second_batch8']:.2f} images/s "
              f"(min cosine to fp32 {result['int8_min_cosine']:.5f})")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"onnxruntime {ort.__version__}, torch {torch.__version__} (export), "
          f"threads {args.threads}, load average {load}")

    if not args.picseek:
        return
    fp32, error = run_picseek(args, "fp32")
    if fp32 is None:
        sys.exit(f"picseek bench engine failed: {error}")
    reduced, reduced_name = None, None
    for precision in ("int8", "bf16"):
        rows, error = run_picseek(args, precision)
        if rows is not None:
            reduced, reduced_name = rows, precision
            break
        print(f"picseek --image-precision {precision}: {error}")
    for label, result in results.items():
        if label not in fp32:
            print(f"picseek printed no result for {label}")
            continue
        print()
        print(label)
        print(f"{'measure':<34}{'picseek':>12}{'ort':>12}{'ratio':>10}")
        rows = [("text_query_ms", fp32[label]["text_query_ms"], result["text_query_ms"], False),
                ("images_per_second_batch1", fp32[label]["images_per_second_batch1"],
                 result["images_per_second_batch1"], True),
                ("images_per_second_batch8", fp32[label]["images_per_second_batch8"],
                 result["images_per_second_batch8"], True)]
        if reduced is not None and label in reduced:
            rows.append((f"{reduced_name} vs ort int8, batch 8",
                         reduced[label]["images_per_second_batch8"],
                         result["int8_images_per_second_batch8"], True))
        cosine = (reduced or {}).get(label, {}).get("image_min_cosine_to_fp32")
        for name, s, o, better_high in rows:
            ratio = s / o if better_high else o / s
            print(f"{name:<34}{s:>12.2f}{o:>12.2f}{ratio:>9.2f}x")
        if cosine is not None:
            print(f"min cosine to fp32: picseek {reduced_name} {cosine:.5f} (8 images), "
                  f"ort int8 {result['int8_min_cosine']:.5f} (the timed batch)")
    print("(ratio > 1 means picseek is faster)")
    if reduced_name != "int8":
        print("picseek has no int8 image tower yet: the reduced-precision row compares "
              f"{reduced_name or 'nothing'} with ORT's int8")


if __name__ == "__main__":
    main()
