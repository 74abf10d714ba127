#!/usr/bin/env python3
"""Procedural bilingual scenes for picseek's demo model.

Draws simple pictures with PIL (backgrounds, coloured shapes, simple objects) and
describes each one twice: a structured attribute record (what was drawn) and
captions in English and Chinese built from several templates each, which mention
a subset of those attributes (`caption`), or phrased in the many ways people type a
search (`caption_varied`, vocabulary in the tables before it).

Run with the reference virtualenv (PIL, numpy). Deterministic: everything is drawn
from a `random.Random(seed)` passed in by the caller.

Attribute record of a scene (JSON-able):
    {"background": "sky"|"grass"|"sea"|"desert"|"snow"|"room"|"plain",
     "background_colour": colour key (only when background is "plain"),
     "time": "day"|"night" (only outdoor backgrounds),
     "objects": [ {"kind": "circle"|...|"sun"|..., "count": 1..4,
                   "colour": colour key (shapes and colourable objects),
                   "size": "small"|"large" (shapes only),
                   "position": "left"|"right"|"top"|"bottom"|"centre"}, ... ]}
Kinds are distinct within one scene.

A caption's mentioned attributes have the same form (a subset of fields, and of
objects). `matches(caption_attrs, image_attrs)` is the hit rule used by evaluation.

Example:
    python3 scripts/demo/scenes.py --seed 7 --count 6 --out scenes-preview
"""
import argparse
import io
import json
import math
import os
import random

from PIL import Image, ImageDraw

# ---------------------------------------------------------------- vocabulary

COLOURS = {
    # key: (rgb, english, chinese)
    "red": ((220, 30, 35), "red", "红色"),
    "green": ((40, 170, 60), "green", "绿色"),
    "blue": ((35, 80, 215), "blue", "蓝色"),
    "yellow": ((245, 215, 30), "yellow", "黄色"),
    "white": ((248, 248, 248), "white", "白色"),
    "black": ((20, 20, 20), "black", "黑色"),
    "orange": ((245, 135, 20), "orange", "橙色"),
    "purple": ((135, 45, 175), "purple", "紫色"),
}
COLOUR_KEYS = list(COLOURS)

SHAPES = {
    # key: (english singular, english plural, chinese)
    "circle": ("circle", "circles", "圆形"),
    "square": ("square", "squares", "正方形"),
    "triangle": ("triangle", "triangles", "三角形"),
    "star": ("star", "stars", "五角星"),
    "heart": ("heart", "hearts", "心形"),
    "cross": ("cross", "crosses", "十字"),
}

OBJECTS = {
    # key: (english singular, english plural, chinese noun, chinese classifier)
    "sun": ("sun", "suns", "太阳", "个"),
    "moon": ("moon", "moons", "月亮", "个"),
    "cloud": ("cloud", "clouds", "云", "朵"),
    "house": ("house", "houses", "房子", "座"),
    "tree": ("tree", "trees", "树", "棵"),
    "car": ("car", "cars", "汽车", "辆"),
    "boat": ("boat", "boats", "船", "艘"),
    "flower": ("flower", "flowers", "花", "朵"),
}
COLOURABLE_OBJECTS = {"house", "car", "boat", "flower"}
SKY_OBJECTS = {"sun", "moon", "cloud"}

COUNTS_EN = {1: "a", 2: "two", 3: "three", 4: "four"}
COUNTS_EN_WORD = {1: "one", 2: "two", 3: "three", 4: "four"}
COUNTS_ZH = {1: "一", 2: "两", 3: "三", 4: "四"}

SIZES_EN = {"small": ["small"], "large": ["large", "big"]}
SIZES_ZH = {"small": "小", "large": "大"}

POSITIONS_EN = {"left": "on the left", "right": "on the right", "top": "at the top",
                "bottom": "at the bottom", "centre": "in the middle"}
POSITIONS_ZH = {"left": "左边", "right": "右边", "top": "上方", "bottom": "下方",
                "centre": "中间"}

OUTDOOR = ["sky", "grass", "sea", "desert", "snow"]
BACKGROUNDS = OUTDOOR + ["room", "plain"]

# English and Chinese phrases for "where" (background + time of day).
BG_EN = {"sky": "in the sky", "grass": "on the grass", "sea": "on the sea",
         "desert": "in the desert", "snow": "in the snow", "room": "in a room"}
BG_ZH = {"sky": "天空中", "grass": "草地上", "sea": "海上", "desert": "沙漠里",
         "snow": "雪地上", "room": "房间里"}

# Ground objects allowed on each background (sky objects go on outdoor backgrounds).
GROUND_OBJECTS = {
    "grass": ["house", "tree", "car", "flower"],
    "snow": ["house", "tree", "car"],
    "desert": ["car", "tree"],
    "sea": ["boat"],
    "sky": ["cloud"],
}

# ---------------------------------------------------------------- scene sampling


def sample_scene(rng):
    """Returns a random attribute record (see the module docstring)."""
    if rng.random() < 0.55:
        return _sample_shape_scene(rng)
    return _sample_object_scene(rng)


def _sample_shape_scene(rng):
    bg = rng.choice(BACKGROUNDS)
    scene = {"background": bg}
    if bg == "plain":
        scene["background_colour"] = rng.choice(COLOUR_KEYS)
    if bg in OUTDOOR:
        scene["time"] = "night" if rng.random() < 0.3 else "day"
    banned = _clashing_colours(scene)
    colour = rng.choice([c for c in COLOUR_KEYS if c not in banned])
    scene["objects"] = [{
        "kind": rng.choice(list(SHAPES)),
        "count": rng.randint(1, 4),
        "colour": colour,
        "size": rng.choice(["small", "large"]),
        "position": rng.choice(list(POSITIONS_EN)),
    }]
    return scene


