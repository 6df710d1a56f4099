#!/usr/bin/env python3
"""Writes src/model/litellm/catalogue.json: what LiteLLM's proxy reads from its config.yaml.

Usage: scripts/litellm-catalogue.py [--wheels DIR] [--out FILE]

Downloads the pinned LiteLLM wheels from PyPI with `pip download` (no install), checks their
sha256, and reads their sources with Python's `ast`: no LiteLLM code is imported or run.
To follow a new LiteLLM release, change CURRENT (version and sha256) below and run the script
again; BASELINE is the older release whose keys still count as valid (`in`: "both").

What is extracted, per release (the method of the catalogue in LiteLLM's own terms):
- top-level sections: `config.get("<section>")` calls in `ProxyConfig` methods;
- router_settings: parameters of `Router.__init__` (or `_router_init`), minus the keys the
  proxy sets itself (`ROUTER_SETTINGS_MANAGED_OUTSIDE_CONFIG`);
- general_settings: fields of `ConfigGeneralSettings` plus `general_settings.get("<key>")`
  anywhere in the package;
- litellm_settings: module-level variables of `litellm/__init__.py` (and the variables it
  imports from LiteLLM modules), `getattr(litellm, "<key>")` names, and the keys the proxy
  loader special-cases (`key == "<key>"` in `load_config`);
- model_list entries, litellm_params, model_info, retry_policy, allowed_fails_policy,
  cache_params, guardrails, mcp_servers and credential_list entries: the fields of the
  pydantic models / TypedDicts / `__init__` signatures LiteLLM builds from them, with
  inheritance, plus `litellm_params.get("<key>")` / `model_info.get("<key>")` reads;
- enum values: routing strategies, cache types, health-check modes (`model_info.mode`),
  guardrail modes, MCP transports;
- provider prefixes: the `LlmProviders` enum plus `llms/openai_like/providers.json`;
- model names LiteLLM resolves without a prefix: the keys of its bundled cost map that
  contain no `/`.
"""

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

CURRENT = ("1.110.2", "9d94d1c7d524b6fd10c14f9c8c6c4f0ac31705f9964ac59dcfd8337c046d8917")
BASELINE = ("1.83.7", "5784a1d9a9a4a8acd6ca1e347003a5e2e1b3c749b4d41e7da4904577adade111")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "model", "litellm", "catalogue.json")


# ------------------------------------------------------------------ wheels


def fetch(version, sha256, directory):
    """The wheel of `version` in `directory`, downloaded with pip when absent."""
    for name in os.listdir(directory):
        if name.startswith(f"litellm-{version}-") and name.endswith(".whl"):
            path = os.path.join(directory, name)
            break
    else:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"litellm=={version}", "--no-deps",
             "--only-binary=:all:", "--platform", "manylinux_2_28_x86_64",
             "--python-version", "3.11", "-d", directory],
            check=True,
        )
        return fetch(version, sha256, directory)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != sha256:
        sys.exit(f"{path}: sha256 {digest}, expected {sha256}")
    return path


class Package:
    """The `litellm/` sources of one wheel, parsed lazily."""

    def __init__(self, wheel):
        self.zip = zipfile.ZipFile(wheel)
        self.names = [n for n in self.zip.namelist() if n.startswith("litellm/")]
        self._trees = {}
        self._classes = None

    def text(self, path):
        return self.zip.read(path).decode("utf-8", "replace")

    def tree(self, path):
        if path not in self._trees:
            try:
                self._trees[path] = ast.parse(self.text(path))
            except SyntaxError:
                self._trees[path] = ast.Module(body=[], type_ignores=[])
        return self._trees[path]

    def py(self):
        return [n for n in self.names if n.endswith(".py")]

    def classes(self):
        """Every class definition of the package by name; `litellm/types/` wins ties."""
        if self._classes is None:
            self._classes = {}
            for path in sorted(self.py(), key=lambda p: (not p.startswith("litellm/types/"), p)):
                text = self.text(path)
                if "class " not in text:
                    continue
                for node in ast.walk(self.tree(path)):
                    if isinstance(node, ast.ClassDef):
                        self._classes.setdefault(node.name, (path, node))
        return self._classes


