//! The typed configuration: which file is which, the schema each follows, the values with
//! their ranges, and the schema version each declares. Built from `syntax`, never from text.

pub mod data;
pub mod formats;
pub mod litellm;
mod lower;
pub mod monitoring;
mod occurrences;
pub mod pyregex;
pub mod routing;
pub mod schema;
pub mod secrets;
mod set;
mod symbols;
mod validate;
pub mod version;

pub use lower::*;
pub use occurrences::Occurrence;
pub use set::{ConfigSet, SetMember};
pub use symbols::{ModelDef, ModelDefs, RefKind, RefRole, Reference, Route, Symbols};
pub use validate::{value_subrange, IssueKind, SchemaIssue};
pub use version::DetectedVersion;

use crate::syntax::{self, Node, Parse};
use crate::text::LineIndex;
use schema::Shape;

/// The kinds of file aiblint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Providers,
    Mappings,
    Litellm,
    Ports,
    /// LiteLLM settings that `aiblint generate` merges into the generated config.
    LitellmSettings,
    /// A Grafana dashboard (JSON).
    Dashboard,
    /// A Grafana provisioning file of datasources.
    GrafanaDatasources,
    /// A Grafana provisioning file of dashboard providers.
    GrafanaDashboards,
    PrometheusConfig,
    PrometheusRules,
}

impl FileKind {
    /// The files of a gateway config set, found by these names.
    pub const ALL: [FileKind; 5] = [
        FileKind::Providers,
        FileKind::Mappings,
        FileKind::Litellm,
        FileKind::Ports,
        FileKind::LitellmSettings,
    ];

    /// The monitoring files, found by their content (`model::monitoring::detect`).
    pub const MONITORING: [FileKind; 5] = [
        FileKind::Dashboard,
        FileKind::GrafanaDatasources,
        FileKind::GrafanaDashboards,
        FileKind::PrometheusConfig,
        FileKind::PrometheusRules,
    ];

    /// The canonical file name, e.g. `providers.yaml`; for monitoring files, a name that
    /// says what the file is.
    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Providers => "providers.yaml",
            FileKind::Mappings => "model-mappings.yaml",
            FileKind::Litellm => "litellm-unified.yaml",
            FileKind::Ports => "ports.yaml",
            FileKind::LitellmSettings => "litellm-settings.yaml",
            FileKind::Dashboard => "a Grafana dashboard",
            FileKind::GrafanaDatasources => "a Grafana datasource provisioning file",
            FileKind::GrafanaDashboards => "a Grafana dashboard provisioning file",
            FileKind::PrometheusConfig => "prometheus.yml",
            FileKind::PrometheusRules => "a Prometheus rule file",
        }
    }

    pub fn is_monitoring(self) -> bool {
        FileKind::MONITORING.contains(&self)
    }

    /// Recognises a set member by its exact file name (`.yaml` or `.yml`).
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        let stem = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))?;
        FileKind::ALL
            .into_iter()
            .find(|k| k.file_name().strip_suffix(".yaml") == Some(stem))
    }

    /// Recognises a file given explicitly: by exact name, then by a name that mentions the
    /// kind (`old-providers.yaml`), then by its top-level keys.
    pub fn detect(name: &str, text: &str) -> Option<FileKind> {
        if let Some(kind) = FileKind::from_file_name(name) {
            return Some(kind);
        }
        if let Some(kind) = monitoring::detect(name, text) {
            return Some(kind);
        }
        let lower = name.to_ascii_lowercase();
        let by_name = [
            ("litellm-settings", FileKind::LitellmSettings),
            ("litellm_settings", FileKind::LitellmSettings),
            ("mapping", FileKind::Mappings),
            ("litellm", FileKind::Litellm),
            ("provider", FileKind::Providers),
            ("port", FileKind::Ports),
        ];
        if let Some((_, kind)) = by_name.iter().find(|(word, _)| lower.contains(word)) {
            return Some(*kind);
        }
        let top_level: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with([' ', '\t', '#', '-']) && l.contains(':'))
            .filter_map(|l| l.split(':').next())
            .map(|k| k.trim_matches(['"', '\'']))
            .collect();
        let has = |k: &str| top_level.contains(&k);
        if has("providers") {
            Some(FileKind::Providers)
        } else if has("exact_matches") || has("patterns") || has("fallback_chains") {
            Some(FileKind::Mappings)
        } else if LITELLM_TOP_LEVEL.iter().any(|k| has(k)) {
            Some(FileKind::Litellm)
        } else {
            None
        }
    }

    /// Recognises a plain LiteLLM proxy config in a directory: `config.yaml`,
    /// `proxy_config.yaml` or `litellm*.yaml` (`.yml` too) with a top-level `model_list` or
    /// LiteLLM settings block.
    pub fn plain_litellm(name: &str, text: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        let Some(stem) = lower
            .strip_suffix(".yaml")
            .or_else(|| lower.strip_suffix(".yml"))
        else {
            return false;
        };
        let named = matches!(stem, "config" | "proxy_config") || stem.starts_with("litellm");
        named && LITELLM_TOP_LEVEL.iter().any(|k| has_top_level_key(text, k))
    }

    /// The schema of the whole file, the root of `schema`'s tables.
    pub fn shape(self) -> &'static Shape {
        static PROVIDERS: Shape = Shape::Map(&schema::PROVIDERS_FILE);
        static MAPPINGS: Shape = Shape::Map(&schema::MAPPINGS_FILE);
        static LITELLM: Shape = Shape::Map(&schema::LITELLM_FILE);
        static PORTS: Shape = Shape::Map(&schema::PORTS_FILE);
        // litellm-settings.yaml is judged by LiteLLM's catalogue (`litellm::analyze`).
        static SETTINGS: Shape = Shape::AnyMap;
        match self {
            FileKind::Providers => &PROVIDERS,
            FileKind::Mappings => &MAPPINGS,
            FileKind::Litellm => &LITELLM,
            FileKind::Ports => &PORTS,
            FileKind::LitellmSettings => &SETTINGS,
            // Monitoring files are read by their own lowering and D7xx rules.
            _ => &Shape::Any,
        }
    }

    /// Whether the file declares a schema version (providers and mappings do).
    pub fn is_versioned(self) -> bool {
        matches!(self, FileKind::Providers | FileKind::Mappings)
    }
}

