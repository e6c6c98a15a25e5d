//! The command line: clap definitions of every `toon` command, and the file-extension
//! rule that lets `toon FILE` stand for encode or decode.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use toon::Delimiter;
use toon_convert::Format;
use toon_tokens::{RedisConfig, RedisTier};

/// What `toon --help` prints after the options.
const TOP_AFTER_HELP: &str = "\
Without a command, the extension of FILE picks the direction: `.json` encodes, `.toon`
decodes, and the options of that command apply (`toon data.json --delimiter pipe`).

Examples:
  toon users.json                   JSON → TOON on standard output
  toon users.toon --pretty          TOON → indented JSON
  cat users.json | toon encode      read standard input
  toon convert docs/*.md --to toon  many files in parallel
  toon precommit                    the git pre-commit hook (see `toon precommit --help`)";

/// What `toon encode --help` prints after the options.
const ENCODE_AFTER_HELP: &str = "\
Errors in the JSON input are reported as FILE:LINE:COL: message, followed by the line and
a caret; the exit code is then 1.

With --auto, the output is the cheapest of TOON (comma, tab, pipe) and compact JSON by
exact token count, and standard error says which:
  chosen: toon-tab, 812 tokens (toon-comma 830, toon-tab 812, toon-pipe 815, json 1920)
With --max-tokens N, the output is TOON of at most N tokens: the longest arrays keep their
first rows, a comment under each cut header says how many there were, and standard error
has one line per cut array (users: 1000 rows, 120 kept). When even the skeleton (every
array empty) does not fit, nothing is written and the exit code is 1.

Examples:
  toon encode users.json
  toon encode users.json --delimiter tab -o users.toon
  curl -s https://example.com/api/users | toon encode --indent 4
  toon encode --auto --encoding llama-3.1-70b users.json
  toon encode --max-tokens 2000 --encoding gpt-4o users.json";

/// What `toon schema --help` prints after the options.
const SCHEMA_AFTER_HELP: &str = "\
Prints the instruction text and the TOON skeleton (in a ```toon fence) that ask a model
for output of the schema: headers with N for the counts, one row of <type> placeholders
under each table. With --check REPLY, reads the model's reply instead (as `toon repair`
does), prints one line per mismatch (PATH: expected ..., found ...) to standard error and
exits 1 when there is any; 0 when it matches.

Examples:
  toon schema order.schema.json
  toon schema order.schema.json --delimiter tab
  toon schema order.schema.json --check reply.txt";

/// What `toon tokens --help` prints after the options.
const TOKENS_AFTER_HELP: &str = "\
Counts are exact: the same as OpenAI's tiktoken (len(encode_ordinary(text))) for
o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series) and cl100k_base (GPT-4, GPT-3.5), and as
the vendors' own tokenizers for llama3 (Llama 3.x), qwen2 (Qwen 2/2.5/3), deepseek_v3
(DeepSeek V3/R1) and mistral_v3 (Mistral NeMo, Pixtral). --encoding also takes model
names (gpt-4o, llama-3.1-70b, qwen2.5-72b, deepseek-r1, mistral-nemo, ...).

Examples:
  toon tokens notes.md                      the token count of a file
  cat prompt.txt | toon tokens --encoding cl100k_base
  toon tokens --encoding qwen2.5-72b notes.md
  toon tokens --compare users.json          JSON vs TOON tokens and the saving";

/// What `toon convert --help` prints after the options.
const CONVERT_AFTER_HELP: &str = "\
The converter is picked by each FILE's extension (.json, .toon, .md/.markdown, .pdf; a
directory is a git repository to checkpoint), or by --from for all of them. Formats
without a direct converter go through TOON (Markdown → TOON → JSON, PDF → TOON →
Markdown). Files are converted in parallel; a progress bar shows on a terminal.

Where the output goes:
  one FILE, no -o          standard output
  several FILEs, no -o     next to each input: docs/a.md → docs/a.toon
  -o DIR                   DIR/<name>.<ext> for each input (DIR is created if needed;
                           -o names a directory when it is one, ends with /, or when
                           several FILEs are given)
  -o OUT (one FILE)        OUT; `-o -` is standard output
Two inputs that would write the same file, or an output that is an input, are refused
before anything runs. Existing outputs are overwritten.

A file that fails is reported as FILE:LINE:COL: message (with the line and a caret)
when the error has a place, FILE: message otherwise; the others are still converted.
The last line on standard error sums up: files, bytes in and out, tokens (o200k_base)
in and out and the saving, failures. The exit code is 1 if any file failed.

Examples:
  toon convert notes.md --to toon               TOON on standard output
  toon convert data/*.json --to toon -o out/    out/<name>.toon for each file
  toon convert docs/*.toon --to md              docs/<name>.md next to each file
  toon convert report.pdf --to md -o report.md
  cat notes.md | toon convert - --from md --to toon";

/// What `toon checkpoint --help` prints after the options.
const CHECKPOINT_AFTER_HELP: &str = "\
The snapshot holds the branch, HEAD, upstream with ahead/behind counts, staged, unstaged
and untracked files, submodules, the last commits and the task list (TASKLIST.md), as
TOON: a compact hand-over note for an AI session. The repository is read in-process
(gix); nothing is changed.

Examples:
  toon checkpoint                               the current repository
  toon checkpoint ../service -o handover.toon
  toon checkpoint --commits 3 --no-untracked";

/// What `toon precommit --help` prints after the options.
const PRECOMMIT_AFTER_HELP: &str = "\
For each staged .toon file, the sibling .md (same path, extension .md) is regenerated
from the STAGED content of the .toon (what the commit will hold) with the TOON →
Markdown converter, written to the work tree and staged with one `git add`. When the
.toon also has unstaged changes, the staged .md follows the staged .toon and the .md in
the work tree follows the .toon in the work tree. Invalid TOON blocks the commit: each
error is printed as FILE:LINE:COL: message and the exit code is 1; nothing is written.

--check writes nothing: it reads every .toon of the index (staged or not, so it also
works in CI on a clean checkout) and exits with 1, listing the .md files that are
missing or differ from what the .toon gives.

Install as a git hook (one line, in the repository):
  printf '#!/bin/sh\\nexec toon precommit\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
or with the pre-commit framework, in .pre-commit-config.yaml (toon on PATH):
  - repo: <this repository's URL>
    rev: <tag>
    hooks: [{id: toon-precommit}]

Examples:
  toon precommit                 regenerate and stage the .md of the staged .toon files
  toon precommit --all           the same for every .toon file in the index
  toon precommit --check         in CI: fail if any .md is stale";

/// What `toon completions --help` prints after the options.
const COMPLETIONS_AFTER_HELP: &str = "\
Examples:
  toon completions bash > ~/.local/share/bash-completion/completions/toon
  toon completions zsh > ~/.zfunc/_toon        (with fpath+=~/.zfunc in ~/.zshrc)
  toon completions fish > ~/.config/fish/completions/toon.fish
  toon completions powershell >> $PROFILE";

/// What `toon decode --help` prints after the options.
const DECODE_AFTER_HELP: &str = "\
Errors in the TOON input are reported as FILE:LINE:COL: message, followed by the line and
a caret; the exit code is then 1.

Examples:
  toon decode users.toon
  toon decode users.toon --pretty -o users.json
  printf 'tags[2]: a,b\\n' | toon decode";

const REPAIR_AFTER_HELP: &str = "\
Prints the recovered value as compact JSON on standard output and one line per fix on
standard error (LINE:COL: repaired: what was found; what was done), positions in the
reply; exit 0. The TOON is the body of a ```toon fence, else of an unlabeled fence that
decodes, else the reply without the prose before and after it.

A reply that was cut off prints LINE:COL: truncated: what is missing, and exits 3
(with --partial, after printing the part that arrived as JSON). What cannot be read
without guessing is reported as FILE:LINE:COL: message with a caret; exit 1.

Examples:
  toon repair reply.txt
  llm 'List 5 users as TOON' | toon repair --partial";

/// `toon`: converts JSON to TOON (Token-Oriented Object Notation) and back.
#[derive(Debug, Parser)]
#[command(
    name = "toon",
    version,
    about = "Convert JSON to TOON (Token-Oriented Object Notation, spec v4.4) and back",
    override_usage = "toon <COMMAND> [OPTIONS] [FILE]\n       toon [OPTIONS] <FILE.json|FILE.toon>",
    after_help = TOP_AFTER_HELP,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// The conversion to run.
    #[command(subcommand)]
    pub(crate) command: Command,

    /// How input errors are printed: `text` (FILE:LINE:COL: message, the line and a
    /// caret) or `json` (one JSON object per error, for editors and scripts).
    #[arg(long, global = true, value_name = "FORMAT", default_value = "text")]
    pub(crate) error_format: ErrorFormat,
}

/// How input errors are printed on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ErrorFormat {
    /// `FILE:LINE:COL: message`, then the offending line and a caret.
    Text,
    /// One line of JSON per error: `file`, `line`, `column` (0 when unknown),
    /// `category` (null when the error has none), `converter` and `message`.
    Json,
}

/// The conversions.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Convert JSON to TOON.
    #[command(after_help = ENCODE_AFTER_HELP)]
    Encode(EncodeArgs),
    /// Convert TOON to JSON.
    #[command(after_help = DECODE_AFTER_HELP)]
    Decode(DecodeArgs),
    /// Read the TOON a model wrote: find it in the reply, fix what needs no guess, report
    /// each fix, tell a cut-off reply from a malformed one.
    #[command(after_help = REPAIR_AFTER_HELP)]
    Repair(RepairArgs),
    /// Count the tokens of a text exactly, or compare JSON with its TOON.
    #[command(after_help = TOKENS_AFTER_HELP)]
    Tokens(TokensArgs),
    /// From a JSON Schema, print what to ask a model for (instructions and a TOON
    /// skeleton), or check a model's reply against it.
    #[command(after_help = SCHEMA_AFTER_HELP)]
    Schema(SchemaArgs),
    /// Convert files between TOON, Markdown, JSON and PDF, many in parallel.
    #[command(after_help = CONVERT_AFTER_HELP)]
    Convert(ConvertArgs),
    /// Snapshot a git repository as TOON (branch, status, recent commits, tasks).
    #[command(after_help = CHECKPOINT_AFTER_HELP)]
    Checkpoint(CheckpointArgs),
    /// Git pre-commit hook: regenerate and stage the .md of each staged .toon file.
    #[command(after_help = PRECOMMIT_AFTER_HELP)]
    Precommit(PrecommitArgs),
    /// Print a shell completion script to standard output.
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions(CompletionsArgs),
}

/// Options of `toon convert`.
#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    /// Files to convert; `-` reads standard input (with --from, as the only FILE).
    #[arg(value_name = "FILE", required = true)]
    pub(crate) inputs: Vec<PathBuf>,

    /// The format to write.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) to: TargetFormat,

    /// The format of every FILE, instead of the one its extension implies.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) from: Option<SourceFormat>,

    /// Where to write: a directory, or with one FILE a file (`-` for standard output).
    /// See below for the default.
    #[arg(short, long = "output", value_name = "OUT|DIR")]
    pub(crate) output: Option<PathBuf>,

    /// With --to json: indented JSON instead of one line.
    #[arg(long)]
    pub(crate) pretty: bool,

    /// With CSV or TSV input: keep every cell as its text (no number, boolean or null
    /// inference; an empty cell is an empty string).
    #[arg(long)]
    pub(crate) strings: bool,

    /// Convert on N threads (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) jobs: Option<u16>,

    /// No progress bar and no summary line (errors are still printed).
    #[arg(short, long)]
    pub(crate) quiet: bool,

    /// Share converted outputs and token counts through Redis at URL
    /// (`redis://host:port/db`); an unreachable Redis only costs the sharing.
    #[arg(long, value_name = "URL", env = "TOON_REDIS_URL", hide_env_values = true, value_parser = parse_redis)]
    pub(crate) redis: Option<Arc<RedisTier>>,
}

/// The formats `toon convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TargetFormat {
    /// TOON (.toon).
    Toon,
    /// Markdown (.md).
    #[value(alias = "markdown")]
    Md,
    /// JSON (.json).
    Json,
}

impl TargetFormat {
    /// The registry's format.
    pub(crate) fn format(self) -> Format {
        match self {
            TargetFormat::Toon => Format::Toon,
            TargetFormat::Md => Format::Markdown,
            TargetFormat::Json => Format::Json,
        }
    }
}

/// The formats `toon convert` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SourceFormat {
    /// TOON.
    Toon,
    /// Markdown.
    #[value(alias = "markdown")]
    Md,
    /// JSON.
    Json,
    /// PDF.
    Pdf,
    /// A directory in a git repository.
    Checkpoint,
    /// Comma-separated values, the first record naming the columns.
    Csv,
    /// Tab-separated values, the first record naming the columns.
    Tsv,
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC (file or stream; Feather v2).
    Arrow,
}

impl SourceFormat {
    /// The registry's format.
    pub(crate) fn format(self) -> Format {
        match self {
            SourceFormat::Toon => Format::Toon,
            SourceFormat::Md => Format::Markdown,
            SourceFormat::Json => Format::Json,
            SourceFormat::Pdf => Format::Pdf,
            SourceFormat::Checkpoint => Format::Checkpoint,
            SourceFormat::Csv => Format::Csv,
            SourceFormat::Tsv => Format::Tsv,
            SourceFormat::Parquet => Format::Parquet,
            SourceFormat::Arrow => Format::Arrow,
        }
    }
}

/// Options of `toon checkpoint`.
#[derive(Debug, Args)]
pub(crate) struct CheckpointArgs {
    /// The repository: its top directory or any directory inside it.
    #[arg(value_name = "REPO", default_value = ".")]
    pub(crate) repo: PathBuf,

    /// Write the TOON to OUT instead of standard output.
    #[arg(short, long = "output", value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,

    /// How many recent commits to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub(crate) commits: usize,

    /// Leave untracked files out.
    #[arg(long)]
    pub(crate) no_untracked: bool,

    /// Leave submodules out (and do not check them for changes).
    #[arg(long)]
    pub(crate) no_submodules: bool,

    /// Leave the task list out; without it, the checkbox items of TASKLIST.md are read.
    #[arg(long)]
    pub(crate) no_tasks: bool,
}

/// Options of `toon precommit`.
#[derive(Debug, Args)]
pub(crate) struct PrecommitArgs {
    /// Write nothing: check that the .md of every .toon in the index is up to date, and
    /// exit with 1 listing the stale ones.
    #[arg(long)]
    pub(crate) check: bool,

    /// Regenerate the .md of every .toon in the index, not only of the staged ones.
    #[arg(long, conflicts_with = "check")]
    pub(crate) all: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// Options of `toon completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

/// Options of `toon encode`.
#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// JSON file to read; `-` or none reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) input: Option<PathBuf>,

    /// Delimiter of inline arrays and table rows: comma (`,`), tab (or a tab
    /// character) or pipe (`|`).
    #[arg(long, value_name = "DELIM", default_value = "comma", value_parser = parse_delimiter)]
    pub(crate) delimiter: Delimiter,

    /// Spaces per indentation level of the TOON output (at least 1).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_indent)]
    pub(crate) indent: usize,

    /// Write the TOON to OUT instead of standard output.
    #[arg(short, long = "output", value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,

    /// Print the token counts of the JSON input and the TOON output, and the saving, to
    /// standard error (exact counts in --encoding).
    #[arg(long, conflicts_with_all = ["auto", "max_tokens"])]
    pub(crate) stats: bool,

    /// Write the cheapest of TOON (comma, tab, pipe) and compact JSON by exact token
    /// count in --encoding, and say on standard error which was chosen.
    #[arg(long, conflicts_with_all = ["max_tokens", "delimiter"])]
    pub(crate) auto: bool,

    /// Write TOON of at most N tokens in --encoding, cutting the longest arrays; standard
    /// error says what was cut.
    #[arg(long, value_name = "N")]
    pub(crate) max_tokens: Option<usize>,

    /// The tokenizer of --auto, --max-tokens and --stats: an encoding (o200k_base,
    /// cl100k_base, llama3, qwen2, deepseek_v3, mistral_v3) or a model name.
    #[arg(long, value_name = "NAME", default_value = "o200k_base", value_parser = parse_encoding)]
    pub(crate) encoding: toon_tokens::Encoding,
}

/// Options of `toon schema`.
#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// The JSON Schema file; `-` reads standard input.
    #[arg(value_name = "SCHEMA")]
    pub(crate) schema: PathBuf,

    /// Delimiter of the skeleton's rows and inline arrays: comma, tab or pipe.
    #[arg(long, value_name = "DELIM", default_value = "comma", value_parser = parse_delimiter)]
    pub(crate) delimiter: Delimiter,

    /// Spaces per indentation level of the skeleton (at least 1).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_indent)]
    pub(crate) indent: usize,

    /// Check this model reply (TOON, maybe in a fence, repaired as `toon repair` does)
    /// against the schema instead of printing the template.
    #[arg(long, value_name = "REPLY")]
    pub(crate) check: Option<PathBuf>,
}

/// Options of `toon tokens`.
#[derive(Debug, Args)]
pub(crate) struct TokensArgs {
    /// File to count; `-` or none reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) input: Option<PathBuf>,

    /// The tokenizer: o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series), cl100k_base (GPT-4,
    /// GPT-3.5), llama3, qwen2, deepseek_v3, mistral_v3 (Tekken), or a model name such as
    /// gpt-4o, llama-3.1-70b, qwen2.5-72b, deepseek-r1, mistral-nemo.
    #[arg(long, value_name = "NAME", default_value = "o200k_base", value_parser = parse_encoding)]
    pub(crate) encoding: toon_tokens::Encoding,

    /// Read FILE as JSON, encode it to TOON, and print the tokens and bytes of both and
    /// what TOON saves.
    #[arg(long)]
    pub(crate) compare: bool,

    /// With --compare: delimiter of the TOON (comma, tab or pipe).
    #[arg(long, value_name = "DELIM", default_value = "comma", value_parser = parse_delimiter, requires = "compare")]
    pub(crate) delimiter: Delimiter,

    /// With --compare: spaces per indentation level of the TOON.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_indent, requires = "compare")]
    pub(crate) indent: usize,

    /// Share token counts through Redis at URL (`redis://host:port/db`) with other
    /// processes (texts of 1 KiB or more); an unreachable Redis only costs the sharing.
    #[arg(long, value_name = "URL", env = "TOON_REDIS_URL", hide_env_values = true, value_parser = parse_redis)]
    pub(crate) redis: Option<Arc<RedisTier>>,
}

/// Options of `toon decode`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// TOON file to read; `-` or none reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) input: Option<PathBuf>,

    /// Spaces per indentation level of the TOON input, and of the JSON output with
    /// --pretty (at least 1).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_indent)]
    pub(crate) indent: usize,

    /// Apply the recoveries of spec §14.4 instead of failing: wrong counts, duplicate
    /// keys, tab or uneven indentation, blank lines inside arrays, depth jumps.
    #[arg(long)]
    pub(crate) no_strict: bool,

    /// Write indented JSON (--indent spaces per level) instead of one compact line.
    #[arg(long)]
    pub(crate) pretty: bool,

    /// Write the JSON to OUT instead of standard output.
    #[arg(short, long = "output", value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,
}

/// Options of `toon repair`.
#[derive(Debug, Args)]
pub(crate) struct RepairArgs {
    /// The model's reply; `-` or none reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) input: Option<PathBuf>,

    /// Spaces per indentation level the TOON was asked for (at least 1).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_indent)]
    pub(crate) indent: usize,

    /// Read the N-th code fence of the reply (1 is the first), whatever its label.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) fence: Option<u32>,

    /// When the reply was cut off, still print the part that arrived.
    #[arg(long)]
    pub(crate) partial: bool,
}

/// Parses `--encoding`: an encoding name or a model name (`Encoding::resolve`).
fn parse_encoding(text: &str) -> Result<toon_tokens::Encoding, String> {
    toon_tokens::Encoding::resolve(text).map_err(|error| error.to_string())
}

/// Parses `--redis`: a Redis URL, for a tier with the default settings of
/// `toon_tokens::RedisConfig` (it connects on first use, not here).
fn parse_redis(url: &str) -> Result<Arc<RedisTier>, String> {
    RedisTier::new(RedisConfig::new(url))
        .map(Arc::new)
        .map_err(|error| format!("invalid Redis URL: {error}"))
}

/// Parses `--delimiter`: the names `comma`, `tab`, `pipe` or the characters themselves.
fn parse_delimiter(text: &str) -> toon::Result<Delimiter> {
    text.parse()
}

/// Parses `--indent`: 1 or more. The core rejects 0 too, but failing here, before any
/// input is read, leaves the output file untouched.
fn parse_indent(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(indent) if indent >= 1 => Ok(indent),
        _ => Err("expected a whole number of spaces, at least 1".to_owned()),
    }
}

/// Returns the arguments with the command that `toon FILE` implies inserted after the
/// program name: `encode` for a `.json` file, `decode` for a `.toon` file.
///
/// Arguments that already name a command, or that have no positional argument at all
/// (`--help`, `--version`), are returned unchanged. A FILE with another extension, or
/// `-`, is an error asking for an explicit command.
pub(crate) fn with_implied_command(mut args: Vec<OsString>) -> Result<Vec<OsString>, clap::Error> {
    let mut command = Cli::command();
    let Some(index) = first_positional(&command, &args) else {
        return Ok(args);
    };
    let word = args[index].clone();
    if word == "help" || command.find_subcommand(&word).is_some() {
        return Ok(args);
    }
    let path = Path::new(&word);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let implied = if extension.eq_ignore_ascii_case("json") {
        "encode"
    } else if extension.eq_ignore_ascii_case("toon") {
        "decode"
    } else if extension.is_empty() && word != "-" && !path.exists() {
        // Most likely a misspelt command: clap's error suggests the right one.
        return Ok(args);
    } else {
        let what = if word == "-" {
            "standard input".to_owned()
        } else {
            format!("'{}'", path.display())
        };
        return Err(command.error(
            ErrorKind::InvalidValue,
            format!(
                "cannot tell whether to encode or decode {what}: only .json and .toon files \
                 imply a direction; use `toon encode [FILE]` or `toon decode [FILE]`"
            ),
        ));
    };
    args.insert(1, implied.into());
    Ok(args)
}

/// The index of the first positional argument, skipping options and their values.
fn first_positional(command: &clap::Command, args: &[OsString]) -> Option<usize> {
    // Options that take a separate value, read from the definitions so they stay in sync.
    let takes_value: Vec<String> = command
        .get_subcommands()
        .flat_map(clap::Command::get_arguments)
        .chain(command.get_arguments())
        .filter(|arg| !arg.is_positional() && arg.get_action().takes_values())
        .flat_map(|arg| {
            let long = arg.get_long().map(|long| format!("--{long}"));
            let short = arg.get_short().map(|short| format!("-{short}"));
            long.into_iter().chain(short)
        })
        .collect();
    let mut index = 1;
    while index < args.len() {
        let arg = args[index].to_string_lossy();
        if arg == "--" {
            return (index + 1 < args.len()).then_some(index + 1);
        }
        if takes_value.iter().any(|option| *option == arg) {
            index += 2;
        } else if arg.starts_with('-') && arg != "-" {
            index += 1;
        } else {
            return Some(index);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Result<Vec<String>, clap::Error> {
        let args = args.iter().map(OsString::from).collect();
        with_implied_command(args).map(|args| {
            args.into_iter()
                .map(|arg| arg.to_string_lossy().into_owned())
                .collect()
        })
    }

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn explicit_commands_are_kept() {
        assert_eq!(
            rewrite(&["toon", "decode", "a.json"]).unwrap(),
            ["toon", "decode", "a.json"]
        );
        assert_eq!(rewrite(&["toon", "--help"]).unwrap(), ["toon", "--help"]);
        assert_eq!(
            rewrite(&["toon", "help", "x"]).unwrap(),
            ["toon", "help", "x"]
        );
    }

    #[test]
    fn extension_implies_the_command() {
        assert_eq!(
            rewrite(&["toon", "a.JSON"]).unwrap(),
            ["toon", "encode", "a.JSON"]
        );
        assert_eq!(
            rewrite(&["toon", "--indent", "4", "a.toon", "--pretty"]).unwrap(),
            ["toon", "decode", "--indent", "4", "a.toon", "--pretty"]
        );
        assert_eq!(
            rewrite(&["toon", "-o", "out.toon", "--", "a.json"]).unwrap(),
            ["toon", "encode", "-o", "out.toon", "--", "a.json"]
        );
    }

    #[test]
    fn other_extensions_and_stdin_are_errors() {
        assert!(rewrite(&["toon", "a.csv"]).is_err());
        assert!(rewrite(&["toon", "-"]).is_err());
    }

    #[test]
    fn new_commands_are_not_files() {
        for args in [
            &["toon", "convert", "a.json", "--to", "toon"][..],
            &["toon", "precommit", "--check"],
            &["toon", "checkpoint", "-o", "x.toon"],
            &["toon", "completions", "bash"],
        ] {
            assert_eq!(rewrite(args).unwrap(), args);
        }
    }

    #[test]
    fn misspelt_commands_are_left_to_clap() {
        assert_eq!(rewrite(&["toon", "encdoe"]).unwrap(), ["toon", "encdoe"]);
    }
}