# ------------------------------------------------------------------ types


def annotation_type(node):
    """A coarse type of an annotation: bool, int, float, str, list, dict or any; and the
    values of a `Literal[...]`."""
    text = ast.unparse(node) if node is not None else "Any"
    text = text.replace("typing.", "")
    for wrapper in ("Required", "NotRequired", "ReadOnly", "Final", "Annotated"):
        m = re.fullmatch(rf"{wrapper}\[(.*)\]", text)
        if m:
            text = m.group(1).split(", Field(")[0].split(", WrapValidator(")[0]
            text = text.split(", BeforeValidator(")[0]
    m = re.fullmatch(r"Optional\[(.*)\]", text)
    if m:
        text = m.group(1)
    literal = re.fullmatch(r"Literal\[(.*)\]( \| None)?", text)
    if literal:
        values = [v.strip().strip("'\"") for v in literal.group(1).split(",")]
        return "str", values
    parts = [p.strip() for p in split_union(text) if p.strip() not in ("None", "NoneType")]
    kinds = {coarse(p) for p in parts}
    if len(kinds) == 1:
        return kinds.pop(), None
    if kinds == {"int", "float"}:
        return "float", None
    return "any", None


def split_union(text):
    m = re.fullmatch(r"Union\[(.*)\]", text)
    if m:
        text = m.group(1).replace(", ", " | ")
    depth, current, parts = 0, "", []
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def coarse(t):
    t = t.strip().strip("'\"")
    base = t.split("[")[0].split(".")[-1]
    if base == "bool":
        return "bool"
    if base in ("int", "StrictInt"):
        return "int"
    if base == "float":
        return "float"
    if base == "str":
        return "str"
    if base in ("list", "List", "Sequence", "tuple", "Tuple", "set", "Set", "_StringList"):
        return "list"
    if base in ("dict", "Dict", "Mapping", "_StringMap"):
        return "dict"
    return "any"


def class_fields(pkg, name, seen=None):
    """The annotated fields of a class and of its bases found in the package."""
    seen = seen or set()
    if name in seen or name not in pkg.classes():
        return {}
    seen.add(name)
    _, node = pkg.classes()[name]
    fields = {}
    for base in node.bases:
        base_name = ast.unparse(base).split("[")[0].split(".")[-1]
        fields.update(class_fields(pkg, base_name, seen))
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if not stmt.target.id.startswith("_") and stmt.target.id != "model_config":
                fields[stmt.target.id] = annotation_type(stmt.annotation)
    return fields


def function_params(func):
    args = func.args.args + func.args.kwonlyargs
    out = {}
    for a in args:
        if a.arg in ("self", "cls") or a.arg.startswith("_"):
            continue
        out[a.arg] = annotation_type(a.annotation)
    return out


def find_function(pkg, path, name, class_name=None):
    for node in ast.walk(pkg.tree(path)):
        if class_name and isinstance(node, ast.ClassDef) and node.name == class_name:
            for stmt in node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                    return stmt
        if not class_name and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name == name:
                return node
    return None


