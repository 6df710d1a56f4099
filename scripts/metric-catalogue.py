#!/usr/bin/env python3
"""Regenerates src/model/monitoring/catalogue.json: every metric that LiteLLM, vLLM and
redis_exporter publish at the versions aiblint pins, with its type, series, labels and source.

    scripts/metric-catalogue.py [--cache DIR] [--check]

- LiteLLM and vLLM: the pinned wheels are downloaded with `pip download --no-deps` (into
  --cache, default ~/.cache/aiblint-catalogue), checked against their sha256, and read with
  Python's `ast`; no code of theirs runs. The LiteLLM pins are those of
  scripts/litellm-catalogue.py (CURRENT and BASELINE), so that both catalogues describe the
  same releases. A metric is a call of a prometheus_client constructor (Counter, Gauge, Histogram,
  Summary, Info, Enum), or of a factory that wraps one, whose name evaluates to a constant;
  its labels are evaluated from `labelnames` the same way (constants, lists, `+`, enum
  `.value`s, class attributes, LiteLLM's `PrometheusMetricLabels`). Names that cannot be
  evaluated statically are listed as unresolved on stderr.
- redis_exporter: Debian's `prometheus-redis-exporter` scrapes a real `redis-server` (a
  primary with keys, TTLs, a slow log and a stream, and a replica) with the exporter's
  optional metric groups switched on; the exposition is parsed. Needs both Debian packages:
  `apt-get install -y prometheus-redis-exporter redis-server`.
- Prometheus: the series every scrape adds (`up`, `scrape_*`), from its documentation.

--check regenerates into memory and exits 1 when the committed file differs.
"""

import argparse
import ast
import hashlib
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "src", "model", "monitoring", "catalogue.json")

