//! `toon repair`: the command-line contract (value as compact JSON on stdout, one
//! `LINE:COL: repaired: …` line per fix, `LINE:COL: truncated: …` and exit 3 for a
//! cut-off reply, the usual located error and exit 1 for what needs a guess).

mod common;

use common::{TempDir, text, toon};

const REPLY: &str = "Here are the users you asked for:\n\n```toon\nusers[3]{id,name}:\n    1,Ada,\n    2,Bo\n```\n\nWant more?\n";

#[test]
fn prints_the_value_and_one_line_per_repair() {
    let run = toon(&["repair"], REPLY.as_bytes()).succeeds();
    assert_eq!(
        run.stdout,
        "{\"users\":[{\"id\":1,\"name\":\"Ada\"},{\"id\":2,\"name\":\"Bo\"}]}\n"
    );
    assert_eq!(
        run.stderr,
        "4:7: repaired: expected 3 tabular rows, but got 2; kept the 2 tabular rows present\n\
         5:1: repaired: indentation of 4 spaces per level where 2 were declared; read every line with 4 spaces per level\n\
         5:10: repaired: a delimiter at the end of the row; removed the trailing delimiter\n"
    );
}

#[test]
fn reads_a_file_and_a_chosen_fence() {
    let dir = TempDir::new();
    let reply = "```python\nprint(1)\nx = 2\n```\n```\nb: 2\n```\n";
    let path = dir.file("reply.txt", reply);
    assert_eq!(toon(&["repair", &text(&path)], b"").ok(), "{\"b\":2}\n");
    let run = toon(&["repair", "--fence", "1", &text(&path)], b"");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains(":2:1:"), "{}", run.stderr);
}

#[test]
fn a_cut_off_reply_exits_3_and_prints_the_part_only_with_partial() {
    let cut = "```toon\nusers[3]{id,name}:\n  1,Ada\n  2,B";
    let run = toon(&["repair"], cut.as_bytes());
    assert_eq!(run.code, Some(3));
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "4:6: truncated: users: 3 tabular rows declared, 2 read\n"
    );
    let run = toon(&["repair", "--partial"], cut.as_bytes());
    assert_eq!(run.code, Some(3));
    assert_eq!(
        run.stdout,
        "{\"users\":[{\"id\":1,\"name\":\"Ada\"},{\"id\":2,\"name\":\"B\"}]}\n"
    );
    // Cut inside a quoted string on the last line: the lines before it are the part.
    let run = toon(&["repair", "--partial"], b"a: 1\nb: \"unfinish");
    assert_eq!(run.code, Some(3));
    assert_eq!(run.stdout, "{\"a\":1}\n");
    assert!(
        run.stderr
            .starts_with("2:13: truncated: the rest of line 2 ("),
        "{}",
        run.stderr
    );
}

#[test]
fn what_needs_a_guess_is_a_located_error() {
    let reply = "```toon\nrows[2]{a,b}:\n  1,2,3\n  4,5\n```\n";
    let stderr = toon(&["repair"], reply.as_bytes()).fails(1);
    assert!(
        stderr.starts_with("<stdin>:3:3: expected 2 tabular row values, but got 3\n"),
        "{stderr}"
    );
}

#[test]
fn decode_stays_strict() {
    let stderr = toon(&["decode"], b"users[3]{id}:\n  1\n  2\nx: 1").fails(1);
    assert!(
        stderr.contains("expected 3 tabular rows, but got 2"),
        "{stderr}"
    );
}