def _sample_object_scene(rng):
    bg = rng.choice(["grass", "snow", "desert", "sea", "sky"])
    scene = {"background": bg, "time": "night" if rng.random() < 0.3 else "day"}
    kind = rng.choice(GROUND_OBJECTS[bg])
    obj = {"kind": kind, "count": rng.randint(1, 3),
           "position": rng.choice(["left", "right", "centre"])}
    if kind in COLOURABLE_OBJECTS:
        banned = _clashing_colours(scene)
        obj["colour"] = rng.choice([c for c in COLOUR_KEYS if c not in banned])
    if kind == "cloud":
        obj["position"] = rng.choice(["left", "right", "centre"])
        if scene["time"] == "night":
            scene["time"] = "day"
    objects = [obj]
    # A sky object (sun by day, moon by night) in most outdoor scenes.
    if rng.random() < 0.6:
        sky = "moon" if scene["time"] == "night" else "sun"
        if kind == "cloud":
            sky = "sun"
        side = "right" if obj["position"] == "left" else (
            "left" if obj["position"] == "right" else rng.choice(["left", "right"]))
        objects.append({"kind": sky, "count": 1, "position": "top" if False else side})
    scene["objects"] = objects
    return scene


def _clashing_colours(scene):
    """Colours that would be hard to see on the scene's background."""
    bg = scene["background"]
    night = scene.get("time") == "night"
    if bg == "plain":
        c = scene["background_colour"]
        near = {"orange": {"red", "yellow"}, "red": {"orange", "purple"},
                "yellow": {"orange", "white"}, "white": {"yellow"},
                "purple": {"blue", "red"}, "blue": {"purple"}}
        return {c} | near.get(c, set())
    base = {"sky": {"blue", "white"}, "grass": {"green"}, "sea": {"blue"},
            "desert": {"yellow", "orange"}, "snow": {"white"}, "room": set()}[bg]
    if night:
        base = base | {"black", "blue", "purple"}
    return base


# ---------------------------------------------------------------- captions


def caption(scene, rng):
    """Returns (english, chinese, mentioned) for one random template.

    `mentioned` is the caption's attribute record: the subset of `scene` it states.
    Both languages state the same attributes.
    """
    objs = scene["objects"]
    main = objs[0]
    m_main = {"kind": main["kind"], "count": main["count"]}
    for field, p in (("colour", 0.8), ("size", 0.6), ("position", 0.45)):
        if field in main and rng.random() < p:
            m_main[field] = main[field]
    mentioned = {"objects": [m_main]}
    if len(objs) > 1 and rng.random() < 0.6:
        mentioned["objects"].append({"kind": objs[1]["kind"], "count": 1})
    if rng.random() < 0.75 or len(m_main) == 2:
        mentioned["background"] = scene["background"]
        if "background_colour" in scene:
            mentioned["background_colour"] = scene["background_colour"]
        if "time" in scene and (scene["time"] == "night" or rng.random() < 0.3):
            mentioned["time"] = scene["time"]
    return _english(mentioned, rng), _chinese(mentioned, rng), mentioned


def _noun_en(o, rng):
    k = o["kind"]
    if k in ("sun", "moon"):
        return "the " + k
    words = []
    if "size" in o:
        words.append(rng.choice(SIZES_EN[o["size"]]))
    if "colour" in o:
        words.append(COLOURS[o["colour"]][1])
    sing, plur = (SHAPES[k][:2] if k in SHAPES else OBJECTS[k][:2])
    words.append(sing if o["count"] == 1 else plur)
    article = COUNTS_EN[o["count"]]
    if article == "a" and words[0][0] in "aeiou":
        article = "an"
    return article + " " + " ".join(words)


def _where_en(m):
    bg = m.get("background")
    if bg is None:
        return "at night" if m.get("time") == "night" else ""
    if bg == "plain":
        return "on a %s background" % COLOURS[m["background_colour"]][1]
    if bg == "sky" and m.get("time") == "night":
        return "in the night sky"
    phrase = BG_EN[bg]
    if m.get("time") == "night":
        phrase += " at night"
    elif m.get("time") == "day":
        phrase += " during the day"
    return phrase


def _english(m, rng):
    objs = m["objects"]
    main = objs[0]
    subject = _noun_en(main, rng)
    if "position" in main:
        subject += " " + POSITIONS_EN[main["position"]]
    if len(objs) > 1:
        subject += " and " + _noun_en(objs[1], rng)
    where = _where_en(m)
    t = rng.randrange(4)
    if t == 0 or not where:
        text = subject + (" " + where if where else "")
    elif t == 1:
        text = "a picture of " + subject + " " + where
    elif t == 2:
        verb = "is" if main["count"] == 1 else "are"
        text = "there %s %s %s" % (verb, subject, where)
    else:
        text = where + ", " + subject
    return text


def _noun_zh(o):
    k = o["kind"]
    if k in ("sun", "moon"):
        return OBJECTS[k][2]
    if k in SHAPES:
        noun, clf = SHAPES[k][2], "个"
    else:
        noun, clf = OBJECTS[k][2], OBJECTS[k][3]
    if "colour" in o and "size" in o:
        adj = COLOURS[o["colour"]][2] + "的" + SIZES_ZH[o["size"]]
    elif "colour" in o:
        adj = COLOURS[o["colour"]][2]
    elif "size" in o:
        adj = SIZES_ZH[o["size"]]
    else:
        adj = ""
    return COUNTS_ZH[o["count"]] + clf + adj + noun


def _where_zh(m):
    bg = m.get("background")
    if bg is None:
        return "夜晚" if m.get("time") == "night" else ""
    if bg == "plain":
        return COLOURS[m["background_colour"]][2] + "背景上"
    if bg == "sky" and m.get("time") == "night":
        return "夜空中"
    phrase = BG_ZH[bg]
    if m.get("time") == "night":
        phrase = "夜晚" + phrase
    elif m.get("time") == "day":
        phrase = "白天" + phrase
    return phrase


