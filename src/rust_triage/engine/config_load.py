"""Configuration loading (interim): CLI flags only."""

from __future__ import annotations

from typing import Any

from rust_triage.engine.config import Config
from rust_triage.workspace.model import Workspace


def load_config(workspace: Workspace, options: Any) -> Config:
    config = Config()
    if options.select:
        config.select = list(options.select)
    if options.ignore:
        config.ignore = list(options.ignore)
    if options.fail_on:
        config.fail_on = options.fail_on
    if options.include_tests is not None:
        config.include_tests = options.include_tests
    return config