def litellm_pins():
    """(version, sha256) of the current and baseline LiteLLM of scripts/litellm-catalogue.py."""
    spec = importlib.util.spec_from_file_location("litellm_catalogue", os.path.join(ROOT, "scripts", "litellm-catalogue.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [module.CURRENT, module.BASELINE]


VLLM = ("0.33.0", "4b6bdec4ab269990bf70d45a3c1e94c3760a27064513760193b26d6f0da883aa")

CONSTRUCTORS = {
    "Counter": "counter",
    "Gauge": "gauge",
    "Histogram": "histogram",
    "Summary": "summary",
    "Info": "info",
    "Enum": "stateset",
}

# What a LiteLLM proxy needs for the metrics of each source file to appear on /metrics.
LITELLM_REQUIRES = {
    "litellm/integrations/prometheus.py": 'litellm_settings.callbacks: ["prometheus"]',
    "litellm/integrations/prometheus_services.py": 'litellm_settings.service_callback: ["prometheus_system"]',
    "litellm/proxy/middleware/in_flight_requests_middleware.py": "always (the proxy's HTTP middleware)",
    "litellm/proxy/middleware/admission_control_middleware.py": "admission control enabled",
    "litellm/proxy/db/db_transaction_queue/spend_log_cleanup_metrics.py": "a database with spend-log retention",
    "litellm/accounting/metrics.py": "a database (spend-log delivery)",
    "litellm/tracing/exporter.py": "the Lens exporter",
}


# The LiteLLM setting (and value) that turns on the metrics of each source file.
LITELLM_CALLBACKS = {
    "litellm/integrations/prometheus.py": {"setting": "callbacks", "value": "prometheus"},
    "litellm/integrations/prometheus_services.py": {"setting": "service_callback", "value": "prometheus_system"},
}


def log(*args):
    print(*args, file=sys.stderr)


# --------------------------------------------------------------------------- wheels


def wheel(package, version, expected_sha256, cache):
    os.makedirs(cache, exist_ok=True)
    for name in os.listdir(cache):
        if name.startswith(f"{package}-{version}-") and name.endswith(".whl"):
            path = os.path.join(cache, name)
            digest = sha256(path)
            if digest != expected_sha256:
                sys.exit(f"{path}: sha256 {digest}, expected {expected_sha256}")
            return path
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", cache, f"{package}=={version}"],
        check=True,
    )
    return wheel(package, version, expected_sha256, cache)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def python_sources(whl, package):
    """Module path -> (file name, source) for every .py file of `package` in the wheel."""
    out = {}
    with zipfile.ZipFile(whl) as z:
        for name in z.namelist():
            if name.startswith(package + "/") and name.endswith(".py"):
                module = name[:-3].replace("/", ".")
                if module.endswith(".__init__"):
                    module = module[: -len(".__init__")]
                out[module] = (name, z.read(name).decode("utf-8", "replace"))
    return out


# --------------------------------------------------------------------------- static evaluation


class Unresolved(Exception):
    pass


class Package:
    """The modules of one package, parsed, with a small constant evaluator over them."""

    def __init__(self, sources, relevant):
        """`relevant` picks the modules whose metric calls are read; others are parsed only
        when a name is looked up in them."""
        self.sources = sources
        self.trees = {}
        self.scopes = {}
        self.relevant = [m for m, (_, text) in sorted(sources.items()) if relevant(text) and self.tree(m)]

    def tree(self, module):
        if module not in self.trees:
            try:
                self.trees[module] = ast.parse(self.sources[module][1]) if module in self.sources else None
            except SyntaxError:
                self.trees[module] = None
        return self.trees[module]

    def scope(self, module):
        if module not in self.scopes:
            tree = self.tree(module)
            self.scopes[module] = self._module_scope(tree, module) if tree else {}
        return self.scopes[module]

    def find_class(self, name):
        for module in sorted(self.sources):
            if f"class {name}" in self.sources[module][1]:
                entry = self.scope(module).get(name)
                if entry and entry[0] == "class":
                    return entry
        raise Unresolved(name)

    def _module_scope(self, tree, module):
        scope = {}
        for node in tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        scope[target.id] = ("expr", node.value, module, None)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                scope[node.target.id] = ("expr", node.value, module, None)
            elif isinstance(node, ast.ClassDef):
                scope[node.name] = ("class", node, module, None)
            elif isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                if node.level:
                    parts = module.split(".")[: -node.level]
                    base = ".".join(parts + ([node.module] if node.module else []))
                for alias in node.names:
                    scope[alias.asname or alias.name] = ("import", base, alias.name, None)
        # Imports inside functions (LiteLLM imports prometheus_client lazily).
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "prometheus_client":
                for alias in node.names:
                    scope.setdefault(alias.asname or alias.name, ("import", "prometheus_client", alias.name, None))
        return scope

    def lookup(self, module, name, depth=0):
        if depth > 20:
            raise Unresolved(name)
        entry = self.scope(module).get(name)
        if entry is None:
            raise Unresolved(name)
        if entry[0] == "import":
            _, base, original, _ = entry
            if base not in self.sources:
                raise Unresolved(name)
            return self.lookup(base, original, depth + 1)
        return entry

    def class_attr(self, cls_entry, attr):
        _, cls, module, _ = cls_entry
        for node in cls.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == attr:
                        return node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.target.id == attr and node.value is not None:
                    return node.value
        raise Unresolved(attr)

    def eval(self, node, module, local=None, cls=None, depth=0):
        """The constant value of `node`: strings, numbers, lists and tuples of them."""
        if depth > 40:
            raise Unresolved("too deep")
        ev = lambda n: self.eval(n, module, local, cls, depth + 1)  # noqa: E731
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    out.extend(ev(elt.value))
                else:
                    out.append(ev(elt))
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = ev(node.left), ev(node.right)
            if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                return list(left) + list(right)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            raise Unresolved("add")
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                elif isinstance(value, ast.FormattedValue):
                    parts.append(str(ev(value.value)))
                else:
                    raise Unresolved("f-string")
            return "".join(parts)
        if isinstance(node, ast.Name):
            if local and node.id in local:
                return ev(local[node.id])
            if cls is not None:
                try:
                    return self.eval(self.class_attr(cls, node.id), cls[2], None, cls, depth + 1)
                except Unresolved:
                    pass
            entry = self.lookup(module, node.id)
            if entry[0] == "expr":
                return self.eval(entry[1], entry[2], None, None, depth + 1)
            raise Unresolved(node.id)
        if isinstance(node, ast.Attribute):
            # Enum.MEMBER.value, Class.ATTR, Enum.MEMBER (a str enum)
            if node.attr == "value" and isinstance(node.value, ast.Attribute):
                return self.eval(node.value, module, local, cls, depth + 1)
            if isinstance(node.value, ast.Name):
                try:
                    owner = self.lookup(module, node.value.id)
                except Unresolved:
                    if cls is not None and node.value.id == cls[1].name:
                        owner = cls
                    else:
                        raise
                if owner[0] == "class":
                    return self.eval(self.class_attr(owner, node.attr), owner[2], None, owner, depth + 1)
            raise Unresolved(ast.dump(node)[:60])
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("list", "tuple", "sorted") and len(node.args) == 1:
                return list(ev(node.args[0]))
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("get_labels_for_metric", "get_labels"):
                arg = node.args[0] if node.args else next(
                    (k.value for k in node.keywords if k.arg in ("label_name", "metric_name")), None
                )
                if arg is None:
                    raise Unresolved("get_labels")
                metric = ev(arg)
                labels_cls = self.find_class("PrometheusMetricLabels")
                return list(self.eval(self.class_attr(labels_cls, metric), labels_cls[2], None, labels_cls, depth + 1))
            raise Unresolved(f"call {name}")
        raise Unresolved(type(node).__name__)


AMBIGUOUS = ast.Name(id="<assigned more than once>")


def function_locals(func):
    """Name -> value expression of simple assignments in a function body; a name assigned
    two different values is ambiguous and evaluates to nothing."""
    local = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        if name in local and ast.dump(local[name]) != ast.dump(value):
            value = AMBIGUOUS
        local[name] = value
    return local


def constructor_kind(pkg, module, func):
    """The metric type a call creates, or None."""
    if isinstance(func, ast.Name):
        name = func.id
        try:
            entry = pkg.lookup(module, name)
        except Unresolved:
            entry = pkg.scope(module).get(name)
        if entry and entry[0] == "import" and entry[1] == "prometheus_client":
            return CONSTRUCTORS.get(entry[2])
        return CONSTRUCTORS.get(name) if entry is None else None
    if isinstance(func, ast.Attribute):
        name = func.attr
        if name in CONSTRUCTORS and isinstance(func.value, ast.Name) and func.value.id in ("self", "prometheus_client", "cls"):
            return CONSTRUCTORS[name]
        lowered = name.lower()
        if lowered.startswith("_") and lowered.endswith(("_factory", "_cls")):
            for word, kind in (("counter", "counter"), ("gauge", "gauge"), ("histogram", "histogram")):
                if word in lowered:
                    return kind
    return None


def series_of(name, kind):
    """The series prometheus_client exposes for a metric of this type."""
    if kind == "counter":
        base = name[: -len("_total")] if name.endswith("_total") else name
        return [base + "_total", base + "_created"]
    if kind == "histogram":
        return [name + "_bucket", name + "_sum", name + "_count", name + "_created"]
    if kind == "summary":
        return [name, name + "_sum", name + "_count", name + "_created"]
    if kind == "info":
        return [name + "_info"]
    return [name]


def family_of(name, kind):
    if kind == "counter" and name.endswith("_total"):
        return name[: -len("_total")]
    return name


def extract_metrics(pkg, name_prefix):
    """Every metric constructor call whose name starts with `name_prefix`."""
    found = []
    unresolved = []
    for module in pkg.relevant:
        tree = pkg.tree(module)
        path = pkg.sources[module][0]
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            kind = constructor_kind(pkg, module, node.func)
            if kind is None:
                continue
            func = node
            while func in parents and not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                func = parents[func]
            local = function_locals(func) if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
            cls = None
            owner = func
            while owner in parents and not isinstance(owner, ast.ClassDef):
                owner = parents[owner]
            if isinstance(owner, ast.ClassDef):
                cls = ("class", owner, module, None)
            name_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
            if name_node is None:
                continue
            try:
                name = pkg.eval(name_node, module, local, cls)
            except Unresolved as e:
                unresolved.append(f"{path}:{node.lineno}: name ({e})")
                continue
            if not isinstance(name, str) or not name.startswith(name_prefix):
                continue
            doc_node = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "documentation"), None)
            try:
                doc = pkg.eval(doc_node, module, local, cls) if doc_node is not None else ""
            except Unresolved:
                doc = ""
            label_node = node.args[2] if len(node.args) > 2 else next((k.value for k in node.keywords if k.arg == "labelnames"), None)
            labels = []
            if label_node is not None:
                try:
                    labels = [str(x) for x in pkg.eval(label_node, module, local, cls)]
                except Unresolved as e:
                    unresolved.append(f"{path}:{node.lineno}: labels of {name} ({e})")
                    labels = None
            if kind == "stateset" and labels is not None:
                labels = labels + [name]
            found.append(
                {
                    "name": family_of(name, kind),
                    "type": kind,
                    "labels": labels,
                    "help": doc if isinstance(doc, str) else "",
                    "source": f"{path}:{node.lineno}",
                }
            )
    return found, unresolved