def _chinese(m, rng):
    objs = m["objects"]
    main = objs[0]
    noun = _noun_zh(main)
    if len(objs) > 1:
        noun += "和" + _noun_zh(objs[1])
    where = _where_zh(m)
    pos = POSITIONS_ZH.get(main.get("position", ""), "")
    t = rng.randrange(3)
    if pos:
        if t == 0:
            text = (where + "，" if where else "") + pos + "有" + noun
        elif t == 1:
            text = (where + "的" if where else "") + noun + "在" + pos
        else:
            text = "一张" + (where if where else "") + pos + "有" + noun + "的图片"
    else:
        if t == 0 and where:
            text = where + "的" + noun
        elif t == 1 and where:
            text = where + "有" + noun
        elif where:
            text = "一张" + where + "有" + noun + "的图片"
        else:
            text = rng.choice(["", "画面中有", "图片里有"]) + noun
    return text


# ---------------------------------------------------------------- varied captions
#
# `caption` above is the original four-English/three-Chinese-template generator; the held-out
# set in models/picseek-demo/eval/captions.jsonl was written with it and stays as it is.
# `caption_varied` says the same attributes in the many ways people type a search: synonyms,
# colours as adjectives and as nouns, shape names with and without "shape", singular and
# plural, keyword queries, sentences, questions, fragments, and mixed English-Chinese.
# Every word it can emit is in the tables below (`VARIED_VOCABULARY` lists them by field);
# the phrases are only ever joined with a space, a comma or (Chinese) nothing, at the
# boundaries of table entries.

V_COLOUR_EN = {
    "red": ["red", "scarlet"], "green": ["green"], "blue": ["blue"],
    "yellow": ["yellow", "golden"], "white": ["white"], "black": ["black", "dark black"],
    "orange": ["orange"], "purple": ["purple", "violet"],
}
V_COLOUR_ZH = {
    "red": ["红色", "红"], "green": ["绿色", "绿"], "blue": ["蓝色", "蓝"],
    "yellow": ["黄色", "黄", "金黄色"], "white": ["白色", "白"], "black": ["黑色", "黑"],
    "orange": ["橙色", "橙", "橘色"], "purple": ["紫色", "紫"],
}
# (singular forms, plural forms) per kind.
V_KIND_EN = {
    "circle": (["circle", "circle shape", "round shape", "disc", "dot"],
               ["circles", "circle shapes", "round shapes", "discs", "dots"]),
    "square": (["square", "square shape", "block"], ["squares", "square shapes", "blocks"]),
    "triangle": (["triangle", "triangle shape", "triangular shape"],
                 ["triangles", "triangle shapes", "triangular shapes"]),
    "star": (["star", "star shape", "five-pointed star"],
             ["stars", "star shapes", "five-pointed stars"]),
    "heart": (["heart", "heart shape", "love heart"], ["hearts", "heart shapes", "love hearts"]),
    "cross": (["cross", "cross shape", "plus sign"], ["crosses", "cross shapes", "plus signs"]),
    "sun": (["sun", "sunshine"], ["suns"]),
    "moon": (["moon", "crescent moon"], ["moons"]),
    "cloud": (["cloud", "white cloud", "fluffy cloud"],
              ["clouds", "white clouds", "fluffy clouds"]),
    "house": (["house", "home", "cottage", "building"],
              ["houses", "homes", "cottages", "buildings"]),
    "tree": (["tree"], ["trees"]),
    "car": (["car", "automobile", "vehicle"], ["cars", "automobiles", "vehicles"]),
    "boat": (["boat", "ship", "sailboat", "sailing boat"],
             ["boats", "ships", "sailboats", "sailing boats"]),
    "flower": (["flower", "blossom"], ["flowers", "blossoms"]),
}
V_KIND_ZH = {
    "circle": ["圆形", "圆", "圆圈", "圆点"], "square": ["正方形", "方块", "方形"],
    "triangle": ["三角形", "三角"], "star": ["五角星", "星星", "星形"],
    "heart": ["心形", "爱心", "心"], "cross": ["十字", "十字形", "加号"],
    "sun": ["太阳"], "moon": ["月亮", "弯月"], "cloud": ["云", "云朵", "白云"],
    "house": ["房子", "房屋", "小屋"], "tree": ["树", "树木"],
    "car": ["汽车", "车", "小汽车", "轿车"], "boat": ["船", "小船", "帆船"],
    "flower": ["花", "花朵"],
}
V_CLASSIFIER_ZH = {"house": ["座", "栋"], "tree": ["棵"], "car": ["辆"], "boat": ["艘", "条"],
                   "flower": ["朵"], "cloud": ["朵"]}
V_COUNT_EN = {1: ["a", "one", "a single"], 2: ["two", "2", "a pair of"], 3: ["three", "3"],
              4: ["four", "4"]}
V_COUNT_ZH = {1: ["一"], 2: ["两", "二"], 3: ["三"], 4: ["四"]}
V_SIZE_EN = {"small": ["small", "little", "tiny"], "large": ["large", "big", "huge"]}
V_SIZE_ZH = {"small": ["小", "小小的", "很小的"], "large": ["大", "大大的", "很大的"]}
V_POSITION_EN = {
    "left": ["on the left", "on the left side", "to the left", "left"],
    "right": ["on the right", "on the right side", "to the right", "right"],
    "top": ["at the top", "near the top", "in the upper part", "top"],
    "bottom": ["at the bottom", "near the bottom", "in the lower part", "bottom"],
    "centre": ["in the middle", "in the center", "in the centre", "center"],
}
V_POSITION_ZH = {
    "left": ["左边", "左侧", "靠左"], "right": ["右边", "右侧", "靠右"],
    "top": ["上方", "上面", "顶部"], "bottom": ["下方", "下面", "底部"],
    "centre": ["中间", "中央", "正中间"],
}
# Places as prepositional phrases ("on the sea") and as bare keywords ("sea").
V_PLACE_EN = {
    "sky": ["in the sky", "up in the sky", "against the sky"],
    "grass": ["on the grass", "on the lawn", "on a lawn", "in a field", "on green grass"],
    "sea": ["on the sea", "on the ocean", "at sea", "on the water"],
    "desert": ["in the desert", "on the sand", "in a sandy desert"],
    "snow": ["in the snow", "on snow", "on snowy ground", "in a snowy field"],
    "room": ["in a room", "indoors", "inside a room", "in an indoor room"],
}
V_PLACE_WORD_EN = {"sky": ["sky"], "grass": ["grass", "lawn", "field"], "sea": ["sea", "ocean"],
                   "desert": ["desert", "sand"], "snow": ["snow", "snowy"],
                   "room": ["room", "indoor"]}
