//! How `aiblint check` scales: the synthetic sets of `scripts/synthetic-sets.py` (1×, 10×,
//! 100×, 1000× the shipped example, and three-file sets of about 2.5 MB and 25 MB), each
//! timed in-process per phase (parse alone, on one thread, for its share; analysis = parse,
//! validation and lowering as `aiblint check` does it, over threads for sets of 1 MiB and
//! more, as are the rules; set; rules; emit),
//! with the heap it holds after each phase and its peak, in bytes of memory per byte of
//! input (counted by this bench's allocator); then whole processes of the release binary
//! on the shipped example and the 1× set, with peak RSS (from `/usr/bin/time` when it is
//! installed), side by side with the pydantic validator of `benches/pydantic_baseline.py`
//! when `python3` (or `$AIBLINT_BENCH_PYTHON`) has pydantic and PyYAML. Medians throughout.
//!
//! Run with `cargo bench --bench scale` (`-- quick` for fewer runs). The sets are written
//! under `target/synthetic/` on the first run. `AIBLINT_BENCH_SET=<dir>` adds a set of your
//! own to both tables (it need not be clean). `AIBLINT_BENCH_BINARY=<file>` times that binary
//! in the whole-process table instead of `cargo bench`'s, e.g. the one `cargo build-static`
//! writes to `target/release/aiblint`, as shipped on Linux.

mod common;

use std::alloc::{GlobalAlloc, Layout};

use aiblint::alloc::Allocator;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aiblint::emit::render_text;
use aiblint::lint::{LintedFile, RuleSelection};
use aiblint::model::{FileKind, SetMember};