def litellm_service_metrics(pkg):
    """`PrometheusServicesLogger`'s per-service metrics: litellm_<service>_{latency,
    failed_requests,total_requests,size}, from ServiceTypes and DEFAULT_SERVICE_CONFIGS."""
    module = "litellm.types.services"
    if pkg.tree(module) is None:
        return []
    services = pkg.lookup(module, "ServiceTypes")
    members = []
    for node in services[1].body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                members.append((node.targets[0].id, pkg.eval(node.value, module)))
            except Unresolved:
                pass
    configs = {}
    entry = pkg.scope(module).get("DEFAULT_SERVICE_CONFIGS")
    if entry and isinstance(entry[1], ast.Dict):
        for key, value in zip(entry[1].keys, entry[1].values):
            try:
                service = pkg.eval(key, module)
            except Unresolved:
                continue
            kinds = []
            if isinstance(value, ast.Dict):
                for k, v in zip(value.keys, value.values):
                    if isinstance(k, ast.Constant) and k.value == "metrics" and isinstance(v, ast.List):
                        kinds = [e.attr for e in v.elts if isinstance(e, ast.Attribute)]
            configs[service] = kinds
    logger = pkg.sources.get("litellm.integrations.prometheus_services", ("", ""))
    failed_labels = ["error_class", "function_name"]
    out = []
    for _, service in members:
        kinds = configs.get(service) or ["COUNTER", "HISTOGRAM"]
        base = f"litellm_{service}"
        if "HISTOGRAM" in kinds:
            out.append({"name": f"{base}_latency", "type": "histogram", "labels": [service],
                        "help": f"Latency for {service} service", "source": logger[0]})
        if "COUNTER" in kinds:
            out.append({"name": f"{base}_failed_requests", "type": "counter", "labels": [service] + failed_labels,
                        "help": f"Total failed_requests for {service} service", "source": logger[0]})
            out.append({"name": f"{base}_total_requests", "type": "counter", "labels": [service],
                        "help": f"Total total_requests for {service} service", "source": logger[0]})
        if "GAUGE" in kinds:
            out.append({"name": f"{base}_size", "type": "gauge", "labels": [service],
                        "help": f"Gauge for {service} service", "source": logger[0]})
    return out


