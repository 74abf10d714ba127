#!/usr/bin/env python3
"""Reference token ids for the Tokenizers module's tests.

Run with the reference virtualenv (see CONVENTIONS.md, "Regenerating fixtures"):

    python scripts/make_tokenizer_fixtures.py [wordpiece] [unigram]

wordpiece: encodes ~500 strings with the Python BERT tokenizer that Chinese-CLIP uses and the
  real 21128-entry vocabulary (Sources/Tokenizers/Resources/chinese-clip-vocab.txt), truncated
  to 52 as Chinese-CLIP does, into Tests/TokenizersTests/Fixtures/wordpiece-chinese-clip.json.
  Special-token literals typed in the text ([CLS] [SEP] [UNK] [MASK] [PAD]) go through
  tokenize(), as transformers does, and are checked against transformers 5's BertTokenizer.
unigram: trains a small SentencePiece Unigram model on a generated multilingual corpus, converts
  it into an XLM-RoBERTa-style tokenizer.json and records reference ids for 300+ strings, from
  `tokenizers` (the file's own pipeline) and from transformers' XLMRobertaTokenizer
  (AutoTokenizer, which keeps the vocabulary, added tokens and charsmap and rebuilds the rest).

Everything is deterministic (fixed seeds); inputs and package versions are written into the
fixtures' README.md.
"""
import json
import os
import random
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TokenizersTests", "Fixtures")
VOCAB = os.path.join(ROOT, "Sources", "Tokenizers", "Resources", "chinese-clip-vocab.txt")
CONTEXT_LENGTH = 52
SEED = 20260529


# ---------------------------------------------------------------------------------------------
# Test strings for the WordPiece tokenizer
# ---------------------------------------------------------------------------------------------

CHINESE = [
    "一只猫", "海边的日落", "夕阳 海边", "小狗在草地上奔跑", "北京故宫的雪景", "我和朋友在公园拍的照片",
    "生日蛋糕上有蜡烛", "红色的汽车停在路边", "山顶上的云海", "孩子们在海滩上堆沙堡", "上海外滩夜景",
    "一碗热腾腾的拉面", "秋天的枫叶", "春节放鞭炮", "婚礼现场", "猫咪睡在沙发上", "西湖断桥残雪",
    "长城", "熊猫吃竹子", "医院门口", "下雨天的街道", "地铁站里的人群", "火锅", "樱花盛开",
    "黄山迎客松", "戴眼镜的男人", "穿红裙子的女孩", "毕业典礼合影", "厨房里的早餐", "桂林山水甲天下",
    "雪山和湖泊", "骑自行车的人", "夜空中的烟花", "中秋节的月饼", "餐厅里的晚饭", "书架上的书",
    "繁體中文的句子：臺灣的風景", "龍鳳呈祥", "鬱鬱蔥蔥", "的", "。", "，", "“引号”", "《红楼梦》",
    "【广告】限时优惠！", "你好吗？我很好。", "一二三四五六七八九十", "零点五公斤", "百分之九十",
    "𠀀𠀁𪜀𫝀𫠠𬺰", "㐀㐁㑇", "豈更車", "丽乸乿", "⺀⺁⽊", "〇", "々", "〆",
]

ENGLISH = [
    "a photo of a cat", "A Photo Of A Dog", "sunset over the ocean", "The quick brown fox jumps over the lazy dog.",
    "red car parked on the street", "my friends at the beach", "birthday cake with candles",
    "snow-covered mountains", "New York City at night", "children playing football", "HELLO WORLD",
    "don't stop believing", "it's a dog's life", "rock 'n' roll", "e-mail", "self-driving car",
    "unaffable", "unbelievably photogenic", "antidisestablishmentarianism", "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis", "x", "I", "a", "the", "ok", "OK!", "Mr. Smith",
    "U.S.A.", "co-operate", "#hashtag", "@mention", "C++ and C#", "rock&roll", "50% off", "$100",
    "naïve café", "résumé", "Zoë", "jalapeño", "Ångström", "crème brûlée", "façade", "coöperate",
    "über", "STRASSE straße", "ﬁsh ﬂow", "ǅemal", "Ǆ ǆ", "İstanbul", "KELVIN K sign", "Ωmega Ω",
]

