//! `toon convert`: files of any supported format to TOON, Markdown or JSON, in parallel.
//! Each input gets its converter route from the registry; a failing file is reported at
//! its place while the others go on; one summary line ends the run.

use std::collections::HashMap;
use std::io::{self, Read as _, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::CommandFactory as _;
use clap::error::ErrorKind;
use indicatif::HumanBytes;
use rayon::prelude::*;
use toon_convert::{ConverterRegistry, Format, Input, StandardOptions, standard_registry};
use toon_tokens::{Encoding, TokenCounter};

use super::{STDIN, STDOUT};
use crate::cli::{Cli, ConvertArgs};
use crate::progress::Progress;
use crate::report;

/// The tokenizer of the summary's token counts.
const ENCODING: Encoding = Encoding::O200kBase;

/// Converts every input, prints the failures in input order and the summary, and exits
/// with 1 when any input failed.
pub(super) fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let target = args.to.format();
    let jobs = plan(args)?;
    let mut options = StandardOptions::default();
    options.toon_to_json.pretty = args.pretty;
    options.table_to_toon.infer_types = !args.strings;
    options.redis = args.redis.clone();
    let registry = standard_registry(&options);
    let counter = super::tokens::counter(ENCODING, args.redis.as_ref());
    let progress = Progress::new(jobs.len(), !args.quiet);
    let convert_all = || -> Vec<anyhow::Result<Done>> {
        jobs.par_iter()
            .map(|job| {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    convert(&registry, &counter, job, target)
                }))
                .unwrap_or_else(|_| {
                    Err(anyhow::anyhow!("the converter crashed on this input")
                        .context(job.name.clone()))
                });
                progress.finished(&job.name);
                result
            })
            .collect()
    };
    let results = match args.jobs {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(threads))
            .build()
            .context("cannot start the worker threads")?
            .install(convert_all),
        None => convert_all(),
    };
    progress.clear();

    let mut summary = Summary::default();
    let mut stdout_text = None;
    for result in results {
        match result {
            Ok(done) => {
                summary.add(&done);
                stdout_text = stdout_text.or(done.stdout);
            }
            Err(error) => {
                summary.failed += 1;
                report::print(&error);
            }
        }
    }
    if let Some(text) = stdout_text {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .context(STDOUT)?;
    }
    if !args.quiet {
        eprintln!("{}", summary.line());
    }
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One input and where its output goes.
#[derive(Debug)]
struct Job {
    /// The input file or directory, `None` for standard input.
    path: Option<PathBuf>,
    /// The name in messages: the path as given, or `<stdin>`.
    name: String,
    /// The input's format, when `--from` gives it.
    from: Option<Format>,
    /// Where the output goes.
    destination: Destination,
}

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Destination {
    /// Standard output (one input only).
    Stdout,
    /// A file.
    File(PathBuf),
}

/// How outputs are placed, from `-o` and the number of inputs.
#[derive(Debug)]
enum Layout {
    /// One input, to standard output.
    Stdout,
    /// One input, to this file.
    File(PathBuf),
    /// `DIR/<name>.<ext>` for each input.
    Dir(PathBuf),
    /// `<name>.<ext>` in each input's own directory.
    NextToInput,
}

/// Checks the command line and gives each input its destination; refuses, before any
/// conversion, outputs that would collide or overwrite an input.
fn plan(args: &ConvertArgs) -> anyhow::Result<Vec<Job>> {
    let count = args.inputs.len();
    let is_stdin = |path: &PathBuf| path.as_os_str() == "-";
    if args.inputs.iter().any(is_stdin) {
        if count > 1 {
            return Err(usage("`-` (standard input) must be the only FILE"));
        }
        if args.from.is_none() {
            return Err(usage("standard input needs --from FORMAT"));
        }
    }
    let layout = match &args.output {
        None if count == 1 => Layout::Stdout,
        None => Layout::NextToInput,
        Some(out) if out.as_os_str() == "-" => {
            if count > 1 {
                return Err(usage("`-o -` (standard output) takes one FILE"));
            }
            Layout::Stdout
        }
        Some(out) if out.is_dir() || names_a_directory(out) || count > 1 => {
            if out.exists() && !out.is_dir() {
                return Err(usage(&format!(
                    "{} is not a directory: several FILEs need -o DIR",
                    out.display()
                )));
            }
            Layout::Dir(out.clone())
        }
        Some(out) => Layout::File(out.clone()),
    };
    let target = args.to.format();
    let from = args.from.map(|format| format.format());
    let jobs: Vec<Job> = args
        .inputs
        .iter()
        .map(|input| {
            let path = (!is_stdin(input)).then(|| input.clone());
            let name = path
                .as_ref()
                .map_or_else(|| STDIN.to_owned(), |path| path.display().to_string());
            let destination = match &layout {
                Layout::Stdout => Destination::Stdout,
                Layout::File(out) => Destination::File(out.clone()),
                Layout::Dir(dir) => Destination::File(dir.join(output_name(input, target))),
                Layout::NextToInput => Destination::File(
                    input
                        .parent()
                        .unwrap_or(Path::new(""))
                        .join(output_name(input, target)),
                ),
            };
            Job {
                path,
                name,
                from,
                destination,
            }
        })
        .collect();
    check_destinations(&jobs)?;
    if let Layout::Dir(dir) = &layout {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    }
    Ok(jobs)
}

