#!/usr/bin/env python3
"""Trains picseek's small bilingual demo model (Chinese-CLIP architecture) on generated scenes.

Run with the reference virtualenv (torch, transformers, safetensors, pillow, numpy):

    python3 scripts/demo/train.py --out models/picseek-demo

The model is a Hugging Face `ChineseCLIPModel` (ViT vision tower, BERT text tower, the real
21128-entry Chinese-CLIP WordPiece vocab), trained from scratch with the symmetric contrastive
(InfoNCE) loss and a learnable logit scale on image/caption pairs from `scenes.py`, English and
Chinese captions mixed. Captions that also describe another image of the batch (by the hit
rule `scenes.matches`) count as positives for it, so generic captions are not punished.

Inputs go through the same preprocessing as inference: the scene is drawn at 240-320 px, half
the time stored as JPEG (possibly downsized) and decoded again, then squash-resized with PIL
bicubic to the model's input size and normalised with OpenAI CLIP's mean/std (what
`ChineseCLIPImageProcessor` with `do_center_crop: false` does). Text: `BertTokenizer` with the
vocab, [CLS] + at most 50 tokens + [SEP] (context length 52).

Deterministic for a given seed and thread count (torch CPU kernels, fixed `random`/numpy/torch
seeds). Writes config.json, model.safetensors (HF key names), preprocessor_config.json,
vocab.txt and train-log.json into --out; the checkpoint with the best validation Recall@5
(validation scenes use their own seed, different from the evaluation set's) is kept.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import random
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from safetensors.torch import save_file
from transformers import BertTokenizer, ChineseCLIPConfig, ChineseCLIPModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_VOCAB = os.path.join(REPO, "models", "picseek-demo", "vocab.txt")
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
CONTEXT = 52
PATH_ARGS = ("out", "vocab", "init", "data_cache")
VOCAB_SIZE = 21128
FIRST_WORD_ID = 106  # after [PAD], [unused*], [UNK], [CLS], [SEP], [MASK] and <S>, <T>


def model_config(args):
    """The ChineseCLIPConfig of the demo model."""
    text = dict(vocab_size=21128, hidden_size=args.width, num_hidden_layers=args.text_layers,
                num_attention_heads=args.width // 32, intermediate_size=4 * args.width,
                max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
                layer_norm_eps=1e-12, pad_token_id=0)
    vision = dict(hidden_size=args.width, intermediate_size=4 * args.width,
                  num_hidden_layers=args.vision_layers, num_attention_heads=args.width // 32,
                  image_size=args.image_size, patch_size=args.patch, num_channels=3,
                  hidden_act="quick_gelu", layer_norm_eps=1e-5, projection_dim=args.proj)
    return ChineseCLIPConfig(text_config=text, vision_config=vision, projection_dim=args.proj,
                             logit_scale_init_value=2.6592)


def preprocessor_config(image_size):
    return {"crop_size": {"height": image_size, "width": image_size}, "do_center_crop": False,
            "do_convert_rgb": True, "do_normalize": True, "do_rescale": True, "do_resize": True,
            "image_mean": list(MEAN), "image_std": list(STD),
            "image_processor_type": "ChineseCLIPImageProcessor", "resample": 3,
            "rescale_factor": 1 / 255, "size": {"height": image_size, "width": image_size}}


def to_input_pixels(img, image_size):
    """PIL image -> uint8 HxWx3 array: squash-resize with PIL bicubic (resample 3)."""
    return np.array(img.convert("RGB").resize((image_size, image_size), Image.BICUBIC),
                      dtype=np.uint8)


def _make_chunk(job):
    """Worker: renders scenes [start, stop) of a seed; returns pixels, scenes, captions.

    Captions alternate English, Chinese; each comes from `scenes.caption_varied` with
    probability `varied`, else from the original templates (`scenes.caption`)."""
    seed, start, stop, image_size, per_scene, varied = job
    pixels, recs = [], []
    for i in range(start, stop):
        rng = random.Random(seed * 1_000_003 + i)
        scene = scenes.sample_scene(rng)
        img = scenes.render(scene, rng)
        if rng.random() < 0.5:
            img = scenes.jpeg_roundtrip(img, rng, max_side=rng.choice([None, 128, 160, 200, 256]))
        pixels.append(to_input_pixels(img, image_size))
        caps = []
        while len(caps) < per_scene:
            make = scenes.caption_varied if varied and rng.random() < varied else scenes.caption
            en, zh, m = make(scene, rng)
            caps.append((en if len(caps) % 2 == 0 else zh, m))
        recs.append((scene, caps))
    return np.stack(pixels), recs


def make_dataset(seed, n, image_size, workers, tokenizer, per_scene=4, varied=0.0):
    chunk = 500
    jobs = [(seed, s, min(n, s + chunk), image_size, per_scene, varied)
            for s in range(0, n, chunk)]
    if workers > 1:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_make_chunk, jobs)
    else:
        parts = [_make_chunk(j) for j in jobs]
    pixels = np.concatenate([p for p, _ in parts])
    recs = [r for _, rs in parts for r in rs]
    texts = [c for _, caps in recs for c, _ in caps]
    ids = tokenize(tokenizer, texts).view(n, per_scene, CONTEXT)
    return pixels, recs, ids


def tokenize(tokenizer, texts):
    """[CLS] + up to 50 WordPiece ids + [SEP], zero-padded to 52 (Chinese-CLIP)."""
    out = torch.zeros(len(texts), CONTEXT, dtype=torch.long)
    for i, t in enumerate(texts):
        ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t))[:CONTEXT - 2]
        ids = [tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id]
        out[i, :len(ids)] = torch.tensor(ids)
    return out


def add_noise_tokens(ids, p, gen):
    """Inserts one or two random WordPiece ids (any ordinary vocab entry, Chinese characters
    included) at random places of a share `p` of the captions, after [CLS] and before [SEP],
    so that words the captions never use (the way people pad a search: "please", "我想找")
    do not throw the text tower off. Captions stay within the context length."""
    out = ids.clone()
    for row in range(ids.shape[0]):
        if torch.rand(1, generator=gen).item() >= p:
            continue
        tokens = [t for t in ids[row].tolist() if t != 0]
        for _ in range(int(torch.randint(1, 3, (1,), generator=gen))):
            if len(tokens) >= CONTEXT:
                break
            at = int(torch.randint(1, len(tokens), (1,), generator=gen))
            tokens.insert(at, int(torch.randint(FIRST_WORD_ID, VOCAB_SIZE, (1,), generator=gen)))
        out[row] = 0
        out[row, :len(tokens)] = torch.tensor(tokens)
    return out


# What `--aux-kind` and `--aux-text` predict: the kind of the first object.
AUX_KINDS = sorted(set(scenes.SHAPES) | {"house", "tree", "car", "flower", "boat", "cloud",
                                          "sun", "moon"})


def look_alike_key(scene):
    """Scenes with the same key look alike at a glance: as many shapes of one colour on the
    same background, or objects on one background. `--hard-negatives` fills part of each
    batch with such pairs; their captions differ mostly in the kind of shape, so the model
    cannot tell them apart by colour, count or background alone."""
    first = scene["objects"][0]
    if first["kind"] in scenes.SHAPES:
        return ("shapes", first["colour"], first["count"], scene["background"])
    return ("objects", scene["background"])


def resize_input(model, image_size):
    """A copy of `model` whose vision tower takes `image_size` pixels a side: the learned
    position embeddings of the patch grid are resampled bicubically to the new grid (as when
    fine-tuning a ViT at a higher resolution); the class position and all weights are kept."""
    vision = model.config.vision_config
    old = vision.image_size // vision.patch_size
    new = image_size // vision.patch_size
    if new * vision.patch_size != image_size:
        sys.exit("--resize-input %d is not a multiple of the patch size %d"
                 % (image_size, vision.patch_size))
    state = model.state_dict()
    key = "vision_model.embeddings.position_embedding.weight"
    pos = state[key]
    grid = pos[1:].reshape(1, old, old, -1).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=(new, new), mode="bicubic", align_corners=False)
    state[key] = torch.cat([pos[:1], grid.permute(0, 2, 3, 1).reshape(new * new, -1)])
    cfg = model.config
    cfg.vision_config.image_size = image_size
    resized = ChineseCLIPModel(cfg)
    state = {k: v for k, v in state.items() if not k.endswith("position_ids")}
    missing, unexpected = resized.load_state_dict(state, strict=False)
    if unexpected or any(not k.endswith("position_ids") for k in missing):
        sys.exit("resizing the input lost weights: %s %s" % (missing, unexpected))
    return resized


def normalise(pixels_u8):
    x = torch.from_numpy(pixels_u8).float().div_(255.0).permute(0, 3, 1, 2)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def encode_text(model, ids, raw=False):
    """L2-normalised text embeddings (`raw`: before the normalisation)."""
    # Pad positions are masked out, so dropping the all-pad tail changes nothing.
    ids = ids[:, :max(1, int((ids != 0).sum(1).max()))]
    mask = (ids != 0).long()
    out = _features(model.get_text_features(input_ids=ids, attention_mask=mask,
                                            token_type_ids=torch.zeros_like(ids)))
    return out if raw else F.normalize(out, dim=-1)


def encode_image(model, pixels):
    return F.normalize(_features(model.get_image_features(pixel_values=pixels)), dim=-1)


def _features(out):
    """Projected features: transformers 5 returns an output object, 4.x a tensor."""
    return out if torch.is_tensor(out) else out.pooler_output


@torch.no_grad()
def validate(model, val):
    """Text-to-image Recall@1/@5 per language on the validation scenes (hit rule as in eval)."""
    pixels, recs, ids = val
    model.eval()
    img = torch.cat([encode_image(model, normalise(pixels[s:s + 256]))
                     for s in range(0, len(pixels), 256)])
    out = {}
    for lang, k in (("en", 0), ("zh", 1)):
        txt = torch.cat([encode_text(model, ids[s:s + 256, k]) for s in range(0, len(ids), 256)])
        order = (txt @ img.T).argsort(dim=1, descending=True)[:, :5].tolist()
        r1 = r5 = 0
        for q, top in enumerate(order):
            m = recs[q][1][k][1]
            hits = [scenes.matches(m, recs[j][0]) for j in top]
            r1 += hits[0]
            r5 += any(hits)
        out[lang] = (r1 / len(order), r5 / len(order))
    model.train()
    return out


def save(model, cfg, args, out_dir, log):
    os.makedirs(out_dir, exist_ok=True)
    state = {k: v.detach().contiguous().clone() for k, v in model.state_dict().items()
             if not k.endswith("position_ids")}
    if args.fp16:
        state = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    save_file(state, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
    cfg.to_json_file(os.path.join(out_dir, "config.json"))
    with open(os.path.join(out_dir, "preprocessor_config.json"), "w") as f:
        json.dump(preprocessor_config(args.image_size), f, indent=2)
    if os.path.abspath(args.vocab) != os.path.abspath(os.path.join(out_dir, "vocab.txt")):
        shutil.copyfile(args.vocab, os.path.join(out_dir, "vocab.txt"))
    with open(os.path.join(out_dir, "train-log.json"), "w") as f:
        json.dump(log, f, indent=1, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description="train picseek's demo model")
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", default=DEFAULT_VOCAB)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--val-seed", type=int, default=2)
    ap.add_argument("--scenes", type=int, default=24000)
    ap.add_argument("--val-scenes", type=int, default=600)
    ap.add_argument("--steps", type=int, default=1700)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=150)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--text-layers", type=int, default=2)
    ap.add_argument("--vision-layers", type=int, default=3)
    ap.add_argument("--image-size", type=int, default=64)
    ap.add_argument("--patch", type=int, default=16)
    ap.add_argument("--proj", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 was 5-10x faster than 2 on the loaded 2-core machine")
    ap.add_argument("--workers", type=int, default=2, help="processes rendering the data")
    ap.add_argument("--val-every", type=int, default=250)
    ap.add_argument("--fp16", action="store_true", help="store weights as float16")
    ap.add_argument("--init", help="continue from this saved model folder instead of a fresh "
                    "model (its config wins over the size options)")
    ap.add_argument("--resize-input", type=int, help="with --init: fine-tune at this input size "
                    "(pixels a side); the learned patch positions are resampled bicubically to "
                    "the new patch grid")
    ap.add_argument("--captions-per-scene", type=int, default=4,
                    help="captions drawn per scene, alternately English and Chinese")
    ap.add_argument("--varied", type=float, default=0.0,
                    help="share of captions from scenes.caption_varied (the rest from the "
                    "original templates); also used for the validation captions")
    ap.add_argument("--noise-tokens", type=float, default=0.0,
                    help="share of training captions given one or two random vocab tokens")
    ap.add_argument("--hard-negatives", type=float, default=0.0,
                    help="share of each batch drawn as look-alikes of the rest (a shape "
                    "scene's partner has as many shapes of the same colour on the same "
                    "background, an object scene's the same background), so that the kind of "
                    "shape must decide (at most 0.5)")
    ap.add_argument("--aux-kind", type=float, default=0.0,
                    help="weight of an auxiliary loss during training only: linear heads on the "
                    "image embedding predict the kind and the count of the scene's first object "
                    "(the heads are not saved; the model keeps its architecture)")
    ap.add_argument("--aux-text", type=float, default=0.0,
                    help="the same on the text side: heads on the caption embedding predict the "
                    "kind and the count of the first object the caption states")
    ap.add_argument("--data-cache", help="load the generated training data from this file if "
                    "it exists, else generate it and save it there")
    ap.add_argument("--data-only", action="store_true", help="only generate --data-cache")
    args = ap.parse_args()

    if not 0 <= args.hard_negatives <= 0.5:
        sys.exit("--hard-negatives must be between 0 and 0.5")
    if args.resize_input:
        if not args.init:
            sys.exit("--resize-input needs --init")
        args.image_size = args.resize_input
    elif args.init:
        with open(os.path.join(args.init, "config.json")) as f:
            args.image_size = json.load(f)["vision_config"]["image_size"]
    t0 = time.time()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    tok = BertTokenizer(args.vocab, do_lower_case=True)

    if args.data_cache and os.path.exists(args.data_cache):
        train = torch.load(args.data_cache, weights_only=False)
    else:
        train = make_dataset(args.seed, args.scenes, args.image_size, args.workers, tok,
                             args.captions_per_scene, args.varied)
        if args.data_cache:
            torch.save(train, args.data_cache)
    if args.data_only:
        return
    val = make_dataset(args.val_seed, args.val_scenes, args.image_size, args.workers, tok,
                       args.captions_per_scene, args.varied)
    t_data = time.time() - t0
    print("data: %d train + %d val scenes in %.0f s" % (args.scenes, args.val_scenes, t_data),
          flush=True)

    if args.init:
        model = ChineseCLIPModel.from_pretrained(args.init).float()
        if args.image_size != model.config.vision_config.image_size:
            model = resize_input(model, args.image_size)
        cfg = model.config
    else:
        cfg = model_config(args)
        model = ChineseCLIPModel(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    print("params: %.2f M" % (n_params / 1e6), flush=True)
    heads = torch.nn.ModuleDict({
        "kind": torch.nn.Linear(cfg.projection_dim, len(AUX_KINDS)),
        "count": torch.nn.Linear(cfg.projection_dim, 4),
        "text_kind": torch.nn.Linear(cfg.projection_dim, len(AUX_KINDS)),
        "text_count": torch.nn.Linear(cfg.projection_dim, 4)})
    decay, no_decay = [], []
    aux = list(heads.named_parameters()) if args.aux_kind or args.aux_text else []
    for name, p in list(model.named_parameters()) + aux:
        (no_decay if p.ndim < 2 or "embedding" in name or "logit_scale" in name else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        t = (step - args.warmup) / max(1, args.steps - args.warmup)
        return args.lr * 0.5 * (1 + math.cos(math.pi * t))

    pixels, recs, ids = train
    gen = torch.Generator().manual_seed(args.seed)
    look_alikes = {}
    for i, (scene, _) in enumerate(recs):
        look_alikes.setdefault(look_alike_key(scene), []).append(i)
    partners = int(args.batch * args.hard_negatives)
    anchors = args.batch - partners
    # Paths are reduced to their last component: the log is committed with the model.
    logged = {k: os.path.basename(os.path.normpath(v)) if k in PATH_ARGS and v else v
              for k, v in vars(args).items()}
    log = {"args": logged, "params": n_params, "data_seconds": round(t_data), "val": []}
    best, t_train = -1.0, time.time()
    order = torch.randperm(args.scenes, generator=gen)
    pos = 0
    model.train()
    for step in range(args.steps):
        if pos + anchors > args.scenes:
            order, pos = torch.randperm(args.scenes, generator=gen), 0
        idx = order[pos:pos + anchors]
        pos += anchors
        if partners:
            picks = []
            for a in idx[:partners].tolist():
                group = look_alikes[look_alike_key(recs[a][0])]
                picks.append(group[int(torch.randint(len(group), (1,), generator=gen))])
            idx = torch.cat([idx, torch.tensor(picks, dtype=idx.dtype)])
        which = torch.randint(0, args.captions_per_scene, (args.batch,), generator=gen)
        batch_ids = ids[idx, which]
        if args.noise_tokens:
            batch_ids = add_noise_tokens(batch_ids, args.noise_tokens, gen)
        il = idx.tolist()
        wl = which.tolist()
        # Positives: caption i describes image j by the hit rule (diagonal always true).
        target = torch.tensor([[scenes.matches(recs[i][1][w][1], recs[j][0]) for j in il]
                               for i, w in zip(il, wl)], dtype=torch.float32)
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        features = _features(model.get_image_features(pixel_values=normalise(
            pixels[idx.numpy()])))
        img = F.normalize(features, dim=-1)
        text_features = encode_text(model, batch_ids, raw=True)
        txt = F.normalize(text_features, dim=-1)
        scale = model.logit_scale.exp()
        logits = scale * txt @ img.T
        loss_t = -(target / target.sum(1, keepdim=True) * logits.log_softmax(1)).sum(1).mean()
        loss_i = -(target.T / target.T.sum(1, keepdim=True) * logits.T.log_softmax(1)).sum(1).mean()
        loss = (loss_t + loss_i) / 2
        if args.aux_kind:
            first = [recs[i][0]["objects"][0] for i in il]
            kinds = torch.tensor([AUX_KINDS.index(o["kind"]) for o in first])
            counts = torch.tensor([o["count"] - 1 for o in first])
            loss = loss + args.aux_kind * (F.cross_entropy(heads["kind"](features), kinds)
                                           + F.cross_entropy(heads["count"](features), counts))
        if args.aux_text:
            said = [(recs[i][1][w][1]["objects"] or [{}])[0] for i, w in zip(il, wl)]
            kinds = torch.tensor([AUX_KINDS.index(o["kind"]) if "kind" in o else -100
                                  for o in said])
            counts = torch.tensor([o["count"] - 1 if "count" in o else -100 for o in said])
            loss = loss + args.aux_text * sum(
                F.cross_entropy(heads[name](text_features), target, ignore_index=-100)
                for name, target in (("text_kind", kinds), ("text_count", counts))
                if (target >= 0).any())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(heads.parameters()),
                                       1.0)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if step % 25 == 0:
            el = time.time() - t_train
            print("step %d loss %.4f scale %.1f lr %.2e  %.2f s/step" %
                  (step, loss.item(), scale.item(), lr_at(step), el / (step + 1)), flush=True)
        if (step + 1) % args.val_every == 0 or step + 1 == args.steps:
            r = validate(model, val)
            score = min(r["en"][1], r["zh"][1])
            entry = {"step": step + 1, "minutes": round((time.time() - t0) / 60, 1),
                     "en_r1": r["en"][0], "en_r5": r["en"][1], "zh_r1": r["zh"][0],
                     "zh_r5": r["zh"][1]}
            log["val"].append(entry)
            print("val", json.dumps(entry), flush=True)
            if score >= best:
                best = score
                log["best_step"] = step + 1
                log["train_minutes"] = round((time.time() - t0) / 60, 1)
                save(model, cfg, args, args.out, log)
    log["total_minutes"] = round((time.time() - t0) / 60, 1)
    with open(os.path.join(args.out, "train-log.json"), "w") as f:
        json.dump(log, f, indent=1, ensure_ascii=False)
    print("done in %.1f min, best val min-R@5 %.3f at step %s" %
          (log["total_minutes"], best, log.get("best_step")), flush=True)


if __name__ == "__main__":
    main()
