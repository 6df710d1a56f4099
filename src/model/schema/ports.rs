//! The schema of ports.yaml.

use super::providers::PROTOCOLS;
use super::{field, required, Format, MapSchema, Shape, NOTES, TEXT};

static PORT_ENTRY: MapSchema = MapSchema {
    name: "port entry",
    fields: &[
        required("port", Shape::Port, "The port number, 1..65535."),
        field(
            "protocol",
            Shape::Enum(PROTOCOLS),
            "`http`, `https`, `tcp` or `grpc`.",
        ),
        field(
            "required",
            Shape::Bool,
            "Whether the service must be running.",
        ),
        field(
            "service",
            Shape::Nullable(&TEXT),
            "The systemd unit, or null.",
        ),
        field(
            "expected_process",
            Shape::List(&TEXT),
            "Process names allowed to hold the port.",
        ),
        field("description", TEXT, "What the service is."),
        field("health_check", TEXT, "How to check the service."),
        NOTES,
    ],
    open: false,
    rest: None,
};

/// ports.yaml: every key is a service, except three sections.
pub static PORTS_FILE: MapSchema = MapSchema {
    name: "ports.yaml",
    fields: &[
        field(
            "reserved",
            Shape::Dict {
                key: Format::Identifier,
                value: &Shape::Map(&PORT_ENTRY),
            },
            "Ports set aside for services not running yet; they must not be used by another service.",
        ),
        field(
            "ranges",
            Shape::Dict {
                key: Format::Text,
                value: &Shape::Str(Format::PortRanges),
            },
            "Named port ranges, `\"8000-8999\"` or `\"3000-3999,9000-9999\"`.",
        ),
        field("metadata", Shape::AnyMap, "Free-form metadata."),
    ],
    open: false,
    rest: Some((Format::Identifier, &Shape::Map(&PORT_ENTRY))),
};