/// Top-level keys that make a YAML file a LiteLLM proxy config.
const LITELLM_TOP_LEVEL: [&str; 4] = [
    "model_list",
    "litellm_settings",
    "router_settings",
    "general_settings",
];

/// Whether `text` has `key:` at the start of a line (a top-level key), quoted or not.
fn has_top_level_key(text: &str, key: &str) -> bool {
    text.split('\n').any(|line| {
        let line = line.trim_end_matches('\r');
        [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|k| {
                line.strip_prefix(k.as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
    })
}

/// The typed content of one file.
#[derive(Clone, Debug)]
pub enum Config {
    Providers(ProvidersConfig),
    Mappings(Box<MappingsConfig>),
    Litellm(LitellmConfig),
    Ports(PortsConfig),
    LitellmSettings(LitellmSettings),
    Dashboard(Box<monitoring::Dashboard>),
    GrafanaDatasources(monitoring::DatasourcesFile),
    GrafanaDashboards(monitoring::DashboardProvidersFile),
    PrometheusConfig(monitoring::PrometheusConfig),
    PrometheusRules(monitoring::RulesFile),
    /// The file could not be parsed completely, or its kind is unknown.
    None,
}

/// Why a file's bytes could not be analysed as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadProblem {
    /// Not UTF-8; `at` is the first bad byte. The text holds a lossy decoding.
    InvalidUtf8 { at: usize },
    /// Not text at all: a NUL byte at `at` (git's test for binary content). The text is
    /// empty, so that no garbage is printed.
    Binary { at: usize },
    /// The file could not be read at all.
    Unreadable(String),
    /// Larger than [`MAX_FILE_SIZE`]; not analysed.
    TooLarge { size: usize },
}

/// Files above this size are reported (`E009`) instead of analysed, which bounds memory:
/// real gateway configs are kilobytes, and analysis of a generated config of megabytes
/// needs about 7 bytes per byte of YAML at its peak (`cargo bench --bench scale` measures it).
pub const MAX_FILE_SIZE: usize = 64 * 1024 * 1024;

/// One file, analysed: text, tree, schema issues, version and typed config.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub kind: Option<FileKind>,
    pub read_problem: Option<ReadProblem>,
    pub text: String,
    /// Where each line starts, computed on first use (a clean file shows no position).
    line_index: std::sync::OnceLock<LineIndex>,
    pub parse: Parse,
    pub schema_issues: Vec<SchemaIssue>,
    pub version: Option<DetectedVersion>,
    pub config: Config,
    /// The secrets of `text`, found on first use ([`secrets::Secrets::of`]).
    secrets: secrets::Found,
}

impl SourceFile {
    /// Shows the file with its secrets masked: `masked` is [`Secrets::mask_text`] of its
    /// text, with the same length and lines, so its ranges and the secrets found still hold.
    ///
    /// [`Secrets::mask_text`]: secrets::Secrets::mask_text
    /// Where each line of the text starts, computed on first use.
    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn set_masked_text(&mut self, masked: String) {
        self.text = masked;
    }

    /// Parses and lowers `text` as a file of `kind` (`None`: syntax checks only).
    /// Text above [`MAX_FILE_SIZE`] is not parsed, only reported (`E009`), whichever way it
    /// arrives (a file, an editor buffer, a migration input).
    pub fn analyze(kind: Option<FileKind>, text: String) -> SourceFile {
        if text.len() > MAX_FILE_SIZE {
            let size = text.len();
            return SourceFile::unanalysed(kind, String::new(), ReadProblem::TooLarge { size });
        }
        let parse = if kind == Some(FileKind::Dashboard) {
            syntax::parse(&monitoring::json_as_yaml(&text))
        } else {
            syntax::parse(&text)
        };
        let mut file = SourceFile {
            kind,
            read_problem: None,
            line_index: std::sync::OnceLock::new(),
            schema_issues: Vec::new(),
            version: None,
            config: Config::None,
            secrets: secrets::Found::default(),
            parse,
            text,
        };
        let (Some(kind), Some(root), true) = (kind, &file.parse.root, file.parse.is_complete())
        else {
            return file;
        };
        // A LiteLLM config is validated against LiteLLM's own catalogue when it is lowered
        // (`litellm::analyze`), with LiteLLM's severities, not against aiblint's tables.
        let mut issues = validate::validate(&file.text, root, kind.shape(), kind.file_name());
        if kind == FileKind::Litellm && root.as_mapping().is_some() {
            // Of aiblint's table, only the URL checks of `api_base` (S105, S106) apply, and
            // not to `os.environ/` references, which LiteLLM resolves.
            let (text, lines) = (&file.text, file.line_index());
            issues.retain(|i| {
                let line = lines.line_text(text, lines.line_of(i.range.start as usize));
                matches!(
                    i.kind,
                    IssueKind::BadFormat { .. } | IssueKind::PortOutOfRange { .. }
                ) && !line.contains("os.environ/")
            });
        }
        file.schema_issues = issues;
        if root.as_mapping().is_none() {
            return file;
        }
        if kind.is_versioned() {
            file.version = Some(version::detect(root));
        }
        file.config = lower(kind, root);
        file
    }

    /// For an editor's navigation (hover, outline) while the text does not parse: the file
    /// with the version and typed config of the tree parsed before the syntax error. `None`
    /// when the parse is complete or nothing usable was parsed. Never for checks: rules must
    /// not see a config cut short by a syntax error.
    pub fn with_partial_config(&self) -> Option<SourceFile> {
        let (Some(kind), Some(root)) = (self.kind, &self.parse.root) else {
            return None;
        };
        if self.parse.is_complete() || root.as_mapping().is_none() {
            return None;
        }
        let mut file = self.clone();
        if kind.is_versioned() {
            file.version = Some(version::detect(root));
        }
        file.config = lower(kind, root);
        Some(file)
    }

    /// Analyses raw bytes: text that is not UTF-8 is not parsed, only reported, and binary
    /// content (a NUL byte, which no YAML file holds) is not even decoded.
    pub fn from_bytes(kind: Option<FileKind>, bytes: Vec<u8>) -> SourceFile {
        if bytes.len() > MAX_FILE_SIZE {
            // Not even decoded: the bytes may not be text at all.
            let size = bytes.len();
            return SourceFile::unanalysed(kind, String::new(), ReadProblem::TooLarge { size });
        }
        // UTF-16 text (with its byte-order mark) is full of NULs but is text: E003 says to
        // re-save it as UTF-8.
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        if let Some(at) = bytes.iter().position(|&b| b == 0).filter(|_| !utf16) {
            return SourceFile::unanalysed(kind, String::new(), ReadProblem::Binary { at });
        }
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile::analyze(kind, text),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                SourceFile::unanalysed(kind, text, ReadProblem::InvalidUtf8 { at })
            }
        }
    }

    /// The outcome of reading a file: its bytes analysed, or the problem that kept them from
    /// being read (`crate::workspace::read_bounded`).
    pub fn from_read(kind: Option<FileKind>, read: Result<Vec<u8>, ReadProblem>) -> SourceFile {
        match read {
            Ok(bytes) => SourceFile::from_bytes(kind, bytes),
            Err(problem) => SourceFile::unanalysed(kind, String::new(), problem),
        }
    }

    /// A file that could not be read.
    pub fn unreadable(kind: Option<FileKind>, reason: String) -> SourceFile {
        SourceFile::unanalysed(kind, String::new(), ReadProblem::Unreadable(reason))
    }

    fn unanalysed(kind: Option<FileKind>, text: String, problem: ReadProblem) -> SourceFile {
        SourceFile {
            kind,
            read_problem: Some(problem),
            line_index: std::sync::OnceLock::new(),
            parse: Parse {
                root: None,
                errors: Vec::new(),
                truncated: false,
            },
            schema_issues: Vec::new(),
            version: None,
            config: Config::None,
            secrets: secrets::Found::default(),
            text,
        }
    }

    pub fn root(&self) -> Option<&Node> {
        self.parse.root.as_ref()
    }
}

