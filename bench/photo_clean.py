"""Photo cleaning of a 12-megapixel JPEG: time and peak memory, before and after the copies went.

    .venv/bin/python -m bench.photo_clean [--runs 3] [--width 4000 --height 3000]

"before" is the cleaning as it was (exif_transpose returning a copy, then tobytes() and
frombytes(): two more full copies of the pixels), kept here only to compare; "after" is
portal.domain.attachments.clean. Each variant runs in its own process, so the peak resident
memory it reports is its own. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def photo(width: int, height: int, orientation: int) -> bytes:
    """A camera-like JPEG: smooth gradients with noise, EXIF with an orientation and a camera name."""
    from PIL import Image

    noise = Image.effect_noise((width, height), 48).convert("L")
    gradient = Image.linear_gradient("L").resize((width, height))
    img = Image.merge("RGB", (noise, gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "BenchCamera"
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def old_clean_image(data: bytes) -> bytes:
    """The cleaning before this change, verbatim in effect."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        upright = ImageOps.exif_transpose(img)
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=90)
    return out.getvalue()


def _peak_kib() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(variant: str, path: str, runs: int) -> None:
    from PIL import Image  # noqa: F401  (imported before the baseline, like a warm worker)

    from portal.domain.attachments import clean

    with open(path, "rb") as handle:
        data = handle.read()
    run = (lambda: old_clean_image(data)) if variant == "before" else (lambda: clean("p.jpg", data, 1 << 30, 1 << 30))
    baseline = _peak_kib()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    peak = _peak_kib()
    print(json.dumps({"median": statistics.median(times), "best": min(times), "peak_growth_kib": peak - baseline}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], args.runs)
        return
    megapixels = args.width * args.height / 1e6
    print(f"cleaning a {args.width}x{args.height} ({megapixels:.0f} MP) JPEG, {args.runs} runs per variant")
    for orientation, label in ((1, "upright"), (6, "EXIF says turn 90°")):
        with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
            file.write(photo(args.width, args.height, orientation))
            file.flush()
            for variant in ("before", "after"):
                command = [sys.executable, "-m", "bench.photo_clean", "--runs", str(args.runs), "--child", variant]
                done = subprocess.run([*command, file.name], capture_output=True, text=True, check=True)
                figures = json.loads(done.stdout)
                _print(label, variant, figures)


def _print(label: str, variant: str, figures: dict) -> None:
    print(
        f"  {label:<20} {variant:<6} median {figures['median']:.3f} s  best {figures['best']:.3f} s"
        f"  peak memory +{figures['peak_growth_kib'] / 1024:.0f} MiB over the loaded file"
    )


if __name__ == "__main__":
    main()