/// The binary's allocator (`aiblint::alloc`), counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = IN_USE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { Allocator.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { Allocator.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { Allocator.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grew(new_size - layout.size());
        } else {
            IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { Allocator.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One run over a set: the time of each phase, the heap held after each (above what was
/// held before the run, the input texts aside) and the peak heap of the run.
struct Run {
    times: [Duration; 5],
    held: [usize; 5],
    peak: usize,
}

fn run(files: &[(String, FileKind)], clean: bool) -> Run {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let held = || IN_USE.load(Ordering::Relaxed).saturating_sub(base);
    let mut times = [Duration::ZERO; 5];
    let mut kept = [0; 5];

    // Parsing alone, as `SourceFile::analyze` does first; the trees are kept to measure them.
    let start = Instant::now();
    let trees: Vec<_> = files
        .iter()
        .map(|(text, _)| aiblint::syntax::parse(text))
        .collect();
    times[0] = start.elapsed();
    kept[0] = held();
    drop(black_box(trees));

    // The whole analysis (parse, validation, lowering) as `aiblint check` does it: the files
    // spread over threads when the set is large enough (`parallel::WORTH_A_THREAD`).
    let inputs: Vec<aiblint::workspace::Input> = files
        .iter()
        .map(|(t, kind)| (Some(*kind), Ok(t.clone().into_bytes())))
        .collect();
    let copies = held();
    let start = Instant::now();
    let analysed = aiblint::workspace::analyze_all(inputs);
    times[1] = start.elapsed();
    kept[1] = held() - copies;

    let start = Instant::now();
    let members: Vec<SetMember> = analysed
        .into_iter()
        .map(|file| SetMember {
            path: file.kind.map_or("", |k| k.file_name()).to_string(),
            file: file.into(),
        })
        .collect();
    let set = aiblint::model::ConfigSet::new(members);
    times[2] = start.elapsed();
    kept[2] = held() - copies;

    let start = Instant::now();
    let selection = RuleSelection::default();
    let results = aiblint::lint::check_config_set(&set, &selection);
    times[3] = start.elapsed();
    kept[3] = held() - copies;
    let diagnostics: usize = results.iter().map(Vec::len).sum();
    assert!(!clean || diagnostics == 0, "the synthetic sets are clean");
    let linted: Vec<LintedFile> = set
        .into_members()
        .into_iter()
        .zip(results)
        .map(|(member, diagnostics)| LintedFile {
            path: member.path,
            file: member.file,
            diagnostics,
        })
        .collect();
    let start = Instant::now();
    let text = render_text(&linted, &[], false, false);
    times[4] = start.elapsed();
    kept[4] = held() - copies;
    black_box(text);
    drop(linted);
    Run {
        times,
        held: kept,
        peak: PEAK.load(Ordering::Relaxed).saturating_sub(base),
    }
}

fn median_of(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn read(dir: &Path, names: &[&str]) -> Vec<(String, FileKind)> {
    names
        .iter()
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).ok()?;
            Some((text, FileKind::from_file_name(name)?))
        })
        .collect()
}

/// The files of a set, those that exist are read (the example has litellm-settings.yaml).
const FILES: [&str; 5] = [
    "providers.yaml",
    "model-mappings.yaml",
    "ports.yaml",
    "litellm-unified.yaml",
    "litellm-settings.yaml",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the synthetic sets with the script, unless they are there.
fn synthetic_sets(out: &Path) {
    let scales = ["1x", "10x", "100x", "1000x", "130x", "1300x"];
    if scales
        .iter()
        .all(|s| out.join(s).join("ports.yaml").exists())
    {
        return;
    }
    let status = Command::new("python3")
        .arg(root().join("scripts/synthetic-sets.py"))
        .args(["--out".as_ref(), out.as_os_str()])
        .args(["--aiblint", env!("CARGO_BIN_EXE_aiblint")])
        .args(["--scales", "1,10,100,1000", "--sources-only", "130,1300"])
        .status()
        .expect("python3 runs scripts/synthetic-sets.py");
    assert!(status.success(), "scripts/synthetic-sets.py failed");
}

/// Median wall time and peak RSS (MiB, when `/usr/bin/time` exists) of `command`.
fn whole_process(runs: usize, program: &str, args: &[&str]) -> (Duration, Option<f64>) {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the command runs");
        times.push(start.elapsed());
        assert!(status.code().is_some());
    }
    let rss = Path::new("/usr/bin/time").exists().then(|| {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M", program])
            .args(args)
            .stdout(Stdio::null())
            .output()
            .expect("/usr/bin/time runs");
        let text = String::from_utf8_lossy(&out.stderr);
        let kib: f64 = text
            .lines()
            .last()
            .unwrap_or("0")
            .trim()
            .parse()
            .unwrap_or(0.0);
        kib / 1024.0
    });
    (median_of(times), rss.filter(|r| *r > 0.0))
}

fn main() {
    aiblint::alloc::configure();
    let quick = std::env::args().any(|a| a == "quick");
    let out = root().join("target/synthetic");
    synthetic_sets(&out);

    println!("in-process, per phase: median time; heap held after the phase and peak, in bytes per input byte");
    println!(
        "{:<14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} | {:>5} {:>5} {:>5} {:>5} {:>5} {:>5}",
        "set",
        "MB",
        "parse",
        "analyse",
        "set",
        "rules",
        "emit",
        "total",
        "parse",
        "model",
        "set",
        "rules",
        "emit",
        "peak"
    );
    let mut sets: Vec<(String, PathBuf, &[&str], bool)> = vec![
        ("example".into(), root().join("config"), &FILES[..], true),
        ("1x".into(), out.join("1x"), &FILES[..], true),
        ("10x".into(), out.join("10x"), &FILES[..], true),
        ("100x".into(), out.join("100x"), &FILES[..], true),
        ("1000x".into(), out.join("1000x"), &FILES[..], true),
        ("3 files 2.5MB".into(), out.join("130x"), &FILES[..3], true),
        ("3 files 25MB".into(), out.join("1300x"), &FILES[..3], true),
    ];
    if let Ok(extra) = std::env::var("AIBLINT_BENCH_SET") {
        sets.insert(
            0,
            ("BENCH_SET".into(), PathBuf::from(extra), &FILES[..], false),
        );
    }
    let mut totals = Vec::new();
    for (label, dir, names, clean) in &sets {
        let files = read(dir, names);
        let bytes: usize = files.iter().map(|(t, _)| t.len()).sum();
        let runs = match (quick, bytes) {
            (true, _) => 3,
            (_, b) if b > 10_000_000 => 5,
            (_, b) if b > 1_000_000 => 11,
            _ => 51,
        };
        let all: Vec<Run> = (0..runs).map(|_| run(&files, *clean)).collect();
        let phase = |i: usize| median_of(all.iter().map(|r| r.times[i]).collect());
        // The parse alone is measured for its share; the analysis includes it.
        let total = median_of(all.iter().map(|r| r.times[1..].iter().sum()).collect());
        let last = &all[all.len() - 1];
        let per_byte = |b: usize| b as f64 / bytes as f64;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{label:<14} {:>9.2} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>8.2}ms | {:>5.1} {:>5.1} {:>5.1} {:>5.1} {:>5.1} {:>5.1}",
            bytes as f64 / 1e6,
            ms(phase(0)),
            ms(phase(1)),
            ms(phase(2)),
            ms(phase(3)),
            ms(phase(4)),
            ms(total),
            per_byte(last.held[0]),
            per_byte(last.held[1]),
            per_byte(last.held[2]),
            per_byte(last.held[3]),
            per_byte(last.held[4]),
            per_byte(last.peak),
        );
        totals.push((label.clone(), bytes, total));
    }
    let find = |l: &str| {
        totals
            .iter()
            .find(|(label, ..)| label == l)
            .expect("measured")
    };
    let (_, small_bytes, small) = find("3 files 2.5MB");
    let (_, large_bytes, large) = find("3 files 25MB");
    println!(
        "growth from {:.1} MB to {:.1} MB: time x{:.1} for x{:.1} the bytes",
        *small_bytes as f64 / 1e6,
        *large_bytes as f64 / 1e6,
        large.as_secs_f64() / small.as_secs_f64(),
        *large_bytes as f64 / *small_bytes as f64
    );

    println!();
    println!(
        "whole process (median wall time, peak RSS): aiblint check against the pydantic validator"
    );
    // Timed as installed (`cargo install` copies it): the freshly linked file, written by the
    // linker in pieces, takes about 0.35 ms longer to map at each start.
    let installed = out.join("installed-aiblint");
    let binary = std::env::var_os("AIBLINT_BENCH_BINARY").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_aiblint")),
        PathBuf::from,
    );
    println!("(timing {})", binary.display());
    std::fs::copy(&binary, &installed).expect("copies the binary");
    let aiblint = installed.to_str().expect("a UTF-8 path");
    let python = std::env::var("AIBLINT_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_pydantic = Command::new(&python)
        .args(["-c", "import pydantic, yaml"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let baseline = root().join("benches/pydantic_baseline.py");
    let mut wholes = vec![
        ("example".to_string(), root().join("config")),
        ("1x".to_string(), out.join("1x")),
        ("100x".to_string(), out.join("100x")),
        ("3 files 25MB".to_string(), out.join("1300x")),
    ];
    if let Ok(extra) = std::env::var("AIBLINT_BENCH_SET") {
        wholes.insert(0, ("AIBLINT_BENCH_SET".into(), PathBuf::from(extra)));
    }
    for (label, dir) in wholes {
        let dir_arg = dir.to_str().expect("a UTF-8 path");
        let large = label.contains("25MB") || label == "100x";
        let runs = if quick || large { 5 } else { 101 };
        let (t, rss) = whole_process(runs, aiblint, &["check", "--format", "concise", dir_arg]);
        let rss = rss.map_or("?".to_string(), |r| format!("{r:.1} MiB"));
        print!(
            "{label:<18} aiblint {:>9.2} ms {:>10}",
            t.as_secs_f64() * 1e3,
            rss
        );
        if has_pydantic && !label.contains("25MB") {
            let py_runs = if quick || large { 3 } else { 11 };
            let script = baseline.to_str().expect("a UTF-8 path");
            let (p, prss) = whole_process(py_runs, &python, &[script, dir_arg]);
            let prss = prss.map_or("?".to_string(), |r| format!("{r:.1} MiB"));
            print!(
                "   pydantic {:>9.2} ms {:>10}   aiblint is {:.0}x faster",
                p.as_secs_f64() * 1e3,
                prss,
                p.as_secs_f64() / t.as_secs_f64()
            );
        }
        println!();
    }
    if !has_pydantic {
        println!("(no pydantic side by side: `{python} -c 'import pydantic, yaml'` failed; set AIBLINT_BENCH_PYTHON)");
    }
}