MIXED = [
    "我爱New York", "iPhone 15 Pro拍的照片", "在Starbucks喝coffee", "Chinese-CLIP模型", "GPU加速",
    "2024年3月15日", "第3张photo", "我的MacBook Pro", "去Tokyo旅游", "看NBA比赛",
    "wifi密码是12345678", "用Python写代码", "CEO和CTO", "5G网络", "4K视频", "AI人工智能",
    "hello你好world世界", "a猫b狗c", "猫cat狗dog", "〈test〉《测试》", "Ünïcödé中文", "微信WeChat",
    "抖音TikTok", "淘宝Taobao", "小红书RED", "B站bilibili", "QQ音乐", "Ｗｉｎｄｏｗｓ系统", "１２３ＡＢＣ中文",
    "東京タワーとTokyo Tower", "서울 Seoul 首尔", "Москва 莫斯科", "Αθήνα 雅典", "القاهرة 开罗",
    "मुंबई 孟买", "กรุงเทพ 曼谷", "Hà Nội 河内", "İzmir 伊兹密尔", "Ελληνικά ΟΔΟΣ", "ΣΊΣΥΦΟΣ",
]

JAPANESE = [
    "こんにちは", "ありがとうございます", "カタカナ", "ひらがなとカタカナ", "東京の桜", "ラーメンを食べる",
    "ｶﾀｶﾅ", "ｱｲｳｴｵ", "ガギグゲゴ", "パピプペポ", "ぱぴぷぺぽ", "ヴ", "ー", "ゝゞヽヾ", "わたしはねこです",
    "富士山の写真", "日本語のテキスト、句読点。", "「かぎかっこ」", "『二重かぎ』", "ｶﾞｷﾞｸﾞ",
    "ㇰㇱㇲ", "㋐㋑㋒", "㌀㌁㌂", "ヿ",
]

KOREAN = [
    "안녕하세요", "감사합니다", "서울의 밤", "한국어 텍스트", "고양이", "강아지와 산책", "김치찌개",
    "ㄱㄴㄷㄹ", "ㅏㅑㅓㅕ", "ᄀᄁᄂ", "ᅡᅢᅣ", "ᆨᆩᆪ", "한", "갂", "힣", "가나다라마바사",
    "대한민국 만세!", "Ｋｏｒｅａ 한국", "ﾡﾢﾣ", "㉠㉡㉢", "㈀㈁",
]

EMOJI = [
    "😀", "😀😃😄", "🐱 cat", "猫🐱", "👍🏽", "👨‍👩‍👧‍👦", "👩‍💻", "🏳️‍🌈", "🇨🇳🇺🇸🇯🇵", "1️⃣2️⃣",
    "❤️", "♥", "☺️", "✨sparkle✨", "🎉🎊🎈", "🧑🏿‍🦱", "🫠", "🤌🏻", "🐈‍⬛", "😶‍🌫️", "👁️‍🗨️",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "#️⃣", "©®™", "⌚⌛", "🀄🃏", "a😀b", "🫨🩷", "日落🌅海边🌊",
]

ACCENTS = [
    "e\u0301", "a\u0300\u0301\u0302", "n\u0303", "A\u030a", "\u0301", "\u0301abc", "o\u0308\u0304",
    "Ɑ̃", "ȩ", "ḝ", "ǖǘǚǜ", "Đặng", "Nguyễn", "Łódź", "Øresund", "Ærø", "ÞÐ", "ĳ", "Ŀl", "ŉ",
    "ǰ", "ΐΰ", "ϓϔ", "Ё ё Й й", "Ї ї", "ǅ", "ᾼ ᾳ ᾈ", "ὈΔΥΣΣΕΎΣ", "ΣΑΣ", "Σ", "aΣ", "Σa", "AΣ.",
    "ΑΣ\u0301", "Α\u0301Σ", "ΑΣ\u0301Α", "σς", "ﬀ ﬃ ﬄ ﬅ ﬆ", "ß ẞ", "ŉ", "İi̇", "ıI", "I\u0307",
    "Kelvin \u212a", "\u2126 ohm", "\u212b angstrom", "\u0344\u0340\u0341", "\u0958\u0959", "\u2adc",
    "\u1e9b\u0323", "\u0f73\u0f75", "\u1d15e\u1d160", "\U0001d15e\U0001d160", "ए\u093c", "क़",
    "\u0915\u093c\u093f", "\u0e01\u0e48\u0e32", "\u0627\u0653", "\u05e9\u05c1\u05bc", "\u0f40\u0fb5",
    "\u1100\u1161\u11a8", "\u00c5\u0327", "\u0041\u0327\u030a", "\u1e0a\u0323", "\u1e0c\u0307",
    "\u0071\u0307\u0323", "\u00e0\u0316", "c\u0327\u0301", "\u0345", "\u03b9\u0345", "\u1fbe",
    "\U00011f00\U00011f01 kawi", "a\U00010efd", "\u0483\u0488\u0489", "a\u20dd", "\u20e3x",
    # Starters outside the BMP before combining marks (Foundation composes U+1006B U+0327 into
    # "k-cedilla" by looking at the low 16 bits), genuine supplementary compositions, and
    # characters newer than the reference's Unicode version.
    "\U0001006b\u0327", "\U000e006b\u0304\u033c\u0327", "\U00010041\u0300 x", "\U00011099\U000110ba",
    "\U00011347\u0301\U0001133e", "\U000114b9\U000114ba", "\u20c1", "x \u20c1", "\U0001f16c \u32ff",
    "\u09c6\u09e4\u099b\u09c8", "\U0001d15f\U0001d16e", "a\u1df6\u1dc0", "\u1df8\u1dc2x", "a\u1dc0\u1dce",
]

