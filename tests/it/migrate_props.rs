//! Property tests of the 1.0.0 → 2.0.0 migration over generated legacy config sets.
//!
//! The generator writes each set twice, line by line: as the user wrote it, and as the
//! migration must leave it (an oracle built independently of the migration code). The
//! properties: the migrated text equals the oracle byte for byte (so every byte outside
//! the edited lines is preserved), it parses, a second migration changes nothing, and the
//! rules the step targets (V501, V504, L307) are silent afterwards.

use aiblint::diagnostic::apply_edits;
use aiblint::lint::{check_set, RuleSelection};
use aiblint::migrate::{plan, plan_with, Migration, MigrationInput, STEPS};
use aiblint::model::version::CURRENT;
use aiblint::model::{FileKind, SetMember, SourceFile};
use proptest::prelude::*;
use semver::Version;

const OURS: &str = "disabled by aiblint migrate: schema 2.0.0 allows one active vllm provider";

#[derive(Clone, Debug)]
struct Style {
    unit: usize,
    crlf: bool,
    header: usize,
    header_blank: bool,
    blank_between: bool,
}

#[derive(Clone, Debug)]
struct Provider {
    vllm: bool,
    active: bool,
    /// Spaces before a trailing comment on the status line, if it has one.
    comment_gap: Option<usize>,
    quoted: bool,
    comment_before: bool,
}

#[derive(Clone, Debug)]
struct Member {
    /// Where `condition` stands among the member's keys, if it has one.
    condition_at: Option<usize>,
    comment_above_condition: bool,
}

#[derive(Clone, Debug)]
struct Mappings {
    members: Vec<Member>,
    /// `Some(true)`: `parameters` before `providers`; `Some(false)`: after.
    parameters: Option<bool>,
    /// (comment before, comment after, comment inside)
    special_cases: Option<(bool, bool, bool)>,
    /// (first in routing_rules, comment before)
    request_metadata_routing: Option<(bool, bool)>,
}

/// Lines of the original and of the expected migration, built side by side.
#[derive(Default)]
struct Pair {
    before: Vec<String>,
    after: Vec<String>,
}

impl Pair {
    fn both(&mut self, line: impl Into<String>) {
        let line = line.into();
        self.before.push(line.clone());
        self.after.push(line);
    }
    fn gone(&mut self, line: impl Into<String>) {
        self.before.push(line.into());
    }
    fn added(&mut self, line: impl Into<String>) {
        self.after.push(line.into());
    }
    fn changed(&mut self, before: impl Into<String>, after: impl Into<String>) {
        self.before.push(before.into());
        self.after.push(after.into());
    }
    fn finish(self, eol: &str) -> (String, String) {
        let join = |lines: Vec<String>| lines.iter().map(|l| format!("{l}{eol}")).collect();
        (join(self.before), join(self.after))
    }
}

fn header(pair: &mut Pair, style: &Style, what: &str, metadata: usize, unit: &str) {
    for n in 0..style.header {
        pair.both(format!("# {what} header line {n}"));
    }
    let blank = style.header > 0 && style.header_blank;
    if blank {
        pair.both("");
    }
    match metadata {
        0 => {
            pair.both("metadata:");
            pair.added(format!("{unit}schema_version: \"2.0.0\""));
            pair.both(format!("{unit}version: \"1.4\"   # by hand"));
            pair.both(format!("{unit}last_updated: \"2025-01-01\""));
        }
        1 => {
            pair.both("metadata:   # about this file");
            pair.added(format!("{unit}schema_version: \"2.0.0\""));
            pair.both(format!("{unit}owner: me"));
        }
        2 => {
            pair.added("metadata:");
            pair.added(format!("{unit}schema_version: \"2.0.0\""));
            if blank {
                pair.added("");
            }
        }
        _ => pair.changed(
            "metadata: {version: \"1.3\"}",
            "metadata: {schema_version: \"2.0.0\", version: \"1.3\"}",
        ),
    }
    if style.blank_between && metadata != 2 {
        pair.both("");
    }
}

fn providers_file(style: &Style, metadata: usize, providers: &[Provider]) -> Pair {
    let u = " ".repeat(style.unit);
    let mut pair = Pair::default();
    header(&mut pair, style, "providers", metadata, &u);
    pair.both("providers:");
    let first_active_vllm = providers.iter().position(|p| p.vllm && p.active);
    for (n, p) in providers.iter().enumerate() {
        if p.comment_before {
            pair.both(format!("{u}# provider {n}"));
        }
        pair.both(format!("{u}p{n}:"));
        pair.both(format!(
            "{u}{u}type: {}",
            if p.vllm { "vllm" } else { "ollama" }
        ));
        pair.both(format!("{u}{u}base_url: http://127.0.0.1:{}/v1", 8000 + n));
        let status = if p.active { "active" } else { "disabled" };
        let q = if p.quoted { "\"" } else { "" };
        let comment = p
            .comment_gap
            .map(|g| format!("{}# status of p{n}", " ".repeat(g)));
        let line = format!(
            "{u}{u}status: {q}{status}{q}{}",
            comment.clone().unwrap_or_default()
        );
        let disable = p.vllm && p.active && first_active_vllm.is_some_and(|f| f < n);
        if disable {
            let kept = first_active_vllm.unwrap_or_default();
            let ours = format!("  # {OURS} (p{kept} stays active)");
            let after = match p.comment_gap {
                Some(g) => format!(
                    "{u}{u}status: {q}disabled{q}{}# status of p{n}{ours}",
                    " ".repeat(g.saturating_sub(2).max(g.min(2)))
                ),
                None => format!("{u}{u}status: {q}disabled{q}{ours}"),
            };
            pair.changed(line, after);
        } else {
            pair.both(line);
        }
        pair.both(format!("{u}{u}description: Provider {n}"));
        pair.both(format!("{u}{u}models:"));
        pair.both(format!("{u}{u}{u}- model-{n}"));
    }
    pair
}