V_PLACE_ZH = {"sky": ["天空中", "天上", "空中"], "grass": ["草地上", "草坪上", "草地里"],
              "sea": ["海上", "海面上", "大海上", "海洋上"], "desert": ["沙漠里", "沙漠中", "沙地上"],
              "snow": ["雪地上", "雪中", "雪地里"], "room": ["房间里", "室内", "屋子里"]}
V_PLACE_WORD_ZH = {"sky": ["天空"], "grass": ["草地", "草坪"], "sea": ["大海", "海"],
                   "desert": ["沙漠"], "snow": ["雪地", "雪"], "room": ["房间", "室内"]}
V_NIGHT_EN = ["at night", "after dark", "in the dark", "at nighttime", "by night"]
V_NIGHT_WORD_EN = ["night", "nighttime", "dark"]
V_DAY_EN = ["during the day", "in the daytime", "by day", "in daylight"]
V_DAY_WORD_EN = ["day", "daytime"]
V_NIGHT_SKY_EN = ["in the night sky", "in the dark sky", "in the sky at night"]
V_NIGHT_ZH = ["夜晚", "夜里", "晚上", "天黑后", "夜间"]
V_DAY_ZH = ["白天", "白天的"]
V_NIGHT_SKY_ZH = ["夜空中", "夜晚的天空中", "晚上的天空里"]
V_BACKDROP_EN = ["background", "backdrop"]
V_BACKDROP_ON_EN = ["on a", "against a"]
V_BACKDROP_ZH = ["背景上", "背景中", "底色上"]
V_PREFIX_EN = ["a picture of", "a photo of", "an image of", "picture of", "photo of",
               "photos of", "pictures of", "show me", "find", "search for"]
V_QUESTION_EN = ["any", "where is", "where are", "is there", "are there"]
V_THERE_EN = {"sing": ["there is"], "plur": ["there are"]}
V_AND_EN = ["and", "with"]
V_PREFIX_ZH = ["一张", "找", "搜索", "查找"]
V_PICTURE_ZH = ["的图片", "的照片", "的画面"]
V_HAS_ZH = ["有", "画面中有", "图片里有", "照片里有"]
V_QUESTION_ZH = ["哪里有", "有没有"]
V_AND_ZH = ["和", "还有"]
V_PARTICLE_ZH = {"de": "的", "at": "在", "comma": "，", "q": "？", "q_en": "?"}
V_EMPTY = [""]

VARIED_VOCABULARY = {
    "colours": (V_COLOUR_EN, V_COLOUR_ZH), "kinds": (V_KIND_EN, V_KIND_ZH, V_CLASSIFIER_ZH),
    "counts": (V_COUNT_EN, V_COUNT_ZH), "sizes": (V_SIZE_EN, V_SIZE_ZH),
    "positions": (V_POSITION_EN, V_POSITION_ZH),
    "places": (V_PLACE_EN, V_PLACE_WORD_EN, V_PLACE_ZH, V_PLACE_WORD_ZH, V_BACKDROP_EN,
               V_BACKDROP_ON_EN, V_BACKDROP_ZH),
    "times": (V_NIGHT_EN, V_NIGHT_WORD_EN, V_DAY_EN, V_DAY_WORD_EN, V_NIGHT_SKY_EN, V_NIGHT_ZH,
              V_DAY_ZH, V_NIGHT_SKY_ZH),
    "frames": (V_PREFIX_EN, V_QUESTION_EN, V_THERE_EN, V_AND_EN, V_PREFIX_ZH, V_PICTURE_ZH,
               V_HAS_ZH, V_QUESTION_ZH, V_AND_ZH, V_PARTICLE_ZH),
}


def _mention_varied(scene, rng):
    """The attributes a varied caption states: like `caption`, plus scene-only and
    object-only captions and captions that leave the count out."""
    objs = scene["objects"]
    main = objs[0]
    r = rng.random()
    if r < 0.12:
        # The place alone ("snow at night", "a red background").
        m = {"objects": []}
        m["background"] = scene["background"]
        if "background_colour" in scene:
            m["background_colour"] = scene["background_colour"]
        if "time" in scene and (scene["time"] == "night" or rng.random() < 0.3):
            m["time"] = scene["time"]
        if len(objs) > 1 and rng.random() < 0.5:
            m["objects"].append({"kind": objs[1]["kind"], "count": 1})
        return m
    m_main = {"kind": main["kind"]}
    if main["kind"] in ("sun", "moon") or rng.random() < 0.8:
        m_main["count"] = main["count"]
    for field, p in (("colour", 0.75), ("size", 0.5), ("position", 0.4)):
        if field in main and rng.random() < p:
            m_main[field] = main[field]
    m = {"objects": [m_main]}
    if len(objs) > 1 and rng.random() < 0.6:
        m["objects"].append({"kind": objs[1]["kind"], "count": 1})
    if r < 0.25:
        return m  # the thing alone ("red car", "两辆红色汽车")
    if rng.random() < 0.7 or len(m_main) <= 2:
        m["background"] = scene["background"]
        if "background_colour" in scene:
            m["background_colour"] = scene["background_colour"]
        if "time" in scene and (scene["time"] == "night" or rng.random() < 0.3):
            m["time"] = scene["time"]
    elif "time" in scene and scene["time"] == "night" and rng.random() < 0.5:
        m["time"] = "night"
    return m


def _kind_en(o, rng, plural):
    sing, plur = V_KIND_EN[o["kind"]]
    return rng.choice(plur if plural else sing)