FULLWIDTH = [
    "ＡＢＣ", "ａｂｃ", "０１２３４５６７８９", "！＂＃＄％＆＇（）＊＋，－．／", "：；＜＝＞？＠", "［＼］＾＿｀",
    "｛｜｝～", "Ｈｅｌｌｏ　Ｗｏｒｌｄ", "　", "全角　スペース", "｡｢｣､･", "ￂￃￄ", "￠￡￢￣￤￥￦",
    "ﾟﾞ", "㍻㍼㍽", "①②③", "⑴⑵⑶", "⒈⒉⒊", "ⅠⅡⅢⅣ", "ⅰⅱⅲ", "㎏㎞㎡", "℃℉", "№", "™", "㊤㊥㊦",
]

PUNCTUATION = [
    "!!!", "???", "...", "…", "——", "--", "~~~", "!?!?", "。。。", "，，，", "、、", "！！！", "？？？",
    "hello, world!", "wait... what?!", "(parenthesis)", "[brackets]", "{braces}", "<angle>",
    "\"quoted\"", "'single'", "`backtick`", "a/b\\c", "a|b", "a^b", "a_b", "a~b", "a+b=c", "a*b",
    "a<b>c", "§¶†‡", "«guillemets»", "‹›", "„“”‘’‚", "¡Hola! ¿Qué?", "⁉‼", "‽", "·•‧", "‐‑‒–—―",
    "⸘⸮", "﹏﹐﹑", "〔〕〖〗〘〙〚〛", "｟｠", "؟،؛", "।॥", "჻", "፡።", "᠂᠃", "꧁꧂", "$€£¥₹₿", "+-<=>",
    "^^^", "```", "@@@", "###", "%%%", "&&&", "***",
]

WHITESPACE_CONTROL = [
    "", " ", "   ", "\t", "\n", "\r\n", "a\tb", "a\nb", "a\r\nb", "  leading", "trailing  ",
    "a\u00a0b", "a\u3000b", "a\u2002b\u2003c", "a\u2009b", "a\u202fb", "a\u205fb", "a\u1680b",
    "a\u2028b", "a\u2029b", "a\u0085b", "a\u000bb", "a\u000cb", "a\u001cb\u001fc", "a\u0000b",
    "\u0000", "a\ufffdb", "\ufffd", "a\u200bb", "a\u200cb", "a\u200db", "a\u200eb", "\u202eevil",
    "a\u2060b", "\ufeffbom", "soft\u00adhyphen", "a\u0007bell", "\u001b[31mred\u001b[0m", "a\u007fb",
    "a\u0080b", "a\u009fb", "\u0600\u0601", "a\U000e0001b", "a\U000e0041b", "tab\t\t\ttabs",
    "\n\n\n", "mixed \t\n\r whitespace", "\u180e", "a\u180eb", "a\u061cb", "a\u2066b\u2069",
]

NUMBERS_URLS = [
    "0", "123", "3.14159", "1,000,000", "1e10", "-42", "+86 138 0013 8000", "2024-03-15",
    "12:30:45", "99.9%", "0x1F600", "١٢٣", "٤٥٦", "०१२", "๑๒๓", "²³¹", "½¼¾", "Ⅻ",
    "https://www.example.com/path?query=1&b=2#frag", "http://例子.测试/路径", "www.baidu.com",
    "user@example.com", "ftp://files.example.org/pub/file.tar.gz", "C:\\Users\\photo.jpg",
    "/home/user/pictures/IMG_0001.JPG", "IMG_20240315_123456.jpg", "DSC01234.ARW", "192.168.1.1",
    "[CLS] [SEP] [UNK] [PAD] [MASK]", "[cls]", "##ing", "##", "#",
]


