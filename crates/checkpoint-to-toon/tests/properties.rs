//! Task lists written from items parse back to the same items.

use checkpoint_to_toon::parse_tasks;
use proptest::prelude::*;

proptest! {
    #[test]
    fn task_lists_round_trip(
        items in prop::collection::vec((any::<bool>(), "[^\\s\\[`~][^\r\n]{0,30}[^\\s]", 0..3usize, 0..4usize), 0..12),
        noise in prop::collection::vec("[^\\s\\[\\-*+0-9`~][^\r\n]{0,20}", 0..4),
    ) {
        let mut markdown = String::from("# Tasks\n\n");
        for (i, (done, text, marker, indent)) in items.iter().enumerate() {
            let marker = ["-", "*", "+"][*marker];
            let indent = "  ".repeat(*indent);
            let mark = if *done { "x" } else { " " };
            markdown.push_str(&format!("{indent}{marker} [{mark}] {text}\n"));
            if let Some(line) = noise.get(i) {
                markdown.push_str(line);
                markdown.push('\n');
            }
        }
        let parsed = parse_tasks(&markdown);
        let got: Vec<(bool, String)> = parsed.into_iter().map(|t| (t.done, t.text)).collect();
        let want: Vec<(bool, String)> = items.iter().map(|(d, t, _, _)| (*d, t.trim().to_owned())).collect();
        prop_assert_eq!(got, want);
    }
}