def _noun_varied_en(o, rng, keyword):
    """An English noun phrase for one mentioned object."""
    k = o["kind"]
    count = o.get("count")
    plural = count is not None and count > 1 or (count is None and rng.random() < 0.5)
    noun = _kind_en(o, rng, plural)
    if k in ("sun", "moon"):
        return noun if keyword else "the " + noun
    adjs = []
    if "size" in o:
        adjs.append(rng.choice(V_SIZE_EN[o["size"]]))
    colour_after = None
    if "colour" in o:
        c = rng.choice(V_COLOUR_EN[o["colour"]])
        if not keyword and rng.random() < 0.25:
            colour_after = rng.choice(["in " + c, "coloured " + c, "colored " + c])
        else:
            adjs.append(c)
    words = adjs + [noun]
    if count is not None and not (keyword and count == 1 and rng.random() < 0.7):
        art = rng.choice(V_COUNT_EN[count])
        if art == "a" and words[0][0] in "aeiou":
            art = "an"
        words.insert(0, art)
    elif not keyword and not plural:
        words.insert(0, "an" if words[0][0] in "aeiou" else "a")
    elif not keyword and count is None and rng.random() < 0.4:
        words.insert(0, "some")
    text = " ".join(words)
    if colour_after:
        text += " " + colour_after
    return text


def _where_varied_en(m, rng, keyword):
    bg, time_ = m.get("background"), m.get("time")
    if bg is None:
        if time_ == "night":
            return rng.choice(V_NIGHT_WORD_EN if keyword else V_NIGHT_EN)
        return ""
    if bg == "plain":
        c = rng.choice(V_COLOUR_EN[m["background_colour"]])
        if keyword:
            return c + " " + rng.choice(V_BACKDROP_EN)
        return rng.choice(V_BACKDROP_ON_EN) + " " + c + " " + rng.choice(V_BACKDROP_EN)
    if keyword:
        words = [rng.choice(V_PLACE_WORD_EN[bg])]
        if time_ == "night":
            words.insert(rng.randrange(2), rng.choice(V_NIGHT_WORD_EN))
        elif time_ == "day":
            words.insert(rng.randrange(2), rng.choice(V_DAY_WORD_EN))
        return " ".join(words)
    if bg == "sky" and time_ == "night" and rng.random() < 0.6:
        return rng.choice(V_NIGHT_SKY_EN)
    phrase = rng.choice(V_PLACE_EN[bg])
    if time_ == "night":
        phrase += " " + rng.choice(V_NIGHT_EN)
    elif time_ == "day":
        phrase += " " + rng.choice(V_DAY_EN)
    return phrase


def _scene_only_en(m, rng):
    """A caption of a place without a main object: "snow at night", "a snowy night"."""
    bg, time_ = m["background"], m.get("time")
    extra = ""
    if m["objects"]:
        extra = _noun_varied_en(m["objects"][0], rng, False)
    t = rng.randrange(4)
    if bg == "plain":
        c = rng.choice(V_COLOUR_EN[m["background_colour"]])
        text = rng.choice(["a " + c + " " + rng.choice(V_BACKDROP_EN), c + " " +
                           rng.choice(V_BACKDROP_EN), "plain " + c + " " +
                           rng.choice(V_BACKDROP_EN)])
    elif t == 0:
        text = _where_varied_en(m, rng, True)
    elif t == 1 and time_ == "night":
        text = rng.choice(V_PLACE_WORD_EN[bg]) + " " + rng.choice(V_NIGHT_EN)
    elif t == 2 and time_:
        tw = rng.choice(V_NIGHT_WORD_EN if time_ == "night" else V_DAY_WORD_EN)
        text = "a " + tw + " " + rng.choice(["scene", "view"]) + " " + rng.choice(V_PLACE_EN[bg])
    else:
        text = rng.choice(["the", ""]) + " " + rng.choice(V_PLACE_WORD_EN[bg])
        if time_ == "night":
            text += " " + rng.choice(V_NIGHT_EN)
        elif time_ == "day":
            text += " " + rng.choice(V_DAY_EN)
    text = text.strip()
    if extra:
        text = rng.choice([text + " " + rng.choice(V_AND_EN) + " " + extra,
                           extra + " " + _where_varied_en(m, rng, False)])
    if rng.random() < 0.2:
        text = rng.choice(V_PREFIX_EN) + " " + text
    return text


def _english_varied(m, rng):
    if not m["objects"]:
        return _scene_only_en(m, rng)
    return _plain_en(m, rng)


def _plain_en(m, rng):
    objs = m["objects"]
    main = objs[0]
    keyword = rng.random() < 0.22
    subject = _noun_varied_en(main, rng, keyword)
    if "position" in main:
        subject += " " + rng.choice(V_POSITION_EN[main["position"]])
    if len(objs) > 1:
        subject += " " + rng.choice(V_AND_EN) + " " + _noun_varied_en(objs[1], rng, keyword)
    where = _where_varied_en(m, rng, keyword)
    if keyword:
        parts = [subject, where] if where else [subject]
        if where and rng.random() < 0.4:
            parts.reverse()
        return " ".join(parts)
    t = rng.randrange(6)
    plural = main.get("count", 2) > 1
    if t == 0 or not where:
        text = subject + (" " + where if where else "")
    elif t == 1:
        text = rng.choice(V_PREFIX_EN) + " " + subject + " " + where
    elif t == 2:
        text = rng.choice(V_THERE_EN["plur" if plural else "sing"]) + " " + subject + " " + where
    elif t == 3:
        text = where + ", " + subject
    elif t == 4:
        q = rng.choice(V_QUESTION_EN)
        text = q + " " + subject + " " + where + rng.choice(["?", ""])
    else:
        text = subject + " " + where
    if rng.random() < 0.15:
        text = text[0].upper() + text[1:]
    return text


def _noun_varied_zh(o, rng, keyword):
    k = o["kind"]
    noun = rng.choice(V_KIND_ZH[k])
    if k in ("sun", "moon"):
        return noun
    adj = ""
    if "size" in o:
        adj += rng.choice(V_SIZE_ZH[o["size"]])
    if "colour" in o:
        c = rng.choice(V_COLOUR_ZH[o["colour"]])
        adj = (c + "的" + adj) if adj and rng.random() < 0.5 else (adj + c if adj else c)
        if rng.random() < 0.3 and not adj.endswith("的"):
            adj += "的"
    count = o.get("count")
    if count is None or (keyword and count == 1 and rng.random() < 0.7):
        return adj + noun
    clf = rng.choice(V_CLASSIFIER_ZH.get(k, ["个"]))
    return rng.choice(V_COUNT_ZH[count]) + clf + adj + noun


