//! The YAML front-end: source text to aiblint's own tree, where every node carries its exact
//! byte range in the original text, plus the syntax errors found. Parsing never fails.

pub mod friendly;
mod markers;
mod node;
mod parse;
mod scan_error;
pub mod writer;

pub use node::{Alias, Entry, Node, NodeKind, Scalar, ScalarStyle, Value};
pub use parse::{
    parse, Parse, SyntaxError, SyntaxErrorKind, MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_NODES,
};
pub use scan_error::ScanProblem;
pub use writer::rewrite_scalar;
