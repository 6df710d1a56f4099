//! The engine: run the selected rules over every file of a config set, apply the settings
//! (severity overrides, per-file ignores) and order the diagnostics.

use std::collections::BTreeSet;

use foldhash::HashMap;
use std::sync::Arc;

use crate::diagnostic::{suggest, Diagnostic, Severity};
use crate::live::Observed;
use crate::model::secrets::Secrets;
use crate::model::{ConfigSet, FileKind, SetMember, SourceFile};
use crate::rules::{
    rule_by_code, GeneratedCache, LiveContext, RuleContext, RuleMeta, ALL_RULES, LIVE_RULES,
};
use crate::settings::{glob_match, Level, Settings};
use crate::text::LineCol;

/// Which rules run, at which severity, where.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    /// When set, only these codes run.
    only: Option<Vec<&'static str>>,
    /// Code → level from settings.
    levels: HashMap<&'static str, Level>,
    /// File pattern → codes ignored there.
    ignores: Vec<(String, Vec<&'static str>)>,
    /// `strict = true`: opt-in rules run too.
    strict: bool,
    /// The names of the environment variables set where the gateway runs, when known
    /// (`aiblint check --env`): rules may then check references to them.
    environment: Option<Arc<BTreeSet<String>>>,
}

impl RuleSelection {
    /// Only the given codes (unknown codes are ignored).
    pub fn only(codes: &[&str]) -> Self {
        RuleSelection {
            only: Some(
                codes
                    .iter()
                    .filter_map(|c| rule_by_code(c))
                    .map(|r| r.code)
                    .collect(),
            ),
            ..RuleSelection::default()
        }
    }

    /// From `aiblint.toml` settings; an unknown rule is an error with a suggestion.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let resolve = |name: &str| -> Result<&'static str, String> {
            rule_by_code(name).map(|r| r.code).ok_or_else(|| {
                let names = ALL_RULES.iter().flat_map(|(r, _)| [r.code, r.name]);
                match suggest(name, names) {
                    Some(s) => format!("unknown rule `{name}` (did you mean `{s}`?)"),
                    None => format!("unknown rule `{name}` (`aiblint rules` lists them)"),
                }
            })
        };
        let mut selection = RuleSelection {
            strict: settings.strict,
            ..RuleSelection::default()
        };
        for (name, level) in &settings.rules {
            selection.levels.insert(resolve(name)?, *level);
        }
        for (pattern, names) in &settings.per_file_ignores {
            let codes = names.iter().map(|n| resolve(n)).collect::<Result<_, _>>()?;
            selection.ignores.push((pattern.clone(), codes));
        }
        Ok(selection)
    }

    /// The same selection, knowing which environment variables are set (`check --env`).
    pub fn with_environment(mut self, names: BTreeSet<String>) -> Self {
        self.environment = Some(Arc::new(names));
        self
    }

    /// Whether `rule` runs: selected (by `only`, or by default unless it is opt-in, in
    /// which case strict mode or a level in the settings selects it) and not turned off.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        let selected = match &self.only {
            Some(codes) => codes.contains(&rule.code),
            None => !rule.opt_in || self.strict || self.levels.contains_key(rule.code),
        };
        selected && self.levels.get(rule.code) != Some(&Level::Off)
    }

    fn is_ignored(&self, path: &str, code: &str) -> bool {
        self.ignores
            .iter()
            .any(|(pattern, codes)| codes.contains(&code) && glob_match(pattern, path))
    }

    fn severity(&self, code: &str, default: Severity) -> Severity {
        match self.levels.get(code) {
            Some(Level::Error) => Severity::Error,
            Some(Level::Warning) => Severity::Warning,
            Some(Level::Info) => Severity::Info,
            Some(Level::Off) | None => default,
        }
    }
}

/// One checked file: its path as given, the analysis and the diagnostics, sorted.
#[derive(Clone, Debug)]
pub struct LintedFile {
    pub path: String,
    pub file: Arc<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LintedFile {
    /// 1-based line and column (characters) of a byte offset in this file.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.file.line_index().line_col(&self.file.text, offset)
    }
}

