//! Bench result files: what `benches/compare --json`, `bench.js --json`, `bench.py --json`
//! and `scripts/load-test.sh` write, and the bar chart `bench-charts` draws from each.
//!
//! ```json
//! {"title": "Rust: toon vs serde_json", "unit": "seconds", "higher_is_better": false,
//!  "baselines": ["serde_json"],
//!  "rows": [{"group": "tabular encode", "series": "serde_json", "value": 0.00012}, ...]}
//! ```

use serde::{Deserialize, Serialize};

use super::charts::{BarChart, Series};

/// One bench run's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchResults {
    /// The chart's caption.
    pub title: String,
    /// What a value is: `seconds`, `requests/s`, ...
    pub unit: String,
    /// Whether a larger value is better (a rate) or worse (a time).
    pub higher_is_better: bool,
    /// The series the others are divided by, in order of preference: in each group the
    /// first one present is the baseline. Empty: the chart shows the values themselves.
    #[serde(default)]
    pub baselines: Vec<String>,
    /// The measurements.
    pub rows: Vec<ResultRow>,
}

/// One measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// The group (x-axis position): corpus and operation.
    pub group: String,
    /// The series (bar colour): the library or implementation.
    pub series: String,
    /// The measured value, in the file's unit.
    pub value: f64,
}

/// Unique strings in first-seen order.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        if !seen.iter().any(|s| s == item) {
            seen.push(item.to_string());
        }
    }
    seen
}

impl BenchResults {
    /// The baseline value of `group`, when the file has baselines and the group one.
    fn baseline(&self, group: &str) -> Option<f64> {
        self.baselines.iter().find_map(|name| {
            self.rows
                .iter()
                .find(|r| r.group == group && &r.series == name)
                .map(|r| r.value)
        })
    }

    /// The chart: with baselines, each bar is how many times better than its group's
    /// baseline the series is (above 1: faster), and baselines get no bar of their own;
    /// without, the values as measured.
    pub fn chart(&self) -> BarChart {
        let groups = distinct(self.rows.iter().map(|r| r.group.as_str()));
        let ratios = !self.baselines.is_empty();
        let series = distinct(self.rows.iter().map(|r| r.series.as_str()))
            .into_iter()
            .filter(|name| !ratios || !self.baselines.contains(name))
            .map(|name| Series {
                values: groups
                    .iter()
                    .map(|group| {
                        let value = self
                            .rows
                            .iter()
                            .find(|r| &r.group == group && r.series == name)?
                            .value;
                        if !ratios {
                            return Some(value);
                        }
                        let base = self.baseline(group)?;
                        Some(if self.higher_is_better {
                            value / base
                        } else {
                            base / value
                        })
                    })
                    .collect(),
                name,
            })
            .collect();
        let (y_label, reference, label): (String, _, fn(f64) -> String) = if ratios {
            (
                format!("× {} (higher is faster)", self.baselines.join(" / ")),
                Some(1.0),
                |v| format!("{v:.2}×"),
            )
        } else {
            (self.unit.clone(), None, |v| format!("{v:.0}"))
        };
        BarChart {
            title: self.title.clone(),
            y_label,
            groups,
            series,
            reference,
            label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group: &str, series: &str, value: f64) -> ResultRow {
        ResultRow {
            group: group.into(),
            series: series.into(),
            value,
        }
    }

    #[test]
    fn ratios_against_the_first_baseline_present() {
        let results = BenchResults {
            title: "t".into(),
            unit: "seconds".into(),
            higher_is_better: false,
            baselines: vec!["json".into(), "orjson".into()],
            rows: vec![
                row("a", "json", 2.0),
                row("a", "toon", 1.0),
                row("b", "orjson", 1.0),
                row("b", "toon", 4.0),
                row("b", "peer", 0.5),
            ],
        };
        let chart = results.chart();
        assert_eq!(chart.groups, ["a", "b"]);
        let names: Vec<_> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["toon", "peer"]);
        assert_eq!(chart.series[0].values, [Some(2.0), Some(0.25)]);
        assert_eq!(chart.series[1].values, [None, Some(2.0)]);
        assert_eq!(chart.reference, Some(1.0));
    }

    #[test]
    fn rates_without_baselines_are_drawn_as_measured() {
        let results = BenchResults {
            title: "t".into(),
            unit: "requests/s".into(),
            higher_is_better: true,
            baselines: vec![],
            rows: vec![row("fastapi", "json", 60.0), row("fastapi", "toon", 1300.0)],
        };
        let chart = results.chart();
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[1].values, [Some(1300.0)]);
        assert!(chart.log_scale());
    }
}
