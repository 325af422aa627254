"""What sox hears in an audio file: its length and how loud it gets."""
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MIN_SECONDS = 0.5
# Speech from espeak-ng peaks well above this; digital silence is 0.
MIN_PEAK = 0.05


@dataclass
class Heard:
    seconds: float
    peak: float
    rms: float

    @property
    def is_speech(self) -> bool:
        return self.seconds >= MIN_SECONDS and self.peak >= MIN_PEAK


def heard(path: Path | str) -> Heard:
    result = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True,
                            check=True, timeout=30)
    stats = dict(re.findall(r"^(.+?):\s+(-?[\d.]+)\s*$", result.stderr, re.MULTILINE))
    return Heard(seconds=float(stats["Length (seconds)"]),
                 peak=max(float(stats["Maximum amplitude"]), -float(stats["Minimum amplitude"])),
                 rms=float(stats["RMS     amplitude"]))


def heard_bytes(data: bytes, folder: Path, name="heard.mp3") -> Heard:
    path = folder / name
    path.write_bytes(data)
    return heard(path)