# Special-token literals typed in a query: transformers' BertTokenizer matches its added tokens
# ([PAD] [UNK] [CLS] [SEP] [MASK]) in the raw text, exactly (case, brackets), before cleaning.
SPECIAL_LITERALS_BERT = [
    "[CLS] literal [SEP]", "[CLS][SEP][UNK][MASK][PAD]", "a[MASK]b", "[cls] [Cls] [CLS ]",
    "猫[SEP]狗", " [UNK] ", "[[CLS]]", "x [unused1] y", "##[SEP]", "[CLS]\u00e9", "\u00c9[SEP]\u00e9",
    "[SEP]\u200b[SEP]", "a\u00a0[MASK]\u3000b", "[MASK]" * 60, "一只[MASK]在海边",
    "a photo of a [MASK].", "[UNK][UNK]", "[PAD]", "\t[CLS]\n", "[\uff23\uff2c\uff33]",
    "[CLS]" + "a" * 201, "e\u0301[SEP]\u0301", "[MASK]'s", "[SEP]]",
]

# The same for XLM-R (<s> <pad> </s> <unk> <mask>; <mask> may strip whitespace on its left).
SPECIAL_LITERALS_XLMR = [
    "<s> literal </s> <pad>", "<s></s><pad><unk><mask>", "word<mask>word", "word  <mask>  word",
    " <mask>", "<mask> x", "x </s>y", "<S> <MASK>", "<unk>", "a <unk> b", "<s>\u3000x",
    "x\u00a0<mask>", "<mask>\u3000<mask>", "\u200b<mask>", "<mask>" * 80, "一只<mask>在海边",
    "a photo of a <mask>.", "<s> <s> <s> ", "\t</s>\n", "<pad><pad>", "<<s>>", "</s></s>",
    "<mask >", "a\n<mask>\nb", "\uff1cmask\uff1e", "x <mask>\u200by", "cat</s>", "</s> cat",
]


def over_long():
    out = [
        "我" * 60, "我" * 49, "我" * 50, "我" * 51, "猫" * 100, ("a photo of a cat " * 20).strip(),
        "这是一个非常长的句子，" * 8, ("word " * 51).strip(), ("word " * 50).strip(),
        ("hello, world! " * 10).strip(), "🙂" * 60, " ".join(str(i) for i in range(80)),
        "日落" * 30 + "sunset" * 10, ("東京タワー " * 12).strip(), ("서울 " * 60).strip(),
    ]
    return out


def long_words():
    return [
        "a" * 199, "a" * 200, "a" * 201, "b" * 250, "x" * 1000, "ab" * 100, "ab" * 100 + "a",
        "我" + "a" * 210 + "你", "a" * 99, "a" * 100, "a" * 101, "é" * 201, "e\u0301" * 150,
        "ｱ" * 200, "ｱ" * 201, ("a" * 205 + " ") * 3,
    ]


