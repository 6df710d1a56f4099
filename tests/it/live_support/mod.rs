//! Helpers of the live tests: the mock servers as real processes (the `mock-providers`
//! example), ports held by this test process, config sets in temp dirs, and the real
//! `aiblint` binary run with a bounded wait.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `mock-providers` example, built beside the tests by `cargo test` (or by
/// `cargo build --example mock-providers`).
pub fn mock_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let path = profile
        .join("examples")
        .join(format!("mock-providers{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: plain `cargo test` builds it; with `cargo test --test <name>` run \
         `cargo build --example mock-providers` first",
        path.display()
    );
    path
}

/// A mock server process, killed when dropped.
pub struct Mock {
    child: Child,
    pub port: u16,
}

impl Mock {
    /// Starts `mock-providers --kind <kind>` on a free loopback port with `models` and `extra`
    /// options, and waits until it listens.
    pub fn start(kind: &str, models: &[&str], extra: &[&str]) -> Mock {
        let mut child = Command::new(mock_binary())
            .args(["--kind", kind, "--listen", "127.0.0.1:0", "--models"])
            .arg(models.join(","))
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the mock starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("the mock says where it listens");
        let addr: SocketAddr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from the mock: {line:?}"));
        Mock {
            child,
            port: addr.port(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port held by this test process, on `addr` (`127.0.0.1:0`, `0.0.0.0:0`, `[::1]:0`).
pub fn hold(addr: &str) -> TcpListener {
    TcpListener::bind(addr).expect("a free port")
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    hold("127.0.0.1:0").local_addr().unwrap().port()
}

/// This process's kernel name, as `aiblint ports` shows it.
pub fn own_name() -> String {
    std::fs::read_to_string("/proc/self/comm")
        .expect("Linux /proc")
        .trim()
        .to_string()
}

/// A temp dir holding `config/` with the given files.
pub fn config_set(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    for (name, text) in files {
        std::fs::write(config.join(name), text).unwrap();
    }
    dir
}

/// Runs the real `aiblint` in `dir` with `args` and `env` (and no `REDIS_*` variables
/// inherited), failing the test if it runs for more than 60 seconds.
pub fn aiblint(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aiblint"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("REDIS_HOST")
        .env_remove("REDIS_PORT")
        .env_remove("REDIS_PASSWORD");
    for (k, v) in env {
        command.env(k, v);
    }
    run_bounded(command)
}

/// Runs `command` to its end, killing it (and failing) after 60 seconds: a liveness bound,
/// not a timing assertion. Its output is read as it comes, so a long report cannot block it.
pub fn run_bounded(mut command: Command) -> Output {
    use std::io::Read;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aiblint runs");
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = reader(Box::new(child.stdout.take().expect("piped stdout")));
    let err = reader(Box::new(child.stderr.take().expect("piped stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("aiblint ran for more than 60 seconds");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The 1-based line and column of the first occurrence of `needle` in `text`, as `path:line:col`.
pub fn at(path: &str, text: &str, needle: &str) -> String {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in {path}"));
    let line = text[..offset].matches('\n').count() + 1;
    let col = text[..offset]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    format!("{path}:{line}:{col}")
}

/// Says on the real stderr (not captured by the test harness) that a test did not run, and why.
pub fn skip(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
