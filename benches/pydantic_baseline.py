#!/usr/bin/env python3
"""The comparison baseline of `cargo bench --bench scale`: a config-set validator written
the way gateway repositories write their own (PyYAML + pydantic models, then cross-file
checks), run as a whole process on the same files as `aiblint check`.

It checks what such validators check: providers.yaml (provider type and status enums,
base_url an http(s) URL, a placeholder port only on templates, models with a name, ISO
dates), model-mappings.yaml (each exact match names a known provider, priorities, chain
entries), ports.yaml (ports in range, no port used twice) and that litellm-unified.yaml
loads with a model_list. Extra keys are allowed, as in the real validators.

    python3 benches/pydantic_baseline.py DIR     # exit 0 when valid, 1 with the errors
"""

import datetime
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator


class Extra(BaseModel):
    model_config = ConfigDict(extra="allow")


class ModelEntry(Extra):
    name: str
    size: Optional[str] = None
    quantization: Optional[str] = None
    specialty: Optional[str] = None
    context_length: Optional[int] = None
    pulled_at: Optional[Union[str, datetime.date]] = None

    @field_validator("pulled_at")
    @classmethod
    def iso_date(cls, v):
        if isinstance(v, str):
            datetime.date.fromisoformat(v)
        return v


URL = re.compile(r"^https?://[A-Za-z0-9._-]+(:([0-9]+|[A-Z0-9_]+))?(/.*)?$")


class Provider(Extra):
    type: Literal["ollama", "llama_cpp", "vllm", "openai", "anthropic", "openai_compatible",
                  "tool_server", "web_ui"]
    base_url: str
    status: Literal["active", "disabled", "pending_integration", "template"]
    description: str
    models: List[Union[str, ModelEntry]] = []
    health_endpoint: Optional[str] = None

    @model_validator(mode="after")
    def url(self):
        m = URL.match(self.base_url)
        if not m:
            raise ValueError(f"base_url {self.base_url!r} is not an http(s) URL")
        port = m.group(2)
        if port and not port.isdigit() and self.status != "template":
            raise ValueError("a placeholder port is allowed on templates only")
        return self


class ProvidersFile(Extra):
    metadata: Dict[str, Any] = {}
    providers: Dict[str, Provider]


class ExactMatch(Extra):
    provider: str
    priority: Optional[Literal["primary", "secondary", "tertiary"]] = None
    fallback: Optional[str] = None
    description: Optional[str] = None
    backend_model: Optional[str] = None


class Pattern(Extra):
    pattern: str
    provider: str
    fallback: Optional[str] = None

    @field_validator("pattern")
    @classmethod
    def compiles(cls, v):
        re.compile(v)
        return v


class Chain(Extra):
    chain: List[Union[str, Dict[str, Any]]] = []
    description: Optional[str] = None


class MappingsFile(Extra):
    metadata: Dict[str, Any] = {}
    exact_matches: Dict[str, ExactMatch] = {}
    patterns: List[Pattern] = []
    fallback_chains: Dict[str, Chain] = {}
    routing_rules: Dict[str, Any] = {}


class Service(Extra):
    port: int
    protocol: Optional[str] = None
    required: Optional[bool] = None
    service: Optional[str] = None
    description: Optional[str] = None

    @field_validator("port")
    @classmethod
    def in_range(cls, v):
        if not 1 <= v <= 65535:
            raise ValueError(f"port {v} out of range")
        return v


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def main(directory):
    d = Path(directory)
    errors = []
    try:
        providers = ProvidersFile.model_validate(load(d / "providers.yaml"))
        mappings = MappingsFile.model_validate(load(d / "model-mappings.yaml"))
    except ValidationError as e:
        print(e)
        return 1
    for name, match in mappings.exact_matches.items():
        if match.provider not in providers.providers:
            errors.append(f"exact match {name}: unknown provider {match.provider}")
    for p in mappings.patterns:
        if p.provider not in providers.providers:
            errors.append(f"pattern {p.pattern}: unknown provider {p.provider}")
    if (d / "ports.yaml").exists():
        seen = {}
        for name, entry in (load(d / "ports.yaml") or {}).items():
            if name in ("reserved", "ranges", "metadata"):
                continue
            try:
                service = Service.model_validate(entry)
            except ValidationError as e:
                errors.append(str(e))
                continue
            if service.port in seen:
                errors.append(f"port {service.port} used by {seen[service.port]} and {name}")
            seen[service.port] = name
    if (d / "litellm-unified.yaml").exists():
        unified = load(d / "litellm-unified.yaml")
        if not isinstance(unified, dict) or not isinstance(unified.get("model_list"), list):
            errors.append("litellm-unified.yaml has no model_list")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