# Blocks for random strings: (start, end) inclusive; several are partly unassigned in the
# reference interpreter's Unicode version, or assigned only in newer versions.
BLOCKS = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0100, 0x024F), (0x0250, 0x02FF), (0x0300, 0x036F),
    (0x0370, 0x03FF), (0x0400, 0x04FF), (0x0530, 0x058F), (0x0590, 0x05FF), (0x0600, 0x06FF),
    (0x0900, 0x097F), (0x0980, 0x09FF), (0x0E00, 0x0E7F), (0x0F00, 0x0FFF), (0x10A0, 0x10FF),
    (0x1100, 0x11FF), (0x1780, 0x17FF), (0x1AB0, 0x1AFF), (0x1D00, 0x1DFF), (0x1E00, 0x1EFF),
    (0x1F00, 0x1FFF), (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF), (0x20D0, 0x20FF),
    (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF),
    (0x2500, 0x257F), (0x2600, 0x26FF), (0x2700, 0x27BF), (0x2C00, 0x2C5F), (0x2E00, 0x2E7F),
    (0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x309F), (0x30A0, 0x30FF),
    (0x3130, 0x318F), (0x3200, 0x32FF), (0x3300, 0x33FF), (0x3400, 0x4DBF), (0x4DC0, 0x4DFF),
    (0x4E00, 0x9FFF), (0xA000, 0xA48F), (0xA640, 0xA69F), (0xA960, 0xA97F), (0xAC00, 0xD7AF),
    (0xD7B0, 0xD7FF), (0xE000, 0xE0FF), (0xF900, 0xFAFF), (0xFB00, 0xFB4F), (0xFB50, 0xFDFF),
    (0xFE00, 0xFE0F), (0xFE10, 0xFE1F), (0xFE20, 0xFE2F), (0xFE30, 0xFE4F), (0xFE50, 0xFE6F),
    (0xFE70, 0xFEFF), (0xFF00, 0xFFEF), (0xFFF0, 0xFFFF), (0x10000, 0x1007F), (0x10300, 0x1032F),
    (0x10EC0, 0x10EFF), (0x11000, 0x1107F), (0x11F00, 0x11F5F), (0x13000, 0x1342F),
    (0x16FE0, 0x16FFF), (0x1B000, 0x1B0FF), (0x1D100, 0x1D1FF), (0x1D400, 0x1D7FF),
    (0x1E030, 0x1E08F), (0x1E900, 0x1E95F), (0x1F000, 0x1F02F), (0x1F100, 0x1F1FF),
    (0x1F300, 0x1F5FF), (0x1F600, 0x1F64F), (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF),
    (0x20000, 0x2A6DF), (0x2A700, 0x2B81F), (0x2B820, 0x2CEAF), (0x2CEB0, 0x2EBEF),
    (0x2EBF0, 0x2EE5F), (0x2F800, 0x2FA1F), (0x30000, 0x3134F), (0x31350, 0x323AF),
    (0xE0000, 0xE007F), (0xE0100, 0xE01EF), (0xF0000, 0xF00FF), (0x10FF00, 0x10FFFF),
]


def random_strings(rng, count):
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            start, end = BLOCKS[rng.randrange(len(BLOCKS))]
            word = "".join(chr(rng.randint(start, end)) for _ in range(rng.randint(1, 8)))
            parts.append(word)
        sep = rng.choice([" ", "", "\t", "\u3000", ""])
        out.append(sep.join(parts))
    return out


def wordpiece_strings():
    rng = random.Random(SEED)
    groups = [CHINESE, ENGLISH, MIXED, JAPANESE, KOREAN, EMOJI, ACCENTS, FULLWIDTH, PUNCTUATION,
              WHITESPACE_CONTROL, NUMBERS_URLS, over_long(), long_words(), random_strings(rng, 180),
              SPECIAL_LITERALS_BERT]
    strings = []
    seen = set()
    for group in groups:
        for s in group:
            if s not in seen:
                seen.add(s)
                strings.append(s)
    return strings


# ---------------------------------------------------------------------------------------------
# WordPiece reference
# ---------------------------------------------------------------------------------------------

def truncate_bert(ids, cls_id, sep_id, context_length=CONTEXT_LENGTH):
    return [cls_id] + ids[: context_length - 2] + [sep_id]