/// Whether `path` is written as a directory: it ends with a separator.
fn names_a_directory(path: &Path) -> bool {
    path.as_os_str()
        .to_str()
        .is_some_and(|text| text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR))
}

/// `<name>.<ext>`: the input's file name without its extension (a directory's own name,
/// `stdin` for standard input) and the target's preferred extension.
fn output_name(input: &Path, target: Format) -> String {
    let extension = target.extensions().first().copied().unwrap_or("out");
    let stem = if input.as_os_str() == "-" {
        "stdin".to_owned()
    } else if input.is_dir() {
        std::fs::canonicalize(input)
            .ok()
            .and_then(|path| {
                path.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "checkpoint".to_owned())
    } else {
        input.file_stem().map_or_else(
            || "out".to_owned(),
            |stem| stem.to_string_lossy().into_owned(),
        )
    };
    format!("{stem}.{extension}")
}

/// Refuses two inputs writing one file, and an output that is one of the inputs.
fn check_destinations(jobs: &[Job]) -> anyhow::Result<()> {
    let mut writers: HashMap<PathBuf, &str> = HashMap::new();
    let inputs: HashMap<PathBuf, &str> = jobs
        .iter()
        .filter_map(|job| Some((identity(job.path.as_deref()?), job.name.as_str())))
        .collect();
    for job in jobs {
        let Destination::File(out) = &job.destination else {
            continue;
        };
        let key = identity(out);
        if let Some(first) = writers.insert(key.clone(), &job.name) {
            return Err(usage(&format!(
                "{first} and {} would both write {}; use -o DIR with distinct file names",
                job.name,
                out.display()
            )));
        }
        if let Some(input) = inputs.get(&key) {
            return Err(usage(&format!(
                "converting {} would overwrite the input {input}",
                job.name
            )));
        }
    }
    Ok(())
}

/// A path's identity for comparisons: its directory resolved (when it exists) and its
/// file name.
fn identity(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    match path.file_name() {
        Some(name) => parent.join(name),
        None => parent,
    }
}

/// A command-line error, reported by clap with exit code 2.
fn usage(message: &str) -> anyhow::Error {
    let mut command = Cli::command();
    // Building sets the subcommand's name in its usage line to `toon convert`.
    command.build();
    let error = command
        .find_subcommand_mut("convert")
        .map(|command| command.error(ErrorKind::ArgumentConflict, message))
        .unwrap_or_else(|| clap::Error::raw(ErrorKind::ArgumentConflict, message));
    anyhow::Error::new(error)
}

/// What one successful conversion amounted to.
#[derive(Debug)]
struct Done {
    /// Bytes of the input (0 for a repository).
    input_bytes: u64,
    /// Bytes of the output.
    output_bytes: u64,
    /// Tokens of the input and of the output, when the input is text.
    tokens: Option<(usize, usize)>,
    /// The output, when it goes to standard output.
    stdout: Option<Arc<str>>,
}

/// Converts one input along its route and writes the output.
fn convert(
    registry: &ConverterRegistry,
    counter: &TokenCounter,
    job: &Job,
    target: Format,
) -> anyhow::Result<Done> {
    let name = &job.name;
    let source = job
        .from
        .or_else(|| Format::from_path(job.path.as_deref()?))
        .with_context(|| {
            format!(
                "{name}: cannot tell the format from the extension; give it with --from \
                 (toon, md, json, pdf, checkpoint, csv, tsv, parquet, arrow)"
            )
        })?;
    let route = registry
        .require_route(source, target)
        .map_err(|e| report::conversion_error(name, &e, None))?;

    let bytes = match (&job.path, source) {
        (Some(_), Format::Checkpoint) => None,
        (Some(path), _) => Some(std::fs::read(path).with_context(|| name.clone())?),
        (None, _) => {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes).context(STDIN)?;
            Some(bytes)
        }
    };
    let input = match (&bytes, &job.path) {
        (Some(bytes), _) => Input::Bytes(bytes),
        (None, Some(path)) => Input::Path(path),
        (None, None) => anyhow::bail!("{name}: a checkpoint reads a directory"),
    };

    let first = route[0].name();
    let output =
        registry
            .convert(source, target, input)
            .map_err(|error| match error.converter() {
                Some(step) if step != first => {
                    anyhow::anyhow!("{name}: converting the intermediate TOON to {target}: {error}")
                }
                _ => report::conversion_error(name, &error, bytes.as_deref()),
            })?;

    let tokens = bytes
        .as_deref()
        .filter(|_| matches!(source, Format::Toon | Format::Json | Format::Markdown))
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .map(|text| (counter.count(text), counter.count(&output)));
    let stdout = match &job.destination {
        Destination::Stdout => Some(Arc::clone(&output)),
        Destination::File(path) => {
            std::fs::write(path, output.as_bytes()).with_context(|| path.display().to_string())?;
            None
        }
    };
    Ok(Done {
        input_bytes: bytes.as_ref().map_or(0, |bytes| bytes.len() as u64),
        output_bytes: output.len() as u64,
        tokens,
        stdout,
    })
}