def _where_varied_zh(m, rng, keyword):
    bg, time_ = m.get("background"), m.get("time")
    if bg is None:
        return rng.choice(V_NIGHT_ZH) if time_ == "night" else ""
    if bg == "plain":
        return rng.choice(V_COLOUR_ZH[m["background_colour"]]) + rng.choice(V_BACKDROP_ZH)
    if keyword:
        place = rng.choice(V_PLACE_WORD_ZH[bg])
    elif bg == "sky" and time_ == "night" and rng.random() < 0.6:
        return rng.choice(V_NIGHT_SKY_ZH)
    else:
        place = rng.choice(V_PLACE_ZH[bg])
    if time_ == "night":
        place = rng.choice(V_NIGHT_ZH) + rng.choice(["", "的"] if keyword else [""]) + place
    elif time_ == "day":
        place = rng.choice(V_DAY_ZH) + place
    return place


def _chinese_varied(m, rng):
    objs = m["objects"]
    keyword = rng.random() < 0.22
    where = _where_varied_zh(m, rng, keyword)
    if not objs:
        text = where
        if rng.random() < 0.3:
            text = rng.choice(["一张", "找"]) + text + rng.choice(V_PICTURE_ZH)
        return text or "图片"
    main = objs[0]
    noun = _noun_varied_zh(main, rng, keyword)
    if len(objs) > 1:
        noun += rng.choice(V_AND_ZH) + _noun_varied_zh(objs[1], rng, keyword)
    pos = rng.choice(V_POSITION_ZH[main["position"]]) if "position" in main else ""
    if keyword:
        parts = [p for p in (where, pos, noun) if p]
        if rng.random() < 0.4:
            parts.reverse()
        return rng.choice([" ", ""]).join(parts)
    t = rng.randrange(7)
    if t == 0:
        text = (where + "，" if where else "") + pos + "有" + noun
    elif t == 1:
        text = (where + "的" if where else "") + noun + ("在" + pos if pos else "")
    elif t == 2:
        text = rng.choice(V_PREFIX_ZH) + where + pos + "有" + noun + rng.choice(V_PICTURE_ZH)
    elif t == 3:
        text = noun + "在" + (where or "") + pos if (where or pos) else rng.choice(V_HAS_ZH) + noun
    elif t == 4:
        text = rng.choice(V_QUESTION_ZH) + where + pos + noun + rng.choice(["？", "", "?"])
    elif t == 5:
        text = where + rng.choice(V_HAS_ZH) + noun + ("在" + pos if pos else "")
    else:
        text = (where + "的" if where else "") + pos + noun
    return text


def _mixed(m, rng):
    """A mixed English-Chinese caption: one part in each language."""
    if not m["objects"]:
        return None
    keyword = rng.random() < 0.5
    noun_en = _noun_varied_en(m["objects"][0], rng, True)
    noun_zh = _noun_varied_zh(m["objects"][0], rng, True)
    rest = dict(m, objects=[])
    where_en = _where_varied_en(rest, rng, keyword)
    where_zh = _where_varied_zh(rest, rng, keyword)
    if len(m["objects"]) > 1:
        noun_en += " and " + _noun_varied_en(m["objects"][1], rng, True)
        noun_zh += "和" + _noun_varied_zh(m["objects"][1], rng, True)
    if "position" in m["objects"][0]:
        noun_en += " " + rng.choice(V_POSITION_EN[m["objects"][0]["position"]])
        noun_zh = rng.choice(V_POSITION_ZH[m["objects"][0]["position"]]) + noun_zh
    if rng.random() < 0.5:
        return (where_zh + " " + noun_en).strip()
    return (noun_zh + " " + where_en).strip()


def caption_varied(scene, rng):
    """Returns (english, chinese, mentioned) in varied phrasings (see the tables above).

    Both languages state the same attributes; one time in ten one of the two is a mixed
    English-Chinese caption instead.
    """
    m = _mention_varied(scene, rng)
    en = _english_varied(m, rng)
    zh = _chinese_varied(m, rng)
    if rng.random() < 0.1:
        mixed = _mixed(m, rng)
        if mixed:
            if rng.random() < 0.5:
                en = mixed
            else:
                zh = mixed
    return " ".join(en.split()), zh.strip(), m


# ---------------------------------------------------------------- hit rule


def matches(mentioned, scene):
    """The evaluation hit rule: is the caption's attribute record a subset of the scene's?

    Every scene-level field the caption states (background, background_colour, time)
    equals the scene's; and every object the caption states matches an object of the
    scene with the same kind, equal on every field the caption states for it (count,
    colour, size, position).
    """
    for key in ("background", "background_colour", "time"):
        if key in mentioned and scene.get(key) != mentioned[key]:
            return False
    for mo in mentioned["objects"]:
        if not any(all(so.get(f) == v for f, v in mo.items()) for so in scene["objects"]):
            return False
    return True


# ---------------------------------------------------------------- drawing

SIZES_PX = [(320, 240), (256, 256), (240, 320), (288, 288), (320, 256), (256, 320)]

SKY_DAY, SKY_NIGHT = (110, 175, 235), (15, 20, 55)


def render(scene, rng, size=None):
    """Draws `scene` as an RGB PIL image (about 256-320 px a side)."""
    w, h = size or rng.choice(SIZES_PX)
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    horizon = _draw_background(d, scene, rng, w, h)
    for o in scene["objects"]:
        _draw_object(d, img, scene, o, rng, w, h, horizon)
    return img


def _jitter(rgb, rng, amount=18):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in rgb)


def _gradient(d, top, bottom, y0, y1, w):
    for y in range(y0, y1):
        t = (y - y0) / max(1, y1 - y0 - 1)
        d.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))