/// How many diagnostics of `severity` the files hold.
pub fn count(files: &[LintedFile], severity: Severity) -> usize {
    files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.severity == severity)
        .count()
}

/// The files `aiblint generate` reads.
pub const GENERATE_SOURCES: [FileKind; 3] = [
    FileKind::Providers,
    FileKind::Mappings,
    FileKind::LitellmSettings,
];

/// Whether `d`, reported in a file of `kind`, stops `aiblint generate`: an error in one of
/// its sources, of a rule whose problems can change what it writes.
pub fn blocks_generation(kind: Option<FileKind>, d: &Diagnostic) -> bool {
    d.severity == Severity::Error
        && kind.is_some_and(|k| GENERATE_SOURCES.contains(&k))
        && rule_by_code(d.code).is_none_or(|r| r.affects_generated)
}

/// Checks every file of one config set, each against the others.
///
/// Rules declared `after_sources` (what `aiblint generate` makes of the sources: G401, G440)
/// run last, and only act when no source has an error that stops `aiblint generate`
/// ([`blocks_generation`]): a broken source generates nothing, and its own diagnostics come
/// first.
pub fn check_set(members: Vec<SetMember>, selection: &RuleSelection) -> Vec<LintedFile> {
    let set = ConfigSet::new(members);
    let results = check_config_set(&set, selection);
    linted(set, results)
}

/// The members of `set`, each with its diagnostics (`results`, in member order).
fn linted(set: ConfigSet, results: Vec<Vec<Diagnostic>>) -> Vec<LintedFile> {
    set.into_members()
        .into_iter()
        .zip(results)
        .map(|(member, diagnostics)| LintedFile {
            path: member.path,
            file: member.file,
            diagnostics,
        })
        .collect()
}

/// Checks a config set that is already built, keeping it for the caller (the language
/// server reuses it for navigation): the sorted diagnostics of each member, in member order.
/// A generated litellm-unified.yaml is checked last, knowing whether its sources are clean.
pub fn check_config_set(set: &ConfigSet, selection: &RuleSelection) -> Vec<Vec<Diagnostic>> {
    // First every rule that judges the files as they are; then, knowing whether the
    // sources would generate, the rules that judge what `aiblint generate` makes of them.
    let generated = GeneratedCache::new();
    let mut results: Vec<Vec<Diagnostic>> = on_each_member(set, |member| {
        run_rules(set, member, selection, (true, &generated), |r| {
            !r.after_sources
        })
    });
    let has = |kind: FileKind| set.member(kind).is_some();
    let sources_clean = has(FileKind::Providers)
        && has(FileKind::Mappings)
        && set.members.iter().enumerate().all(|(i, m)| {
            !set.is_primary(m) || !results[i].iter().any(|d| blocks_generation(m.file.kind, d))
        });
    let later = on_each_member(set, |member| {
        run_rules(set, member, selection, (sources_clean, &generated), |r| {
            r.after_sources
        })
    });
    for (diagnostics, later) in results.iter_mut().zip(later) {
        diagnostics.extend(later);
        finish(diagnostics);
    }
    mask_secrets(set, &mut results);
    results
}

/// `work` done on each member of the set, the members spread over threads (the rules read
/// the set and write only their own diagnostics); results in member order.
fn on_each_member<'a>(
    set: &'a ConfigSet,
    work: impl Fn(&'a SetMember) -> Vec<Diagnostic> + Sync,
) -> Vec<Vec<Diagnostic>> {
    let members: Vec<&SetMember> = set.members.iter().collect();
    let size = |m: &&SetMember| m.file.text.len();
    crate::parallel::map(members, size, crate::parallel::WORTH_A_THREAD, work)
}

