//! `L305` weights-sum: a load-balancing group whose weights do not add up to 1.0.
use super::prelude::*;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a `load_balancing` group whose members' `weight`s do not sum to 1.0
    /// (within ±0.001).
    ///
    /// A group is checked only when every member has a numeric weight between 0 and 1: a
    /// missing weight, one of the wrong type or one out of range is reported by the schema
    /// rules (`S103`, `S102`, `S112`), and the sum means nothing until it is fixed.
    ///
    /// ## Why is this bad?
    /// Weights are shares of the group's traffic. When they do not add up, the split is
    /// not the one written down: the router normalises them (0.5 + 0.3 becomes 62 % and
    /// 38 %), or rejects the group, depending on the strategy.
    ///
    /// ## Example
    /// ```yaml model-mappings.yaml
    /// load_balancing:
    ///   general_chat:
    ///     strategy: weighted_round_robin
    ///     providers:
    ///       - provider: ollama
    ///         weight: 0.6
    ///       - provider: llama_cpp
    ///         weight: 0.3
    /// ```
    ///
    /// ## How to fix
    /// Adjust the weights so that they add up to exactly 1.0 (here 0.7 and 0.3, or 0.6 and
    /// 0.4).
    code: "L305", name: "weights-sum", severity: Error, fix: None
}

const TOLERANCE: f64 = 0.001;

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let Some(mappings) = ctx.set.mappings() else {
        return;
    };
    let mut diagnostics = Vec::new();
    for group in &mappings.load_balancing {
        let weights: Option<Vec<_>> = group.members.iter().map(|m| m.weight.as_ref()).collect();
        let Some(weights) = weights else {
            continue;
        };
        if weights.is_empty() || weights.iter().any(|w| !(0.0..=1.0).contains(&w.value)) {
            continue;
        }
        let sum: f64 = weights.iter().map(|w| w.value).sum();
        if (sum - 1.0).abs() <= TOLERANCE {
            continue;
        }
        let name = group.name.as_str();
        let shown = format_sum(sum);
        let mut d = ctx.diagnostic(
            format!("weights of `{name}` sum to {shown}, not 1.0"),
            Label::new(group.name.range, format!("weights sum to {shown}")),
        );
        for (member, weight) in group.members.iter().zip(&weights) {
            let label = match &member.provider {
                Some(p) => format!("weight of `{}`", p.value),
                None => "weight".to_string(),
            };
            d = d.with_secondary(Label::new(weight.range, label));
        }
        let (gap, side) = if sum < 1.0 {
            (1.0 - sum, "short of")
        } else {
            (sum - 1.0, "over")
        };
        d = d.with_help(format!(
            "the weights are {} {side} 1.0: adjust them so that they add up to exactly 1.0",
            format_sum(gap)
        ));
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// A sum for people: at most four decimals, no float noise (`0.9`, not `0.8999999999999999`).
fn format_sum(sum: f64) -> String {
    let text = format!("{sum:.4}");
    let text = text.trim_end_matches('0');
    let text = text
        .strip_suffix('.')
        .map_or(text.to_string(), |t| format!("{t}.0"));
    text
}

#[cfg(test)]
mod tests {
    use super::format_sum;

    #[test]
    fn sums_are_shown_without_noise() {
        assert_eq!(format_sum(0.6 + 0.3), "0.9");
        assert_eq!(format_sum(1.1), "1.1");
        assert_eq!(format_sum(2.0), "2.0");
        assert_eq!(format_sum(0.0), "0.0");
        assert_eq!(format_sum(0.12345), "0.1235");
    }
}
