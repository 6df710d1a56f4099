//! The typed config of ports.yaml, lowered from its tree.

use super::*;

#[derive(Clone, Debug, Default)]
pub struct PortsConfig {
    pub services: Vec<PortEntry>,
    /// The entries of `reserved:`: ports set aside for services to come.
    pub reserved: Vec<PortEntry>,
}

#[derive(Clone, Debug)]
pub struct PortEntry {
    pub id: Spanned<CompactString>,
    pub port: Option<Spanned<i64>>,
    pub protocol: Option<Spanned<CompactString>>,
    pub required: Option<Spanned<bool>>,
    pub service: Option<Spanned<CompactString>>,
    pub expected_process: Vec<Spanned<CompactString>>,
}

/// The top-level keys of ports.yaml that are sections, not services.
pub const PORTS_SECTIONS: [&str; 3] = ["reserved", "ranges", "metadata"];

pub fn lower_ports(root: &Node) -> PortsConfig {
    let port_entries = |node: Option<&Node>, skip_sections: bool| -> Vec<PortEntry> {
        entries(node)
            .iter()
            .filter(|entry| {
                !skip_sections
                    || !entry
                        .key
                        .scalar_text()
                        .is_some_and(|k| PORTS_SECTIONS.contains(&k))
            })
            .filter_map(|entry| {
                let node = &entry.value;
                node.as_mapping()?;
                Some(PortEntry {
                    id: key(entry)?,
                    port: integer(node, "port"),
                    protocol: string(node, "protocol"),
                    required: boolean(node, "required"),
                    service: string(node, "service"),
                    expected_process: string_list(node.get("expected_process")),
                })
            })
            .collect_exact()
    };
    PortsConfig {
        services: port_entries(Some(root), true),
        reserved: port_entries(root.get("reserved"), false),
    }
}