def make_wordpiece():
    import transformers
    import tokenizers
    from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

    slow = BertTokenizerLegacy(vocab_file=VOCAB, do_lower_case=True, tokenize_chinese_chars=True)
    # Chinese-CLIP's own tokenizer (cn_clip.clip.bert_tokenizer) uses 200; transformers 100.
    slow.wordpiece_tokenizer.max_input_chars_per_word = 200
    cls_id, sep_id = slow.vocab["[CLS]"], slow.vocab["[SEP]"]

    def slow_ids(text, max_chars=200):
        # tokenize(): special-token literals split out first (added tokens), then
        # basic_tokenizer + wordpiece_tokenizer on the text between them.
        slow.wordpiece_tokenizer.max_input_chars_per_word = max_chars
        pieces = slow.tokenize(text)
        slow.wordpiece_tokenizer.max_input_chars_per_word = 200
        return [slow.vocab.get(p, slow.vocab["[UNK]"]) for p in pieces]

    # transformers 5's BertTokenizer (AutoTokenizer on a Chinese-CLIP folder), for comparison on
    # the special-token literals: it must agree with the Python tokenizer there.
    import tempfile
    from transformers import AutoTokenizer
    with tempfile.TemporaryDirectory() as folder:
        with open(VOCAB, encoding="utf-8") as src, open(os.path.join(folder, "vocab.txt"), "w",
                                                         encoding="utf-8") as dst:
            dst.write(src.read())
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}, f)
        auto = AutoTokenizer.from_pretrained(folder)
        for text in SPECIAL_LITERALS_BERT:
            if len(text) > 100:
                continue  # the 100/200-character word limits differ
            if auto(text)["input_ids"] != [cls_id] + slow_ids(text) + [sep_id]:
                raise SystemExit(f"AutoTokenizer and the Python tokenizer differ on {ascii(text)}")

    # The Rust pipeline (transformers 5's BertTokenizer is this fast tokenizer), for comparison.
    fast = tokenizers.Tokenizer(tokenizers.models.WordPiece.from_file(
        VOCAB, unk_token="[UNK]", max_input_chars_per_word=200))
    fast.normalizer = tokenizers.normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    fast.pre_tokenizer = tokenizers.pre_tokenizers.BertPreTokenizer()
    fast.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])

    cases = []
    fast_differs = []
    for text in wordpiece_strings():
        ids = slow_ids(text)
        cases.append({"text": text, "ids": truncate_bert(ids, cls_id, sep_id)})
        if fast.encode(text, add_special_tokens=False).ids != ids:
            fast_differs.append(text)
    max100 = []
    for text in ["a" * 100, "a" * 101, "b" * 150 + " ok", "我" + "c" * 120, "ok " + "é" * 101]:
        max100.append({"text": text,
                       "ids": truncate_bert(slow_ids(text, 100), cls_id, sep_id)})

    fixture = {
        "reference": "transformers BertTokenizerLegacy (the Python BertTokenizer): tokenize() (added "
                     "special tokens split out of the raw text, then basic_tokenizer + "
                     "wordpiece_tokenizer), do_lower_case=True, tokenize_chinese_chars=True, "
                     "max_input_chars_per_word=200, ids = [CLS] + ids[:50] + [SEP]",
        "transformers": transformers.__version__,
        "python_unicode": unicodedata.unidata_version,
        "context_length": CONTEXT_LENGTH,
        "cases": cases,
        "max_chars_100": max100,
    }
    path = os.path.join(FIXTURES, "wordpiece-chinese-clip.json")
    with open(path, "w", encoding="ascii") as f:
        json.dump(fixture, f, ensure_ascii=True, indent=0)
        f.write("\n")
    print(f"wordpiece: {len(cases)} strings -> {os.path.relpath(path, ROOT)}")
    print(f"wordpiece: the Rust (fast) pipeline differs from the Python one on {len(fast_differs)}:")
    for text in fast_differs:
        print("   ", ascii(text)[:120])
    return fast_differs



# ---------------------------------------------------------------------------------------------
# Unigram (SentencePiece, XLM-RoBERTa style)
# ---------------------------------------------------------------------------------------------

NFKC_SENSITIVE = [
    "Ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ", "ｆｕｌｌ－ｗｉｄｔｈ！", "ﬁne ﬂower ﬀ ﬃ", "㍿ ㌔ ㎏", "ｶﾀｶﾅ ﾊﾟﾋﾟﾌﾟ", "ｷﾞｬｸﾞ",
    "①②③ ⑩ ⑳", "㉑㊿", "⓪ⓐⓩ", "Ⅷ ⅷ", "x² y³ H₂O", "½ ¾ ⅓", "™ ℠ ℡", "㈱ ㈲", "…", "‥", "〜 ～",
    "µ μ", "Å Å", "ǆ ǅ", "ſt ﬅ", "ℌ ℍ 𝔄 𝕬 𝒜", "𝟎𝟏𝟐", "ﾀﾞ", "ｧｨｩ", "＂quotes＂", "“curly” ‘single’",
    "‐‑‒–—", "\u00a0nbsp\u00a0", "a\u200bb", "e\u0301 é", "A\u030a", "한글 ᄒᆞᆫ", "ｈｅｌｌｏ　ｗｏｒｌｄ",
    "  leading spaces", "trailing spaces   ", "multiple    spaces   here", "tab\there", "new\nline",
    "crlf\r\nline", "\t\n mixed \t\n", "ctrl\u0001\u0002chars", "nul\u0000char", "bell\u0007",
    "\u001b[1mbold\u001b[0m", "zero\u200dwidth", "soft\u00adhyphen", "bom\ufeffmark",
    "unknown: \U0001f9ff \U00013000 \u0f00 \ua000", "ꙮ ꙮꙮ", "\U0001d11e\U0001d11f", "\ue000\uf8ff",
    "<s> </s> <pad> <unk> <mask>", "a<s>b", "＜ｓ＞", "<mask>word", "word <mask> word", "▁ ▁▁ x▁y",
    "``double backticks'' ''", "ﬁ" * 40, "文字" * 60, ("word " * 100).strip(), "", " ", "   ",
]