fn mappings_file(style: &Style, metadata: usize, m: &Mappings) -> Pair {
    let u = " ".repeat(style.unit);
    let mut pair = Pair::default();
    header(&mut pair, style, "mappings", metadata, &u);
    let gap = |pair: &mut Pair| {
        if style.blank_between {
            pair.both("");
        }
    };
    pair.both("exact_matches:");
    pair.both(format!("{u}chat:"));
    pair.both(format!("{u}{u}provider: p0"));
    pair.both(format!("{u}{u}priority: primary"));
    pair.both(format!("{u}{u}description: Chat"));
    gap(&mut pair);

    pair.both("load_balancing:");
    pair.both(format!("{u}pool:"));
    pair.both(format!("{u}{u}strategy: simple_shuffle"));
    let parameters = |pair: &mut Pair| {
        pair.both(format!("{u}{u}# tuning knobs (outside the block)"));
        pair.gone(format!("{u}{u}parameters:"));
        pair.gone(format!("{u}{u}{u}interval: 30   # seconds"));
        pair.gone(format!("{u}{u}{u}# inside the block"));
        pair.gone(format!("{u}{u}{u}threshold: 3"));
    };
    if m.parameters == Some(true) {
        parameters(&mut pair);
    }
    pair.both(format!("{u}{u}providers:"));
    let d = format!("{u}{u}{u}");
    let weight = format!("{:.3}", 1.0 / m.members.len() as f64);
    for member in &m.members {
        let mut keys = vec![format!("provider: p0"), format!("weight: {weight}")];
        let at = member.condition_at.map(|a| a.min(keys.len()));
        if let Some(a) = at {
            keys.insert(a, "condition: \"queue > 4\"   # 1.x only".to_string());
        }
        for (k, key) in keys.iter().enumerate() {
            let lead = if k == 0 { "- " } else { "  " };
            let is_condition = Some(k) == at;
            if is_condition && k > 0 && member.comment_above_condition {
                pair.both(format!("{d}  # about the condition (outside it)"));
            }
            match (is_condition, k) {
                (true, 0) => pair.gone(format!("{d}- {key}")),
                (true, _) => pair.gone(format!("{d}  {key}")),
                (false, 1) if at == Some(0) => {
                    pair.changed(format!("{d}  {key}"), format!("{d}- {key}"))
                }
                _ => pair.both(format!("{d}{lead}{key}")),
            }
        }
    }
    if m.parameters == Some(false) {
        parameters(&mut pair);
    }
    gap(&mut pair);

    if let Some((before, after, inside)) = m.special_cases {
        if before {
            pair.both("# special cases were never implemented (outside)");
        }
        pair.gone("special_cases:");
        pair.gone(format!("{u}long:"));
        if inside {
            pair.gone(format!("{u}{u}# inside special_cases"));
        }
        pair.gone(format!("{u}{u}provider: p0   # trailing, inside"));
        if after {
            pair.both("# end of special cases (outside)");
        }
        let blank_before = !before && style.blank_between;
        let blank_after = !after && style.blank_between;
        if blank_after {
            if blank_before {
                pair.gone("");
            } else {
                pair.both("");
            }
        }
    }

    pair.both("routing_rules:");
    let rmr = |pair: &mut Pair, comment: bool| {
        if comment {
            pair.both(format!("{u}# header routing (outside)"));
        }
        pair.gone(format!("{u}request_metadata_routing:"));
        pair.gone(format!("{u}{u}high:"));
        pair.gone(format!("{u}{u}{u}header: X-Priority   # inside"));
    };
    if let Some((true, comment)) = m.request_metadata_routing {
        rmr(&mut pair, comment);
    }
    pair.both(format!("{u}default_provider: p0"));
    if let Some((false, comment)) = m.request_metadata_routing {
        rmr(&mut pair, comment);
    }
    pair
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop_oneof![Just(2usize), Just(4usize)],
        any::<bool>(),
        0usize..3,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(unit, crlf, header, header_blank, blank_between)| Style {
            unit,
            crlf,
            header,
            header_blank,
            blank_between,
        })
}

fn provider() -> impl Strategy<Value = Provider> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1usize..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(vllm, active, comment_gap, quoted, comment_before)| Provider {
                vllm,
                active,
                comment_gap,
                quoted,
                comment_before,
            },
        )
}

