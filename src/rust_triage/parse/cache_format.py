"""The bytes of one cache file: a fixed header, then a msgpack payload decoded against a declared type.

    offset  size  field
    0       8     magic b"RTCACHE\\0"
    8       2     format version (little-endian u16)
    10      16    tag: blake2b of (key salt, kind) -- which tool version, rule set and value type wrote it
    26      8     payload length (u64)
    34      32    blake2b-256 of the payload
    66      ...   payload: msgpack

Decoding never runs code from the file: msgspec builds only the declared dataclasses, lists, dicts,
tuples, sets, strings, numbers and booleans. Anything that does not match -- wrong magic, version or
tag, a bad length or checksum, a payload of another shape -- is rejected, and the caller rebuilds.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import struct
import typing
from typing import Any

import msgspec

from rust_triage.parse.facts import FileFacts

FORMAT_VERSION = 1
_MAGIC = b"RTCACHE\0"
_HEADER = struct.Struct("<8sH16sQ32s")
HEADER_SIZE = _HEADER.size

StatIndex = dict[str, tuple[int, int, str]]  # path -> (size, mtime_ns, cache key)


def entry_tag(salt: bytes, kind: str) -> bytes:
    return hashlib.blake2b(salt + b"\0" + kind.encode(), digest_size=16).digest()


def frame(payload: bytes, tag: bytes) -> bytes:
    checksum = hashlib.blake2b(payload, digest_size=32).digest()
    return _HEADER.pack(_MAGIC, FORMAT_VERSION, tag, len(payload), checksum) + payload


def unframe(data: bytes, tag: bytes) -> bytes | None:
    """The payload, or None when the header is not ours or the payload is damaged."""
    if len(data) < HEADER_SIZE:
        return None
    magic, version, found_tag, length, checksum = _HEADER.unpack_from(data)
    payload = data[HEADER_SIZE:]
    if magic != _MAGIC or version != FORMAT_VERSION or found_tag != tag or length != len(payload):
        return None
    if hashlib.blake2b(payload, digest_size=32).digest() != checksum:
        return None
    return payload


class Codec:
    """msgpack encoding of one value type, and a typed decoder that accepts only that type."""

    def __init__(self, value_type: Any) -> None:
        self.value_type = value_type
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(value_type)

    def encode(self, value: Any) -> bytes:
        return self._encoder.encode(value)

    def decode(self, payload: bytes) -> Any:
        """Raises msgspec.DecodeError (or ValidationError) when the payload is not a `value_type`."""
        return self._decoder.decode(payload)


class FileFactsCodec(Codec):
    """FileFacts with each extractor's `extra` section decoded as the type the extractor declares.

    The payload is FileFacts encoded as a map; it is decoded into a struct that mirrors FileFacts
    field for field except `extra`, which is a struct with one typed field per registered extractor.
    """

    def __init__(self) -> None:
        from rust_triage.parse.registry import all_extractors

        sections = [(e.name, e.section | msgspec.UnsetType, msgspec.UNSET) for e in all_extractors()]
        self._section_names = [name for name, _, _ in sections]
        sections_type = msgspec.defstruct("FactsSections", sections, forbid_unknown_fields=True)
        hints = typing.get_type_hints(FileFacts)
        self._fields = [f.name for f in dataclasses.fields(FileFacts) if f.name != "extra"]
        mirror = [(name, hints[name]) for name in self._fields] + [("extra", sections_type)]
        super().__init__(msgspec.defstruct("FileFactsWire", mirror, forbid_unknown_fields=True))
        self.value_type = FileFacts

    def decode(self, payload: bytes) -> FileFacts:
        wire = self._decoder.decode(payload)
        facts = FileFacts(**{name: getattr(wire, name) for name in self._fields})
        for name in self._section_names:
            section = getattr(wire.extra, name)
            if section is not msgspec.UNSET:
                facts.extra[name] = section
        return facts


@functools.cache
def codec_for(value_type: Any) -> Codec:
    """The codec of a cached value type, built once per process (FileFacts needs the extractor registry)."""
    return FileFactsCodec() if value_type is FileFacts else Codec(value_type)