CORPUS_WORDS = {
    "en": "the a photo of cat dog sunset over ocean beach mountain city night snow red blue green "
          "car street friends birthday cake with candles children playing football in park "
          "old man woman girl boy tree flower river lake bridge house window door kitchen "
          "breakfast coffee tea market train station airport plane boat sky cloud rain "
          "picture image camera phone holiday summer winter spring autumn family wedding".split(),
    "fr": "une photo du chat sur la plage au coucher soleil café crème brûlée élève forêt "
          "été hôtel château garçon fenêtre".split(),
    "de": "das Foto einer Katze am Strand Straße Brücke Mädchen schön über Größe Bäume".split(),
    "es": "una foto del perro en la playa niño mañana corazón jalapeño año pequeño".split(),
    "vi": "ảnh con mèo trên bãi biển Hà Nội Việt Nam đẹp người".split(),
    "ru": "фото кошки на пляже закат город ночь снег Москва".split(),
    "el": "φωτογραφία γάτα θάλασσα ήλιος Αθήνα ΟΔΟΣ".split(),
    "zh": list("一只猫在海边的日落小狗草地上奔跑北京故宫雪景我和朋友公园拍照片生日蛋糕蜡烛红色汽车停路山顶云"
               "孩子们滩堆沙堡夜火锅樱花盛开眼镜男人穿裙女毕业典礼合影厨房早餐桂林水甲天下湖泊骑自行烟中秋月饼"
               "餐厅晚饭书架繁體臺灣風景龍鳳上海外景面秋天枫叶春节婚礼现场咪睡发西断桥残长城熊猫吃竹医院门口下雨街"),
    "ja": list("こんにちはありがとうございますカタカナひらがな東京の桜ラーメンを食べる富士山写真日本語テキスト"
               "わたしはねこですガギグゲゴパピプペポ"),
    "ko": list("안녕하세요감사합니다서울의밤한국어텍스트고양이강아지와산책김치찌개대한민국만세사진바다"),
    "emoji": ["😀", "🐱", "🌅", "🌊", "❤️", "👍", "🎉", "👨‍👩‍👧", "🇨🇳", "✨"],
    "digits": [str(n) for n in (0, 1, 2, 3, 10, 12, 100, 2023, 2024, 15, 99, 3.14)],
}


def make_corpus(path, lines=40000):
    rng = random.Random(SEED)
    keys = list(CORPUS_WORDS)
    weights = [30, 5, 5, 5, 3, 3, 3, 20, 10, 10, 3, 5]
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(lines):
            parts = []
            for _ in range(rng.randint(3, 14)):
                lang = rng.choices(keys, weights)[0]
                words = CORPUS_WORDS[lang]
                if lang in ("zh", "ja", "ko"):
                    parts.append("".join(rng.choice(words) for _ in range(rng.randint(1, 5))))
                else:
                    parts.append(rng.choice(words))
            if rng.random() < 0.2:
                parts.append(rng.choice([".", ",", "!", "?", "。", "，", "！", "、"]))
            f.write(" ".join(parts) + "\n")


def train_sentencepiece(workdir, vocab_size):
    import sentencepiece as spm
    corpus = os.path.join(workdir, "corpus.txt")
    make_corpus(corpus)
    prefix = os.path.join(workdir, "unigram")
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, vocab_size=vocab_size, model_type="unigram",
        character_coverage=0.9995, normalization_rule_name="nmt_nfkc", unk_id=0, bos_id=1,
        eos_id=2, pad_id=-1, num_threads=1, shuffle_input_sentence=False, seed_sentencepiece_size=200000,
        minloglevel=2)
    return prefix + ".model"


def convert_xlmr(model_path):
    """An XLM-R tokenizer.json from a SentencePiece model, via transformers' XLMRobertaConverter."""
    from transformers.convert_slow_tokenizer import XLMRobertaConverter

    class Original:
        vocab_file = model_path
        add_prefix_space = True
        legacy = True

        @staticmethod
        def convert_tokens_to_ids(token):
            return {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}[token]

    tokenizer = XLMRobertaConverter(Original()).converted()
    tokenizer.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    return json.loads(tokenizer.to_str())


