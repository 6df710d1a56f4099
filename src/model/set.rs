//! A config set: the recognised files of one directory, seen together, with a symbol table
//! (`symbols.rs`) of every provider and model definition and every reference to them.
//! Shared by the CLI and the language server.

use std::sync::Arc;

use super::symbols::Symbols;
use super::{
    Config, FileKind, LitellmConfig, LitellmSettings, MappingsConfig, PortsConfig, Provider,
    ProvidersConfig, SourceFile,
};
use crate::text::TextRange;

/// One file of a set and the path it is shown with.
#[derive(Clone, Debug)]
pub struct SetMember {
    pub path: String,
    pub file: Arc<SourceFile>,
}

impl SetMember {
    /// `text` analysed as a file of `kind`, named as that kind's file.
    pub fn analyzed(kind: FileKind, text: &str) -> SetMember {
        SetMember {
            path: kind.file_name().to_string(),
            file: SourceFile::analyze(Some(kind), text.to_string()).into(),
        }
    }
}

#[derive(Debug)]
pub struct ConfigSet {
    pub members: Vec<SetMember>,
    symbols: Symbols,
}

impl ConfigSet {
    /// Builds the set. When two members have the same kind, the first one is the set's.
    pub fn new(members: Vec<SetMember>) -> ConfigSet {
        let mut set = ConfigSet {
            members,
            symbols: Symbols::default(),
        };
        set.symbols = Symbols::build(&set);
        set
    }

    pub fn member(&self, kind: FileKind) -> Option<&SetMember> {
        self.members.iter().find(|m| m.file.kind == Some(kind))
    }

    /// Whether `member` is the set's file of its kind (not a second file of the same kind).
    pub fn is_primary(&self, member: &SetMember) -> bool {
        member
            .file
            .kind
            .and_then(|k| self.member(k))
            .is_some_and(|m| std::ptr::eq(m, member))
    }

    pub fn providers(&self) -> Option<&ProvidersConfig> {
        match &self.member(FileKind::Providers)?.file.config {
            Config::Providers(p) => Some(p),
            _ => None,
        }
    }

    /// The providers of providers.yaml when they can be trusted as the set's provider table:
    /// the file parsed, and it either defines providers or has no schema problem. When a
    /// typo (`provders:`) or a wrong type leaves the table empty, reference rules stay
    /// silent rather than report every reference as unknown: the schema diagnostic names
    /// the cause.
    pub fn provider_table(&self) -> Option<&ProvidersConfig> {
        let providers = self.providers()?;
        let file = &self.member(FileKind::Providers)?.file;
        (!providers.providers.is_empty() || file.schema_issues.is_empty()).then_some(providers)
    }

    pub fn mappings(&self) -> Option<&MappingsConfig> {
        match &self.member(FileKind::Mappings)?.file.config {
            Config::Mappings(m) => Some(m),
            _ => None,
        }
    }

    pub fn ports(&self) -> Option<&PortsConfig> {
        match &self.member(FileKind::Ports)?.file.config {
            Config::Ports(p) => Some(p),
            _ => None,
        }
    }

    /// litellm-settings.yaml, when the set has one that could be analysed.
    pub fn litellm_settings(&self) -> Option<&LitellmSettings> {
        match &self.member(FileKind::LitellmSettings)?.file.config {
            Config::LitellmSettings(s) => Some(s),
            _ => None,
        }
    }

    pub fn litellm(&self) -> Option<&LitellmConfig> {
        match &self.member(FileKind::Litellm)?.file.config {
            Config::Litellm(l) => Some(l),
            _ => None,
        }
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        let index = self.symbols.provider_index(id)?;
        self.providers()?.providers.get(index)
    }

    pub fn symbols(&self) -> &Symbols {
        &self.symbols
    }

    /// `path:line:col` of an offset in the set's file of `kind`.
    pub fn location(&self, kind: FileKind, range: TextRange) -> Option<String> {
        let member = self.member(kind)?;
        let pos = member
            .file
            .line_index()
            .line_col(&member.file.text, range.start as usize);
        Some(format!("{}:{}:{}", member.path, pos.line, pos.col))
    }

    pub fn into_members(self) -> Vec<SetMember> {
        self.members
    }
}
