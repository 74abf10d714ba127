#!/usr/bin/env python3
"""Draws the OCR test images in Tests/OCRTests/Fixtures/ (see the README there).

Inputs: Pillow, the WenQuanYi Zen Hei font (Debian fonts-wqy-zenhei) for Chinese and
Latin text, random seed 15. Run with an interpreter that has Pillow:
    python3 scripts/make-ocr-fixtures.py [font.ttc]
Writes the PNG/JPEG files and truth.tsv (file, language, expected text per line).
"""
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "OCRTests",
                   "Fixtures")
random.seed(15)


def font(size):
    return ImageFont.truetype(FONT, size)


def lines(draw, items, x, y, size, fill, gap=1.6):
    for text in items:
        draw.text((x, y), text, font=font(size), fill=fill)
        y += int(size * gap)


truth = []


def sign_station():
    img = Image.new("RGB", (1600, 1000), (20, 60, 140))
    d = ImageDraw.Draw(img)
    d.rectangle([40, 40, 1560, 960], outline=(255, 255, 255), width=8)
    items = ["北京站 Beijing Railway Station", "出口 EXIT 2号线", "营业时间 9:00-21:00"]
    lines(d, items, 110, 180, 88, (255, 255, 255), gap=2.4)
    img.save(os.path.join(OUT, "sign-station.png"))
    truth.append(("sign-station.png", "mixed", items))


def sign_cafe():
    img = Image.new("RGB", (1800, 1200), (235, 225, 200))
    d = ImageDraw.Draw(img)
    for _ in range(40):  # a little background texture, as in a photo
        x, y = random.randrange(1800), random.randrange(1200)
        d.ellipse([x, y, x + 30, y + 30], fill=(225, 212, 185))
    d.rectangle([150, 250, 1650, 950], fill=(250, 248, 240), outline=(40, 90, 60), width=10)
    items = ["星巴克咖啡", "Starbucks Coffee", "欢迎光临 Welcome"]
    lines(d, items, 260, 340, 110, (30, 80, 50), gap=1.7)
    img.save(os.path.join(OUT, "sign-cafe.jpg"), quality=92)
    truth.append(("sign-cafe.jpg", "mixed", items))


def screenshot():
    img = Image.new("RGB", (1080, 1920), (246, 246, 246))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 1080, 160], fill=(7, 193, 96))
    d.text((60, 50), "订单详情", font=font(60), fill=(255, 255, 255))
    items = ["订单号 8823471", "Your order has shipped", "Tracking number ZX9041",
             "预计送达 明天下午"]
    y = 260
    for text in items:
        d.rounded_rectangle([40, y - 30, 1040, y + 110], radius=24, fill=(255, 255, 255))
        d.text((80, y), text, font=font(56), fill=(20, 20, 20))
        y += 220
    img.save(os.path.join(OUT, "screenshot-order.png"))
    truth.append(("screenshot-order.png", "mixed", ["订单详情"] + items))


def document_en():
    img = Image.new("RGB", (1240, 1754), (255, 255, 255))
    d = ImageDraw.Draw(img)
    items = ["Quarterly Report", "Revenue increased by twelve percent",
             "compared with the same quarter last year.", "The board approved the budget",
             "for the new warehouse in Shenzhen."]
    d.text((100, 120), items[0], font=font(72), fill=(0, 0, 0))
    lines(d, items[1:], 100, 300, 44, (0, 0, 0), gap=1.8)
    img.save(os.path.join(OUT, "document-report.png"))
    truth.append(("document-report.png", "eng", items))


def document_zh():
    img = Image.new("RGB", (1240, 1754), (255, 255, 255))
    d = ImageDraw.Draw(img)
    items = ["会议纪要", "第三季度销售情况良好", "下周一上午十点开会", "请各部门准时参加"]
    d.text((100, 120), items[0], font=font(80), fill=(0, 0, 0))
    lines(d, items[1:], 100, 320, 56, (0, 0, 0), gap=1.9)
    img.save(os.path.join(OUT, "document-minutes.png"))
    truth.append(("document-minutes.png", "chi_sim", items))


def no_text():
    img = Image.new("RGB", (1600, 1200))
    px = img.load()
    for y in range(1200):
        for x in range(1600):
            px[x, y] = (80 + y * 100 // 1200, 140 + x * 60 // 1600, 200 - y * 80 // 1200)
    d = ImageDraw.Draw(img)
    for _ in range(12):
        x, y, r = random.randrange(1600), random.randrange(1200), random.randrange(40, 200)
        c = tuple(random.randrange(256) for _ in range(3))
        d.ellipse([x - r, y - r, x + r, y + r], fill=c)
    img.save(os.path.join(OUT, "photo-no-text.jpg"), quality=90)
    truth.append(("photo-no-text.jpg", "none", []))


for make in (sign_station, sign_cafe, screenshot, document_en, document_zh, no_text):
    make()
with open(os.path.join(OUT, "truth.tsv"), "w", encoding="utf-8") as f:
    for name, language, items in truth:
        for text in items:
            f.write(f"{name}\t{language}\t{text}\n")
        if not items:
            f.write(f"{name}\t{language}\t\n")
