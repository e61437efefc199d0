"""A minimal PEP 517 backend that builds the plugin's wheel with the standard library only."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "rt_plugin_demo"
DIST = "rust_triage_plugin_demo"
VERSION = "0.1.0"
DIST_INFO = f"{DIST}-{VERSION}.dist-info"
METADATA = f"Metadata-Version: 2.1\nName: rust-triage-plugin-demo\nVersion: {VERSION}\n"
ENTRY_POINTS = f"[rust_triage.rules]\ntoo-many-params = {PACKAGE}:RULES\n"
WHEEL = "Wheel-Version: 1.0\nGenerator: plugin_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def get_requires_for_build_wheel(config_settings: dict | None = None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: dict | None = None) -> str:
    target = Path(metadata_directory) / DIST_INFO
    target.mkdir(parents=True, exist_ok=True)
    (target / "METADATA").write_text(METADATA)
    (target / "entry_points.txt").write_text(ENTRY_POINTS)
    return DIST_INFO


def build_wheel(wheel_directory: str, config_settings: dict | None = None,
                metadata_directory: str | None = None) -> str:
    files = {
        f"{PACKAGE}/{p.name}": p.read_bytes() for p in sorted((ROOT / PACKAGE).glob("*.py"))
    }
    files[f"{DIST_INFO}/METADATA"] = METADATA.encode()
    files[f"{DIST_INFO}/entry_points.txt"] = ENTRY_POINTS.encode()
    files[f"{DIST_INFO}/WHEEL"] = WHEEL.encode()
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    record.append(f"{DIST_INFO}/RECORD,,")
    files[f"{DIST_INFO}/RECORD"] = ("\n".join(record) + "\n").encode()
    name = f"{DIST}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / name, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return name


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