def litellm_optional_labels(pkg):
    """Labels `PrometheusMetricLabels.get_labels` may append, by settings."""
    module = "litellm.types.integrations.prometheus"
    try:
        cls = pkg.lookup(module, "PrometheusMetricLabels")
    except Unresolved:
        return []
    labels = set()
    for node in cls[1].body:
        if isinstance(node, ast.FunctionDef) and node.name == "get_labels":
            for sub in ast.walk(node):
                if isinstance(sub, ast.Attribute) and sub.attr == "value":
                    try:
                        labels.add(pkg.eval(sub, module))
                    except Unresolved:
                        pass
    # The caller-identity mode of 1.110.2 puts user_email beside or instead of api_key_alias.
    if "PROMETHEUS_DEPLOYMENT_AND_LATENCY_CALLER_IDENTITY_METRICS" in pkg.scope(module):
        labels.add("user_email")
    return sorted(l for l in labels if isinstance(l, str))


def defined_litellm_metrics(pkg):
    module = "litellm.types.integrations.prometheus"
    entry = pkg.scope(module).get("DEFINED_PROMETHEUS_METRICS")
    if not entry:
        return set()
    node = entry[1]
    if isinstance(node, ast.Subscript):
        try:
            return set(pkg.eval(node.slice, module))
        except Unresolved:
            return set()
    return set()


