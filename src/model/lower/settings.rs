//! The typed config of litellm-settings.yaml, lowered from its tree.

use super::*;

/// LiteLLM settings the user keeps beside the sources; `aiblint generate` merges them into
/// the generated config.
#[derive(Clone, Debug, Default)]
pub struct LitellmSettings {
    /// Every top-level section but `model_list`, in file order, a null section as `{}`.
    pub sections: Vec<(Spanned<CompactString>, Data)>,
    /// `model_list`: settings for the generated deployments of a `model_name`.
    pub deployments: Vec<DeploymentSettings>,
    /// What LiteLLM's catalogue says of the file, read as a LiteLLM config whose
    /// `model_list` entries only add to generated deployments.
    pub analysis: crate::model::litellm::Analysis,
}

/// Extra `litellm_params` and `model_info` for every generated deployment of one name.
#[derive(Clone, Debug)]
pub struct DeploymentSettings {
    pub model_name: Spanned<CompactString>,
    pub entry_range: TextRange,
    /// Mappings (empty when absent).
    pub litellm_params: Data,
    pub model_info: Data,
}

impl LitellmSettings {
    /// The section named `name`, if the file has it.
    pub fn section(&self, name: &str) -> Option<&Data> {
        self.sections
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, v)| v)
    }
}

pub fn lower_litellm_settings(root: &Node) -> LitellmSettings {
    let mut analysis = crate::model::litellm::analyze(root);
    // Its `model_list` entries name generated deployments: they have no `model` of their own.
    analysis.issues.retain(|i| {
        !matches!(
            i.kind,
            crate::model::litellm::LitellmIssueKind::MissingKey {
                key: "model" | "litellm_params",
                ..
            }
        )
    });
    let mut settings = LitellmSettings {
        analysis,
        ..LitellmSettings::default()
    };
    for entry in entries(Some(root)) {
        let Some(name) = key(entry) else { continue };
        if name.value == "model_list" {
            continue;
        }
        let value = match Data::from_node(&entry.value) {
            Data::Null => Data::Map(Vec::new()),
            data => data,
        };
        match settings
            .sections
            .iter_mut()
            .find(|(k, _)| k.value == name.value)
        {
            Some(slot) => *slot = (name, value),
            None => settings.sections.push((name, value)),
        }
    }
    let map_of = |node: &Node, k: &str| {
        node.get(k)
            .filter(|v| v.as_mapping().is_some())
            .map_or(Data::Map(Vec::new()), Data::from_node)
    };
    settings.deployments = root
        .get("model_list")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|node| {
            Some(DeploymentSettings {
                model_name: string(node, "model_name")?,
                entry_range: node.range,
                litellm_params: map_of(node, "litellm_params"),
                model_info: map_of(node, "model_info"),
            })
        })
        .collect_exact();
    settings
}
