"""The demo blog's figures: what each picture is, and its library metadata.

The demo reviews need figures, but shipping stills from real films is not ours
to do. Each picture is an abstract composition (see ``drawing.py``) in the
spirit of the work it illustrates, drawn from a seed derived from its key so
the same bytes come out on every run: the media library recognises them by
checksum and never stores one twice. Every picture has alt text and a caption.
"""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from . import drawing
from .drawing import Size

CREDIT = "demo illustration"


@dataclass(frozen=True)
class DemoImage:
    key: str
    draw: Callable[[random.Random, Size], Image.Image]
    alt_text: str
    caption: str
    size: Size = (1280, 720)
    format: str = "JPEG"
    credit: str = CREDIT

    @property
    def filename(self) -> str:
        return f"{self.key}.{'png' if self.format == 'PNG' else 'jpg'}"

    @functools.cache  # noqa: B019 -- a handful of module-level images, kept for life
    def render(self) -> bytes:
        """The encoded picture; identical bytes on every call."""
        picture = self.draw(random.Random(self.key), self.size)
        out = io.BytesIO()
        if self.format == "PNG":
            picture.save(out, "PNG", optimize=True)
        else:
            picture.save(out, "JPEG", quality=86, optimize=True, progressive=True)
        return out.getvalue()


IMAGES: dict[str, DemoImage] = {
    image.key: image
    for image in (
        DemoImage(
            "magnetic-rose-station",
            drawing.derelict_station,
            alt_text=(
                "A dark starfield with a blue planet's edge at lower left; at the "
                "centre a ring of dark red shapes around a glowing pink core, "
                "surrounded by grey fragments of wreckage."
            ),
            caption="The wreck at the heart of the debris field, as I picture it.",
            size=(1600, 900),
        ),
        DemoImage(
            "magnetic-rose-hall",
            drawing.opera_hall,
            alt_text=(
                "A corridor in deep red and gold seen in perspective: a chequered "
                "floor running to a vanishing point, heavy curtains at both sides, "
                "three warm lights hanging near the ceiling."
            ),
            caption="Inside, the station has been furnished like an opera house.",
        ),
        DemoImage(
            "stink-bomb-cloud",
            drawing.stink_cloud,
            alt_text=(
                "Rolling green hills under a pale sky, with a hazy yellow-green "
                "cloud spreading across the left half of the picture."
            ),
            caption="A cloud nobody can stop, drifting toward Tokyo.",
        ),
        DemoImage(
            "perfect-blue-stage",
            drawing.stage_lights,
            alt_text=(
                "Three coloured spotlights, pink, blue and white, converging on a "
                "lone dark figure standing at the centre of an empty stage."
            ),
            caption="The idol stage: bright, public, and already a trap.",
            size=(1600, 900),
        ),
        DemoImage(
            "perfect-blue-mirror",
            drawing.broken_mirror,
            alt_text=(
                "A picture split by a jagged white crack: the left half soft pink, "
                "the right half dark blue, each with an empty oval outline where "
                "a face would be."
            ),
            caption="Two halves of one reflection, neither quite trustworthy.",
        ),
        DemoImage(
            "tokyo-godfathers-skyline",
            drawing.snowy_skyline,
            alt_text=(
                "Dark city towers at night with scattered lit yellow windows, heavy "
                "snow falling, and one streetlamp glowing orange at the left."
            ),
            caption="Snow over the city on a Christmas Eve that will not go to plan.",
        ),
        DemoImage(
            "millennium-actress-strip",
            drawing.film_strip,
            alt_text=(
                "A strip of film with sprocket holes along both edges, holding five "
                "frames tinted sepia, grey-green, red, blue and cream."
            ),
            caption="One life, five eras, one continuous chase across them.",
        ),
        DemoImage(
            "solaris-ocean",
            drawing.ocean_planet,
            alt_text=(
                "An alien sea made of wavy teal bands under an orange sky, with a "
                "large pale sun and a smaller blue one overlapping it."
            ),
            caption="The ocean that thinks, under its two suns.",
        ),
        DemoImage(
            "outer-wilds-system",
            drawing.small_planets,
            alt_text=(
                "A flat diagram of a small solar system: an orange sun at the "
                "centre, five elliptical orbits, and one coloured planet on each."
            ),
            caption="A solar system small enough to learn by heart.",
            format="PNG",
        ),
        DemoImage(
            "tokyo-godfathers-crossing",
            drawing.walkers_in_snow,
            alt_text=(
                "Three small dark figures crossing a snow-covered street at night "
                "under falling snow; the tallest carries a pale bundle."
            ),
            caption="Three unlikely guardians and one very small passenger.",
        ),
        DemoImage(
            "millennium-actress-key",
            drawing.silver_key,
            alt_text=(
                "An old-fashioned silver key with a round bow and three teeth, "
                "lying on dark red cloth under a soft light."
            ),
            caption="The key she has been carrying for fifty years.",
        ),
        DemoImage(
            "solaris-porthole",
            drawing.porthole,
            alt_text=(
                "A round window set in a riveted steel wall, showing bands of "
                "teal sea under an orange sky and a pale sun."
            ),
            caption="The view from the station: the ocean, always there.",
        ),
        DemoImage(
            "outer-wilds-campfire",
            drawing.campfire,
            alt_text=(
                "A small campfire glowing on the curved horizon of a tiny green "
                "planet at night, a wooden rocket with a round window beside it."
            ),
            caption="Every loop starts here, at the same campfire.",
        ),
        DemoImage(
            "about-desk",
            drawing.writing_desk,
            alt_text=(
                "A wooden desk seen from above with an open notebook full of "
                "handwritten lines, a cup of coffee and a small stack of discs."
            ),
            caption="Where the reviews get written, more or less.",
        ),
    )
}