def _draw_background(d, scene, rng, w, h):
    """Paints the background; returns the horizon y (ground objects stand below it)."""
    bg, night = scene["background"], scene.get("time") == "night"
    sky_top = _jitter(SKY_NIGHT if night else SKY_DAY, rng, 12)
    sky_bot = tuple(min(255, c + (25 if not night else 20)) for c in sky_top)
    if bg == "plain":
        d.rectangle([0, 0, w, h], fill=_jitter(COLOURS[scene["background_colour"]][0], rng, 12))
        return h
    if bg == "room":
        wall = _jitter(rng.choice([(225, 210, 180), (200, 215, 225), (215, 200, 205)]), rng, 10)
        floor = _jitter((140, 100, 65), rng, 12)
        horizon = int(h * rng.uniform(0.72, 0.8))
        d.rectangle([0, 0, w, horizon], fill=wall)
        d.rectangle([0, horizon, w, h], fill=floor)
        return horizon
    if bg == "sky":
        _gradient(d, sky_top, sky_bot, 0, h, w)
        horizon = h
    else:
        horizon = int(h * rng.uniform(0.42, 0.55))
        _gradient(d, sky_top, sky_bot, 0, horizon, w)
        ground = {"grass": (70, 160, 55), "sea": (25, 95, 170), "desert": (225, 190, 120),
                  "snow": (240, 243, 250)}[bg]
        if night:
            ground = tuple(int(c * 0.35) for c in ground)
        ground = _jitter(ground, rng, 10)
        d.rectangle([0, horizon, w, h], fill=ground)
        if bg == "sea":
            for _ in range(rng.randint(4, 9)):
                y = rng.randint(horizon + 5, h - 3)
                x = rng.randint(0, w)
                d.arc([x - 14, y - 4, x + 14, y + 4], 200, 340,
                      fill=tuple(min(255, c + 45) for c in ground), width=2)
        elif bg == "desert":
            for _ in range(2):
                cx = rng.randint(0, w)
                d.ellipse([cx - w // 3, horizon - 12, cx + w // 3, horizon + 20],
                          fill=tuple(max(0, c - 15) for c in ground))
        elif bg == "grass":
            for _ in range(rng.randint(10, 25)):
                x, y = rng.randint(0, w), rng.randint(horizon + 4, h)
                d.line([(x, y), (x + rng.randint(-3, 3), y - 6)],
                       fill=tuple(max(0, c - 30) for c in ground), width=1)
    if night and bg != "room":
        for _ in range(rng.randint(8, 20)):
            x, y = rng.randint(0, w), rng.randint(0, max(1, min(horizon, h) - 5))
            d.point((x, y), fill=(230, 230, 200))
    return horizon


def _region(position, w, h, horizon, ground):
    """Box (x0, y0, x1, y1) where a group at `position` is placed."""
    if ground and horizon < h:
        top, bottom = horizon - int(0.12 * h), h
    else:
        top, bottom = 0, h
    mid_y = (top + bottom) // 2
    boxes = {
        "left": (0, top, w // 2, bottom),
        "right": (w // 2, top, w, bottom),
        "top": (0, top, w, mid_y),
        "bottom": (0, mid_y, w, bottom),
        "centre": (w // 4, top + (bottom - top) // 4, 3 * w // 4, bottom - (bottom - top) // 4),
    }
    return boxes[position]


def _slots(box, count):
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    if count == 4:
        cols, rows = 2, 2
    elif bw >= bh:
        cols, rows = count, 1
    else:
        cols, rows = 1, count
    cw, ch = bw / cols, bh / rows
    return [(x0 + cw * (i % cols) + cw / 2, y0 + ch * (i // cols) + ch / 2, cw, ch)
            for i in range(count)], cw, ch


def _draw_object(d, img, scene, o, rng, w, h, horizon):
    kind = o["kind"]
    minside = min(w, h)
    if kind in ("sun", "moon"):
        r = int(minside * rng.uniform(0.08, 0.11))
        cx = int(w * (rng.uniform(0.12, 0.3) if o["position"] == "left" else rng.uniform(0.7, 0.88)))
        cy = int(h * rng.uniform(0.1, 0.2))
        if kind == "sun":
            col = _jitter((250, 210, 40), rng, 8)
            for i in range(12):
                a = 2 * math.pi * i / 12
                d.line([(cx + 1.3 * r * math.cos(a), cy + 1.3 * r * math.sin(a)),
                        (cx + 1.7 * r * math.cos(a), cy + 1.7 * r * math.sin(a))], fill=col, width=3)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)
        else:
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(245, 240, 200))
            bgc = img.getpixel((max(0, min(w - 1, cx + r + 4)), max(0, cy)))
            d.ellipse([cx - r + r // 2, cy - r - r // 4, cx + r + r // 2, cy + r - r // 4], fill=bgc)
        return
    ground = kind not in SHAPES and kind != "cloud"
    if kind == "cloud":
        box = _region(o["position"], w, h, horizon, False)
        box = (box[0], int(h * 0.05), box[2], int(h * (0.45 if scene["background"] == "sky" else 0.38)))
        if scene["background"] == "sky":
            box = (box[0], int(h * 0.08), box[2], int(h * 0.9))
    else:
        box = _region(o["position"], w, h, horizon, ground)
    slots, cw, ch = _slots(box, o["count"])
    if kind in SHAPES:
        if o["size"] == "large":
            s = min(minside * rng.uniform(0.25, 0.33), 0.88 * min(cw, ch))
            s = max(s, minside * 0.2)
        else:
            s = minside * rng.uniform(0.1, 0.13)
    else:
        s = min(minside * rng.uniform(0.2, 0.26), 0.9 * min(cw, ch))
    colour = _jitter(COLOURS[o["colour"]][0], rng, 15) if "colour" in o else None
    for cx, cy, cw_, ch_ in slots:
        jx = rng.uniform(-0.15, 0.15) * max(0.0, cw_ - s)
        jy = rng.uniform(-0.15, 0.15) * max(0.0, ch_ - s)
        cx, cy = cx + jx, cy + jy
        if kind in SHAPES:
            _draw_shape(d, kind, cx, cy, s, colour, rng)
        else:
            _draw_thing(d, kind, cx, cy, s, colour, rng)


def _draw_shape(d, kind, cx, cy, s, colour, rng):
    r = s / 2
    if kind == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    elif kind == "square":
        a = rng.uniform(-0.15, 0.15)
        pts = [(cx + r * math.cos(a + k * math.pi / 2 + math.pi / 4) * 1.0,
                cy + r * math.sin(a + k * math.pi / 2 + math.pi / 4) * 1.0) for k in range(4)]
        pts = [(cx + (x - cx) * 1.2, cy + (y - cy) * 1.2) for x, y in pts]
        d.polygon(pts, fill=colour)
    elif kind == "triangle":
        d.polygon([(cx, cy - r), (cx + r * 0.95, cy + r * 0.7), (cx - r * 0.95, cy + r * 0.7)],
                  fill=colour)
    elif kind == "star":
        pts = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.42
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        d.polygon(pts, fill=colour)
    elif kind == "heart":
        q = r * 0.52
        d.ellipse([cx - 2 * q, cy - r * 0.8, cx, cy - r * 0.8 + 2 * q], fill=colour)
        d.ellipse([cx, cy - r * 0.8, cx + 2 * q, cy - r * 0.8 + 2 * q], fill=colour)
        d.polygon([(cx - 1.95 * q, cy - r * 0.8 + 1.25 * q), (cx + 1.95 * q, cy - r * 0.8 + 1.25 * q),
                   (cx, cy + r)], fill=colour)
    elif kind == "cross":
        t = r * 0.34
        d.rectangle([cx - t, cy - r, cx + t, cy + r], fill=colour)
        d.rectangle([cx - r, cy - t, cx + r, cy + t], fill=colour)


def _draw_thing(d, kind, cx, cy, s, colour, rng):
    r = s / 2
    if kind == "house":
        body = [cx - r * 0.8, cy - r * 0.2, cx + r * 0.8, cy + r]
        d.rectangle(body, fill=colour)
        d.polygon([(cx - r, cy - r * 0.2), (cx + r, cy - r * 0.2), (cx, cy - r)], fill=(120, 45, 30))
        d.rectangle([cx - r * 0.18, cy + r * 0.4, cx + r * 0.18, cy + r], fill=(90, 55, 30))
    elif kind == "tree":
        d.rectangle([cx - r * 0.12, cy + r * 0.1, cx + r * 0.12, cy + r], fill=(110, 70, 35))
        g = _jitter((30, 120, 40), rng, 15)
        d.ellipse([cx - r * 0.65, cy - r, cx + r * 0.65, cy + r * 0.35], fill=g)
    elif kind == "car":
        d.rectangle([cx - r, cy - r * 0.05, cx + r, cy + r * 0.4], fill=colour)
        d.polygon([(cx - r * 0.55, cy - r * 0.05), (cx - r * 0.35, cy - r * 0.45),
                   (cx + r * 0.35, cy - r * 0.45), (cx + r * 0.55, cy - r * 0.05)], fill=colour)
        d.rectangle([cx - r * 0.3, cy - r * 0.38, cx + r * 0.3, cy - r * 0.1], fill=(190, 220, 240))
        for wx in (cx - r * 0.55, cx + r * 0.55):
            d.ellipse([wx - r * 0.22, cy + r * 0.22, wx + r * 0.22, cy + r * 0.66], fill=(25, 25, 25))
    elif kind == "boat":
        d.polygon([(cx - r, cy + r * 0.2), (cx + r, cy + r * 0.2), (cx + r * 0.65, cy + r * 0.65),
                   (cx - r * 0.65, cy + r * 0.65)], fill=colour)
        d.line([(cx, cy + r * 0.2), (cx, cy - r)], fill=(80, 60, 40), width=max(1, int(r * 0.07)))
        d.polygon([(cx + r * 0.04, cy - r * 0.95), (cx + r * 0.04, cy + r * 0.1),
                   (cx + r * 0.7, cy + r * 0.1)], fill=(245, 245, 235))
    elif kind == "flower":
        d.line([(cx, cy), (cx, cy + r)], fill=(40, 130, 40), width=max(1, int(r * 0.1)))
        pr = r * 0.28
        for k in range(5):
            a = 2 * math.pi * k / 5
            px, py = cx + pr * 1.1 * math.cos(a), cy - r * 0.3 + pr * 1.1 * math.sin(a)
            d.ellipse([px - pr, py - pr, px + pr, py + pr], fill=colour)
        d.ellipse([cx - pr * 0.6, cy - r * 0.3 - pr * 0.6, cx + pr * 0.6, cy - r * 0.3 + pr * 0.6],
                  fill=(250, 220, 40) if colour[0] < 200 or colour[1] < 180 else (140, 60, 20))
    elif kind == "cloud":
        c = _jitter((250, 250, 252), rng, 4)
        for dx, dy, k in ((-0.5, 0.1, 0.45), (0.0, -0.1, 0.55), (0.5, 0.1, 0.45)):
            rr = r * k
            d.ellipse([cx + dx * r - rr, cy + dy * r - rr, cx + dx * r + rr, cy + dy * r + rr], fill=c)
        d.rectangle([cx - r * 0.5, cy + r * 0.05, cx + r * 0.5, cy + r * 0.45], fill=c)


# ---------------------------------------------------------------- utilities


def jpeg_roundtrip(img, rng, max_side=None, quality=None):
    """Optionally downsizes (bicubic) and re-encodes as JPEG, like a stored photo."""
    if max_side:
        scale = max_side / max(img.size)
        if scale < 1:
            img = img.resize((max(1, round(img.size[0] * scale)), max(1, round(img.size[1] * scale))),
                             Image.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality or rng.randint(75, 95))
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=12)
    ap.add_argument("--out", required=True, help="folder for preview PNGs and captions.jsonl")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "captions.jsonl"), "w", encoding="utf-8") as f:
        for i in range(args.count):
            scene = sample_scene(rng)
            img = render(scene, rng)
            en, zh, m = caption(scene, rng)
            name = "scene-%04d.png" % i
            img.save(os.path.join(args.out, name))
            f.write(json.dumps({"image": name, "en": en, "zh": zh, "attributes": scene,
                                "mentioned": m}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
