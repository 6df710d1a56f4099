//! The schemas of aiblint's files as data: which keys each mapping allows, their shapes and
//! formats. One walker (`validate.rs`) checks any tree against them, and the same tables
//! serve hover and completion later. One file per kind of file: `providers.rs`,
//! `mappings.rs`, `ports.rs`, `litellm.rs`.

mod litellm;
mod mappings;
mod ports;
mod providers;

pub use litellm::LITELLM_FILE;
pub use mappings::MAPPINGS_FILE;
pub use ports::PORTS_FILE;
use providers::PROVIDER;
pub use providers::{
    CACHE_TYPES, LB_STRATEGIES, PRIORITIES, PROTOCOLS, PROVIDERS_FILE, PROVIDER_STATUSES,
    PROVIDER_TYPES,
};

/// What a value must look like.
#[derive(Debug)]
pub enum Shape {
    /// Anything at all.
    Any,
    Str(Format),
    /// An integer in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A TCP/UDP port, 1..=65535.
    Port,
    /// A number in `(min, max]` when `min_exclusive`, else `[min, max]`.
    Number {
        min: f64,
        max: f64,
        min_exclusive: bool,
    },
    Bool,
    Enum(&'static [&'static str]),
    Map(&'static MapSchema),
    /// A mapping keyed by user-chosen names, every value of one shape.
    Dict {
        key: Format,
        value: &'static Shape,
    },
    List(&'static Shape),
    /// A plain string (the item's name) or a mapping.
    StrOrMap(Format, &'static MapSchema),
    Nullable(&'static Shape),
    /// Any mapping (free-form blocks such as `options`).
    AnyMap,
}

/// String formats checked beyond "is a string".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    /// `[A-Za-z0-9_.-]+`.
    Identifier,
    /// `http(s)://host[:port][/path]`.
    Url,
    /// `YYYY-MM-DD`.
    Date,
    /// `<number>(K|M|B|T)`, e.g. `7B`.
    Size,
    SemVer,
    /// `[A-Z_][A-Z0-9_]*`.
    EnvVar,
    Regex,
    /// Starts with `/`.
    UrlPath,
    /// A URL whose port may be a placeholder name (`http://localhost:CUSTOM_PORT`): the
    /// `base_url` of a provider with `status: template`.
    TemplateUrl,
    /// A size, or a range of sizes: `"7B"`, `"< 8B"`, `"<= 8B"`, `"> 13B"`, `">= 70B"`,
    /// `"8B - 13B"`.
    SizeRange,
    /// Port ranges: `"8000-8999"`, or several separated by commas (`"3000-3999,9000-9999"`).
    PortRanges,
}

/// A mapping with known keys.
///
/// Keys beyond `fields` are accepted: the consumers of these files (`aiblint generate`, the
/// routing, people's own scripts) ignore what they do not read. Only a key that looks like
/// a misspelling of a key that is read is a defect (`S101`); with `strict = true` in
/// aiblint.toml the others are warnings (`S116`), except in `open` (free-form) mappings.
#[derive(Debug)]
pub struct MapSchema {
    /// What the mapping is, for messages: "provider", "model".
    pub name: &'static str,
    pub fields: &'static [Field],
    /// Whether further keys are expected (free-form metadata): not even `strict` reports
    /// them.
    pub open: bool,
    /// The shape of every key not in `fields`, when such keys are entries of their own (the
    /// services of ports.yaml), with the format their names must have.
    pub rest: Option<(Format, &'static Shape)>,
}

#[derive(Debug)]
pub struct Field {
    /// The key; a leading `*` matches any key ending with the rest (`*_thresholds`).
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// Allowed by schema 1.x, removed in 2.0.0.
    pub legacy: bool,
    /// Whether a consumer reads the key (so that a near miss of it is a likely typo).
    /// Keys that are only accepted (documentation such as `notes` or `location`) are not.
    pub read: bool,
    pub doc: &'static str,
}

impl Field {
    pub fn matches(&self, key: &str) -> bool {
        match self.key.strip_prefix('*') {
            Some(suffix) => key.ends_with(suffix) && key.len() > suffix.len(),
            None => self.key == key,
        }
    }
}

impl MapSchema {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.matches(key))
    }

    /// Keys a user may write literally (patterns such as `*_thresholds` excluded).
    pub fn key_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.literal_fields().map(|f| f.key)
    }

    /// The fields a user may write literally.
    pub fn literal_fields(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.fields.iter().filter(|f| !f.key.starts_with('*'))
    }
}

const fn field(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: false,
        legacy: false,
        read: true,
        doc,
    }
}

const fn required(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: true,
        legacy: false,
        read: true,
        doc,
    }
}

const fn legacy(key: &'static str, doc: &'static str) -> Field {
    Field {
        key,
        shape: Shape::Any,
        required: false,
        legacy: true,
        read: false,
        doc,
    }
}

/// A key people write for people (documentation, inventory): accepted, never read.
const fn accepted(key: &'static str, doc: &'static str) -> Field {
    Field {
        key,
        shape: Shape::Any,
        required: false,
        legacy: false,
        read: false,
        doc,
    }
}

const TEXT: Shape = Shape::Str(Format::Text);
/// The `base_url` of a template provider (see [`conditional_shape`]).
static TEMPLATE_URL: Shape = Shape::Str(Format::TemplateUrl);

/// The shape of `field` in `mapping` (of `schema`) when it depends on a sibling value,
/// which a table cannot say: a template provider's `base_url` may hold a placeholder port.
pub fn conditional_shape(
    schema: &MapSchema,
    field: &Field,
    sibling: impl Fn(&str) -> Option<String>,
) -> Option<&'static Shape> {
    let template = std::ptr::eq(schema, &PROVIDER)
        && field.key == "base_url"
        && sibling("status").as_deref() == Some("template");
    template.then_some(&TEMPLATE_URL)
}
const ID: Shape = Shape::Str(Format::Identifier);
const NOTES: Field = accepted("notes", "Free-form notes; ignored by aiblint.");