def litellm(version, expected_sha256, cache):
    whl = wheel("litellm", version, expected_sha256, cache)
    pkg = Package(python_sources(whl, "litellm"), lambda text: "prometheus_client" in text or "_factory(" in text)
    metrics, unresolved = extract_metrics(pkg, "litellm_")
    metrics += litellm_service_metrics(pkg)
    optional = litellm_optional_labels(pkg)
    for m in metrics:
        path = m["source"].split(":")[0]
        m["requires"] = LITELLM_REQUIRES.get(path, f"see {path}")
        if path in LITELLM_CALLBACKS:
            m["callback"] = LITELLM_CALLBACKS[path]
        if path == "litellm/integrations/prometheus.py" and m["labels"] is not None:
            m["optional_labels"] = [l for l in optional if l not in m["labels"]]
            m["custom_labels"] = True
    defined = defined_litellm_metrics(pkg)
    known = {m["name"] for m in metrics} | {m["name"] + "_total" for m in metrics}
    missing = sorted(defined - known)
    if missing:
        log(f"litellm {version}: in DEFINED_PROMETHEUS_METRICS but not found: {missing}")
    for u in unresolved:
        if "prometheus_services.py" not in u:  # litellm_service_metrics reads those
            log(f"litellm {version}: unresolved {u}")
    logger_source = pkg.sources.get("litellm.integrations.prometheus", ("", ""))[1]
    gated = any(word in logger_source for word in ("premium_user", "CommonProxyErrors.not_premium_user"))
    source = {
        "exporter": "litellm",
        "package": "litellm (PyPI)",
        "version": version,
        "artifact": os.path.basename(whl),
        "sha256": sha256(whl),
        "exhaustive": True,
        "edition": "enterprise licence checked in litellm/integrations/prometheus.py"
        if gated
        else "open source: litellm/integrations/prometheus.py checks no enterprise licence",
        "method": "Python ast over the wheel's sources: prometheus_client constructor calls "
        "(directly or through PrometheusLogger's factories) and PrometheusServicesLogger's "
        "per-service metrics; labels from PrometheusMetricLabels.",
    }
    return source, metrics


def vllm(version, expected_sha256, cache):
    whl = wheel("vllm", version, expected_sha256, cache)
    pkg = Package(python_sources(whl, "vllm"), lambda text: "vllm:" in text)
    metrics, unresolved = extract_metrics(pkg, "vllm:")
    found = {m["name"] for m in metrics}
    # Names that reach a constructor through helpers the evaluator does not follow: kept with
    # an unknown type and labels, so that every series shape of the name is accepted.
    for module, (path, text) in sorted(pkg.sources.items()):
        for match in re.finditer(r"[\"'](vllm:[a-z0-9_:]+)[\"']", text):
            name = match.group(1)
            if name in found or name.endswith(":"):
                continue
            line = text.count("\n", 0, match.start()) + 1
            metrics.append({"name": name, "type": "unknown", "labels": None, "help": "",
                            "source": f"{path}:{line}"})
            found.add(name)
    for m in metrics:
        m["requires"] = "the vLLM OpenAI-compatible server's /metrics"
    for u in unresolved:
        if "vllm:" in u or "name" in u:
            log(f"vllm {version}: unresolved {u}")
    source = {
        "exporter": "vllm",
        "package": "vllm (PyPI)",
        "version": version,
        "artifact": os.path.basename(whl),
        "sha256": sha256(whl),
        "exhaustive": True,
        "method": "Python ast over the wheel's sources: prometheus_client constructor calls "
        "(directly or through the stat loggers' _gauge_cls/_counter_cls/_histogram_cls); other "
        "`vllm:` name literals with an unknown type.",
    }
    return source, metrics


# --------------------------------------------------------------------------- redis_exporter


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def redis_cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], check=True, capture_output=True, text=True).stdout