def hub_style(config):
    """The same model with the structure of the published xlm-roberta-base tokenizer.json:
    Precompiled + Replace(" {2,}", " "), legacy Metaspace(add_prefix_space), RobertaProcessing."""
    config = json.loads(json.dumps(config))
    precompiled = next(n for n in config["normalizer"]["normalizers"] if n["type"] == "Precompiled")
    config["normalizer"] = {"type": "Sequence", "normalizers": [
        precompiled, {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
    config["pre_tokenizer"] = {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True}
    config["post_processor"] = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                                "trim_offsets": True, "add_prefix_space": True}
    for token in config["added_tokens"]:
        if token["content"] == "<mask>":
            token["lstrip"] = True
    return config


def plain_pipeline_style(config):
    """The same pieces through other components: NFKC, Lowercase, Strip, literal and regex
    Replace, WhitespaceSplit + Metaspace (transformers 5's own XLM-R pipeline), and byte
    fallback with <0x00>..<0xFF> pieces appended after <mask>."""
    config = json.loads(json.dumps(config))
    config["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "NFKC"}, {"type": "Lowercase"}, {"type": "Strip", "strip_left": True, "strip_right": True},
        {"type": "Replace", "pattern": {"String": "``"}, "content": "\""},
        {"type": "Replace", "pattern": {"Regex": "[0-9]{3,}"}, "content": "###"},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
    config["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "WhitespaceSplit"},
        {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}]}
    vocab = config["model"]["vocab"]
    vocab += [[f"<0x{b:02X}>", -20.0] for b in range(256)]
    config["model"]["byte_fallback"] = True
    return config


def unigram_strings():
    rng = random.Random(SEED + 1)
    strings = list(dict.fromkeys(NFKC_SENSITIVE + wordpiece_strings() + random_strings(rng, 60)
                                 + SPECIAL_LITERALS_XLMR))
    return strings


def make_unigram():
    import tempfile
    import sentencepiece
    import tokenizers
    import transformers
    from open_clip.tokenizer import whitespace_clean

    context_length = 77
    with tempfile.TemporaryDirectory() as workdir:
        model = train_sentencepiece(workdir, 4000)
        variants = {"unigram-xlmr-converted.json": convert_xlmr(model)}
        variants["unigram-xlmr-hub-style.json"] = hub_style(variants["unigram-xlmr-converted.json"])
        variants["unigram-bytefallback-nfkc.json"] = plain_pipeline_style(
            variants["unigram-xlmr-converted.json"])
        for name, config in variants.items():
            path = os.path.join(FIXTURES, name)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(config, f, ensure_ascii=False, separators=(",", ":"))
        ids_path = os.path.join(FIXTURES, "unigram-expected.json")
        expected = {"context_length": context_length, "tokenizers": tokenizers.__version__,
                    "transformers": transformers.__version__,
                    "sentencepiece": sentencepiece.__version__, "variants": {}}
        strings = unigram_strings()
        for name in variants:
            tok = tokenizers.Tokenizer.from_file(os.path.join(FIXTURES, name))
            tok.enable_truncation(max_length=context_length)
            cases = []
            for text in strings:
                cases.append({"text": text, "ids": tok.encode(text).ids,
                              "ids_clean": tok.encode(whitespace_clean(text)).ids})
            expected["variants"][name] = cases
            print(f"unigram: {name}: {len(cases)} strings, vocab {tok.get_vocab_size()}")
        # transformers 5's XLMRobertaTokenizer, as AutoTokenizer (and so OpenCLIP's HFTokenizer)
        # loads a folder holding the file: it keeps the vocabulary, added tokens and Precompiled
        # charsmap and rebuilds the rest of the pipeline.
        from transformers import AutoTokenizer
        expected["transformers_xlmr"] = {}
        for name in variants:
            with tempfile.TemporaryDirectory() as folder:
                with open(os.path.join(FIXTURES, name), encoding="utf-8") as src, \
                        open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as dst:
                    dst.write(src.read())
                with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
                    json.dump({"tokenizer_class": "XLMRobertaTokenizer"}, f)
                auto = AutoTokenizer.from_pretrained(folder)
                assert type(auto).__name__ == "XLMRobertaTokenizer", type(auto)

                def ids(text):
                    return auto(text, truncation=True, max_length=context_length)["input_ids"]

                cases = [{"text": text, "ids": ids(text), "ids_clean": ids(whitespace_clean(text))}
                         for text in strings]
            expected["transformers_xlmr"][name] = cases
            print(f"unigram: {name}: {len(cases)} strings through transformers' XLMRobertaTokenizer")
        with open(ids_path, "w", encoding="ascii") as f:
            json.dump(expected, f, ensure_ascii=True, indent=0)
            f.write("\n")


if __name__ == "__main__":
    which = sys.argv[1:] or ["wordpiece", "unigram"]
    os.makedirs(FIXTURES, exist_ok=True)
    if "wordpiece" in which:
        make_wordpiece()
    if "unigram" in which:
        make_unigram()