/// Masks in every diagnostic's words the secrets written in the set's files, whichever
/// rule quoted them: this is where diagnostics leave for the outputs and the editor.
fn mask_secrets(set: &ConfigSet, results: &mut [Vec<Diagnostic>]) {
    if results.iter().all(Vec::is_empty) {
        return;
    }
    let secrets: Vec<Secrets> = set
        .members
        .iter()
        .map(|m| Secrets::of(&m.file))
        .filter(|s| !s.is_empty())
        .collect();
    if secrets.is_empty() {
        return;
    }
    let mask = |words: &mut String| {
        for s in &secrets {
            if let std::borrow::Cow::Owned(masked) = s.mask_words(words) {
                *words = masked;
            }
        }
    };
    for d in results.iter_mut().flatten() {
        mask(&mut d.message);
        for label in std::iter::once(&mut d.primary).chain(&mut d.secondary) {
            if let Some(message) = &mut label.message {
                mask(message);
            }
        }
        for words in [&mut d.help, &mut d.note].into_iter().flatten() {
            mask(words);
        }
        if let Some(fix) = &mut d.fix {
            mask(&mut fix.title);
        }
    }
}

/// Runs the selected rules that `which` accepts on one member of the set, at the severities
/// the settings give them.
fn run_rules(
    set: &ConfigSet,
    member: &SetMember,
    selection: &RuleSelection,
    (sources_clean, generated): (bool, &GeneratedCache),
    which: impl Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (meta, check) in ALL_RULES {
        if !which(meta)
            || !selection.is_enabled(meta)
            || selection.is_ignored(&member.path, meta.code)
        {
            continue;
        }
        let mut ctx = RuleContext::new(set, member, meta, generated)
            .with_sources_clean(sources_clean)
            .with_environment(selection.environment.clone());
        check(&mut ctx);
        diagnostics.extend(ctx.into_diagnostics().into_iter().map(|mut d| {
            d.severity = selection.severity(d.code, d.severity);
            d
        }));
    }
    diagnostics
}

/// Runs the live rules over what `aiblint ports` or `aiblint probe` observed: every member
/// of the set with its sorted diagnostics, the settings applied as for `check` (levels,
/// `off`, per-file ignores). `check` never runs these rules.
pub fn check_live(
    set: ConfigSet,
    observed: &Observed,
    selection: &RuleSelection,
) -> Vec<LintedFile> {
    let mut results: Vec<Vec<Diagnostic>> = vec![Vec::new(); set.members.len()];
    for (meta, check) in LIVE_RULES {
        if !selection.is_enabled(meta) {
            continue;
        }
        let mut ctx = LiveContext::new(&set, observed, meta);
        check(&mut ctx);
        for (kind, mut diagnostic) in ctx.into_diagnostics() {
            let Some(i) = set
                .members
                .iter()
                .position(|m| m.file.kind == Some(kind) && set.is_primary(m))
            else {
                continue;
            };
            if !selection.is_ignored(&set.members[i].path, meta.code) {
                diagnostic.severity = selection.severity(diagnostic.code, diagnostic.severity);
                results[i].push(diagnostic);
            }
        }
    }
    for diagnostics in &mut results {
        finish(diagnostics);
    }
    mask_secrets(&set, &mut results);
    linted(set, results)
}

/// Sorts by position and code, and removes duplicates.
fn finish(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.primary.range.start, a.primary.range.end, a.code).cmp(&(
            b.primary.range.start,
            b.primary.range.end,
            b.code,
        ))
    });
    diagnostics.dedup();
}

/// Checks one analysed file on its own (a set of one), which shares the file with what is
/// returned.
pub fn check_file(path: &str, file: SourceFile, selection: &RuleSelection) -> LintedFile {
    let file = Arc::new(file);
    let set = ConfigSet::new(vec![SetMember {
        path: path.to_string(),
        file: Arc::clone(&file),
    }]);
    LintedFile {
        path: path.to_string(),
        file,
        diagnostics: check_config_set(&set, selection).concat(),
    }
}

/// Checks `text` as the file `path`, its kind detected from the name or content: the
/// simplest library entry point.
pub fn check_source(path: &str, text: &str) -> LintedFile {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let kind = FileKind::detect(name, text);
    check_file(
        path,
        SourceFile::analyze(kind, text.to_string()),
        &RuleSelection::default(),
    )
}
