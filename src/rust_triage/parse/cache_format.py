"""The bytes of one cache file: a fixed header (`cache_frame`), then a msgpack payload decoded against a
declared type.

Decoding never runs code from the file: msgspec builds only the declared dataclasses, lists, dicts,
tuples, sets, strings, numbers and booleans. Anything that does not match -- wrong magic, version or
tag, a bad length or checksum, a payload of another shape -- is rejected, and the caller rebuilds.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from typing import Any

import msgspec

from rust_triage.parse.cache_frame import HEADER_SIZE, entry_tag, frame, unframe
from rust_triage.parse.facts import FileFacts

__all__ = ["HEADER_SIZE", "Codec", "StatIndex", "codec_for", "entry_tag", "frame", "unframe"]

StatIndex = dict[str, tuple[int, int, str]]  # path -> (size, mtime_ns, cache key)


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
