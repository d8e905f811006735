"""The Pillow compositions behind the demo's figures.

Each function takes a seeded ``random.Random`` and a size and returns an RGB
picture: an abstract impression of a work (a derelict station in orbit, stage
lights, a snowy skyline), never a copy of anything from it. Helpers at the
top do the recurring parts: gradients, glows, starfields, translucent layers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageOps

Size = tuple[int, int]
Colour = tuple[int, int, int]


# Building blocks ---------------------------------------------------------


def gradient(size: Size, top: Colour, bottom: Colour) -> Image.Image:
    """A vertical gradient from ``top`` to ``bottom``."""
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(ramp, black=top, white=bottom).convert("RGB")


def glow(
    base: Image.Image, box: tuple[int, int, int, int], colour: Colour, radius: int
) -> Image.Image:
    """Composite a soft blurred ellipse (a lamp, a spotlight, a sun) onto base."""
    layer = Image.new("RGBA", base.size, (*colour, 0))
    ImageDraw.Draw(layer).ellipse(box, fill=(*colour, 200))
    layer = layer.filter(ImageFilter.GaussianBlur(radius))
    return Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")


def stars(draw: ImageDraw.ImageDraw, rng: random.Random, size: Size, count: int):
    width, height = size
    for _ in range(count):
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randrange(150, 256)
        r = rng.choice((0, 0, 0, 1, 1, 2))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(shade, shade, shade + 0))


def overlay(base: Image.Image, paint: Callable[[ImageDraw.ImageDraw], None]):
    """Draw translucent shapes on their own layer, then blend them in."""
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    paint(ImageDraw.Draw(layer))
    return Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")


# Compositions ------------------------------------------------------------


def derelict_station(rng: random.Random, size: Size) -> Image.Image:
    """A wrecked station drifting past a planet, a red rose-shaped hull at its heart."""
    width, height = size
    picture = gradient(size, (4, 6, 20), (28, 18, 46))
    stars(ImageDraw.Draw(picture), rng, size, 420)
    picture = glow(
        picture,
        (-width // 3, height // 2, width // 2, height * 2),
        (70, 110, 170),
        60,
    )

    def hull(draw: ImageDraw.ImageDraw) -> None:
        cx, cy = int(width * 0.62), int(height * 0.45)
        for i in range(7):
            angle = i * math.tau / 7 + 0.3
            px = cx + math.cos(angle) * height * 0.16
            py = cy + math.sin(angle) * height * 0.16
            r = height * 0.13
            draw.ellipse((px - r, py - r, px + r, py + r), fill=(150, 20, 45, 150))
        draw.ellipse((cx - 45, cy - 45, cx + 45, cy + 45), fill=(230, 70, 90, 230))
        for _ in range(24):
            x = cx + rng.randint(-width // 3, width // 3)
            y = cy + rng.randint(-height // 3, height // 3)
            w, h = rng.randint(8, 70), rng.randint(4, 26)
            draw.rectangle((x, y, x + w, y + h), fill=(120, 125, 140, 170))

    return overlay(picture, hull)


def opera_hall(rng: random.Random, size: Size) -> Image.Image:
    """A gilded corridor in perspective, chandeliers glowing, curtains closing in."""
    width, height = size
    picture = gradient(size, (36, 8, 14), (90, 40, 20))
    horizon = height * 0.42
    vanish = width / 2

    def hall(draw: ImageDraw.ImageDraw) -> None:
        tiles = 14
        for row in range(tiles):
            y0 = horizon + (height - horizon) * (row / tiles) ** 1.6
            y1 = horizon + (height - horizon) * ((row + 1) / tiles) ** 1.6
            for col in range(-tiles, tiles):
                x0 = vanish + (col * width / tiles) * (y0 - horizon) / height * 2
                x1 = vanish + ((col + 1) * width / tiles) * (y0 - horizon) / height * 2
                x2 = vanish + ((col + 1) * width / tiles) * (y1 - horizon) / height * 2
                x3 = vanish + (col * width / tiles) * (y1 - horizon) / height * 2
                shade = (225, 200, 150, 110) if (row + col) % 2 else (30, 10, 10, 150)
                draw.polygon([(x0, y0), (x1, y0), (x2, y1), (x3, y1)], fill=shade)
        for side in (0, 1):
            edge = 0 if side == 0 else width
            inner = width * (0.22 if side == 0 else 0.78)
            draw.polygon(
                [
                    (edge, 0),
                    (inner, 0),
                    (inner - (1 - 2 * side) * 40, height),
                    (edge, height),
                ],
                fill=(120, 10, 30, 215),
            )

    picture = overlay(picture, hall)
    for i in range(3):
        x = width * (0.35 + 0.15 * i)
        y = height * (0.12 + 0.04 * rng.random())
        picture = glow(picture, (x - 60, y - 40, x + 60, y + 40), (255, 210, 140), 25)
    return picture


def stage_lights(rng: random.Random, size: Size) -> Image.Image:
    """Spotlights crossing on an empty stage, one small figure caught in them."""
    width, height = size
    picture = gradient(size, (14, 6, 24), (60, 20, 60))

    def beams(draw: ImageDraw.ImageDraw) -> None:
        floor = height * 0.78
        for i, colour in enumerate(((255, 120, 190), (120, 160, 255), (255, 230, 200))):
            top = width * (0.15 + 0.35 * i) + rng.randint(-40, 40)
            draw.polygon(
                [(top - 18, 0), (top + 18, 0), (width * 0.52 + 140, floor),
                 (width * 0.48 - 140, floor)],
                fill=(*colour, 60),
            )  # fmt: skip
        draw.rectangle((0, floor, width, height), fill=(25, 10, 30, 255))
        draw.ellipse(
            (width * 0.38, floor - 30, width * 0.62, floor + 30),
            fill=(255, 220, 240, 120),
        )
        cx = width * 0.5
        draw.ellipse(
            (cx - 16, floor - 150, cx + 16, floor - 118), fill=(15, 5, 20, 255)
        )
        draw.polygon(
            [(cx - 10, floor - 120), (cx + 10, floor - 120), (cx + 34, floor - 10),
             (cx - 34, floor - 10)],
            fill=(15, 5, 20, 255),
        )  # fmt: skip

    return overlay(picture, beams).filter(ImageFilter.GaussianBlur(1))


def broken_mirror(rng: random.Random, size: Size) -> Image.Image:
    """A mirror split down a jagged crack, the two halves in different colours."""
    width, height = size
    left = gradient(size, (250, 180, 200), (120, 40, 90))
    right = gradient(size, (70, 90, 160), (10, 10, 40))
    crack = [(width // 2, 0)]
    y = 0
    while y < height:
        y += rng.randint(30, 80)
        crack.append((width // 2 + rng.randint(-60, 60), min(y, height)))
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon([(0, 0), *crack, (0, height)], fill=255)
    picture = Image.composite(left, right, mask)
    draw = ImageDraw.Draw(picture)
    draw.line(crack, fill=(255, 255, 255), width=5)
    for _ in range(10):
        x, y = rng.choice(crack)
        draw.line(
            (x, y, x + rng.randint(-200, 200), y + rng.randint(-90, 90)),
            fill=(235, 235, 245),
            width=2,
        )
    for side in (0.25, 0.75):
        cx, cy = width * side, height * 0.45
        draw.ellipse(
            (cx - 70, cy - 90, cx + 70, cy + 90), outline=(255, 255, 255), width=4
        )
    return picture


def snowy_skyline(rng: random.Random, size: Size) -> Image.Image:
    """Night towers with lit windows, falling snow, one warm streetlamp."""
    width, height = size
    picture = gradient(size, (8, 12, 40), (40, 50, 90))
    draw = ImageDraw.Draw(picture)
    x = 0
    while x < width:
        w = rng.randint(70, 170)
        top = rng.randint(int(height * 0.25), int(height * 0.7))
        draw.rectangle((x, top, x + w, height), fill=(18, 20, 35))
        for wy in range(top + 14, height - 20, 26):
            for wx in range(x + 10, x + w - 14, 22):
                if rng.random() < 0.3:
                    draw.rectangle((wx, wy, wx + 10, wy + 14), fill=(250, 210, 120))
        x += w + rng.randint(4, 20)
    picture = glow(
        picture,
        (width * 0.12 - 90, height * 0.55 - 90, width * 0.12 + 90, height * 0.55 + 90),
        (255, 190, 110),
        40,
    )
    draw = ImageDraw.Draw(picture)
    draw.rectangle(
        (width * 0.12 - 4, height * 0.55, width * 0.12 + 4, height), fill=(10, 10, 15)
    )
    for _ in range(700):
        sx, sy = rng.randrange(width), rng.randrange(height)
        r = rng.choice((1, 1, 2, 3))
        draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(235, 240, 255))
    return picture


def ocean_planet(rng: random.Random, size: Size) -> Image.Image:
    """A living sea in slow bands of colour under a pale double sun."""
    width, height = size
    picture = gradient(size, (210, 140, 90), (40, 20, 40))
    picture = glow(
        picture,
        (width * 0.62, height * 0.08, width * 0.78, height * 0.36),
        (255, 240, 210),
        30,
    )
    picture = glow(
        picture,
        (width * 0.7, height * 0.2, width * 0.78, height * 0.34),
        (180, 210, 255),
        20,
    )

    def sea(draw: ImageDraw.ImageDraw) -> None:
        bands = 9
        for band in range(bands):
            base = height * (0.5 + 0.055 * band)
            amp = 8 + band * 4
            phase = rng.random() * math.tau
            points = [
                (x, base + amp * math.sin(x / (90 + band * 25) + phase))
                for x in range(0, width + 20, 20)
            ]
            tone = 60 + band * 12
            draw.polygon(
                [*points, (width, height), (0, height)],
                fill=(20, tone, tone + 30, 170),
            )

    return overlay(picture, sea)


def small_planets(rng: random.Random, size: Size) -> Image.Image:
    """A flat chart of a little solar system: a sun, orbits, a handful of worlds."""
    width, height = size
    picture = Image.new("RGB", size, (16, 20, 38))
    draw = ImageDraw.Draw(picture)
    cx, cy = width // 2, height // 2
    draw.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill=(255, 170, 60))
    colours = [
        (120, 200, 140),
        (90, 140, 230),
        (230, 120, 90),
        (200, 190, 230),
        (140, 110, 80),
    ]
    for i, colour in enumerate(colours, start=1):
        rx, ry = 100 + i * 85, 50 + i * 42
        draw.ellipse(
            (cx - rx, cy - ry, cx + rx, cy + ry), outline=(70, 80, 120), width=2
        )
        angle = rng.random() * math.tau
        px, py = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        r = 10 + (i % 3) * 7
        draw.ellipse((px - r, py - r, px + r, py + r), fill=colour)
    return picture


def stink_cloud(rng: random.Random, size: Size) -> Image.Image:
    """A yellow-green cloud rolling over hills toward a distant city."""
    width, height = size
    picture = gradient(size, (150, 190, 220), (230, 220, 170))

    def land(draw: ImageDraw.ImageDraw) -> None:
        for layer, tone in enumerate(((90, 120, 80), (60, 95, 60), (40, 70, 45))):
            base = height * (0.55 + 0.12 * layer)
            points = [
                (x, base - 40 * math.sin(x / (160 + 60 * layer) + layer))
                for x in range(0, width + 40, 40)
            ]
            draw.polygon([*points, (width, height), (0, height)], fill=(*tone, 255))
        for _ in range(40):
            x = rng.randint(0, int(width * 0.6))
            y = rng.randint(int(height * 0.25), int(height * 0.7))
            r = rng.randint(40, 120)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(190, 200, 60, 70))

    return overlay(picture, land).filter(ImageFilter.GaussianBlur(2))


def film_strip(rng: random.Random, size: Size) -> Image.Image:
    """A strip of film frames, each tinted for a different decade."""
    width, height = size
    picture = Image.new("RGB", size, (18, 16, 14))
    draw = ImageDraw.Draw(picture)
    strip_top, strip_bottom = int(height * 0.18), int(height * 0.82)
    draw.rectangle((0, strip_top, width, strip_bottom), fill=(36, 30, 26))
    for x in range(10, width, 44):
        for y in (strip_top + 12, strip_bottom - 32):
            draw.rounded_rectangle((x, y, x + 22, y + 20), radius=4, fill=(12, 10, 8))
    tints = [
        (200, 170, 120),
        (150, 160, 150),
        (220, 120, 90),
        (120, 150, 200),
        (230, 210, 170),
    ]
    frame_w = (width - 60) // len(tints)
    for i, tint in enumerate(tints):
        x0 = 30 + i * frame_w
        frame = gradient(
            (frame_w - 24, strip_bottom - strip_top - 110),
            tuple(c // 3 for c in tint),
            tint,
        )
        fd = ImageDraw.Draw(frame)
        fx, fy = rng.randint(40, frame.width - 80), rng.randint(30, frame.height - 90)
        fd.ellipse(
            (fx, fy, fx + 40, fy + 40), fill=tuple(min(255, c + 40) for c in tint)
        )
        picture.paste(frame, (x0 + 12, strip_top + 55))
    return picture


def writing_desk(rng: random.Random, size: Size) -> Image.Image:
    """A desk seen from above: an open notebook, a cup, a stack of discs."""
    width, height = size
    picture = gradient(size, (120, 84, 60), (84, 56, 40))
    draw = ImageDraw.Draw(picture)
    for y in range(0, height, 18):
        draw.line((0, y + rng.randint(-3, 3), width, y), fill=(100, 70, 50), width=1)
    nx, ny = int(width * 0.18), int(height * 0.2)
    draw.rectangle((nx, ny, nx + 560, ny + 400), fill=(245, 240, 225))
    draw.line((nx + 280, ny, nx + 280, ny + 400), fill=(200, 190, 170), width=3)
    for line in range(ny + 40, ny + 380, 26):
        length = rng.randint(120, 230)
        draw.line((nx + 30, line, nx + 30 + length, line), fill=(90, 100, 140), width=2)
    cx, cy = int(width * 0.78), int(height * 0.32)
    draw.ellipse((cx - 80, cy - 80, cx + 80, cy + 80), fill=(235, 235, 230))
    draw.ellipse((cx - 62, cy - 62, cx + 62, cy + 62), fill=(70, 40, 25))
    for i in range(4):
        dx, dy = int(width * 0.74) + i * 6, int(height * 0.62) - i * 10
        draw.ellipse((dx - 90, dy - 90, dx + 90, dy + 90), fill=(200, 205, 215))
        draw.ellipse((dx - 14, dy - 14, dx + 14, dy + 14), fill=(84, 56, 40))
    return picture


def walkers_in_snow(rng: random.Random, size: Size) -> Image.Image:
    """Three small figures crossing a snowy street at night, one with a bundle."""
    width, height = size
    picture = gradient(size, (20, 24, 56), (70, 80, 120))
    draw = ImageDraw.Draw(picture)
    ground = int(height * 0.72)
    draw.rectangle((0, ground, width, height), fill=(215, 220, 235))
    for stripe in range(6):
        x = width * 0.1 + stripe * width * 0.14
        draw.rectangle(
            (x, ground + 40, x + width * 0.08, ground + 70), fill=(240, 242, 250)
        )
    for i, (scale, bundle) in enumerate(((1.0, False), (1.15, True), (0.8, False))):
        cx = width * (0.38 + 0.12 * i)
        h = 170 * scale
        draw.ellipse(
            (cx - 14 * scale, ground - h, cx + 14 * scale, ground - h + 28 * scale),
            fill=(25, 20, 30),
        )
        shoulders = ground - h + 26 * scale
        draw.polygon(
            [(cx - 16 * scale, shoulders), (cx + 16 * scale, shoulders),
             (cx + 30 * scale, ground), (cx - 30 * scale, ground)],
            fill=(25, 20, 30),
        )  # fmt: skip
        draw.ellipse(
            (cx - 40 * scale, ground - 6, cx + 60 * scale, ground + 10),
            fill=(170, 175, 200),
        )
        if bundle:
            draw.ellipse(
                (cx + 6, ground - h * 0.62, cx + 42, ground - h * 0.42),
                fill=(245, 235, 215),
            )
    for _ in range(500):
        sx, sy = rng.randrange(width), rng.randrange(height)
        r = rng.choice((1, 2, 2, 3))
        draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(240, 244, 255))
    return picture


def silver_key(rng: random.Random, size: Size) -> Image.Image:
    """An old-fashioned key lying on dark red cloth, catching the light."""
    width, height = size
    picture = gradient(size, (70, 12, 20), (30, 5, 10))
    picture = glow(
        picture,
        (width * 0.3, height * 0.25, width * 0.7, height * 0.75),
        (200, 60, 70),
        70,
    )
    draw = ImageDraw.Draw(picture)
    for _ in range(60):
        y = rng.randrange(height)
        draw.line((0, y, width, y + rng.randint(-40, 40)), fill=(90, 20, 30), width=1)
    cx, cy = width * 0.36, height * 0.5
    metal, shine = (205, 205, 215), (245, 245, 250)
    draw.ellipse((cx - 90, cy - 90, cx + 90, cy + 90), outline=metal, width=26)
    draw.rectangle((cx + 78, cy - 14, cx + 420, cy + 14), fill=metal)
    for tooth, depth in ((300, 70), (350, 50), (395, 80)):
        draw.rectangle(
            (cx + tooth, cy + 14, cx + tooth + 26, cy + 14 + depth), fill=metal
        )
    draw.line((cx + 90, cy - 8, cx + 410, cy - 8), fill=shine, width=3)
    return picture


def porthole(rng: random.Random, size: Size) -> Image.Image:
    """A round window in a steel wall, the wavy sea of another planet beyond it."""
    width, height = size
    radius = int(height * 0.38)
    cx, cy = width // 2, height // 2
    view = ocean_planet(rng, size)
    wall = gradient(size, (70, 75, 85), (35, 38, 45))
    draw = ImageDraw.Draw(wall)
    for x in range(0, width, 160):
        draw.line((x, 0, x, height), fill=(55, 58, 66), width=3)
    for y in range(40, height, 120):
        for x in range(60, width, 160):
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(95, 100, 110))
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius), fill=255
    )
    picture = Image.composite(view, wall, mask)
    draw = ImageDraw.Draw(picture)
    draw.ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius),
        outline=(150, 155, 165),
        width=28,
    )
    for angle in range(0, 360, 30):
        bx = cx + (radius + 2) * math.cos(math.radians(angle))
        by = cy + (radius + 2) * math.sin(math.radians(angle))
        draw.ellipse((bx - 6, by - 6, bx + 6, by + 6), fill=(200, 205, 215))
    return picture


def campfire(rng: random.Random, size: Size) -> Image.Image:
    """A campfire on the curve of a tiny planet, a wooden rocket standing nearby."""
    width, height = size
    picture = gradient(size, (6, 8, 24), (20, 26, 60))
    stars(ImageDraw.Draw(picture), rng, size, 350)
    picture = glow(
        picture,
        (width * 0.4, height * 0.5, width * 0.6, height * 0.85),
        (255, 140, 40),
        45,
    )
    draw = ImageDraw.Draw(picture)
    draw.ellipse(
        (-width * 0.3, height * 0.72, width * 1.3, height * 2.2), fill=(40, 60, 45)
    )
    fx, fy = width * 0.5, height * 0.74
    draw.polygon([(fx - 30, fy), (fx + 30, fy), (fx, fy - 80)], fill=(255, 170, 50))
    draw.polygon([(fx - 14, fy), (fx + 14, fy), (fx, fy - 44)], fill=(255, 230, 150))
    rx, base = width * 0.72, height * 0.74
    draw.rectangle((rx - 26, base - 190, rx + 26, base - 10), fill=(150, 100, 60))
    draw.polygon(
        [(rx - 26, base - 190), (rx + 26, base - 190), (rx, base - 250)],
        fill=(120, 80, 50),
    )
    draw.polygon(
        [(rx - 26, base - 60), (rx - 60, base), (rx - 26, base - 10)],
        fill=(110, 75, 45),
    )
    draw.polygon(
        [(rx + 26, base - 60), (rx + 60, base), (rx + 26, base - 10)],
        fill=(110, 75, 45),
    )
    draw.ellipse((rx - 12, base - 150, rx + 12, base - 126), fill=(120, 200, 230))
    return picture