def parse_exposition(text):
    """Family name -> {type, help, series: set, labels: set} from the text format."""
    families = {}
    types = {}
    helps = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
        elif line.startswith("# HELP "):
            parts = line.split(" ", 3)
            helps[parts[2]] = parts[3] if len(parts) > 3 else ""
        elif line and not line.startswith("#"):
            match = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s", line)
            if not match:
                continue
            series, labels = match.group(1), match.group(3) or ""
            family = series
            for suffix in ("_bucket", "_sum", "_count"):
                if series.endswith(suffix) and series[: -len(suffix)] in types:
                    family = series[: -len(suffix)]
            entry = families.setdefault(family, {"series": set(), "labels": set()})
            entry["series"].add(series)
            entry["labels"].update(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)=\"", labels))
    for name, entry in families.items():
        entry["type"] = types.get(name, "untyped")
        entry["help"] = helps.get(name, "")
    return families


def redis_exporter():
    for tool in ("redis-server", "redis-cli", "prometheus-redis-exporter"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y prometheus-redis-exporter redis-server")
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "prometheus-redis-exporter"], capture_output=True, text=True
    ).stdout.strip()
    redis_version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "redis-server"], capture_output=True, text=True
    ).stdout.strip()
    processes = []
    families = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            primary, replica = free_port(), free_port()
            for port, extra in ((primary, []), (replica, ["--replicaof", "127.0.0.1", str(primary)])):
                processes.append(subprocess.Popen(
                    ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                     "--dir", tmp, "--dbfilename", f"{port}.rdb", "--slowlog-log-slower-than", "0",
                     "--latency-monitor-threshold", "1", "--maxmemory", "64mb",
                     "--maxmemory-policy", "allkeys-lru", "--enable-debug-command", "yes", *extra],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                wait_port(port)
            for i in range(50):
                redis_cli(primary, "SET", f"key:{i}", "x" * i)
                redis_cli(primary, "EXPIRE", f"key:{i}", "3600")
                redis_cli(primary, "GET", f"key:{i}")
                redis_cli(primary, "GET", f"missing:{i}")
            redis_cli(primary, "SET", "key:number", "42")
            redis_cli(primary, "-n", "1", "SET", "other", "1")
            redis_cli(primary, "XADD", "stream:1", "*", "field", "value")
            redis_cli(primary, "XGROUP", "CREATE", "stream:1", "group", "0")
            redis_cli(primary, "DEBUG", "SLEEP", "0.01")
            subprocess.run(["redis-cli", "-p", str(primary), "NOSUCHCOMMAND"], capture_output=True)
            time.sleep(1.5)  # the replica syncs
            flags = ["-include-system-metrics", "-include-config-metrics", "-export-client-list",
                     "-check-keys", "key:*", "-check-single-keys", "key:1,key:number", "-count-keys", "key:*",
                     "-check-streams", "stream:*", "-check-key-groups", "^(.*):.*",
                     "-ping-on-connect"]
            for port in (primary, replica):
                listen = free_port()
                exporter = subprocess.Popen(
                    ["prometheus-redis-exporter", "-redis.addr", f"redis://127.0.0.1:{port}",
                     "-web.listen-address", f"127.0.0.1:{listen}", *flags],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                processes.append(exporter)
                wait_port(listen)
                text = urllib.request.urlopen(f"http://127.0.0.1:{listen}/metrics", timeout=10).read().decode()
                for name, entry in parse_exposition(text).items():
                    if not name.startswith("redis_"):
                        continue
                    merged = families.setdefault(name, {"series": set(), "labels": set(), "type": entry["type"], "help": entry["help"]})
                    merged["series"] |= entry["series"]
                    merged["labels"] |= entry["labels"]
        finally:
            for p in processes:
                p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
    metrics = []
    for name, entry in sorted(families.items()):
        kind = entry["type"] if entry["type"] in ("counter", "gauge", "histogram", "summary") else "gauge"
        series = sorted(entry["series"])
        metrics.append({
            "name": name,
            "type": kind,
            "series": series,
            "labels": sorted(entry["labels"] - {"le", "quantile"}),
            "help": entry["help"],
            "source": "scraped",
            "requires": "prometheus-redis-exporter scraping redis-server",
        })
    source = {
        "exporter": "redis_exporter",
        "package": "prometheus-redis-exporter (Debian)",
        "version": version,
        "artifact": f"redis-server {redis_version}",
        "sha256": None,
        "exhaustive": False,
        "method": "scraped /metrics of the exporter in front of a real redis-server primary and "
        "replica (keys with TTLs in two databases, a stream, a slow log, a failed command) with "
        "-include-system-metrics -include-config-metrics -export-client-list and the key checks on.",
    }
    return source, metrics


# --------------------------------------------------------------------------- Prometheus


def prometheus():
    """The series Prometheus adds to every target at scrape time."""
    doc = "https://prometheus.io/docs/concepts/jobs_instances/#automatically-generated-labels-and-time-series"
    names = [
        ("up", "1 if the instance is healthy, i.e. reachable, or 0 if the scrape failed"),
        ("scrape_duration_seconds", "duration of the scrape"),
        ("scrape_samples_post_metric_relabeling", "number of samples remaining after metric relabeling was applied"),
        ("scrape_samples_scraped", "number of samples the target exposed"),
        ("scrape_series_added", "approximate number of new series in this scrape"),
    ]
    metrics = [{"name": n, "type": "gauge", "labels": [], "help": h, "source": doc,
                "requires": "every scrape target"} for n, h in names]
    source = {"exporter": "prometheus", "package": "prometheus", "version": "2.x", "artifact": doc,
              "sha256": None, "exhaustive": True, "method": "the documented series of every scrape"}
    return source, metrics


# --------------------------------------------------------------------------- output


def merge(runs):
    """One entry per (exporter, name): series and labels united over the versions read."""
    merged = {}
    for version, metrics in runs:
        for m in metrics:
            key = (m["exporter"], m["name"])
            entry = merged.get(key)
            if entry is None:
                entry = dict(m)
                entry["versions"] = []
                entry.setdefault("series", series_of(m["name"], m["type"]) if m["type"] != "unknown" else [])
                merged[key] = entry
            else:
                for field in ("series", "optional_labels"):
                    if field in m:
                        entry[field] = sorted(set(entry.get(field, [])) | set(m[field]))
                if entry["labels"] is None or m["labels"] is None:
                    entry["labels"] = None
                else:
                    entry["labels"] = entry["labels"] + [l for l in m["labels"] if l not in entry["labels"]]
            if version not in entry["versions"]:
                entry["versions"].append(version)
    out = []
    for (_, _), m in sorted(merged.items()):
        if m["type"] == "unknown":
            m["series"] = sorted({m["name"], *series_of(m["name"], "counter"), *series_of(m["name"], "histogram"), m["name"] + "_info"})
        m.setdefault("optional_labels", [])
        m.setdefault("custom_labels", False)
        m.setdefault("callback", None)
        ordered = {k: m[k] for k in ("name", "exporter", "type", "series", "labels", "optional_labels",
                                      "custom_labels", "versions", "requires", "callback", "source", "help")}
        out.append(ordered)
    return out


def build(cache):
    sources = []
    runs = []
    for version, digest in litellm_pins():
        source, metrics = litellm(version, digest, cache)
        sources.append(source)
        for m in metrics:
            m["exporter"] = "litellm"
        runs.append((version, metrics))
    source, metrics = vllm(*VLLM, cache)
    sources.append(source)
    for m in metrics:
        m["exporter"] = "vllm"
    runs.append((VLLM[0], metrics))
    source, metrics = redis_exporter()
    sources.append(source)
    for m in metrics:
        m["exporter"] = "redis_exporter"
    runs.append((source["version"], metrics))
    source, metrics = prometheus()
    sources.append(source)
    for m in metrics:
        m["exporter"] = "prometheus"
    runs.append((source["version"], metrics))
    return {
        "version": 1,
        "generated_by": "scripts/metric-catalogue.py",
        "sources": sources,
        "metrics": merge(runs),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", default=os.path.expanduser("~/.cache/aiblint-catalogue"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = json.dumps(build(args.cache), indent=1, ensure_ascii=False) + "\n"
    if args.check:
        with open(OUTPUT, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{OUTPUT} is not what the sources give: run {sys.argv[0]}")
        return
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    counts = {}
    for m in json.loads(text)["metrics"]:
        counts[m["exporter"]] = counts.get(m["exporter"], 0) + 1
    log(f"wrote {OUTPUT}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