fn lower(kind: FileKind, root: &Node) -> Config {
    match kind {
        FileKind::Providers => Config::Providers(lower::lower_providers(root)),
        FileKind::Mappings => Config::Mappings(Box::new(lower::lower_mappings(root))),
        FileKind::Litellm => Config::Litellm(lower::lower_litellm(root)),
        FileKind::Ports => Config::Ports(lower::lower_ports(root)),
        FileKind::LitellmSettings => Config::LitellmSettings(lower::lower_litellm_settings(root)),
        FileKind::Dashboard => Config::Dashboard(Box::new(monitoring::lower_dashboard(root))),
        FileKind::GrafanaDatasources => {
            Config::GrafanaDatasources(monitoring::lower_datasources(root))
        }
        FileKind::GrafanaDashboards => {
            Config::GrafanaDashboards(monitoring::lower_dashboard_providers(root))
        }
        FileKind::PrometheusConfig => Config::PrometheusConfig(monitoring::lower_prometheus(root)),
        FileKind::PrometheusRules => Config::PrometheusRules(monitoring::lower_rules(root)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name_and_content() {
        assert_eq!(
            FileKind::from_file_name("providers.yml"),
            Some(FileKind::Providers)
        );
        assert_eq!(
            FileKind::from_file_name("model-mappings.yaml"),
            Some(FileKind::Mappings)
        );
        assert_eq!(FileKind::from_file_name("other.yaml"), None);
        assert_eq!(
            FileKind::detect("legacy_providers.yaml", ""),
            Some(FileKind::Providers)
        );
        assert_eq!(
            FileKind::detect("x.yaml", "model_list:\n  - a\n"),
            Some(FileKind::Litellm)
        );
        assert_eq!(
            FileKind::detect("x.yaml", "exact_matches: {}\n"),
            Some(FileKind::Mappings)
        );
        assert_eq!(FileKind::detect("x.yaml", "foo: 1\n"), None);
        assert!(FileKind::plain_litellm(
            "config.yaml",
            "model_list:\n  - a\n"
        ));
        assert!(FileKind::plain_litellm(
            "litellm_config.yml",
            "\"model_list\" :\n"
        ));
        assert!(!FileKind::plain_litellm("config.yaml", "services: {}\n"));
        assert!(!FileKind::plain_litellm("app.yaml", "model_list: []\n"));
    }
}