def list_constant(pkg, path, name, depth=0):
    """The strings of a module-level `name = [...]` in `path`, following `*OTHER` names of
    the same module and `*Class.__annotations__` / `*Class.model_fields`."""
    if path not in pkg.names or depth > 3:
        return []
    for stmt in top_level(pkg.tree(path).body):
        if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            out = [n.value for n in ast.walk(stmt.value)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            for star in (n for n in ast.walk(stmt.value) if isinstance(n, ast.Starred)):
                if isinstance(star.value, ast.Name):
                    out += list_constant(pkg, path, star.value.id, depth + 1)
                elif isinstance(star.value, ast.Attribute) and isinstance(star.value.value, ast.Name):
                    out += list(class_fields(pkg, star.value.value.id))
            return out
    return []


def enum_values(pkg, name):
    if name not in pkg.classes():
        return []
    _, node = pkg.classes()[name]
    values = []
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
            if isinstance(stmt.value.value, str):
                values.append(stmt.value.value)
    return values


def module_literal(pkg, path, name):
    """The values of `name: TypeAlias = Literal[...]` in `path`, if any."""
    for stmt in pkg.tree(path).body:
        target = stmt.target if isinstance(stmt, ast.AnnAssign) else (
            stmt.targets[0] if isinstance(stmt, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == name and stmt.value is not None:
            _, values = annotation_type(stmt.value)
            return values or []
    return []


def reads(pkg, receiver, paths=None):
    """Keys read as `<receiver>.get("key")` or `<receiver>["key"]` anywhere in the package
    (or in `paths`), for any variable whose name ends with `receiver`."""
    pattern = re.compile(rf'\b\w*{receiver}\s*(?:\.get\(\s*|\[\s*)["\']([A-Za-z_][A-Za-z0-9_]*)["\']')
    keys = set()
    for path in paths or pkg.py():
        if path not in pkg.names:
            continue
        text = pkg.text(path)
        if receiver in text:
            keys.update(pattern.findall(text))
    return {k for k in keys if not k.startswith("_")}


# ------------------------------------------------------------------ sections


def proxy_server(pkg):
    return "litellm/proxy/proxy_server.py"


def top_level_sections(pkg):
    path = proxy_server(pkg)
    sections = set()
    for node in ast.walk(pkg.tree(path)):
        if isinstance(node, ast.ClassDef) and node.name == "ProxyConfig":
            # Methods that reload other documents (`_check_and_reload_*`) read a local
            # `config` that is not the proxy config.
            methods = [f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and "reload" not in f.name]
            for call in (c for f in methods for c in ast.walk(f)):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "get" and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == "config" and call.args
                        and isinstance(call.args[0], ast.Constant)
                        and isinstance(call.args[0].value, str)):
                    sections.add(call.args[0].value)
    text = pkg.text(path)
    if '"include"' in text or "'include'" in text or "config_includes" in text:
        sections.add("include")
    return sections


def router_keys(pkg):
    func = find_function(pkg, "litellm/router.py", "_router_init") or find_function(
        pkg, "litellm/router.py", "__init__", "Router")
    keys = function_params(func)
    managed = {"model_list", "search_tools", "assistants_config", "router_general_settings",
               "ignore_invalid_deployments", "fallback_access_check", "fallback_budget_check",
               "auto_router_capability_limit"}
    constants = pkg.text("litellm/constants.py")
    m = re.search(r"ROUTER_SETTINGS_MANAGED_OUTSIDE_CONFIG[^{]*\{(.*?)\}", constants, re.S)
    if m:
        managed = set(re.findall(r'"([a-z_]+)"', m.group(1)))
    else:
        # Before the constant existed, only these were set by the proxy itself.
        managed = {"model_list", "search_tools"}
    return {k: v for k, v in keys.items() if k not in managed}


def general_keys(pkg):
    keys = {k: v for k, v in class_fields(pkg, "ConfigGeneralSettings").items()}
    for k in reads(pkg, "general_settings"):
        keys.setdefault(k, ("any", None))
    # Helpers that read one general setting by name, e.g. `_general_setting_enabled("x")`.
    helper = re.compile(r'_general_setting\w*\(\s*["\']([a-z_][a-z0-9_]*)["\']')
    for path in pkg.py():
        text = pkg.text(path)
        if "_general_setting" in text:
            for k in helper.findall(text):
                keys.setdefault(k, ("any", None))
    return keys


def module_variables(pkg):
    """Variables of `litellm/__init__.py`, with those it imports from LiteLLM modules."""
    names = {}
    tree = pkg.tree("litellm/__init__.py")
    for stmt in top_level(tree.body):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            names[stmt.target.id] = annotation_type(stmt.annotation)
        elif isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    names.setdefault(t.id, value_type(stmt.value))
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.module.startswith("litellm"):
            source = stmt.module.replace(".", "/") + ".py"
            if source not in pkg.names:
                continue
            assigned = {}
            for s in pkg.tree(source).body:
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
                    assigned[s.target.id] = annotation_type(s.annotation)
                elif isinstance(s, ast.Assign):
                    for t in s.targets:
                        if isinstance(t, ast.Name):
                            assigned[t.id] = value_type(s.value)
            for alias in stmt.names:
                if alias.name in assigned:
                    names.setdefault(alias.asname or alias.name, assigned[alias.name])
    # Settings are lower-case variables; classes, constants and model-name sets are not.
    return {k: v for k, v in names.items()
            if k[:1].islower() and not k.endswith("_models") and k != "annotations"}


def top_level(body):
    """Module-level statements, including those inside top-level `if` and `try` blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from top_level(stmt.body + stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from top_level(stmt.body + [s for h in stmt.handlers for s in h.body]
                                 + stmt.orelse + stmt.finalbody)


def value_type(value):
    if isinstance(value, ast.Constant):
        if isinstance(value.value, bool):
            return "bool", None
        if isinstance(value.value, int):
            return "int", None
        if isinstance(value.value, float):
            return "float", None
        if isinstance(value.value, str):
            return "str", None
    if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.ListComp)):
        return "list", None
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return "dict", None
    return "any", None


def litellm_settings_keys(pkg):
    keys = module_variables(pkg)
    pattern = re.compile(r'getattr\(\s*litellm\s*,\s*["\']([a-z_][a-z0-9_]*)["\']')
    for path in pkg.py():
        text = pkg.text(path)
        if "getattr(" in text:
            for k in pattern.findall(text):
                keys.setdefault(k, ("any", None))
    for k in reads(pkg, "litellm_settings"):
        keys.setdefault(k, ("any", None))
    func = find_function(pkg, proxy_server(pkg), "load_config", "ProxyConfig")
    for node in ast.walk(func):
        if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name)
                and node.left.id == "key"):
            for c in node.comparators:
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    keys.setdefault(c.value, ("any", None))
                if isinstance(c, (ast.Tuple, ast.List, ast.Set)):
                    for e in c.elts:
                        if isinstance(e, ast.Constant) and isinstance(e.value, str):
                            keys.setdefault(e.value, ("any", None))
    return keys


def cache_params_keys(pkg):
    func = find_function(pkg, "litellm/caching/caching.py", "__init__", "Cache")
    return function_params(func)


def health_check_modes(pkg):
    func = find_function(pkg, "litellm/litellm_core_utils/health_check_helpers.py",
                         "get_mode_handlers")
    if func is None or func.returns is None:
        return []
    return re.findall(r"'([a-z_]+)'", ast.unparse(func.returns))


def providers(pkg):
    names = set(enum_values(pkg, "LlmProviders"))
    path = "litellm/llms/openai_like/providers.json"
    if path in pkg.names:
        names.update(json.loads(pkg.text(path)).keys())
    return names


def unprefixed_models(pkg):
    costs = json.loads(pkg.text("litellm/model_prices_and_context_window_backup.json"))
    return {k for k in costs if "/" not in k and k != "sample_spec"}


def extract(pkg):
    sections = top_level_sections(pkg)
    routing = ["simple-shuffle"] + enum_values(pkg, "RoutingStrategy")
    routing += module_literal(pkg, "litellm/types/litellm_params.py", "RoutingStrategyName") \
        if "litellm/types/litellm_params.py" in pkg.names else []
    keys = {
        "router_settings": router_keys(pkg),
        "general_settings": general_keys(pkg),
        "litellm_settings": litellm_settings_keys(pkg),
        "model_list[]": class_fields(pkg, "Deployment"),
        "litellm_params": class_fields(pkg, "LiteLLM_Params"),
        "model_info": {**class_fields(pkg, "ModelInfoBase"), **class_fields(pkg, "ModelInfo")},
        "cache_params": cache_params_keys(pkg),
        "retry_policy": class_fields(pkg, "RetryPolicy"),
        "allowed_fails_policy": class_fields(pkg, "AllowedFailsPolicy"),
        "guardrails[]": class_fields(pkg, "Guardrail"),
        "mcp_servers.*": class_fields(pkg, "MCPServerConfig"),
        "credential_list[]": class_fields(pkg, "CredentialItem"),
    }
    keys["model_list[]"].setdefault("tpm", ("int", None))
    keys["model_list[]"].setdefault("rpm", ("int", None))
    for k in reads(pkg, "litellm_params"):
        keys["litellm_params"].setdefault(k, ("any", None))
    # Parameters LiteLLM itself consumes, and those of `completion()`, which a deployment
    # may set as defaults.
    for k in list_constant(pkg, "litellm/types/utils.py", "all_litellm_params"):
        keys["litellm_params"].setdefault(k, ("any", None))
    completion = find_function(pkg, "litellm/main.py", "completion")
    if completion is not None:
        for k, t in function_params(completion).items():
            keys["litellm_params"].setdefault(k, t)
    for k in reads(pkg, "model_info"):
        keys["model_info"].setdefault(k, ("any", None))
    mcp = ["litellm/proxy/mcp_server/mcp_server_manager.py",
           "litellm/proxy/_experimental/mcp_server/mcp_server_manager.py"]
    for k in reads(pkg, "server_config", mcp):
        keys["mcp_servers.*"].setdefault(k, ("any", None))
    enums = {
        "routing_strategy": sorted(set(routing)),
        "cache_type": enum_values(pkg, "LiteLLMCacheType"),
        "model_info_mode": health_check_modes(pkg),
        "guardrail_mode": enum_values(pkg, "GuardrailEventHooks"),
        "mcp_transport": enum_values(pkg, "MCPTransport"),
    }
    return {
        "sections": sections,
        "keys": keys,
        "enums": enums,
        "providers": providers(pkg),
        "unprefixed_models": unprefixed_models(pkg),
    }


# ------------------------------------------------------------------ merge and write

# How LiteLLM treats a key it does not know, per section (keys.md §1, from the readers).
UNKNOWN = {
    "top": "ignored",
    "router_settings": "warned",
    "general_settings": "ignored",
    "litellm_settings": "setattr",
    "model_list[]": "kept",
    "litellm_params": "forwarded",
    "model_info": "kept",
    "cache_params": "forwarded",
    "retry_policy": "dropped",
    "allowed_fails_policy": "dropped",
    "guardrails[]": "ignored",
    "mcp_servers.*": "ignored",
    "credential_list[]": "ignored",
}


def merged_in(in_current, in_baseline):
    if in_current and in_baseline:
        return "both"
    return CURRENT[0] if in_current else BASELINE[0]


def merge(current, baseline):
    def names(cur, base):
        return {n: merged_in(n in cur, n in base) for n in sorted(set(cur) | set(base))}

    sections = names(current["sections"], baseline["sections"])
    keys = {}
    for section in UNKNOWN:
        if section == "top":
            continue
        cur, base = current["keys"][section], baseline["keys"][section]
        entries = {}
        for k in sorted(set(cur) | set(base)):
            kind, values = cur.get(k) or base.get(k)
            entry = {"type": kind, "in": merged_in(k in cur, k in base)}
            if values:
                entry["values"] = values
            entries[k] = entry
        keys[section] = entries
    enums = {}
    for name in current["enums"]:
        cur, base = current["enums"][name], baseline["enums"][name]
        enums[name] = names(cur, base)
    return {
        "litellm": {"version": CURRENT[0], "sha256": CURRENT[1],
                    "baseline": BASELINE[0], "baseline_sha256": BASELINE[1]},
        "unknown_keys": UNKNOWN,
        "sections": sections,
        "keys": keys,
        "enums": enums,
        "providers": names(current["providers"], baseline["providers"]),
        "unprefixed_models": sorted(current["unprefixed_models"] | baseline["unprefixed_models"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", help="directory holding (or receiving) the wheels")
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.wheels or tmp
        os.makedirs(directory, exist_ok=True)
        current = extract(Package(fetch(*CURRENT, directory)))
        baseline = extract(Package(fetch(*BASELINE, directory)))
    data = merge(current, baseline)
    with open(args.out, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    counts = ", ".join(f"{s} {len(k)}" for s, k in data["keys"].items())
    print(f"wrote {args.out}: LiteLLM {CURRENT[0]} (baseline {BASELINE[0]}); "
          f"{len(data['sections'])} sections; keys: {counts}; "
          f"{len(data['providers'])} providers")


if __name__ == "__main__":
    main()