fn mappings() -> impl Strategy<Value = Mappings> {
    let member =
        (prop::option::of(0usize..3), any::<bool>()).prop_map(|(condition_at, c)| Member {
            condition_at,
            comment_above_condition: c,
        });
    (
        prop::collection::vec(member, 1..4),
        prop::option::of(any::<bool>()),
        prop::option::of((any::<bool>(), any::<bool>(), any::<bool>())),
        prop::option::of((any::<bool>(), any::<bool>())),
    )
        .prop_map(
            |(members, parameters, special_cases, request_metadata_routing)| Mappings {
                members,
                parameters,
                special_cases,
                request_metadata_routing,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn migration_matches_the_oracle_and_is_idempotent(
        style in style(),
        providers_meta in 0usize..4,
        mappings_meta in 0usize..4,
        providers in prop::collection::vec(provider(), 1..6),
        mappings in mappings(),
    ) {
        let eol = if style.crlf { "\r\n" } else { "\n" };
        let (p_before, p_after) = providers_file(&style, providers_meta, &providers).finish(eol);
        let (m_before, m_after) = mappings_file(&style, mappings_meta, &mappings).finish(eol);
        let inputs = [
            MigrationInput { kind: FileKind::Mappings, text: &m_before },
            MigrationInput { kind: FileKind::Providers, text: &p_before },
        ];
        let planned = plan(&inputs, &CURRENT).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let out: Vec<String> = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| apply_edits(input.text, planned.edits_for(i)).0)
            .collect();
        prop_assert_eq!(&out[0], &m_after);
        prop_assert_eq!(&out[1], &p_after);

        // Edits are against the original: sorted, disjoint.
        for file in &planned.files {
            prop_assert!(file.edits.windows(2).all(|w| w[0].range.end <= w[1].range.start));
        }

        // The output parses; migrating again, or re-running the step, changes nothing.
        for (text, kind) in out.iter().zip([FileKind::Mappings, FileKind::Providers]) {
            let parsed = SourceFile::analyze(Some(kind), text.clone());
            prop_assert!(parsed.parse.errors.is_empty(), "{:?}", parsed.parse.errors);
        }
        let again = [
            MigrationInput { kind: FileKind::Mappings, text: &out[0] },
            MigrationInput { kind: FileKind::Providers, text: &out[1] },
        ];
        prop_assert!(!plan(&again, &CURRENT).unwrap().is_pending());
        let rerun = Migration {
            from: CURRENT,
            to: Version::new(2, 0, 1),
            id: "rerun",
            summary: "the 1.0.0 → 2.0.0 step on its own output",
            run: STEPS[0].run,
        };
        let replan = plan_with(std::slice::from_ref(&rerun), &again, &Version::new(2, 0, 1)).unwrap();
        prop_assert!(!replan.is_pending(), "{:?}", replan);

        // What the step targets is fixed.
        let members = out
            .iter()
            .zip([("model-mappings.yaml", FileKind::Mappings), ("providers.yaml", FileKind::Providers)])
            .map(|(text, (path, kind))| SetMember {
                path: path.to_string(),
                file: SourceFile::analyze(Some(kind), text.clone()).into(),
            })
            .collect();
        let linted = check_set(members, &RuleSelection::only(&["V501", "V504", "L307"]));
        for file in &linted {
            prop_assert!(file.diagnostics.is_empty(), "{}: {:?}", file.path, file.diagnostics);
        }
    }
}

fn legacy_mappings() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/sets/legacy-homelab/model-mappings.yaml"),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Planning never panics, whatever the text; when it succeeds, applying the plan gives
    /// text that parses (the plan verifies it) and the edits fit the input.
    #[test]
    fn planning_never_panics_on_damaged_input(
        cut in 0usize..9000,
        len in 0usize..200,
        insert in "[ \\-:#{}\\[\\]\"'a-z\n\t]{0,12}",
        kind in prop_oneof![Just(FileKind::Mappings), Just(FileKind::Providers)],
    ) {
        let original = legacy_mappings();
        let mut start = cut.min(original.len());
        while !original.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(original.len());
        while !original.is_char_boundary(end) {
            end -= 1;
        }
        let damaged = format!("{}{insert}{}", &original[..start], &original[end..]);
        let inputs = [MigrationInput { kind, text: &damaged }];
        if let Ok(planned) = plan(&inputs, &CURRENT) {
            let (out, skipped) = apply_edits(&damaged, planned.edits_for(0));
            prop_assert!(skipped.is_empty());
            if planned.is_pending() {
                let parsed = SourceFile::analyze(Some(kind), out);
                prop_assert!(parsed.parse.is_complete());
            }
        }
    }

    #[test]
    fn planning_never_panics_on_any_text(text in "\\PC{0,300}", providers in any::<bool>()) {
        let kind = if providers { FileKind::Providers } else { FileKind::Mappings };
        let inputs = [MigrationInput { kind, text: &text }];
        if let Ok(planned) = plan(&inputs, &CURRENT) {
            let (_, skipped) = apply_edits(&text, planned.edits_for(0));
            prop_assert!(skipped.is_empty());
        }
    }
}
