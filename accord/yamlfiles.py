"""Reading a contract's YAML files: a file that cannot be read or parsed is one configuration
error naming the file (and the line), never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from accord.errors import ConfigError


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({getattr(error, 'strerror', None) or type(error).__name__})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where} ({getattr(error, 'problem', None) or 'parse error'})") from None