/// The totals of the summary line.
#[derive(Debug, Default)]
struct Summary {
    /// Inputs converted.
    converted: usize,
    /// Inputs that failed.
    failed: usize,
    /// Bytes read from converted inputs.
    input_bytes: u64,
    /// Bytes written.
    output_bytes: u64,
    /// Tokens of the converted text inputs.
    input_tokens: usize,
    /// Tokens of their outputs.
    output_tokens: usize,
    /// Converted inputs whose tokens were counted (text, not PDF or repositories).
    counted: usize,
}

impl Summary {
    /// Adds one conversion.
    fn add(&mut self, done: &Done) {
        self.converted += 1;
        self.input_bytes += done.input_bytes;
        self.output_bytes += done.output_bytes;
        if let Some((input, output)) = done.tokens {
            self.input_tokens += input;
            self.output_tokens += output;
            self.counted += 1;
        }
    }

    /// `toon convert: 4 files: 3 converted, 1 failed; 12.40 KiB → 8.10 KiB; 2345 → 1502
    /// tokens (o200k_base), saved 843 (35.9%)`.
    fn line(&self) -> String {
        let files = self.converted + self.failed;
        let mut line = format!(
            "toon convert: {files} file{}: {} converted, {} failed; {} → {}",
            if files == 1 { "" } else { "s" },
            self.converted,
            self.failed,
            HumanBytes(self.input_bytes),
            HumanBytes(self.output_bytes),
        );
        if self.counted > 0 {
            let (input, output) = (self.input_tokens, self.output_tokens);
            let percent = |difference: usize| {
                if input == 0 {
                    0.0
                } else {
                    difference as f64 * 100.0 / input as f64
                }
            };
            let change = if output <= input {
                format!("saved {} ({:.1}%)", input - output, percent(input - output))
            } else {
                format!("{} more (+{:.1}%)", output - input, percent(output - input))
            };
            line.push_str(&format!(
                "; {input} → {output} tokens ({ENCODING}), {change}"
            ));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let mut summary = Summary::default();
        summary.add(&Done {
            input_bytes: 2048,
            output_bytes: 1024,
            tokens: Some((200, 150)),
            stdout: None,
        });
        summary.failed = 1;
        assert_eq!(
            summary.line(),
            "toon convert: 2 files: 1 converted, 1 failed; 2.00 KiB → 1.00 KiB; \
             200 → 150 tokens (o200k_base), saved 50 (25.0%)"
        );
        summary.add(&Done {
            input_bytes: 0,
            output_bytes: 0,
            tokens: Some((0, 100)),
            stdout: None,
        });
        assert!(
            summary
                .line()
                .ends_with("200 → 250 tokens (o200k_base), 50 more (+25.0%)")
        );
    }

    #[test]
    fn summary_without_text_inputs_has_no_tokens() {
        let mut summary = Summary::default();
        summary.add(&Done {
            input_bytes: 10,
            output_bytes: 5,
            tokens: None,
            stdout: None,
        });
        assert_eq!(
            summary.line(),
            "toon convert: 1 file: 1 converted, 0 failed; 10 B → 5 B"
        );
    }

    #[test]
    fn output_names_keep_the_stem() {
        assert_eq!(
            output_name(Path::new("docs/a.b.json"), Format::Toon),
            "a.b.toon"
        );
        assert_eq!(
            output_name(Path::new("notes"), Format::Markdown),
            "notes.md"
        );
        assert_eq!(output_name(Path::new("-"), Format::Json), "stdin.json");
    }
}
