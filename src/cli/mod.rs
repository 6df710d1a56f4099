//! The command line: arguments, reading files, printing, exit codes. The only module that
//! touches the process.

mod atomic;
mod check;
mod explain;
mod fix;
mod generate;
mod init;
mod live;
mod migrate;
mod ports;
mod probe;
mod transaction;
mod versions;
mod watch;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::emit::OutputFormat;

/// Whether to colour what goes to stdout: as `--color` says, and for `auto` when stdout is
/// a terminal and `NO_COLOR` is not set.
fn use_color(choice: ColorArg) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
use crate::workspace::WorkspaceError;

/// A workspace error (a path that names no config set, an invalid settings file) as the
/// command line reports it: its message, and its help when it has one.
impl From<WorkspaceError> for miette::Report {
    fn from(e: WorkspaceError) -> miette::Report {
        let diagnostic = miette::MietteDiagnostic::new(e.message);
        miette::Report::new(match e.help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        })
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "aiblint",
    version = concat!(
        env!("CARGO_PKG_VERSION"),
        " (LiteLLM catalogue ",
        crate::litellm_version!(),
        ")"
    ),
    about = "Lint, migrate and serve the configuration of a self-hosted LLM gateway",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a config set (default: ./config, and ./monitoring when there is one) and
    /// report every problem
    Check(check::CheckArgs),
    /// Start a config set: a commented starter set, or (`--from`) the sources of an
    /// existing LiteLLM config
    Init(init::InitArgs),
    /// Write litellm-unified.yaml from providers.yaml and model-mappings.yaml
    /// (`--check`: exit 1 when the file on disk is stale)
    Generate(generate::GenerateArgs),
    /// Print the documentation of a rule, by code or name (e.g. `aiblint explain S101`)
    Explain {
        /// Rule code (S101) or name (unknown-key)
        code: String,
    },
    /// List every rule with its code, default severity and summary
    Rules {
        /// A table for people, or a versioned JSON document for scripts
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Show the schema version of each file of a config set and what migrating would take
    Versions(versions::VersionsArgs),
    /// Migrate a config set to the current schema, keeping every comment (see --dry-run, --check)
    Migrate(migrate::MigrateArgs),
    /// Show who holds each port of ports.yaml and of local providers (RUNNING, CONFLICT,
    /// AVAILABLE); exit 1 on a conflict
    Ports(ports::PortsArgs),
    /// Ask each provider what it serves, the gateway whether it lives and Redis whether it
    /// answers, and compare with the config
    Probe(probe::ProbeArgs),
    /// Run the language server over stdio (for editors)
    Lsp,
    /// Print the JSON Schema (draft 2020-12) of a kind of file, for editors
    /// (yaml-language-server's `# yaml-language-server: $schema=<file>` modeline)
    Schema {
        /// Which file's schema
        #[arg(long, value_enum)]
        kind: check::KindArg,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum FormatArg {
    /// Code frames with labels and help
    Full,
    /// One line per diagnostic: path:line:col: severity[CODE] message
    Concise,
    /// GitHub Actions workflow commands, shown as annotations on pull requests
    Github,
    /// A versioned JSON document (docs/json-schema.json)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Full => OutputFormat::Full,
            FormatArg::Concise => OutputFormat::Concise,
            FormatArg::Github => OutputFormat::Github,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Sarif => OutputFormat::Sarif,
        }
    }
}

/// The formats of a listing (`aiblint rules`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// One line per item
    Text,
    /// A versioned JSON document
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

/// Where a command's report goes: `-o`/`--output-file` (`--output` is the same option),
/// the same in every command that has one.
#[derive(clap::Args, Debug, Default)]
pub(crate) struct ReportOutput {
    /// Write the report to FILE instead of stdout (`-`: stdout)
    #[arg(
        long = "output-file",
        visible_alias = "output",
        short = 'o',
        value_name = "FILE"
    )]
    output_file: Option<std::path::PathBuf>,
}

impl ReportOutput {
    /// Whether the report goes to stdout (which may be a terminal, so may be coloured).
    pub(crate) fn is_stdout(&self) -> bool {
        self.output_file
            .as_deref()
            .is_none_or(|p| p == std::path::Path::new("-"))
    }

    /// Writes the report where it goes.
    pub(crate) fn write(&self, report: &str) -> miette::Result<()> {
        match &self.output_file {
            Some(path) if !self.is_stdout() => std::fs::write(path, report)
                .map_err(|e| miette::miette!("cannot write the report to {}: {e}", path.display())),
            _ => {
                out(report);
                Ok(())
            }
        }
    }
}

/// An I/O error for people: the operating system's message, without the path of a temporary
/// file that the `tempfile` crate adds to it (`… at path "/dir/.x.aiblint-1a2b.tmp"`): the
/// user never named that file, and the caller names the one it was for.
pub(crate) fn io_message(error: &std::io::Error) -> String {
    let message = error.to_string();
    match (error.get_ref(), message.find(" at path \"")) {
        (Some(_), Some(at)) => message[..at].to_string(),
        _ => message,
    }
}

/// Exit statuses (SPEC §3).
pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_PROBLEMS: u8 = 1;
pub(crate) const EXIT_USAGE: u8 = 2;

/// Writes to stdout. A closed pipe (`aiblint rules | head`) ends the program quietly, as
/// Unix tools do, instead of panicking like `println!`.
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OK.into());
        }
        eprintln!("aiblint: cannot write to stdout: {e}");
        std::process::exit(EXIT_USAGE.into());
    }
}

/// Runs the program and exits with its status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Explain { code } => explain::explain(&code),
        Command::Rules { format } => explain::list(format),
        Command::Versions(args) => versions::run(args),
        Command::Migrate(args) => migrate::run(args),
        Command::Schema { kind } => {
            out(&crate::emit::json_schema::json_schema(kind.into()));
            Ok(EXIT_OK)
        }
        Command::Ports(args) => ports::run(args),
        Command::Probe(args) => probe::run(args),
        Command::Lsp => crate::lsp::serve()
            .map(|clean| if clean { EXIT_OK } else { EXIT_PROBLEMS })
            .map_err(|e| miette::miette!("{e}")),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
